import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, type ApiPath } from '../api/client';
import { useAuth } from '../auth';
import { Copy, More } from '../components/Bits';
import { ErrorNote } from '../components/ErrorNote';
import { useEntities } from '../lib/entities';
import { AreaField, Form, joinList, list, orNull, SelectField, TextField, useFormContext } from '../lib/form';
import { useList } from '../lib/lists';
import { go, href } from '../lib/route';
import { CampaignForm } from './CampaignForm';
import { Costs } from './Costs';

type Obj = Record<string, unknown>;
interface FormProps {
  initial?: Obj;
  creating: boolean;
  onSubmit: (body: unknown) => Promise<unknown>;
  onSaved?: (a: unknown) => void;
}

/** What to give a network (SPEC §6): the API makes the URL for the network's kind, with its own macros, and the pixel of a generic one. */
export function postbackUrls(n: Obj): [string, string][] {
  const labels: Record<string, string> = {
    trackdesk: 'Trackdesk conversion URL',
    tradedoubler: 'Tradedoubler Conversions API receiver',
    tradetracker: 'TradeTracker S2S URL',
  };
  const out: [string, string][] = [];
  if (typeof n.postbackUrl === 'string') out.push([labels[String(n.kind)] ?? 'Postback URL', n.postbackUrl]);
  if (typeof n.pixel === 'string') out.push(['Pixel', n.pixel]);
  return out;
}

function TrafficSourceForm({ initial, creating, onSubmit, onSaved }: FormProps) {
  const start = {
    name: String(initial?.name ?? ''),
    clickIdParam: String(initial?.clickIdParam ?? ''),
    costParam: String(initial?.costParam ?? ''),
    params: ((initial?.params as { param: string; as: string }[]) ?? []).map((x) => ({ ...x })),
    postbackUrl: String(initial?.postbackUrl ?? ''),
    postbackStatuses: joinList(initial?.postbackStatuses ?? ['approved']),
  };
  return (
    <Form
      label="Traffic source"
      initial={start}
      submitLabel={creating ? 'Create traffic source' : 'Save traffic source'}
      onSaved={onSaved}
      onSubmit={(s) =>
        onSubmit({
          name: s.name,
          clickIdParam: orNull(s.clickIdParam),
          costParam: orNull(s.costParam),
          params: s.params,
          postbackUrl: orNull(s.postbackUrl),
          postbackStatuses: list(s.postbackStatuses) ?? [],
        })
      }
    >
      {() => (
        <>
          <TextField path="name" label="Name" />
          <div className="row">
            <TextField path="clickIdParam" label="Click id parameter" />
            <TextField path="costParam" label="Cost parameter" />
          </div>
          <Pairs path="params" legend="Parameters into slots" a={['param', 'Parameter']} b={['as', 'Slot']} />
          <TextField path="postbackUrl" label="Postback URL" hint="Macros: {external_id} {click_id} {payout} {currency} {status} {conversion_type} {txid}" />
          <TextField path="postbackStatuses" label="Postback statuses" hint="Comma-separated: approved, pending, declined" />
        </>
      )}
    </Form>
  );
}

function Pairs({ path, legend, a, b }: { path: string; legend: string; a: [string, string]; b: [string, string] }) {
  const f = useFormContext();
  const items = (f.get(path) as Obj[]) ?? [];
  return (
    <fieldset>
      <legend>{legend}</legend>
      {items.map((_, i) => (
        <div className="row" key={i}>
          <TextField path={`${path}.${i}.${a[0]}`} label={a[1]} />
          <TextField path={`${path}.${i}.${b[0]}`} label={b[1]} />
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
            Remove
          </button>
        </div>
      ))}
      <button type="button" disabled={f.readOnly} onClick={() => f.set(path, [...items, { [a[0]]: '', [b[0]]: '' }])}>
        Add
      </button>
    </fieldset>
  );
}

const NETWORK_PARAMS = ['clickId', 'payout', 'transactionId', 'status', 'currency', 'type'];

function NetworkForm({ initial, creating, onSubmit, onSaved }: FormProps) {
  const params = (initial?.params ?? {}) as Record<string, string>;
  const templates = useQuery({
    queryKey: ['templates', 'affiliate-networks'],
    queryFn: () => api.get<{ items: { id: string; name: string }[] }>('/api/v1/templates/affiliate-networks'),
    enabled: creating,
  });
  const start = {
    template: '',
    name: String(initial?.name ?? ''),
    kind: String(initial?.kind ?? 'generic'),
    postbackToken: String(initial?.postbackToken ?? ''),
    allowedIps: joinList(initial?.allowedIps),
    params: Object.fromEntries(NETWORK_PARAMS.map((k) => [k, params[k] ?? ''])),
    statusMap: Object.entries((initial?.statusMap ?? {}) as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    defaultStatus: String(initial?.defaultStatus ?? 'approved'),
  };
  return (
    <>
      {initial?.id !== undefined && (
        <section aria-label="Postback URLs">
          <h2>Give this network</h2>
          {postbackUrls(initial).map(([label, url]) => (
            <div key={label}>
              <p>{label}</p>
              <Copy value={url} label={label} />
            </div>
          ))}
        </section>
      )}
      <Form
        label="Affiliate network"
        initial={start}
        submitLabel={creating ? 'Create network' : 'Save network'}
        onSaved={onSaved}
        onSubmit={(s) => {
          const statusMap: Record<string, string> = {};
          for (const line of s.statusMap.split('\n')) {
            const m = /^\s*([^=]+?)\s*=\s*(.+?)\s*$/.exec(line);
            if (m) statusMap[m[1]] = m[2];
          }
          // From a template: it fills the kind, parameter names and status map (SPEC §3 templates).
          if (s.template)
            return onSubmit({
              template: s.template,
              ...(s.name.trim() ? { name: s.name } : {}),
              postbackToken: orNull(s.postbackToken),
              allowedIps: list(s.allowedIps) ?? [],
            });
          return onSubmit({
            name: s.name,
            kind: s.kind,
            postbackToken: orNull(s.postbackToken),
            allowedIps: list(s.allowedIps) ?? [],
            params: Object.fromEntries(Object.entries(s.params).filter(([, v]) => String(v).trim())),
            statusMap,
            defaultStatus: s.defaultStatus,
          });
        }}
      >
        {() => (
          <>
            {creating && (
              <SelectField
                path="template"
                label="Start from a template"
                options={[['', '(none: set it up below)'], ...(templates.data?.items ?? []).map((t): [string, string] => [t.id, t.name])]}
              />
            )}
            <TextField path="name" label="Name" />
            <div className="row">
              <SelectField path="kind" label="Kind" options={['generic', 'trackdesk', 'tradedoubler', 'tradetracker'].map((k): [string, string] => [k, k])} />
              <TextField path="postbackToken" label="Postback token" />
              <TextField path="allowedIps" label="Allowed IPs" hint="CIDRs, comma-separated; empty: any" />
              <SelectField path="defaultStatus" label="Default status" options={['approved', 'pending', 'declined'].map((k): [string, string] => [k, k])} />
            </div>
            <fieldset>
              <legend>Parameter names (empty: the defaults)</legend>
              <div className="row">
                {NETWORK_PARAMS.map((k) => (
                  <TextField key={k} path={`params.${k}`} label={k} />
                ))}
              </div>
            </fieldset>
            <AreaField path="statusMap" label="Status map" hint="One per line: code=approved|pending|declined" />
          </>
        )}
      </Form>
    </>
  );
}

function OfferForm({ initial, creating, onSubmit, onSaved }: FormProps) {
  const networks = useEntities('/api/v1/affiliate-networks');
  const payout = (initial?.payout ?? {}) as Obj;
  const start = {
    name: String(initial?.name ?? ''),
    affiliateNetworkId: String(initial?.affiliateNetworkId ?? ''),
    url: String(initial?.url ?? ''),
    payout: { type: String(payout.type ?? 'dynamic'), amount: payout.amount == null ? '' : String(payout.amount), currency: String(payout.currency ?? 'USD') },
    links: ((initial?.links as Obj[]) ?? []).map((l) => ({ ...l })),
  };
  return (
    <Form
      label="Offer"
      initial={start}
      submitLabel={creating ? 'Create offer' : 'Save offer'}
      onSaved={onSaved}
      onSubmit={(s) =>
        onSubmit({
          name: s.name,
          affiliateNetworkId: orNull(s.affiliateNetworkId),
          url: s.url,
          payout: { type: s.payout.type, amount: s.payout.amount.trim() || '0', currency: s.payout.currency },
          links: s.links,
        })
      }
    >
      {() => (
        <>
          <TextField path="name" label="Name" />
          <SelectField
            path="affiliateNetworkId"
            label="Network"
            options={[['', '—'], ...(networks.data?.items ?? []).map((o): [string, string] => [o.id, o.name])]}
          />
          <TextField path="url" label="URL" hint="Macros: {click_id} {campaign_id} {offer_id} {external_id} {country} and slots" />
          <div className="row">
            <SelectField
              path="payout.type"
              label="Payout type"
              options={[
                ['dynamic', 'dynamic (the call’s amount)'],
                ['fixed', 'fixed'],
              ]}
            />
            <TextField path="payout.amount" label="Payout amount" />
            <TextField path="payout.currency" label="Payout currency" />
          </div>
          <Pairs path="links" legend="Links" a={['name', 'Link name']} b={['url', 'Link URL']} />
        </>
      )}
    </Form>
  );
}

function LanderForm({ initial, creating, onSubmit, onSaved }: FormProps) {
  return (
    <Form
      label="Landing page"
      initial={{ name: String(initial?.name ?? ''), url: String(initial?.url ?? '') }}
      submitLabel={creating ? 'Create lander' : 'Save lander'}
      onSaved={onSaved}
      onSubmit={(s) => onSubmit(s)}
    >
      {() => (
        <>
          <TextField path="name" label="Name" />
          <TextField path="url" label="URL" hint="Its call to action links to /lp/click" />
        </>
      )}
    </Form>
  );
}

function SubscriptionForm({ initial, creating, onSubmit, onSaved }: FormProps) {
  const filter = (initial?.filter ?? {}) as Obj;
  const start = {
    subscriptionName: String(initial?.subscriptionName ?? ''),
    receivers: ((initial?.receivers as Obj[]) ?? [{ httpMethod: 'POST', receiverUrl: '', receiverBody: '', receiverFormat: 'json' }]).map((r) => ({
      httpMethod: String(r.httpMethod ?? 'POST'),
      receiverUrl: String(r.receiverUrl ?? ''),
      receiverBody: String(r.receiverBody ?? ''),
      receiverFormat: String(r.receiverFormat ?? 'json'),
    })),
    filter: { statuses: joinList(filter.statuses), campaignIds: joinList(filter.campaignIds), conversionTypes: joinList(filter.conversionTypes) },
    currency: String((initial?.currencyConversion as Obj | undefined)?.to ?? ''),
    secret: String(initial?.secret ?? ''),
  };
  return (
    <Form
      label="Subscription"
      initial={start}
      submitLabel={creating ? 'Create subscription' : 'Save subscription'}
      onSaved={onSaved}
      onSubmit={(s) =>
        onSubmit({
          subscriptionName: orNull(s.subscriptionName),
          receivers: s.receivers.map((r) => ({ ...r, receiverBody: orNull(r.receiverBody) })),
          filter: Object.fromEntries(Object.entries(s.filter).flatMap(([k, v]) => (list(v) ? [[k, list(v)]] : []))),
          ...(s.currency.trim() && { currencyConversion: { to: s.currency.trim() } }),
          ...(s.secret.trim() && { secret: s.secret.trim() }),
        })
      }
    >
      {(f) => (
        <>
          <TextField path="subscriptionName" label="Name" />
          {f.value.receivers.map((_, i) => (
            <fieldset key={i}>
              <legend>Receiver {i + 1}</legend>
              <div className="row">
                <SelectField
                  path={`receivers.${i}.httpMethod`}
                  label="Method"
                  options={[
                    ['POST', 'POST'],
                    ['GET', 'GET'],
                  ]}
                />
                <SelectField
                  path={`receivers.${i}.receiverFormat`}
                  label="Format"
                  options={[
                    ['json', 'json'],
                    ['xml', 'xml'],
                    ['custom', 'custom'],
                  ]}
                />
              </div>
              <TextField path={`receivers.${i}.receiverUrl`} label="Receiver URL" />
              <AreaField path={`receivers.${i}.receiverBody`} label="Body template" hint="${conversionId} ${payout} ${status} …" />
            </fieldset>
          ))}
          <button
            type="button"
            disabled={f.readOnly}
            onClick={() => f.set('receivers', [...f.value.receivers, { httpMethod: 'POST', receiverUrl: '', receiverBody: '', receiverFormat: 'json' }])}
          >
            Add receiver
          </button>
          <div className="row">
            <TextField path="filter.statuses" label="Only statuses" />
            <TextField path="filter.campaignIds" label="Only campaign ids" />
            <TextField path="filter.conversionTypes" label="Only conversion types" />
            <TextField path="currency" label="Convert payout to" />
            <TextField path="secret" label="Signing secret" hint="whsec_…" />
          </div>
        </>
      )}
    </Form>
  );
}

function ApiKeyForm({ onSubmit }: FormProps) {
  const [created, setCreated] = useState<string | null>(null);
  return (
    <>
      {created && (
        <div role="status">
          <p>The new key, shown this once:</p>
          <Copy value={created} label="New API key" />
        </div>
      )}
      <Form
        label="API key"
        initial={{ name: '', scope: 'read' }}
        submitLabel="Create API key"
        onSubmit={(s) => onSubmit(s)}
        onSaved={(a) => setCreated(String((a as Obj).key ?? ''))}
      >
        {() => (
          <div className="row">
            <TextField path="name" label="Name" />
            <SelectField
              path="scope"
              label="Scope"
              options={[
                ['read', 'read'],
                ['admin', 'admin'],
              ]}
            />
          </div>
        )}
      </Form>
    </>
  );
}

function ExchangeRates() {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['exchange-rates'], queryFn: () => api.get<{ base: string; rates: Record<string, string> }>('/api/v1/exchange-rates') });
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <p className="loading">Loading…</p>;
  const start = { base: q.data.base, rates: Object.entries(q.data.rates).map(([currency, rate]) => ({ currency, rate: String(rate) })) };
  return (
    <Form
      label="Exchange rates"
      initial={start}
      submitLabel="Save exchange rates"
      onSubmit={(s) =>
        api.put('/api/v1/exchange-rates', {
          base: s.base,
          rates: Object.fromEntries(s.rates.filter((r) => r.currency.trim()).map((r) => [r.currency.trim(), r.rate.trim()])),
        })
      }
      onSaved={() => void qc.invalidateQueries({ queryKey: ['exchange-rates'] })}
    >
      {() => (
        <>
          <TextField path="base" label="Base currency" />
          <Pairs path="rates" legend="Units per one base unit" a={['currency', 'Currency']} b={['rate', 'Rate']} />
        </>
      )}
    </Form>
  );
}

interface Resource {
  id: string;
  label: string;
  path: ApiPath;
  itemPath: ApiPath;
  form: (p: FormProps) => ReactNode;
  columns: [string, (o: Obj) => ReactNode][];
  editable?: boolean;
  update?: 'PATCH' | 'PUT';
}

const name = (o: Obj) => String(o.name ?? o.subscriptionName ?? o.id);
export const RESOURCES: Resource[] = [
  {
    id: 'campaigns',
    label: 'Campaigns',
    path: '/api/v1/campaigns',
    itemPath: '/api/v1/campaigns/{id}',
    form: (p) => <CampaignForm {...p} />,
    columns: [
      ['Key', (o) => String(o.key)],
      ['Status', (o) => String(o.status)],
    ],
  },
  {
    id: 'traffic-sources',
    label: 'Traffic sources',
    path: '/api/v1/traffic-sources',
    itemPath: '/api/v1/traffic-sources/{id}',
    form: (p) => <TrafficSourceForm {...p} />,
    columns: [],
  },
  {
    id: 'affiliate-networks',
    label: 'Networks',
    path: '/api/v1/affiliate-networks',
    itemPath: '/api/v1/affiliate-networks/{id}',
    form: (p) => <NetworkForm {...p} />,
    columns: [['Kind', (o) => String(o.kind)]],
  },
  {
    id: 'offers',
    label: 'Offers',
    path: '/api/v1/offers',
    itemPath: '/api/v1/offers/{id}',
    form: (p) => <OfferForm {...p} />,
    columns: [['URL', (o) => String(o.url)]],
  },
  {
    id: 'landing-pages',
    label: 'Landers',
    path: '/api/v1/landing-pages',
    itemPath: '/api/v1/landing-pages/{id}',
    form: (p) => <LanderForm {...p} />,
    columns: [['URL', (o) => String(o.url)]],
  },
  {
    id: 'subscriptions',
    label: 'Subscriptions',
    path: '/api/v1/subscriptions',
    itemPath: '/api/v1/subscriptions/{id}',
    form: (p) => <SubscriptionForm {...p} />,
    columns: [],
    update: 'PUT',
  },
  {
    id: 'api-keys',
    label: 'API keys',
    path: '/api/v1/api-keys',
    itemPath: '/api/v1/api-keys/{id}',
    form: (p) => <ApiKeyForm {...p} />,
    columns: [
      ['Scope', (o) => String(o.scope)],
      ['Prefix', (o) => String(o.keyPrefix)],
    ],
    editable: false,
  },
];

function ResourceList({ r }: { r: Resource }) {
  const { canWrite } = useAuth();
  const items = useList<Obj>(r.path, {});
  return (
    <>
      <p>
        {canWrite ? (
          <a href={href('setup', r.id, 'new')} className="button-link">
            New {r.label.toLowerCase().replace(/s$/, '')}
          </a>
        ) : (
          <span className="hint">Read-only key: creating is disabled.</span>
        )}
      </p>
      {items.error && <ErrorNote error={items.error} />}
      <table aria-label={r.label}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            {r.columns.map(([h]) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.items.map((o) => (
            <tr key={String(o.id)}>
              <td>{r.editable === false ? name(o) : <a href={href('setup', r.id, String(o.id))}>{name(o)}</a>}</td>
              {r.columns.map(([h, cell]) => (
                <td key={h} className="wrap">
                  {cell(o)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <More show={items.hasMore} onClick={items.more} />
    </>
  );
}

function ResourceEdit({ r, id }: { r: Resource; id: string }) {
  const qc = useQueryClient();
  const creating = id === 'new';
  const item = useQuery({ queryKey: [r.itemPath, id], queryFn: () => api.get<Obj>(r.itemPath, undefined, { id }), enabled: !creating });
  if (item.error) return <ErrorNote error={item.error} />;
  if (!creating && !item.data) return <p className="loading">Loading…</p>;
  const onSaved = (answer: unknown) => {
    void qc.invalidateQueries({ queryKey: [r.path] });
    void qc.invalidateQueries({ queryKey: [r.itemPath] });
    const newId = (answer as Obj | undefined)?.id;
    if (creating && r.editable !== false && typeof newId === 'string') go('setup', r.id, newId);
  };
  const onSubmit = (body: unknown) =>
    creating ? api.post(r.path, body) : r.update === 'PUT' ? api.put(r.itemPath, body, { id }) : api.patch(r.itemPath, body, { id });
  return (
    <>
      <h2>{creating ? `New ${r.label.toLowerCase().replace(/s$/, '')}` : name(item.data!)}</h2>
      <div key={creating ? 'new' : JSON.stringify(item.data)}>{r.form({ initial: item.data, creating, onSubmit, onSaved })}</div>
    </>
  );
}

/** Forms to create and edit every resource of SPEC §3. */
export function SetupScreen({ route }: { route: string[] }) {
  const [, kind = 'campaigns', id] = route;
  const r = RESOURCES.find((x) => x.id === kind);
  return (
    <section aria-labelledby="setup-title">
      <h1 id="setup-title">Set-up</h1>
      <nav aria-label="Resources">
        <ul className="tabs">
          {[...RESOURCES.map((x) => [x.id, x.label]), ['costs', 'Costs'], ['exchange-rates', 'Exchange rates']].map(([k, l]) => (
            <li key={k}>
              <a href={href('setup', k)} aria-current={k === kind ? 'page' : undefined}>
                {l}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {kind === 'exchange-rates' ? (
        <ExchangeRates />
      ) : kind === 'costs' ? (
        <Costs />
      ) : !r ? (
        <p>Unknown resource.</p>
      ) : id ? (
        <ResourceEdit r={r} id={id} />
      ) : (
        <ResourceList r={r} />
      )}
    </section>
  );
}
