import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The shared cap counters (`cap_counters`) and the conversions a cap counts. */
@Injectable()
export class CapRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async clicks(key: string, period: string): Promise<number> {
    const [row]: { clicks: string }[] = await this.db.query(`SELECT clicks::text AS clicks FROM cap_counters WHERE cap_key = $1 AND period = $2`, [
      key,
      period,
    ]);
    return Number(row?.clicks ?? 0);
  }

  /** Adds this process's clicks to the shared counter; answers the total every process counted. */
  async addClicks(key: string, period: string, clicks: number): Promise<number> {
    const [row]: { clicks: string }[] = await this.db.query(
      `INSERT INTO cap_counters (cap_key, period, clicks, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (cap_key, period) DO UPDATE SET clicks = cap_counters.clicks + EXCLUDED.clicks, updated_at = now()
       RETURNING clicks::text AS clicks`,
      [key, period, clicks],
    );
    return Number(row.clicks);
  }

  /** Conversions (not declined) of the campaign's offer since `since` (null: ever). */
  async conversions(campaignId: string, offerId: string, since: Date | null): Promise<number> {
    const [row]: { n: string }[] = await this.db.query(
      `SELECT count(*)::text AS n FROM conversions
        WHERE campaign_id = $1 AND offer_id = $2 AND status <> 'declined' AND ($3::timestamptz IS NULL OR created_at >= $3)`,
      [campaignId, offerId, since?.toISOString() ?? null],
    );
    return Number(row.n);
  }

  /** Counters of periods that are over (kept a week for a look back). */
  async pruneBefore(day: string): Promise<void> {
    await this.db.query(`DELETE FROM cap_counters WHERE period <> 'total' AND period < $1`, [day]);
  }
}
