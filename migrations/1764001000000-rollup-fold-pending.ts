import { MigrationInterface, QueryRunner } from 'typeorm';
import { FAMILIES, foldSql, RollupFamilies } from './1763760000000-report-rollups';

/**
 * The click rollups leave the click transaction (issue 14). Before, a statement trigger folded
 * every click batch into both rollup families, three grains each, inside the batch's own
 * transaction: about 40 % of the database's work per click, because a batch of a few dozen rows
 * barely groups. Now the insert trigger only queues the batch's ids (one row in
 * `rollup_pending`, committed with the visits, so nothing is lost to a crash), and
 * `report_fold_pending()` folds everything queued in one grouped upsert per family:
 *
 * - every report calls it before it reads (so a report is exact: it sees every committed click);
 * - the app calls it on a timer (RollupFolder), so the queue stays short when nobody reads;
 * - an UPDATE or DELETE of visits calls it first (BEFORE STATEMENT), so the signed changes
 *   those statements fold apply to rows already counted.
 *
 * Folds are serialized by a transaction-scoped advisory lock; a fold waits for one in progress
 * and then folds what is left. TRUNCATE of visits empties the queue with the rollups.
 */
export const FOLD_LOCK = 7_140_001;

export function foldPendingSql(landers = false, families: RollupFamilies = FAMILIES): string {
  const changes = 'SELECT v.*, 1 AS sign FROM unnest(pending) AS p(id) JOIN visits v ON v.id = p.id';
  return `
    CREATE OR REPLACE FUNCTION report_fold_pending() RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      pending text[];
    BEGIN
      PERFORM pg_advisory_xact_lock(${FOLD_LOCK});
      WITH d AS (DELETE FROM rollup_pending RETURNING ids)
      SELECT coalesce(array_agg(u.id), '{}') INTO pending FROM d CROSS JOIN LATERAL unnest(d.ids) AS u(id);
      IF cardinality(pending) = 0 THEN
        RETURN 0;
      END IF;
      ${Object.entries(families)
        .map(([t, c]) => `${foldSql(t, c, changes, landers)};`)
        .join('\n')}
      RETURN cardinality(pending);
    END $$`;
}

/** \`report_truncate()\`: TRUNCATE of visits empties the families' rollups, the queue and the tables in \`also\`. */
export function truncateSql(families: RollupFamilies = FAMILIES, also: readonly string[] = []): string {
  return `
      CREATE OR REPLACE FUNCTION report_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'visits' THEN
          TRUNCATE ${[...Object.keys(families), ...also].join(', ')}, rollup_pending;
        ELSE
          TRUNCATE conversion_facts;
        END IF;
        RETURN NULL;
      END $$`;
}

export class RollupFoldPending1764001000000 implements MigrationInterface {
  name = 'RollupFoldPending1764001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rollup_pending (seq bigserial PRIMARY KEY, ids text[] NOT NULL)`);
    await q.query(foldPendingSql());
    await q.query(`
      CREATE FUNCTION report_queue_visits() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO rollup_pending (ids) SELECT array_agg(n.id) FROM new_rows n HAVING count(*) > 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION report_fold_before() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM report_fold_pending();
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER tr_visits_rollup_insert ON visits`);
    await q.query(
      `CREATE TRIGGER tr_visits_rollup_insert AFTER INSERT ON visits REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_queue_visits()`,
    );
    await q.query(`CREATE TRIGGER tr_visits_rollup_before_change BEFORE UPDATE OR DELETE ON visits FOR EACH STATEMENT EXECUTE FUNCTION report_fold_before()`);
    await q.query(truncateSql());
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT report_fold_pending()`);
    await q.query(`DROP TRIGGER tr_visits_rollup_before_change ON visits`);
    await q.query(`DROP TRIGGER tr_visits_rollup_insert ON visits`);
    await q.query(
      `CREATE TRIGGER tr_visits_rollup_insert AFTER INSERT ON visits REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_fold_visits()`,
    );
    await q.query(`
      CREATE OR REPLACE FUNCTION report_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'visits' THEN
          TRUNCATE ${Object.keys(FAMILIES).join(', ')};
        ELSE
          TRUNCATE conversion_facts;
        END IF;
        RETURN NULL;
      END $$`);
    for (const f of ['report_fold_before', 'report_queue_visits', 'report_fold_pending']) await q.query(`DROP FUNCTION ${f}()`);
    await q.query(`DROP TABLE rollup_pending`);
  }
}
