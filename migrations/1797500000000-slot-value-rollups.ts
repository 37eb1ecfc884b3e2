import type { MigrationInterface, QueryRunner } from 'typeorm';
import { foldSql, foldVisitsFunctionSql, RollupFamilies, rollupTableSql } from './1763760000000-report-rollups';
import { truncateSql } from './1764001000000-rollup-fold-pending';
import { FoldMore, foldPendingOnceSql } from './1797000000000-geo-rollups';
import { ALL_FAMILIES, FACT_ATTRIBUTES } from './1797300000000-route-rollups';
import {
  DAY,
  OVERFLOW_FUNCTION,
  overflowFunctionSql,
  SLOT_DAY_VALUES,
  SLOT_FAMILY,
  SLOT_FOLD,
  slotFoldSql,
  SLOT_GRAINS,
  SLOT_VALUE_MAX,
  slotFolds,
  SLOTS_OF_X,
} from './1797400000000-slot-rollups';

/** A remapped slot's clicks per value and cost currency, all campaigns together, by UTC day alone. */
export const SLOT_VALUE_FAMILY: RollupFamilies = { rollup_clicks_by_slot_value: ['slot', 'value', 'cost_currency'] };
const [[VALUE_TABLE, VALUE_COLUMNS]] = Object.entries(SLOT_VALUE_FAMILY);

/**
 * rollup_slot_days's `campaign_id` for the values of all campaigns together (a campaign id is
 * never empty): a day past SLOT_DAY_VALUES there has overflowed in rollup_clicks_by_slot_value.
 */
export const ALL_CAMPAIGNS = '';

/**
 * The value rows of some visit changes (a query with the visit columns and `sign`): as the slot
 * rows (slotChangesSql), the day's overflow counted over all campaigns.
 */
function valueChangesSql(changes: string): string {
  return `SELECT x.*, s.slot, s.value FROM (${changes}) AS x
      ${SLOTS_OF_X}
      WHERE length(s.value) <= ${SLOT_VALUE_MAX}
        AND NOT EXISTS (SELECT 1 FROM rollup_slot_days d WHERE d.day = ${DAY} AND d.slot = s.slot AND d.campaign_id = '${ALL_CAMPAIGNS}' AND d.overflowed)`;
}
const foldValues = (changes: string) => foldSql(VALUE_TABLE, VALUE_COLUMNS, valueChangesSql(changes), true, SLOT_GRAINS);

/** `report_slot_overflow()` (migration 1797400000000), the days overflowed for all campaigns emptied in the value rollup too. */
const OVERFLOW_ALL_FUNCTION = overflowFunctionSql([
  `gone_values AS (
        DELETE FROM ${VALUE_TABLE} r USING f
        WHERE f.campaign_id = '${ALL_CAMPAIGNS}' AND r.slot = f.slot AND r.grain = 1440 AND r.bucket = f.day
      )`,
]);

/**
 * The queue's fold (SLOT_FOLD), the value rollup beside the slot rollup: its new day rows are
 * counted under ALL_CAMPAIGNS, as the slot rollup's are under their campaign, and so is a value
 * too long to keep.
 */
export const SLOT_VALUE_FOLD: FoldMore = slotFoldSql({
  ctes: (source) => [
    `value_fold AS (${foldValues(source)}
    RETURNING r.bucket, r.slot, (r.xmax = 0) AS added)`,
  ],
  counted: (source) => [
    `SELECT bucket, slot, '${ALL_CAMPAIGNS}', 1 FROM value_fold WHERE added`,
    `SELECT ${DAY}, s.slot, '${ALL_CAMPAIGNS}', ${SLOT_DAY_VALUES + 1} FROM (${source}) AS x ${SLOTS_OF_X} WHERE length(s.value) > ${SLOT_VALUE_MAX}`,
  ],
});

/** The fold of visits' UPDATE and DELETE, slots and values included. */
const valueFolds = (changes: string) => [...slotFolds(changes), foldValues(changes)];

/**
 * Fills the empty value rollup from the visits (`range` as slotBackfillSql's: a WHERE on \`x\`
 * holding whole UTC days): the values of each slot and day over all campaigns counted first, then
 * folded. Used by the migration and the bench seed, after slotBackfillSql.
 */
export function slotValueBackfillSql(range = ''): string[] {
  return [
    `INSERT INTO rollup_slot_days (day, slot, campaign_id, day_values, overflowed)
     SELECT day, slot, '${ALL_CAMPAIGNS}', count(*)::integer, count(*) > ${SLOT_DAY_VALUES} OR bool_or(length(value) > ${SLOT_VALUE_MAX})
     FROM (SELECT DISTINCT ${DAY} AS day, s.slot, s.value, x.cost_currency FROM visits x ${SLOTS_OF_X}${range}) n
     GROUP BY 1, 2`,
    foldValues(`SELECT x.*, 1 AS sign FROM visits x${range}`),
  ];
}

/**
 * A report by one remapped slot over every campaign read the slot rollup's rows of every campaign:
 * groupBy=zone over 30 days of the bench's 10 M clicks read 690,000 day rows (500 zones in each of
 * 50 campaigns) to answer 500, in 530 ms of database time (issue 14: every dimension under 500 ms).
 *
 * rollup_clicks_by_slot_value holds the same days with the campaigns summed: a slot's clicks per
 * value and cost currency and UTC day, bounded as the slot rollup is (SLOT_DAY_VALUES per slot and
 * day, counted in rollup_slot_days under ALL_CAMPAIGNS; past it the day overflows there, and reports
 * over every campaign read that day's visits). Folded from the queue and by visits' UPDATE and
 * DELETE with the other rollups, emptied by TRUNCATE of visits, filled from the visits that exist.
 */
export class SlotValueRollups1797500000000 implements MigrationInterface {
  name = 'SlotValueRollups1797500000000';

  async up(q: QueryRunner): Promise<void> {
    // What is queued is folded first: the backfill below counts every visit.
    await q.query(`SELECT report_fold_pending()`);
    await q.query(rollupTableSql(VALUE_TABLE, VALUE_COLUMNS, true, ['slot', 'grain', 'bucket', 'value', 'cost_currency']));
    for (const sql of slotValueBackfillSql()) await q.query(sql);
    await q.query(OVERFLOW_ALL_FUNCTION);
    await q.query(`CREATE OR REPLACE ${foldVisitsFunctionSql(true, ALL_FAMILIES, FACT_ATTRIBUTES, valueFolds)}`);
    await q.query(foldPendingOnceSql(ALL_FAMILIES, 'left', SLOT_VALUE_FOLD));
    await q.query(truncateSql({ ...ALL_FAMILIES, ...SLOT_FAMILY, ...SLOT_VALUE_FAMILY }, ['rollup_slot_days']));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT report_fold_pending()`);
    await q.query(`CREATE OR REPLACE ${foldVisitsFunctionSql(true, ALL_FAMILIES, FACT_ATTRIBUTES, slotFolds)}`);
    await q.query(foldPendingOnceSql(ALL_FAMILIES, 'left', SLOT_FOLD));
    await q.query(truncateSql({ ...ALL_FAMILIES, ...SLOT_FAMILY }, ['rollup_slot_days']));
    await q.query(OVERFLOW_FUNCTION);
    await q.query(`DELETE FROM rollup_slot_days WHERE campaign_id = '${ALL_CAMPAIGNS}'`);
    await q.query(`DROP TABLE ${VALUE_TABLE}`);
  }
}
