import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';

const WINDOW_MS = 24 * 3_600_000;

/**
 * Answers the rule criterion `unique` (SPEC §3, §4) before the destination is chosen: whether the
 * same IP and user agent visited the campaign in the previous 24 hours. Visits routed by this
 * process are remembered (so a burst is decided at once, before its batch is written); anything
 * else is asked of `visit_uniques`, the table the click batch keeps (the same fingerprint).
 * Only campaigns whose rules name `unique` pay for it.
 */
@Injectable()
export class UniqueOracle {
  private readonly seen = new LRUCache<string, number>({ max: 100_000 });

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `record`: remember this visit (false for HEAD, which records nothing). */
  async isUnique(campaignId: string, ip: string | null, ua: string | null, now: number, record: boolean): Promise<boolean> {
    const fingerprint = createHash('md5')
      .update(`${ip ?? ''}\n${ua ?? ''}`)
      .digest('hex');
    const key = `${campaignId}\n${fingerprint}`;
    const last = this.seen.get(key);
    if (record) this.seen.set(key, now);
    if (last !== undefined && last > now - WINDOW_MS) return false;
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM visit_uniques WHERE campaign_id = $1 AND fingerprint = $2 AND last_seen > $3`, [
      campaignId,
      fingerprint,
      new Date(now - WINDOW_MS).toISOString(),
    ]);
    return rows.length === 0;
  }
}
