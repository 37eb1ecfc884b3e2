import type { MigrationInterface, QueryRunner } from 'typeorm';
import { FOLD_CHUNK } from './1797600000000-fold-in-chunks';
import { foldPendingOnceSql } from './1797000000000-geo-rollups';
import { ALL_FAMILIES } from './1797300000000-route-rollups';
import { SLOT_VALUE_FOLD } from './1797500000000-slot-value-rollups';

/**
 * `report_fold_pending()` groups each slice of the queue once at the quarter hour, and makes the
 * hour and day rows of the four families that keep them from those groups (issue 14, `foldSql`'s
 * `staged`): before, each family grouped the slice's visits three times, once per grain. The fold
 * was about 28 µs of database CPU per click on the clicks bench, the largest part of a click's
 * database work after the insert itself (docs/decisions.md). What is folded does not change.
 */
export class FoldStaged1797700000000 implements MigrationInterface {
  name = 'FoldStaged1797700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(foldPendingOnceSql(ALL_FAMILIES, 'left', SLOT_VALUE_FOLD, FOLD_CHUNK, true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(foldPendingOnceSql(ALL_FAMILIES, 'left', SLOT_VALUE_FOLD, FOLD_CHUNK));
  }
}
