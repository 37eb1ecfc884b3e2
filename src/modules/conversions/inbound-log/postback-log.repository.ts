import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { idExists } from '../../../common/crud';
import { PageRequest, pageConditions } from '../../../common/paging';
import { SqlConditions } from '../../../common/sql-conditions';
import { LOG_COLUMNS, logPlaceholders, logValues, PostbackLogRow } from './postback-log.row';

/** A `postbacks` row as SELECT returns it. */
export interface StoredPostback {
  id: string;
  created_at: Date;
  endpoint: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  ip: string | null;
  affiliate_network_id: string | null;
  outcome: string;
  code: string | null;
  reason: string | null;
  notes: string[];
  conversion_id: string | null;
  replay_of: string | null;
  replayed_by: string | null;
}

export type Queryable = Pick<EntityManager, 'query'>;

@Injectable()
export class PostbackLogRepository {
  constructor(private readonly db: DataSource) {}

  /** Whether the inbound log holds an entry with this id (a spooled pixel written already). */
  hasEntry(id: string): Promise<boolean> {
    return idExists(this.db, 'postbacks', id);
  }

  /** `via`: the transaction's manager when the entry goes with a conversion change. */
  async insertEntry(row: PostbackLogRow, via: Queryable = this.db): Promise<void> {
    await via.query(`INSERT INTO postbacks (${LOG_COLUMNS}) VALUES (${logPlaceholders(1)})`, logValues(row));
  }

  findEntry(id: string): Promise<StoredPostback | null> {
    return this.db.query(`SELECT * FROM postbacks WHERE id = $1`, [id]).then((rows: StoredPostback[]) => rows[0] ?? null);
  }

  /** Newest first; `outcome` filters on what became of the call. */
  listEntries(page: PageRequest, outcome: string | null): Promise<StoredPostback[]> {
    const c = new SqlConditions();
    if (outcome) c.eq('outcome', outcome);
    c.with(pageConditions(page, c.params));
    const limit = c.limit(page.limit + 1);
    return this.db.query(
      `SELECT * FROM postbacks ${c.where}
       ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
      c.params,
    );
  }

  /** Links an entry to its replay, once: false when another replay got there first. */
  async markReplayed(manager: Queryable, id: string, replayId: string): Promise<boolean> {
    // TypeORM answers an UPDATE as [rows, affected].
    const [, affected]: [unknown[], number] = await manager.query(`UPDATE postbacks SET replayed_by = $2 WHERE id = $1 AND replayed_by IS NULL`, [
      id,
      replayId,
    ]);
    return affected === 1;
  }

  /** Undoes `markReplayed` when the replay itself failed, so it can be tried again. */
  async unmarkReplayed(id: string, replayId: string): Promise<void> {
    await this.db.query(`UPDATE postbacks SET replayed_by = NULL WHERE id = $1 AND replayed_by = $2`, [id, replayId]);
  }
}
