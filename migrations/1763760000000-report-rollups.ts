import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What reports read instead of scanning raw rows (SPEC §8, "no lag"):
 *
 * - Click rollups: counts and cost of visits per 15-minute, 1-hour and 1-day UTC bucket (grain
 *   15 / 60 / 1440 minutes), in two families of dimensions. Every zone's offset is a whole number of
 *   quarter hours, so any report bucket in any zone is an exact union of buckets.
 * - conversion_facts: one narrow row per conversion carrying its visit's attributes, so reports
 *   group conversions by country or os without joining the (large) visits table.
 *
 * Statement-level triggers with transition tables keep both current inside the writing
 * transaction: one grouped upsert per statement, whatever wrote the rows (the click batch, a
 * replay, a test fixture). Rows are upserted in key order, so concurrent batches lock them in the
 * same order and cannot deadlock on them.
 */
export const FAMILIES: RollupFamilies = {
  rollup_clicks_by_entity: ['campaign_id', 'traffic_source_id', 'offer_id', 'offer_link_id', 'landing_page_id', 'cost_currency'],
  rollup_clicks_by_audience: ['country', 'os_family', 'browser', 'device_family', 'mobile', 'bot', 'cost_currency'],
};

/** Rollup tables and the visit columns each is keyed by (besides grain and bucket). */
export type RollupFamilies = Readonly<Record<string, readonly string[]>>;

const COLUMN_TYPES: Record<string, string> = { mobile: 'boolean', bot: 'boolean' };

/**
 * A rollup family's table. With \`landers\` (as of migration 1796800000000, which added them to the
 * first two families) also the lander measures. \`key\`: the unique key's columns in the order its
 * index should have (grain, bucket and the columns, in that order, unless given).
 */
export function rollupTableSql(table: string, columns: readonly string[], landers = false, key: readonly string[] = ['grain', 'bucket', ...columns]): string {
  return `
        CREATE TABLE ${table} (
          grain smallint NOT NULL,
          bucket timestamptz NOT NULL,
          ${columns.map((c) => `${c} ${COLUMN_TYPES[c] ?? 'text'}`).join(',\n          ')},
          clicks bigint NOT NULL,
          unique_clicks bigint NOT NULL,
          bot_clicks bigint NOT NULL,
          cost numeric NOT NULL,${
            landers
              ? `
          lander_visits bigint NOT NULL DEFAULT 0,
          lander_clicks bigint NOT NULL DEFAULT 0,`
              : ''
          }
          CONSTRAINT uq_${table} UNIQUE NULLS NOT DISTINCT (${key.join(', ')})
        ) WITH (fillfactor = 90)`;
}

/** A rollup grain: 15 minutes, an hour, a day. */
export type Grain = 15 | 60 | 1440;
const WIDTH: Record<Grain, string> = { 15: `interval '15 minutes'`, 60: `interval '1 hour'`, 1440: `interval '1 day'` };
const grainsSql = (grains: readonly Grain[]) => `(VALUES ${grains.map((g) => `(${g}::smallint, ${WIDTH[g]})`).join(', ')}) AS g (grain, width)`;

const ORIGIN = `timestamptz '2000-01-01 00:00:00+00'`;

/**
 * Adds the signed changes (`sign` +1 inserted, -1 deleted) to a family, in every grain unless
 * `grains` says which. With `landers` (the rollups as of migration 1796800000000) also the visits
 * sent to a lander and the lander click-throughs.
 *
 * With `staged` (issue 14, migration 1797700000000) and more than one grain, the changes are
 * grouped once at the finest grain and the coarser grains' rows are made from those groups,
 * instead of every change being grouped once per grain. The grains nest (each a multiple of the
 * finest, binned from the same origin), so a finest bucket lies in exactly one bucket of each
 * coarser grain and the sums are the same; when visitors repeat, each change is aggregated once
 * instead of three times.
 */
export function foldSql(
  table: string,
  columns: readonly string[],
  changes: string,
  landers = false,
  grains: readonly Grain[] = [15, 60, 1440],
  staged = false,
): string {
  const keys = ['grain', 'bucket', ...columns];
  const positions = keys.map((_, i) => i + 1).join(', ');
  const measures: [string, string][] = [
    ['clicks', 'sum(x.sign)'],
    ['unique_clicks', 'coalesce(sum(x.sign) FILTER (WHERE x.is_unique), 0)'],
    ['bot_clicks', 'coalesce(sum(x.sign) FILTER (WHERE x.bot), 0)'],
    ['cost', 'sum(x.sign * x.cost)'],
    ...(landers
      ? ([
          ['lander_visits', 'coalesce(sum(x.sign) FILTER (WHERE x.landing_page_id IS NOT NULL), 0)'],
          ['lander_clicks', 'coalesce(sum(x.sign) FILTER (WHERE x.lp_clicked_at IS NOT NULL), 0)'],
        ] as [string, string][])
      : []),
  ];
  // One step: the changes themselves (`x`) in every grain. Two steps: the changes' groups at the
  // finest grain (`q`, its bucket as created_at), summed again in every grain.
  const [row, from, aggregates] =
    staged && grains.length > 1
      ? [
          'q',
          `(
      SELECT date_bin(${WIDTH[Math.min(...grains) as Grain]}, x.created_at, ${ORIGIN}) AS created_at, ${columns.map((c) => `x.${c}`).join(', ')},
             ${measures.map(([c, e]) => `${e} AS ${c}`).join(', ')}
      FROM (${changes}) AS x
      GROUP BY ${Array.from({ length: columns.length + 1 }, (_, i) => i + 1).join(', ')}
    ) AS q`,
          measures.map(([c]) => `sum(q.${c})`),
        ]
      : ['x', `(${changes}) AS x`, measures.map(([, e]) => e)];
  return `
    INSERT INTO ${table} AS r (${keys.join(', ')}, ${measures.map(([c]) => c).join(', ')})
    SELECT g.grain, date_bin(g.width, ${row}.created_at, ${ORIGIN}), ${columns.map((c) => `${row}.${c}`).join(', ')},
           ${aggregates.join(', ')}
    FROM ${from} CROSS JOIN ${grainsSql(grains)}
    GROUP BY ${positions}
    HAVING ${aggregates.map((e) => `${e} <> 0`).join(' OR ')}
    ORDER BY ${positions}
    ON CONFLICT (${keys.join(', ')}) DO UPDATE SET
      ${measures.map(([c]) => `${c} = r.${c} + excluded.${c}`).join(', ')}`;
}

const VISIT_CHANGES = {
  INSERT: 'SELECT n.*, 1 AS sign FROM new_rows n',
  DELETE: 'SELECT o.*, -1 AS sign FROM old_rows o',
  UPDATE: 'SELECT n.*, 1 AS sign FROM new_rows n UNION ALL SELECT o.*, -1 AS sign FROM old_rows o',
};

/** The visit columns a conversion's facts row copies (later migrations add to them). */
export const VISIT_ATTRIBUTES: readonly string[] = ['country', 'region', 'city', 'os_family', 'browser', 'device_family', 'mobile', 'bot'];

const factColumns = (
  attributes: readonly string[],
) => `id, created_at, visit_created_at, visit_id, campaign_id, traffic_source_id, offer_id, offer_link_id, landing_page_id,
  affiliate_network_id, conversion_type_id, status, payout, currency, ${attributes.join(', ')}`;

/** A visit whose attributes changed passes them on to its conversions' facts. */
const refreshFactsSql = (attributes: readonly string[]) => `
    UPDATE conversion_facts f SET ${attributes.map((c) => `${c} = n.${c}`).join(', ')}
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE f.visit_id = n.id
      AND (${attributes.map((c) => `n.${c}`).join(', ')}) IS DISTINCT FROM (${attributes.map((c) => `o.${c}`).join(', ')})`;

/** Writes the facts rows of the conversions in `source`, each with its visit's `attributes`. */
export function factsSql(source: string, attributes: readonly string[] = VISIT_ATTRIBUTES): string {
  return `
    INSERT INTO conversion_facts AS f (${factColumns(attributes)})
    SELECT n.id, n.created_at, n.visit_created_at, n.visit_id, n.campaign_id, n.traffic_source_id, n.offer_id, n.offer_link_id,
           n.landing_page_id, coalesce(n.affiliate_network_id, o.affiliate_network_id), n.conversion_type_id, n.status, n.payout,
           n.currency, ${attributes.map((c) => `v.${c}`).join(', ')}
    FROM ${source} n
    LEFT JOIN visits v ON v.id = n.visit_id
    LEFT JOIN offers o ON o.id = n.offer_id
    ORDER BY n.id
    ON CONFLICT (id) DO UPDATE SET
      ${factColumns(attributes)
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== 'id')
        .map((c) => `${c} = excluded.${c}`)
        .join(', ')}`;
}

/** `report_sync_conversions()`, the trigger function keeping conversion_facts in step with conversions. */
export function syncConversionsFunctionSql(attributes: readonly string[] = VISIT_ATTRIBUTES): string {
  return `FUNCTION report_sync_conversions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          DELETE FROM conversion_facts f USING old_rows o WHERE f.id = o.id;
        ELSE
          ${factsSql('new_rows', attributes)};
        END IF;
        RETURN NULL;
      END $$`;
}

/**
 * `report_fold_visits()`, the trigger function of visits' UPDATE and DELETE (and INSERT before
 * 1764001000000). `more` adds statements folding the same changes elsewhere (the slot rollup of
 * migration 1797400000000).
 */
export function foldVisitsFunctionSql(
  landers: boolean,
  families: RollupFamilies = FAMILIES,
  attributes: readonly string[] = VISIT_ATTRIBUTES,
  more: (changes: string) => string[] = () => [],
): string {
  const fold = (changes: string) =>
    [...Object.entries(families).map(([t, c]) => foldSql(t, c, changes, landers)), ...more(changes)].map((sql) => `${sql};`).join('\n');
  return `FUNCTION report_fold_visits() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${fold(VISIT_CHANGES.INSERT)}
        ELSIF TG_OP = 'DELETE' THEN
          ${fold(VISIT_CHANGES.DELETE)}
        ELSE
          ${fold(VISIT_CHANGES.UPDATE)}
          ${refreshFactsSql(attributes)};
        END IF;
        RETURN NULL;
      END $$`;
}

export class ReportRollups1763760000000 implements MigrationInterface {
  name = 'ReportRollups1763760000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(FAMILIES)) {
      await q.query(rollupTableSql(table, columns));
      await q.query(foldSql(table, columns, 'SELECT v.*, 1 AS sign FROM visits v'));
    }
    await q.query(`CREATE ${foldVisitsFunctionSql(false)}`);
    await q.query(
      `CREATE TRIGGER tr_visits_rollup_insert AFTER INSERT ON visits REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_fold_visits()`,
    );
    await q.query(
      `CREATE TRIGGER tr_visits_rollup_update AFTER UPDATE ON visits REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_fold_visits()`,
    );
    await q.query(
      `CREATE TRIGGER tr_visits_rollup_delete AFTER DELETE ON visits REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_fold_visits()`,
    );

    await q.query(`
      CREATE TABLE conversion_facts (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL,
        visit_created_at timestamptz,
        visit_id text,
        campaign_id text,
        traffic_source_id text,
        offer_id text,
        offer_link_id text,
        landing_page_id text,
        affiliate_network_id text,
        conversion_type_id text NOT NULL,
        status text NOT NULL,
        payout numeric NOT NULL,
        currency text NOT NULL,
        country text,
        region text,
        city text,
        os_family text,
        browser text,
        device_family text,
        mobile boolean,
        bot boolean
      )`);
    await q.query(`CREATE INDEX ix_conversion_facts_created ON conversion_facts (created_at)`);
    await q.query(`CREATE INDEX ix_conversion_facts_visit_created ON conversion_facts (visit_created_at)`);
    await q.query(`CREATE INDEX ix_conversion_facts_visit ON conversion_facts (visit_id)`);
    await q.query(factsSql('conversions'));
    await q.query(`CREATE ${syncConversionsFunctionSql()}`);
    await q.query(
      `CREATE TRIGGER tr_conversions_facts_insert AFTER INSERT ON conversions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_sync_conversions()`,
    );
    await q.query(
      `CREATE TRIGGER tr_conversions_facts_update AFTER UPDATE ON conversions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_sync_conversions()`,
    );
    await q.query(
      `CREATE TRIGGER tr_conversions_facts_delete AFTER DELETE ON conversions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_sync_conversions()`,
    );

    // TRUNCATE fires no row or DML statement triggers; it empties what was derived as well.
    await q.query(`
      CREATE FUNCTION report_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'visits' THEN
          TRUNCATE ${Object.keys(FAMILIES).join(', ')};
        ELSE
          TRUNCATE conversion_facts;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER tr_visits_rollup_truncate AFTER TRUNCATE ON visits FOR EACH STATEMENT EXECUTE FUNCTION report_truncate()`);
    await q.query(`CREATE TRIGGER tr_conversions_facts_truncate AFTER TRUNCATE ON conversions FOR EACH STATEMENT EXECUTE FUNCTION report_truncate()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['insert', 'update', 'delete', 'truncate']) await q.query(`DROP TRIGGER IF EXISTS tr_visits_rollup_${t} ON visits`);
    for (const t of ['insert', 'update', 'delete', 'truncate']) await q.query(`DROP TRIGGER IF EXISTS tr_conversions_facts_${t} ON conversions`);
    for (const f of ['report_fold_visits', 'report_sync_conversions', 'report_truncate']) await q.query(`DROP FUNCTION IF EXISTS ${f}()`);
    for (const t of ['conversion_facts', ...Object.keys(FAMILIES)]) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
