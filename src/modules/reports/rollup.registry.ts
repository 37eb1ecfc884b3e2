import { Dimension } from './dimension.registry';

/** A click rollup table (migration 1763760000000): counts and cost per UTC bucket and these columns. */
export interface RollupFamily {
  table: string;
  columns: readonly string[];
}

/** Smallest first: the first family holding every column a report needs serves it. */
export const ROLLUP_FAMILIES: readonly RollupFamily[] = [
  { table: 'rollup_clicks_by_entity', columns: ['campaign_id', 'traffic_source_id', 'offer_id', 'offer_link_id', 'landing_page_id'] },
  { table: 'rollup_clicks_by_audience', columns: ['country', 'os_family', 'browser', 'device_family', 'mobile', 'bot'] },
  // After the audience family: a report by country alone keeps reading that one.
  { table: 'rollup_clicks_by_geo', columns: ['country', 'region', 'city'] },
  // The rule that routed a visit and its data centre (migration 1797300000000); rule_name goes with rule_index.
  { table: 'rollup_clicks_by_route', columns: ['campaign_id', 'traffic_source_id', 'offer_id', 'rule_index', 'datacenter'] },
];

/** The rollup that can answer the click side for these dimensions (grouped or filtered), or null. */
export function pickRollup(dimensions: Dimension[]): RollupFamily | null {
  return (
    ROLLUP_FAMILIES.find((f) =>
      dimensions.every((d) => d.kind === 'time' || d.click === null || (d.click.rollupColumn !== null && f.columns.includes(d.click.rollupColumn))),
    ) ?? null
  );
}
