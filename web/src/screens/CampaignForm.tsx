import type { Schemas } from '../api/client';
import { Copy } from '../components/Bits';
import { useEntities } from '../lib/entities';
import { AreaField, Form, joinList, list, num, orNull, SelectField, TextField, useFormContext } from '../lib/form';

type Obj = Record<string, unknown>;

export interface DestinationState {
  offerId: string;
  offerLinkId: string;
  landingPageId: string;
  weight: string;
  cap: { clicks: string; conversions: string; per: string; tz: string };
}
export interface RuleState {
  name: string;
  when: Record<string, unknown> & { hour: { from: string; to: string }; param: string; extra: string };
  destinations: DestinationState[];
}
export interface CampaignState {
  key: string;
  name: string;
  category: string;
  trafficSourceId: string;
  status: string;
  cost: { model: string; amount: string; currency: string };
  destinations: DestinationState[];
  rules: RuleState[];
  fallbackUrl: string;
}

const LIST_CRITERIA: [string, string, string][] = [
  ['country', 'Country', 'ISO codes, e.g. US, CA'],
  ['region', 'Region', ''],
  ['city', 'City', ''],
  ['language', 'Language', 'e.g. en, de'],
  ['deviceType', 'Device type', 'desktop, mobile, tablet, smarttv, console, wearable'],
  ['os', 'OS', 'e.g. iOS, Android'],
  ['browser', 'Browser', 'e.g. Chrome'],
  ['ip', 'IP ranges', 'CIDRs'],
  ['weekday', 'Weekdays', '1 Monday … 7 Sunday'],
];
const BOOL_CRITERIA: [string, string][] = [
  ['bot', 'Bot'],
  ['datacenter', 'Datacenter'],
  ['unique', 'Unique'],
];
const KNOWN = new Set([...LIST_CRITERIA.map((c) => c[0]), ...BOOL_CRITERIA.map((c) => c[0]), 'hour', 'tz', 'param']);

const emptyDestination = (): DestinationState => ({
  offerId: '',
  offerLinkId: '',
  landingPageId: '',
  weight: '100',
  cap: { clicks: '', conversions: '', per: 'day', tz: '' },
});
export const emptyRule = (): RuleState => ({ name: '', when: { hour: { from: '', to: '' }, param: '', extra: '' }, destinations: [emptyDestination()] });

function destinationState(d: Obj): DestinationState {
  const cap = (d.cap ?? {}) as Obj;
  return {
    offerId: String(d.offerId ?? ''),
    offerLinkId: String(d.offerLinkId ?? ''),
    landingPageId: String(d.landingPageId ?? ''),
    weight: d.weight === undefined || d.weight === null ? '' : String(d.weight),
    cap: {
      clicks: cap.clicks == null ? '' : String(cap.clicks),
      conversions: cap.conversions == null ? '' : String(cap.conversions),
      per: String(cap.per ?? 'day'),
      tz: String(cap.tz ?? ''),
    },
  };
}

/** A stored campaign as form state: lists as comma-separated text; criteria the form has no field for kept as JSON. */
export function campaignState(c?: Obj): CampaignState {
  const cost = (c?.cost ?? {}) as Obj;
  return {
    key: String(c?.key ?? ''),
    name: String(c?.name ?? ''),
    category: String(c?.category ?? ''),
    trafficSourceId: String(c?.trafficSourceId ?? ''),
    status: String(c?.status ?? 'active'),
    cost: { model: String(cost.model ?? 'none'), amount: cost.amount == null ? '' : String(cost.amount), currency: String(cost.currency ?? 'USD') },
    destinations: ((c?.destinations as Obj[] | undefined) ?? []).map(destinationState),
    rules: ((c?.rules as Obj[] | undefined) ?? []).map((r) => {
      const when = (r.when ?? {}) as Obj;
      const state: RuleState['when'] = { hour: { from: '', to: '' }, param: '', extra: '' };
      for (const [k] of LIST_CRITERIA) if (when[k] !== undefined) state[k] = joinList(when[k]);
      for (const [k] of BOOL_CRITERIA) if (when[k] !== undefined) state[k] = String(when[k]);
      const hour = when.hour as { from?: number; to?: number } | undefined;
      if (hour) state.hour = { from: String(hour.from ?? ''), to: String(hour.to ?? '') };
      if (when.tz !== undefined) state.tz = String(when.tz);
      if (when.param)
        state.param = Object.entries(when.param as Record<string, string[]>)
          .map(([k, v]) => `${k}=${v.join(',')}`)
          .join('\n');
      const extra = Object.fromEntries(Object.entries(when).filter(([k]) => !KNOWN.has(k)));
      if (Object.keys(extra).length) state.extra = JSON.stringify(extra);
      return { name: String(r.name ?? ''), when: state, destinations: ((r.destinations as Obj[] | undefined) ?? []).map(destinationState) };
    }),
    fallbackUrl: String(c?.fallbackUrl ?? ''),
  };
}

function destinationBody(d: DestinationState): Obj {
  const out: Obj = { offerId: orNull(d.offerId), weight: num(d.weight) ?? 100 };
  if (d.offerLinkId) out.offerLinkId = d.offerLinkId;
  if (d.landingPageId) out.landingPageId = d.landingPageId;
  if (d.cap.clicks.trim() || d.cap.conversions.trim()) {
    const cap: Obj = { per: d.cap.per || 'day' };
    if (d.cap.clicks.trim()) cap.clicks = num(d.cap.clicks);
    if (d.cap.conversions.trim()) cap.conversions = num(d.cap.conversions);
    if (d.cap.tz.trim()) cap.tz = d.cap.tz.trim();
    out.cap = cap;
  }
  return out;
}

/** The rule's `when` as the API takes it (SPEC §3); a malformed JSON in "other criteria" is sent as text so the server names it. */
export function whenBody(w: RuleState['when']): Obj {
  const out: Obj = {};
  for (const [k] of LIST_CRITERIA) {
    const items = list(w[k]);
    if (items) out[k] = k === 'weekday' ? items.map((x) => num(x)) : items;
  }
  for (const [k] of BOOL_CRITERIA) if (w[k] === 'true' || w[k] === 'false') out[k] = w[k] === 'true';
  if (String(w.hour.from).trim() || String(w.hour.to).trim()) out.hour = { from: num(w.hour.from), to: num(w.hour.to) };
  if (typeof w.tz === 'string' && w.tz.trim()) out.tz = w.tz.trim();
  const params: Record<string, string[]> = {};
  for (const line of w.param.split('\n')) {
    const m = /^\s*([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (m) params[m[1]] = list(m[2]) ?? [''];
  }
  if (Object.keys(params).length) out.param = params;
  if (w.extra.trim()) {
    try {
      Object.assign(out, JSON.parse(w.extra) as Obj);
    } catch {
      out.extra = w.extra;
    }
  }
  return out;
}

export function campaignBody(s: CampaignState, creating: boolean): Schemas['CreateCampaignDto'] {
  const body: Obj = {
    name: s.name,
    category: orNull(s.category),
    trafficSourceId: orNull(s.trafficSourceId),
    status: s.status,
    cost:
      s.cost.model === 'none'
        ? { model: 'none' }
        : { model: s.cost.model, ...(s.cost.model !== 'auto' && { amount: s.cost.amount.trim() }), currency: s.cost.currency.trim() || 'USD' },
    destinations: s.destinations.map(destinationBody),
    rules: s.rules.map((r) => ({ name: r.name, when: whenBody(r.when), destinations: r.destinations.map(destinationBody) })),
    fallbackUrl: orNull(s.fallbackUrl),
  };
  if (s.key.trim() || !creating) body.key = s.key.trim() || undefined;
  return body as unknown as Schemas['CreateCampaignDto'];
}

function Destinations({ path, legend }: { path: string; legend: string }) {
  const f = useFormContext();
  const offers = useEntities<{ id: string; name: string; links?: { id: string; name: string }[] }>('/api/v1/offers');
  const landers = useEntities('/api/v1/landing-pages');
  const items = (f.get(path) as DestinationState[]) ?? [];
  return (
    <fieldset>
      <legend>{legend}</legend>
      {items.map((d, i) => {
        const offer = offers.data?.items.find((o) => o.id === d.offerId);
        return (
          <div className="row" key={i} role="group" aria-label={`${legend} ${i + 1}`}>
            <SelectField
              path={`${path}.${i}.offerId`}
              label="Offer"
              options={[['', '—'], ...(offers.data?.items ?? []).map((o): [string, string] => [o.id, o.name])]}
            />
            {offer?.links?.length ? (
              <SelectField
                path={`${path}.${i}.offerLinkId`}
                label="Offer link"
                options={[['', 'Offer URL'], ...offer.links.map((l): [string, string] => [l.id, l.name])]}
              />
            ) : null}
            <SelectField
              path={`${path}.${i}.landingPageId`}
              label="Lander"
              options={[['', 'None (direct)'], ...(landers.data?.items ?? []).map((o): [string, string] => [o.id, o.name])]}
            />
            <TextField path={`${path}.${i}.weight`} label="Weight" type="number" />
            <TextField path={`${path}.${i}.cap.clicks`} label="Cap: clicks" type="number" />
            <TextField path={`${path}.${i}.cap.conversions`} label="Cap: conversions" type="number" />
            <SelectField
              path={`${path}.${i}.cap.per`}
              label="Cap per"
              options={[
                ['day', 'day'],
                ['total', 'total'],
              ]}
            />
            <TextField path={`${path}.${i}.cap.tz`} label="Cap time zone" placeholder="UTC" />
            <button
              type="button"
              disabled={f.readOnly}
              onClick={() =>
                f.set(
                  path,
                  items.filter((_, j) => j !== i),
                )
              }
            >
              Remove destination
            </button>
          </div>
        );
      })}
      <button type="button" disabled={f.readOnly} onClick={() => f.set(path, [...items, emptyDestination()])}>
        Add destination
      </button>
    </fieldset>
  );
}

/** The rules editor: ordered rules, each with its criteria and its own weighted destinations. */
export function RulesEditor() {
  const f = useFormContext();
  const rules = (f.get('rules') as RuleState[]) ?? [];
  const move = (i: number, by: number) => {
    const next = [...rules];
    const [r] = next.splice(i, 1);
    next.splice(i + by, 0, r);
    f.set('rules', next);
  };
  return (
    <fieldset>
      <legend>Rules (tried in order; the first that matches picks among its destinations)</legend>
      {rules.map((_, i) => (
        <fieldset key={i} aria-label={`Rule ${i + 1}`}>
          <legend>Rule {i + 1}</legend>
          <TextField path={`rules.${i}.name`} label="Rule name" />
          <div className="row">
            {LIST_CRITERIA.map(([k, label, hint]) => (
              <TextField key={k} path={`rules.${i}.when.${k}`} label={label} placeholder={hint} />
            ))}
            {BOOL_CRITERIA.map(([k, label]) => (
              <SelectField
                key={k}
                path={`rules.${i}.when.${k}`}
                label={label}
                options={[
                  ['', 'any'],
                  ['true', 'yes'],
                  ['false', 'no'],
                ]}
              />
            ))}
            <TextField path={`rules.${i}.when.hour.from`} label="Hour from" type="number" />
            <TextField path={`rules.${i}.when.hour.to`} label="Hour to" type="number" />
            <TextField path={`rules.${i}.when.tz`} label="Rule time zone" placeholder="UTC" />
          </div>
          <AreaField path={`rules.${i}.when.param`} label="Parameters" hint="One per line: name=value1,value2" rows={2} />
          <AreaField path={`rules.${i}.when.extra`} label="Other criteria (JSON)" hint='e.g. {"not": {"country": ["US"]}}' rows={2} />
          <Destinations path={`rules.${i}.destinations`} legend={`Rule ${i + 1} destinations`} />
          <div className="actions">
            <button type="button" disabled={f.readOnly || i === 0} onClick={() => move(i, -1)}>
              Move up
            </button>
            <button type="button" disabled={f.readOnly || i === rules.length - 1} onClick={() => move(i, 1)}>
              Move down
            </button>
            <button
              type="button"
              disabled={f.readOnly}
              onClick={() =>
                f.set(
                  'rules',
                  rules.filter((_, j) => j !== i),
                )
              }
            >
              Remove rule
            </button>
          </div>
        </fieldset>
      ))}
      <button type="button" disabled={f.readOnly} onClick={() => f.set('rules', [...rules, emptyRule()])}>
        Add rule
      </button>
    </fieldset>
  );
}

export function CampaignForm({
  initial,
  creating,
  onSubmit,
  onSaved,
}: {
  initial?: Obj;
  creating: boolean;
  onSubmit: (body: unknown) => Promise<unknown>;
  onSaved?: (a: unknown) => void;
}) {
  const sources = useEntities('/api/v1/traffic-sources');
  const start = campaignState(initial);
  if (creating && !start.destinations.length) start.destinations.push(emptyDestination());
  return (
    <>
      {typeof initial?.trackingUrl === 'string' && <Copy value={initial.trackingUrl} label="Tracking link" />}
      <Form<CampaignState>
        label="Campaign"
        initial={start}
        submitLabel={creating ? 'Create campaign' : 'Save campaign'}
        onSubmit={(s) => onSubmit(campaignBody(s, creating))}
        onSaved={onSaved}
      >
        {() => (
          <>
            <TextField path="name" label="Name" />
            <div className="row">
              <TextField path="key" label="Key" hint="The public part of the link; generated when empty" />
              <TextField path="category" label="Category" />
              <SelectField
                path="trafficSourceId"
                label="Traffic source"
                options={[['', '—'], ...(sources.data?.items ?? []).map((o): [string, string] => [o.id, o.name])]}
              />
              <SelectField
                path="status"
                label="Status"
                options={[
                  ['active', 'active'],
                  ['paused', 'paused'],
                  ['archived', 'archived'],
                ]}
              />
            </div>
            <div className="row">
              <SelectField
                path="cost.model"
                label="Cost model"
                options={[
                  ['none', 'none'],
                  ['cpc', 'CPC'],
                  ['cpm', 'CPM'],
                  ['auto', 'auto (from the cost parameter)'],
                ]}
              />
              <TextField path="cost.amount" label="Cost amount" />
              <TextField path="cost.currency" label="Cost currency" />
            </div>
            <Destinations path="destinations" legend="Destinations" />
            <RulesEditor />
            <TextField path="fallbackUrl" label="Fallback URL" hint="Where paused, archived or fully capped traffic goes" />
          </>
        )}
      </Form>
    </>
  );
}
