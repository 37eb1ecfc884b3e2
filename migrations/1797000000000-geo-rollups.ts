import type { MigrationInterface, QueryRunner } from 'typeorm';
import { FAMILIES, foldSql, foldVisitsFunctionSql, RollupFamilies, rollupTableSql } from './1763760000000-report-rollups';
import { FOLD_LOCK, foldPendingSql, truncateSql } from './1764001000000-rollup-fold-pending';

/** The geo family: reports by region and city (and country with either) read it instead of raw visits. */
export const GEO_FAMILY: RollupFamilies = {
  rollup_clicks_by_geo: ['country', 'region', 'city', 'cost_currency'],
};

/** Every click rollup family as of this migration. */
export const ALL_FAMILIES: RollupFamilies = { ...FAMILIES, ...GEO_FAMILY };

/** The visit columns a fold reads: every family's keys and what the measures count. */
function foldColumns(families: RollupFamilies): string[] {
  return [...new Set(['created_at', 'is_unique', 'bot', 'cost', 'landing_page_id', 'lp_clicked_at', ...Object.values(families).flat()])];
}

/**
 * What else a fold of the queue does (migration 1797400000000): the visit columns it needs besides
 * the families' keys, CTEs writing from the queued visits (\`source\`, run with the upserts in one
 * statement) and PL/pgSQL statements after it.
 */
export interface FoldMore {
  columns: readonly string[];
  ctes(source: string): string[];
  after: string;
}

const NOTHING_MORE: FoldMore = { columns: [], ctes: () => [], after: '' };

/**
 * \`report_fold_pending()\` reading the queued visits once for every family. The one before it
 * joined the queued ids to \`visits\` once per family, and the planner, not knowing how few ids
 * there were, merge-joined them with every visit of the day: three sorted scans of a partition
 * that grows all day, to fold one second of clicks. Now the queued visits are read once, by an
 * id range (ids are time-ordered, so the queue is a narrow range of the newest partition) with
 * only the columns the rollups need, and every family is upserted from that one set. `pick`
 * 'join' (migration 1797100000000) joins the queued ids instead of testing `id = ANY (pending)`;
 * 'left' (migration 1797200000000) left-joins them, so the planner expects a row per queued id.
 * With `chunk` (migration 1797600000000) the statement runs over slices of the queue (foldInChunksSql).
 */
export function foldPendingOnceSql(
  families: RollupFamilies,
  pick: 'any' | 'join' | 'left' = 'any',
  more: FoldMore = NOTHING_MORE,
  chunk?: number,
  staged = false,
): string {
  const entries = Object.entries(families);
  // A queued id whose visit is not found leaves a row of nulls in the left join: not folded.
  const source = pick === 'left' ? 'SELECT * FROM queued WHERE created_at IS NOT NULL' : 'SELECT * FROM queued';
  const upserts = entries.map(([t, c]) => foldSql(t, c, source, true, undefined, staged));
  const from = {
    any: 'FROM visits v WHERE v.id >= lo AND v.id <= hi AND v.id = ANY (pending)',
    join: 'FROM unnest(pending) AS p(id) JOIN visits v ON v.id = p.id WHERE v.id >= lo AND v.id <= hi',
    left: 'FROM unnest(pending) AS p(id) LEFT JOIN visits v ON v.id = p.id AND v.id >= lo AND v.id <= hi',
  }[pick];
  const ctes = [
    `queued AS MATERIALIZED (
        SELECT ${[...new Set([...foldColumns(families), ...more.columns])].map((c) => `v.${c}`).join(', ')}, 1 AS sign
        ${from})`,
    ...upserts.slice(0, -1).map((sql, i) => `fold_${i} AS (${sql})`),
    ...more.ctes(source),
  ];
  if (chunk !== undefined) return foldInChunksSql(ctes, upserts[upserts.length - 1], more.after, chunk);
  return `
    CREATE OR REPLACE FUNCTION report_fold_pending() RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      pending text[];
      lo text;
      hi text;
    BEGIN
      PERFORM pg_advisory_xact_lock(${FOLD_LOCK});
      WITH d AS (DELETE FROM rollup_pending RETURNING ids)
      SELECT coalesce(array_agg(u.id), '{}'), min(u.id), max(u.id) INTO pending, lo, hi
      FROM d CROSS JOIN LATERAL unnest(d.ids) AS u(id);
      IF cardinality(pending) = 0 THEN
        RETURN 0;
      END IF;
      WITH ${ctes.join(',\n      ')}
      ${upserts[upserts.length - 1]};${more.after}
      RETURN cardinality(pending);
    END $$`;
}

/**
 * The fold statement run over the queue in slices of at most `chunk` visits, in id order (migration
 * 1797600000000): each slice is `pending`, with `lo` and `hi` its first and last id.
 */
function foldInChunksSql(ctes: string[], last: string, after: string, chunk: number): string {
  return `
    CREATE OR REPLACE FUNCTION report_fold_pending() RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      queue text[];
      pending text[];
      lo text;
      hi text;
      i integer := 1;
    BEGIN
      PERFORM pg_advisory_xact_lock(${FOLD_LOCK});
      WITH d AS (DELETE FROM rollup_pending RETURNING ids)
      SELECT coalesce(array_agg(u.id ORDER BY u.id), '{}') INTO queue
      FROM d CROSS JOIN LATERAL unnest(d.ids) AS u(id);
      WHILE i <= cardinality(queue) LOOP
        pending := queue[i : i + ${chunk - 1}];
        lo := pending[1];
        hi := pending[cardinality(pending)];
        WITH ${ctes.join(',\n      ')}
        ${last};${after}
        i := i + ${chunk};
      END LOOP;
      RETURN cardinality(queue);
    END $$`;
}

/**
 * A third click rollup family, keyed by country, region and city (issue 14): a report grouped or
 * filtered by region or city read every raw visit of its window (2.6 s for 30 days of a 10 M-click
 * data set). The family is built like the other two (same grains, the lander measures, the same
 * unique key), filled from the visits that exist, and folded by the same functions, which are
 * made again with three families. What it costs the click path (one more grouped upsert per fold,
 * off the click's transaction) is measured by `npm run bench:click-batch` and recorded in
 * docs/decisions.md.
 */
export class GeoRollups1797000000000 implements MigrationInterface {
  name = 'GeoRollups1797000000000';

  async up(q: QueryRunner): Promise<void> {
    // What is queued is folded into the two families first: the backfill below counts every visit.
    await q.query(`SELECT report_fold_pending()`);
    for (const [table, columns] of Object.entries(GEO_FAMILY)) {
      await q.query(rollupTableSql(table, columns, true));
      await q.query(foldSql(table, columns, 'SELECT v.*, 1 AS sign FROM visits v', true));
    }
    await q.query(`CREATE OR REPLACE ${foldVisitsFunctionSql(true, ALL_FAMILIES)}`);
    await q.query(foldPendingOnceSql(ALL_FAMILIES));
    await q.query(truncateSql(ALL_FAMILIES));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT report_fold_pending()`);
    await q.query(`CREATE OR REPLACE ${foldVisitsFunctionSql(true, FAMILIES)}`);
    await q.query(foldPendingSql(true, FAMILIES));
    await q.query(truncateSql(FAMILIES));
    for (const table of Object.keys(GEO_FAMILY)) await q.query(`DROP TABLE ${table}`);
  }
}
