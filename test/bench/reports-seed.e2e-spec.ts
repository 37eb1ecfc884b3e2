import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { QueryRunner } from 'typeorm';
import { buildRollups, Exec, seedEntities, shapeOf, verifyRollups, writeRows } from '../../bench/reports.seed';
import { ROLLUP_TABLES } from '../support/rollup-tables';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The report benchmark seeds its rows with the rollup triggers off and builds the rollups in bulk
 * afterwards: the result must be what the triggers would have made, row for row.
 */
const DERIVED = [...ROLLUP_TABLES, 'conversion_facts'];

describe('bench seed: rollups built in bulk equal the ones the triggers keep', () => {
  let t: TestApp;
  let qr: QueryRunner;
  let db: Exec;
  const shape = { ...shapeOf(3_000), campaigns: 7, days: 3 };
  const end = new Date('2025-03-10T13:07:00Z');

  /** Every derived row, in a stable order, as text. */
  async function derived(): Promise<Record<string, string[]>> {
    await db('SELECT report_fold_pending()');
    const out: Record<string, string[]> = {};
    for (const table of DERIVED) out[table] = (await db(`SELECT to_jsonb(r)::text AS row FROM ${table} r ORDER BY 1`)).map((r) => String(r.row));
    return out;
  }

  before(async () => {
    t = await startTestApp();
    qr = t.db.createQueryRunner();
    await qr.connect();
    db = (sql, params) => qr.query(sql, params);
    await seedEntities(db, shape);
  });

  after(async () => {
    await qr?.release();
    await t?.close();
  });

  it('rebuilds, row for row, what the triggers wrote', async () => {
    await writeRows([db], shape, end, () => undefined);
    const byTriggers = await derived();
    assert.ok(byTriggers.rollup_clicks_by_entity.length > 0 && byTriggers.rollup_clicks_by_audience.length > 0 && byTriggers.rollup_clicks_by_geo.length > 0);
    assert.ok(byTriggers.rollup_clicks_by_slot.length > 0 && byTriggers.rollup_clicks_by_slot_value.length > 0 && byTriggers.rollup_slot_days.length > 0);
    assert.equal(byTriggers.conversion_facts.length, shape.conversions);
    assert.match(
      await verifyRollups(db),
      /^rollups agree with the rows: \d+ days x 3 grains x 4 families and the slots \(\d+ days and slots, by campaign and over all\), 60 conversion facts$/,
    );

    // The same rows again, this time without the triggers (TRUNCATE empties the derived tables too).
    await db('TRUNCATE visits, conversions CASCADE');
    await db('SET session_replication_role = replica');
    try {
      await writeRows([db], shape, end, () => undefined);
    } finally {
      await db('RESET session_replication_role');
    }
    const untouched = await derived();
    for (const table of DERIVED) assert.equal(untouched[table].length, 0, `${table} is empty before the bulk build`);
    await assert.rejects(verifyRollups(db), /the rollups disagree with the rows/);

    await buildRollups([db]);
    assert.deepEqual(await derived(), byTriggers);
    assert.match(await verifyRollups(db), /^rollups agree with the rows/);
  });

  it('tells when a rollup does not add up', async () => {
    await db(
      `UPDATE rollup_clicks_by_audience SET clicks = clicks + 1 WHERE (grain, bucket) = (SELECT grain, bucket FROM rollup_clicks_by_audience WHERE grain = 60 ORDER BY bucket LIMIT 1)`,
    );
    await assert.rejects(verifyRollups(db), /rollup_clicks_by_audience grain 60 on \d{4}-\d\d-\d\d: rows \d+\/\d+\/\d+\/[\d.]+, rollup /);
    await db(
      `UPDATE rollup_clicks_by_audience SET clicks = clicks - 1 WHERE (grain, bucket) = (SELECT grain, bucket FROM rollup_clicks_by_audience WHERE grain = 60 ORDER BY bucket LIMIT 1)`,
    );
    await db(`DELETE FROM rollup_clicks_by_slot WHERE ctid = (SELECT ctid FROM rollup_clicks_by_slot WHERE grain = 1440 AND slot = 'zone' LIMIT 1)`);
    await assert.rejects(verifyRollups(db), /rollup_clicks_by_slot grain 1440 on \d{4}-\d\d-\d\dT00:00:00.000Z zone: rows \d+\/[\d.]+, rollup /);
    await db(`UPDATE rollup_clicks_by_slot_value SET cost = cost + 1 WHERE ctid = (SELECT ctid FROM rollup_clicks_by_slot_value WHERE slot = 'zone' LIMIT 1)`);
    await assert.rejects(verifyRollups(db), /rollup_clicks_by_slot_value grain 1440 on \d{4}-\d\d-\d\dT00:00:00.000Z zone: rows \d+\/[\d.]+, rollup /);
  });
});
