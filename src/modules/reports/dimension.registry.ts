/**
 * The allowlist of report dimensions (SPEC §8): each name maps to fixed SQL on the click side
 * (raw `visits v` or a rollup `r`) and on the conversion side (`conversion_facts f`), plus the
 * joins that SQL needs. Nothing from the request is spliced into SQL: slot names are bound.
 */
/** `rule`: the rule that routed a visit, grouped by index and name together (`{"index", "name"}`). */
export type DimensionKind = 'entity' | 'text' | 'boolean' | 'time' | 'rule';
export type TimeGrain = 'hour' | 'day' | 'week' | 'month';

/** `vo`: the offer of the click (its network). */
export type Join = 'clickOffer';

export interface SqlScope {
  bind(value: unknown): string;
  /** The click-side row: `v` (visits) or `r` (a rollup). */
  click: 'v' | 'r';
  /** The alias whose `label` is the local start of the row's bucket: `seg` or `rr`. */
  label: string;
  /** How this source reads a remapped slot's value, when not from the visit's `remaped`. */
  slot?: () => string;
}

export interface Side {
  sql(s: SqlScope): string;
  joins: Join[];
  /** The visit column a rollup family must hold to serve it (time dimensions need none). */
  rollupColumn: string | null;
}

export interface Dimension {
  name: string;
  kind: DimensionKind;
  /** The table holding the `name` of an entity's id. */
  entityTable?: string;
  grain?: TimeGrain;
  /** A remapped slot's name (SPEC §3 `as`). */
  slot?: string;
  /** null: clicks cannot be split by it (status, conversionType), so grouped by it click metrics are null. */
  click: Side | null;
  conversion: Side;
}

const side = (sql: (s: SqlScope) => string, rollupColumn: string | null, ...joins: Join[]): Side => ({ sql, joins, rollupColumn });

/** A visit column, read by conversions from their facts row (a copy of their visit's value). */
function column(name: string, kind: DimensionKind, col: string, entityTable?: string): Dimension {
  return { name, kind, entityTable, click: side((s) => `${s.click}.${col}`, col), conversion: side(() => `f.${col}`, null) };
}

/**
 * A time bucket: rows are grouped by their piece's local start (`label`) and the compiler truncates
 * the grouped label to the grain afterwards, once per group instead of once per row.
 */
function time(grain: TimeGrain): Dimension {
  const sql = (s: SqlScope) => `${s.label}.label`;
  return { name: grain, kind: 'time', grain, click: side(sql, null), conversion: side(sql, null) };
}

export const DIMENSIONS: Dimension[] = [
  column('campaign', 'entity', 'campaign_id', 'campaigns'),
  column('offer', 'entity', 'offer_id', 'offers'),
  column('offerLink', 'entity', 'offer_link_id', 'offer_links'),
  column('landingPage', 'entity', 'landing_page_id', 'landing_pages'),
  column('trafficSource', 'entity', 'traffic_source_id', 'traffic_sources'),
  {
    // The click's offer's network; a conversion keeps the network it was recorded with.
    name: 'affiliateNetwork',
    kind: 'entity',
    entityTable: 'affiliate_networks',
    click: side(() => 'vo.affiliate_network_id', 'offer_id', 'clickOffer'),
    conversion: side(() => 'f.affiliate_network_id', null),
  },
  column('country', 'text', 'country'),
  column('region', 'text', 'region'),
  column('city', 'text', 'city'),
  column('os', 'text', 'os_family'),
  column('browser', 'text', 'browser'),
  column('device', 'text', 'device_family'),
  column('mobile', 'boolean', 'mobile'),
  column('bot', 'boolean', 'bot'),
  {
    // The route rollup (or the visits) on the click side; a conversion's facts copy its visit's data centre.
    name: 'datacenter',
    kind: 'boolean',
    click: side((s) => `(${s.click}.datacenter IS NOT NULL)`, 'datacenter'),
    conversion: side(() => 'CASE WHEN f.visit_id IS NULL THEN NULL ELSE f.datacenter IS NOT NULL END', null),
  },
  {
    // `007|US desktop`: the index padded so rows sort by it; split into {index, name} for the answer.
    name: 'rule',
    kind: 'rule',
    click: side((s) => ruleKey(s.click), 'rule_index'),
    conversion: side(() => ruleKey('f'), null),
  },
  { name: 'conversionType', kind: 'entity', entityTable: 'conversion_types', click: null, conversion: side(() => 'f.conversion_type_id', null) },
  { name: 'status', kind: 'text', click: null, conversion: side(() => 'f.status', null) },
  time('hour'),
  time('day'),
  time('week'),
  time('month'),
];

function ruleKey(alias: string): string {
  return `CASE WHEN ${alias}.rule_index IS NULL THEN NULL ELSE lpad(${alias}.rule_index::text, 3, '0') || '|' || coalesce(${alias}.rule_name, '') END`;
}

const BY_NAME = new Map(DIMENSIONS.map((d) => [d.name, d]));

/** A remapped slot name (SPEC §3 `as`). */
export const SLOT_NAME = /^[a-z][a-z0-9_]{0,31}$/;

function slot(name: string): Dimension {
  return {
    name,
    kind: 'text',
    slot: name,
    // The slot rollup (rollup_clicks_by_slot) or the visit's remapped slots.
    click: side((s) => (s.slot ? s.slot() : `v.remaped ->> ${s.bind(name)}`), 'slot'),
    conversion: side((s) => `f.remaped ->> ${s.bind(name)}`, null),
  };
}

/** The dimension called `name`: a built-in one, else a remapped slot, else null (unknown). */
export function findDimension(name: string): Dimension | null {
  return BY_NAME.get(name) ?? (SLOT_NAME.test(name) ? slot(name) : null);
}
