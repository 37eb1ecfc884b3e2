import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ALL_FAMILIES, foldPendingOnceSql } from './1797000000000-geo-rollups';

/**
 * `report_fold_pending()` left-joins the queued ids to their visits (issue 14). With the inner join
 * of migration 1797100000000 the planner, once the day's partition has statistics, expected a few
 * dozen queued visits instead of thousands and grouped each family's upsert by sorting them (about
 * 20 ms more per fold of 7,300 than hashing). Left-joined from the queue, the estimate is the
 * number of ids queued, whatever the statistics say, and the upserts group by hashing; the id
 * range is still read through the primary key. A queued id with no visit (none is expected: a
 * change to visits folds the queue first) gives a row of nulls, which the upserts leave out.
 */
export class FoldPendingLeftJoin1797200000000 implements MigrationInterface {
  name = 'FoldPendingLeftJoin1797200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(foldPendingOnceSql(ALL_FAMILIES, 'left'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(foldPendingOnceSql(ALL_FAMILIES, 'join'));
  }
}
