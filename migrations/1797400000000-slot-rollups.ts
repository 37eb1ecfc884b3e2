import type { MigrationInterface, QueryRunner } from 'typeorm';
import { foldSql, foldVisitsFunctionSql, Grain, RollupFamilies, rollupTableSql } from './1763760000000-report-rollups';
import { truncateSql } from './1764001000000-rollup-fold-pending';
import { FoldMore, foldPendingOnceSql } from './1797000000000-geo-rollups';
import { ALL_FAMILIES, FACT_ATTRIBUTES } from './1797300000000-route-rollups';

/** The slot family: a remapped slot's clicks per value, campaign and cost currency, by UTC day alone. */
export const SLOT_FAMILY: RollupFamilies = { rollup_clicks_by_slot: ['slot', 'campaign_id', 'value', 'cost_currency'] };
const [[SLOT_TABLE, SLOT_COLUMNS]] = Object.entries(SLOT_FAMILY);
/**
 * Days only: a slot's values barely repeat within a quarter hour or an hour (the bench's zones: 2.2 M
 * day rows for 10 M visits, but about as many hour and quarter-hour rows as visits), so finer grains
 * would copy the visits. Reports read raw visits for what whole UTC days do not cover.
 */
export const SLOT_GRAINS: readonly Grain[] = [1440];
export const foldSlots = (changes: string) => foldSql(SLOT_TABLE, SLOT_COLUMNS, slotChangesSql(changes), true, SLOT_GRAINS);

/**
 * The most values a slot keeps in the rollup per campaign and UTC day (distinct value and cost
 * currency: the day's rows). Past it the day has `overflowed`: its rows are deleted and no more are
 * written, and reports read that campaign's visits of that day instead.
 */
export const SLOT_DAY_VALUES = 5000;

/**
 * The longest value the rollup keeps (characters; an index entry has to fit in a page). A longer
 * value (a URL passed as a slot) overflows its day at once.
 */
export const SLOT_VALUE_MAX = 255;

/** The UTC day (the grain 1440 bucket) of `x.created_at`. */
export const DAY = `date_bin(interval '1 day', x.created_at, timestamptz '2000-01-01 00:00:00+00')`;

/** Every remapped slot of the visits `x` as `s (slot, value)`, but `event_id` (the click id itself, SPEC §3: one value per click). */
export const SLOTS_OF_X = `CROSS JOIN LATERAL jsonb_each_text(x.remaped - 'event_id') AS s (slot, value)`;

/**
 * The slot rows of some visit changes (a query with the visit columns and `sign`): one per visit
 * and remapped slot (but `event_id`), but values too long to keep and the slots whose day has
 * overflowed for the visit's campaign.
 */
export function slotChangesSql(changes: string): string {
  return `SELECT x.*, s.slot, s.value FROM (${changes}) AS x
      ${SLOTS_OF_X}
      WHERE length(s.value) <= ${SLOT_VALUE_MAX}
        AND NOT EXISTS (SELECT 1 FROM rollup_slot_days d WHERE d.day = ${DAY} AND d.slot = s.slot AND d.campaign_id = x.campaign_id AND d.overflowed)`;
}

/**
 * `report_slot_overflow()`: the days that passed the limit are marked `overflowed` and their rows
 * are deleted. The partial index finds them without reading the table. `also`: more CTEs deleting
 * the rows of the days in `f` from a later rollup of the slots.
 */
export function overflowFunctionSql(also: readonly string[] = []): string {
  return `
    CREATE OR REPLACE FUNCTION report_slot_overflow() RETURNS integer LANGUAGE sql AS $$
      WITH f AS (
        UPDATE rollup_slot_days SET overflowed = true WHERE NOT overflowed AND day_values > ${SLOT_DAY_VALUES} RETURNING day, slot, campaign_id
      ), gone AS (
        DELETE FROM ${SLOT_TABLE} r USING f
        WHERE r.slot = f.slot AND r.grain = 1440 AND r.bucket = f.day AND r.campaign_id = f.campaign_id
      )${also.map((cte) => `, ${cte}`).join('')}
      SELECT count(*)::integer FROM f
    $$`;
}
export const OVERFLOW_FUNCTION = overflowFunctionSql();

/** What a later rollup of the slots adds to the queue's fold (slotFoldSql). */
export interface SlotFoldMore {
  /** Its upserts, as CTEs beside the slot rollup's. */
  ctes(source: string): string[];
  /** Rows (day, slot, campaign_id, n) it counts into rollup_slot_days. */
  counted(source: string): string[];
}

/**
 * The queue's fold, slots included: the slot rows are upserted with the families, the day rows
 * that were new are counted into rollup_slot_days (a value too long to keep counts as past the
 * limit), and then the days past the limit overflow. `more`: a later rollup of the slots, folded
 * and counted in the same statement.
 */
export function slotFoldSql(more: SlotFoldMore = { ctes: () => [], counted: () => [] }): FoldMore {
  return {
    columns: ['campaign_id', 'remaped'],
    ctes: (source) => [
      `slot_fold AS (${foldSlots(source)}
    RETURNING r.grain, r.bucket, r.slot, r.campaign_id, (r.xmax = 0) AS added)`,
      ...more.ctes(source),
      `slot_count AS (
    INSERT INTO rollup_slot_days AS d (day, slot, campaign_id, day_values)
    SELECT day, slot, campaign_id, sum(n) FROM (
      ${[
        'SELECT bucket AS day, slot, campaign_id, 1 AS n FROM slot_fold WHERE added',
        `SELECT ${DAY}, s.slot, x.campaign_id, ${SLOT_DAY_VALUES + 1} FROM (${source}) AS x ${SLOTS_OF_X} WHERE length(s.value) > ${SLOT_VALUE_MAX}`,
        ...more.counted(source),
      ].join('\n      UNION ALL\n      ')}
    ) c
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (day, slot, campaign_id) DO UPDATE SET day_values = d.day_values + excluded.day_values)`,
    ],
    after: `
      PERFORM report_slot_overflow();`,
  };
}
export const SLOT_FOLD = slotFoldSql();

/** The fold of visits' UPDATE and DELETE, slots included (changes to rows already counted: nothing new to count). */
export const slotFolds = (changes: string) => [foldSlots(changes)];

/**
 * Fills the empty slot rollup from the visits (`range`: a WHERE on \`x\` holding whole UTC days,
 * each range once): the values of each slot, campaign and day counted first, so a day past the
 * limit has overflowed before anything is folded, then the rest folded. Used by the migration and
 * the bench seed.
 */
export function slotBackfillSql(range = ''): string[] {
  const visits = `SELECT x.*, 1 AS sign FROM visits x${range}`;
  return [
    `INSERT INTO rollup_slot_days (day, slot, campaign_id, day_values, overflowed)
     SELECT day, slot, campaign_id, count(*)::integer, count(*) > ${SLOT_DAY_VALUES} OR bool_or(length(value) > ${SLOT_VALUE_MAX})
     FROM (SELECT DISTINCT ${DAY} AS day, s.slot, x.campaign_id, s.value, x.cost_currency FROM visits x ${SLOTS_OF_X}${range}) n
     GROUP BY 1, 2, 3`,
    foldSlots(visits),
  ];
}

/**
 * Reports by a remapped slot read every raw visit of their window: 6.5 s for groupBy=zone over 30
 * days of a 10 M-click data set, 0.4-0.6 s for one campaign (issue 14 asks for every dimension
 * under 500 ms). Slot values are unbounded (a source can pass a click id or a URL as a slot), so
 * this rollup is bounded instead:
 *
 * - rollup_clicks_by_slot holds, per UTC day (grain 1440 alone, SLOT_GRAINS), the clicks of each
 *   slot, campaign, value and cost currency; `event_id` (one value per click) is left out;
 * - rollup_slot_days counts the values (day rows) of each slot, campaign and UTC day; a day that
 *   passes SLOT_DAY_VALUES has `overflowed`: its rows are deleted and not written again, and reports
 *   read the visits of that campaign and day instead (exact either way);
 * - both are filled from the visits that exist, folded with the other families from the queue and
 *   by visits' UPDATE and DELETE triggers, and emptied by TRUNCATE of visits.
 */
export class SlotRollups1797400000000 implements MigrationInterface {
  name = 'SlotRollups1797400000000';

  async up(q: QueryRunner): Promise<void> {
    // What is queued is folded into the four families first: the backfill below counts every visit.
    await q.query(`SELECT report_fold_pending()`);
    // The slot first in the key: a report of one slot reads that slot's rows of each day range alone.
    await q.query(rollupTableSql(SLOT_TABLE, SLOT_COLUMNS, true, ['slot', 'grain', 'bucket', 'campaign_id', 'value', 'cost_currency']));
    await q.query(`
      CREATE TABLE rollup_slot_days (
        day timestamptz NOT NULL,
        slot text NOT NULL,
        campaign_id text NOT NULL,
        day_values integer NOT NULL DEFAULT 0,
        overflowed boolean NOT NULL DEFAULT false,
        PRIMARY KEY (day, slot, campaign_id)
      )`);
    await q.query(`CREATE INDEX ix_rollup_slot_days_overflow ON rollup_slot_days (day) WHERE NOT overflowed AND day_values > ${SLOT_DAY_VALUES}`);
    for (const sql of slotBackfillSql()) await q.query(sql);
    await q.query(OVERFLOW_FUNCTION);
    await q.query(`CREATE OR REPLACE ${foldVisitsFunctionSql(true, ALL_FAMILIES, FACT_ATTRIBUTES, slotFolds)}`);
    await q.query(foldPendingOnceSql(ALL_FAMILIES, 'left', SLOT_FOLD));
    await q.query(truncateSql({ ...ALL_FAMILIES, ...SLOT_FAMILY }, ['rollup_slot_days']));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT report_fold_pending()`);
    await q.query(`CREATE OR REPLACE ${foldVisitsFunctionSql(true, ALL_FAMILIES, FACT_ATTRIBUTES)}`);
    await q.query(foldPendingOnceSql(ALL_FAMILIES, 'left'));
    await q.query(truncateSql(ALL_FAMILIES));
    await q.query(`DROP FUNCTION report_slot_overflow()`);
    await q.query(`DROP TABLE ${SLOT_TABLE}, rollup_slot_days`);
  }
}
