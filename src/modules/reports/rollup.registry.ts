import { Dimension } from './dimension.registry';

/** A click rollup table (migration 1763760000000): counts and cost per UTC bucket and these columns. */
export interface RollupFamily {
  table: string;
  columns: readonly string[];
  /** Keeps UTC days alone (not quarter hours and hours): pieces are covered by coverByDays. */
  daysOnly?: boolean;
}

/** Smallest first: the first family holding every column a report needs serves it. */
export const ROLLUP_FAMILIES: readonly RollupFamily[] = [
  { table: 'rollup_clicks_by_entity', columns: ['campaign_id', 'traffic_source_id', 'offer_id', 'offer_link_id', 'landing_page_id'] },
  { table: 'rollup_clicks_by_audience', columns: ['country', 'os_family', 'browser', 'device_family', 'mobile', 'bot'] },
  // After the audience family: a report by country alone keeps reading that one.
  { table: 'rollup_clicks_by_geo', columns: ['country', 'region', 'city'] },
  // The rule that routed a visit and its data centre (migration 1797300000000); rule_name goes with rule_index.
  { table: 'rollup_clicks_by_route', columns: ['campaign_id', 'traffic_source_id', 'offer_id', 'rule_index', 'datacenter'] },
  // One remapped slot's values over all campaigns by UTC day (migration 1797500000000), `slot` standing for any one slot.
  { table: 'rollup_clicks_by_slot_value', columns: ['slot'], daysOnly: true },
  // The same by campaign (migration 1797400000000).
  { table: 'rollup_clicks_by_slot', columns: ['campaign_id', 'slot'], daysOnly: true },
];

export const SLOT_ROLLUP = 'rollup_clicks_by_slot';
export const SLOT_VALUE_ROLLUP = 'rollup_clicks_by_slot_value';

/** The family of this table. */
export function rollupFamily(table: string): RollupFamily {
  return ROLLUP_FAMILIES.find((f) => f.table === table)!;
}

/** The rollup that can answer the click side for these dimensions (grouped or filtered), or null. */
export function pickRollup(dimensions: Dimension[]): RollupFamily | null {
  // The slot rollup holds one slot per row: two slots at once are read from the visits.
  if (new Set(dimensions.flatMap((d) => (d.slot ? [d.slot] : []))).size > 1) return null;
  return (
    ROLLUP_FAMILIES.find((f) =>
      dimensions.every((d) => d.kind === 'time' || d.click === null || (d.click.rollupColumn !== null && f.columns.includes(d.click.rollupColumn))),
    ) ?? null
  );
}
