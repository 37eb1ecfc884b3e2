import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ALL_FAMILIES, foldPendingOnceSql } from './1797000000000-geo-rollups';

/**
 * `report_fold_pending()` joins the queued ids to `visits` instead of testing `id = ANY (pending)`
 * (issue 14). With a second's clicks queued (thousands of ids), the planner priced the array test
 * as an index condition at thousands of probes, guessed a handful of rows in the id range (the
 * newest ids lie past the day partition's statistics) and chose a sequential scan of the whole
 * partition, testing every visit of the day against the array: the fold's cost grew with the day
 * again. Joined, the id range is read through the primary key and hash-joined with the queue.
 * `npm run bench:click-batch` and the click bench's statement log measure it (docs/decisions.md).
 */
export class FoldPendingJoin1797100000000 implements MigrationInterface {
  name = 'FoldPendingJoin1797100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(foldPendingOnceSql(ALL_FAMILIES, 'join'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(foldPendingOnceSql(ALL_FAMILIES));
  }
}
