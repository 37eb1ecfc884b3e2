import type { MigrationInterface, QueryRunner } from 'typeorm';
import { foldPendingOnceSql } from './1797000000000-geo-rollups';
import { ALL_FAMILIES } from './1797300000000-route-rollups';
import { SLOT_VALUE_FOLD } from './1797500000000-slot-value-rollups';

/** The most queued visits one fold statement reads (report_fold_pending loops over slices of the queue). */
export const FOLD_CHUNK = 2_000;

/**
 * `report_fold_pending()` folds the queue in slices of at most FOLD_CHUNK visits (issue 14). It
 * read the whole queue into one materialized set that the seven upserts each read, and past
 * about 8,000 visits (the set outgrowing `work_mem`, 4 MB by default) the statement's time jumped:
 * 353 ms for 8,000 queued visits, 2.9 s for 12,000, 2.7 s for 16,370 (the clicks bench's visits
 * folded again, one session, medians of three; docs/decisions.md).
 * The app folds every second, so a server taking more than about 8,000 clicks a second, or a fold
 * delayed once (a report holding the lock, a pause), left the next fold more than it could do in
 * a second, and the queue, the folds and every report's wait for them kept growing. In slices,
 * each statement stays below that size, and a fold's time follows the visits folded.
 *
 * The slices are taken in id order, so each is a narrow id range (`lo`, `hi`) as before. The
 * statements, the lock (one fold at a time, in one transaction) and what is folded do not change.
 */
export class FoldInChunks1797600000000 implements MigrationInterface {
  name = 'FoldInChunks1797600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(foldPendingOnceSql(ALL_FAMILIES, 'left', SLOT_VALUE_FOLD, FOLD_CHUNK));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(foldPendingOnceSql(ALL_FAMILIES, 'left', SLOT_VALUE_FOLD));
  }
}
