import type { MigrationInterface, QueryRunner } from 'typeorm';
import { FAMILIES, foldVisitsFunctionSql } from './1763760000000-report-rollups';
import { foldPendingSql } from './1764001000000-rollup-fold-pending';

/**
 * Lander metrics in reports (SPEC §8 `landerClicks`, `landerCtr`): both rollup families also count
 * the visits sent to a lander and the lander click-throughs (`lp_clicked_at`), so every report
 * answers them from the same rollups as clicks. The fold functions are made again from the same
 * generator with the two measures; a lander click (an UPDATE of the visit) moves them through the
 * visits' UPDATE trigger like any other change. Existing visits are counted in.
 */
export class LanderRollups1796800000000 implements MigrationInterface {
  name = 'LanderRollups1796800000000';

  async up(q: QueryRunner): Promise<void> {
    // What is queued is folded with the old functions first, so the backfill below sees it all.
    await q.query(`SELECT report_fold_pending()`);
    for (const [table, columns] of Object.entries(FAMILIES)) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN lander_visits bigint NOT NULL DEFAULT 0, ADD COLUMN lander_clicks bigint NOT NULL DEFAULT 0`);
      const keys = ['grain', 'bucket', ...columns];
      await q.query(`
        UPDATE ${table} r SET lander_visits = x.lander_visits, lander_clicks = x.lander_clicks
        FROM (
          SELECT g.grain, date_bin(g.width, v.created_at, timestamptz '2000-01-01 00:00:00+00') AS bucket, ${columns.map((c) => `v.${c}`).join(', ')},
                 count(*) AS lander_visits, count(*) FILTER (WHERE v.lp_clicked_at IS NOT NULL) AS lander_clicks
          FROM visits v
          CROSS JOIN (VALUES (15::smallint, interval '15 minutes'), (60::smallint, interval '1 hour'), (1440::smallint, interval '1 day')) AS g (grain, width)
          WHERE v.landing_page_id IS NOT NULL
          GROUP BY ${keys.map((_, i) => i + 1).join(', ')}
        ) x
        WHERE ${keys.map((k) => `r.${k} IS NOT DISTINCT FROM x.${k}`).join(' AND ')}`);
    }
    await q.query(`CREATE OR REPLACE ${foldVisitsFunctionSql(true)}`);
    await q.query(foldPendingSql(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT report_fold_pending()`);
    await q.query(`CREATE OR REPLACE ${foldVisitsFunctionSql(false)}`);
    await q.query(foldPendingSql(false));
    for (const table of Object.keys(FAMILIES)) await q.query(`ALTER TABLE ${table} DROP COLUMN lander_visits, DROP COLUMN lander_clicks`);
  }
}
