import type { MigrationInterface, QueryRunner } from 'typeorm';
import { applyFunctions } from './functions';

/**
 * `visits` becomes a table partitioned by time (SPEC §9, issue 15): `PARTITION BY RANGE (id)`,
 * one partition per UTC day plus `visits_default`. An id is 12 hex digits of milliseconds then 12
 * random ones (src/common/ids.ts) and `created_at` is the time in it, so an id range is a time
 * range: the primary key stays `(id)`, `ON CONFLICT (id)` and lookups by id work as before, and a
 * lookup by id reads one partition. Retention drops whole partitions (visits_partition_maintain).
 *
 * The table is rebuilt from the catalog rather than from a fixed list, so columns, indexes and
 * triggers added by earlier migrations come along: the rows are copied into the new table before
 * its triggers exist (the report rollups already count them), then the indexes and triggers of the
 * old table are made again on the new one, under their own names.
 */
const AHEAD_DAYS = 7;

interface Def {
  name: string;
  def: string;
}

async function rebuild(q: QueryRunner, partitioned: boolean): Promise<void> {
  const indexes: Def[] = await q.query(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'visits'::regclass AND NOT i.indisprimary
      ORDER BY 1`,
  );
  const triggers: Def[] = await q.query(
    `SELECT tgname AS name, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'visits'::regclass AND NOT tgisinternal AND tgparentid = 0 ORDER BY 1`,
  );
  const [pk]: { name: string }[] = await q.query(`SELECT conname AS name FROM pg_constraint WHERE conrelid = 'visits'::regclass AND contype = 'p'`);

  await q.query(`ALTER TABLE visits RENAME TO visits_old`);
  // Index and constraint names are unique per schema: the old ones step aside for the new table.
  if (pk) await q.query(`ALTER TABLE visits_old RENAME CONSTRAINT "${pk.name}" TO visits_old_pkey`);
  for (const ix of indexes) await q.query(`ALTER INDEX "${ix.name}" RENAME TO "${ix.name.slice(0, 50)}_old"`);
  await q.query(
    `CREATE TABLE visits (LIKE visits_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMPRESSION)${partitioned ? ' PARTITION BY RANGE (id)' : ''}`,
  );
  await q.query(`ALTER TABLE visits ADD CONSTRAINT "${pk?.name ?? 'visits_pkey'}" PRIMARY KEY (id)`);
  if (partitioned) {
    await applyFunctions(q, ['visits_id_floor', 'visits_partition_create', 'visits_partition_maintain']);
    await q.query(`CREATE TABLE visits_default PARTITION OF visits DEFAULT`);
    // A partition for every day that has visits, and for yesterday, today and the days ahead.
    await q.query(
      `SELECT visits_partition_create(d)
         FROM (SELECT DISTINCT (to_timestamp(('x' || lpad(left(id, 12), 16, '0'))::bit(64)::bigint / 1000.0) AT TIME ZONE 'UTC')::date AS d
                 FROM visits_old WHERE id ~ '^[0-9a-f]{24}$'
               UNION
               SELECT g::date FROM (SELECT (now() AT TIME ZONE 'UTC')::date AS today) utc, generate_series(utc.today - 1, utc.today + ${AHEAD_DAYS}, interval '1 day') g) days
        ORDER BY d`,
    );
  }
  await q.query(`INSERT INTO visits SELECT * FROM visits_old`);
  await q.query(`DROP TABLE visits_old`);
  for (const ix of indexes) await q.query(ix.def.replace(' ON ONLY ', ' ON '));
  for (const t of triggers) await q.query(t.def);
  await q.query(`ANALYZE visits`);
}

export class VisitsPartitioned1764900000000 implements MigrationInterface {
  name = 'VisitsPartitioned1764900000000';

  async up(q: QueryRunner): Promise<void> {
    const [t]: { kind: string }[] = await q.query(`SELECT relkind AS kind FROM pg_class WHERE oid = 'visits'::regclass`);
    if (t.kind !== 'p') await rebuild(q, true);
  }

  async down(q: QueryRunner): Promise<void> {
    const [t]: { kind: string }[] = await q.query(`SELECT relkind AS kind FROM pg_class WHERE oid = 'visits'::regclass`);
    if (t.kind === 'p') await rebuild(q, false);
    for (const f of [
      'visits_partition_maintain(integer, integer, timestamp with time zone)',
      'visits_partition_create(date)',
      'visits_id_floor(timestamp with time zone)',
    ])
      await q.query(`DROP FUNCTION IF EXISTS ${f}`);
  }
}
