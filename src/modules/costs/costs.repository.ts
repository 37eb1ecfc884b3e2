import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { idExists } from '../../common/crud';
import { PageRequest, pageConditions } from '../../common/paging';

export interface CostUpdateRow {
  id: string;
  campaign_id: string;
  time_from: Date;
  time_to: Date;
  amount: string;
  currency: string;
  visits: string;
  created_at: Date;
}

/** Digits each visit's share keeps; the last visit takes the rest, so the shares add up exactly. */
const SHARE_SCALE = 6;

@Injectable()
export class CostsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  campaignExists(m: EntityManager, id: string): Promise<boolean> {
    return idExists(m, 'campaigns', id);
  }

  /**
   * Sets the cost of the campaign's visits in `[from, to)` to `amount` in total: an equal share
   * each (truncated to 6 decimals), the newest visit the remainder. The visits' UPDATE trigger
   * moves the report rollups with it, in this transaction. Answers how many visits there were.
   * (campaign_id, created_at) is indexed in every daily partition.
   */
  async spread(m: EntityManager, campaignId: string, from: Date, to: Date, amount: string, currency: string): Promise<number> {
    const rows: { n: string }[] = await m.query(
      `WITH v AS (
         SELECT id, row_number() OVER (ORDER BY created_at, id) AS rn, count(*) OVER () AS n
           FROM visits
          WHERE campaign_id = $1 AND created_at >= $2 AND created_at < $3
       ), updated AS (
         UPDATE visits SET
           cost = CASE WHEN v.rn < v.n THEN trunc($4::numeric / v.n, ${SHARE_SCALE})
                       ELSE $4::numeric - trunc($4::numeric / v.n, ${SHARE_SCALE}) * (v.n - 1) END,
           cost_currency = $5
           FROM v WHERE visits.id = v.id
         RETURNING 1
       )
       SELECT count(*)::text AS n FROM updated`,
      [campaignId, from.toISOString(), to.toISOString(), amount, currency],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async insert(m: EntityManager, row: Omit<CostUpdateRow, 'created_at' | 'visits'> & { visits: number }): Promise<CostUpdateRow> {
    const [saved]: CostUpdateRow[] = await m.query(
      `INSERT INTO cost_updates (id, campaign_id, time_from, time_to, amount, currency, visits)
       VALUES ($1, $2, $3, $4, $5::numeric, $6, $7) RETURNING *`,
      [row.id, row.campaign_id, row.time_from, row.time_to, row.amount, row.currency, row.visits],
    );
    return saved;
  }

  async list(page: PageRequest, campaignId: string | null): Promise<CostUpdateRow[]> {
    const params: unknown[] = [];
    const where = pageConditions(page, params);
    if (campaignId) {
      params.push(campaignId);
      where.push(`campaign_id = $${params.length}`);
    }
    params.push(page.limit + 1);
    return this.db.query(
      `SELECT * FROM cost_updates ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
  }
}
