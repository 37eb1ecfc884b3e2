import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RouteRows } from './route.snapshot';

const changed = (table: string, column = 'updated_at') => `(SELECT count(*) || ',' || coalesce(sum(extract(epoch FROM ${column})), 0) FROM ${table})`;

/** The management rows clicks route by, and a cheap fingerprint of them. */
@Injectable()
export class RouteRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Changes whenever a routing row is added, removed or updated. A sum of the times rather than
   * their max, so a process whose clock lags still changes it.
   */
  async routeSignature(): Promise<string> {
    const [row] = await this.db.query(
      `SELECT concat_ws('|', ${changed('campaigns')}, ${changed('offers')}, ${changed('offer_links', 'created_at')},
              ${changed('landing_pages')}, ${changed('traffic_sources')}) AS sig`,
    );
    return row.sig as string;
  }

  async loadRouteRows(): Promise<RouteRows> {
    return {
      campaigns: await this.db.query(
        `SELECT id, key, status, traffic_source_id, cost_model, cost_amount::text AS cost_amount, cost_currency, destinations, rules, fallback_url FROM campaigns`,
      ),
      offers: await this.db.query(`SELECT id, url FROM offers`),
      offerLinks: await this.db.query(`SELECT id, offer_id, url FROM offer_links`),
      landingPages: await this.db.query(`SELECT id, url FROM landing_pages`),
      trafficSources: await this.db.query(`SELECT id, click_id_param, cost_param, params FROM traffic_sources`),
    };
  }
}
