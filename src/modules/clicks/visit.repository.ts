import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlConditions } from '../../common/sql-conditions';
import type { VisitRecord } from './visit.record';
import type { VisitRow } from './visit.mapper';

export interface VisitFilter {
  /** Id bounds, the ids being time-ordered: `from` inclusive, `to` exclusive, `before` exclusive. */
  fromId: string | null;
  toId: string | null;
  beforeId: string | null;
  from: Date | null;
  to: Date | null;
  campaignId: string | null;
  offerId: string | null;
  affiliateNetworkId: string | null;
  trafficSourceId: string | null;
  limit: number;
}

export interface WrittenVisits {
  ids: string[];
  /** Conversions that were waiting for these clicks and are attributed now. */
  attributed: number;
}

/** Visits (clicks): the batch write of the hot path and the reads of the analytics API. */
@Injectable()
export class VisitRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Writes the visits, their uniqueness fingerprints and the attribution of conversions waiting
   * for them, in one call (migrations/functions/click_insert_visits.sql). Answers the ids written
   * (an id that already existed is left out) and how many waiting conversions were attributed.
   */
  async insertVisits(records: readonly VisitRecord[]): Promise<WrittenVisits> {
    const rows: { id: string; attributed: number }[] = await this.db.query(`SELECT t.written_id AS id, t.attributed FROM click_insert_visits($1::json) AS t`, [
      JSON.stringify(records),
    ]);
    return { ids: rows.map((r) => r.id), attributed: rows.length ? Number(rows[0].attributed) : 0 };
  }

  async findVisitById(id: string): Promise<VisitRow | null> {
    const [row] = await this.db.query(`SELECT * FROM visits WHERE id = $1`, [id]);
    return row ?? null;
  }

  /**
   * The lander click-through (SPEC §4): the first one is recorded on a visit that went to a
   * lander; a repeat changes nothing. Answers the visit, or null when there is none.
   */
  async recordLanderClick(id: string): Promise<VisitRow | null> {
    const [row] = await this.db.query(
      `WITH upd AS (
         UPDATE visits SET lp_clicked_at = now()
         WHERE id = $1 AND landing_page_id IS NOT NULL AND lp_clicked_at IS NULL
         RETURNING *)
       SELECT * FROM upd
       UNION ALL
       SELECT * FROM visits WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM upd)`,
      [id],
    );
    return row ?? null;
  }

  /** Newest first; keyset on the id, which sorts by time. */
  async listVisits(f: VisitFilter): Promise<VisitRow[]> {
    const c = new SqlConditions();
    if (f.fromId) c.add((p) => `v.id >= ${p}`, f.fromId);
    if (f.toId) c.add((p) => `v.id < ${p}`, f.toId);
    if (f.beforeId) c.add((p) => `v.id < ${p}`, f.beforeId);
    // The same bounds on created_at let the (campaign_id, created_at) index serve a campaign filter.
    if (f.from) c.add((p) => `v.created_at >= ${p}`, f.from.toISOString());
    if (f.to) c.add((p) => `v.created_at < ${p}`, f.to.toISOString());
    if (f.campaignId) c.eq('v.campaign_id', f.campaignId);
    if (f.offerId) c.eq('v.offer_id', f.offerId);
    if (f.trafficSourceId) c.eq('v.traffic_source_id', f.trafficSourceId);
    if (f.affiliateNetworkId) c.add((p) => `v.offer_id IN (SELECT id FROM offers WHERE affiliate_network_id = ${p})`, f.affiliateNetworkId);
    const limit = c.limit(f.limit + 1);
    return this.db.query(`SELECT v.* FROM visits v ${c.where} ORDER BY v.id DESC LIMIT ${limit}`, c.params);
  }

  /** Fingerprints older than the uniqueness window decide nothing any more. */
  async pruneUniques(limit: number): Promise<number> {
    // TypeORM answers [rows, affected] for a DELETE.
    const [, affected]: [unknown[], number] = await this.db.query(
      `DELETE FROM visit_uniques WHERE ctid IN (
         SELECT ctid FROM visit_uniques WHERE last_seen < now() - interval '25 hours' LIMIT $1)`,
      [limit],
    );
    return affected;
  }
}
