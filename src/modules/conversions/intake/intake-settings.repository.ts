import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConversionStatus, NetworkKind, NetworkSettings } from './adapters/adapter.types';

export interface NetworkRow {
  id: string;
  name: string;
  kind: NetworkKind;
  postback_token: string | null;
  allowed_ips: string[];
  params: NetworkSettings['params'];
  status_map: NetworkSettings['statusMap'];
  default_status: ConversionStatus;
}

export interface ConversionTypeRow {
  id: string;
  code: string;
  aliases: string[];
  multiple_per_click: boolean;
}

/** The management settings the intake reads (through its caches): networks and conversion types. */
@Injectable()
export class IntakeSettingsRepository {
  constructor(private readonly db: DataSource) {}

  /** The network, archived ones included (their conversions still arrive). */
  async network(id: string): Promise<NetworkRow | null> {
    const rows: NetworkRow[] = await this.db.query(
      `SELECT id, name, kind, postback_token, allowed_ips, params, status_map, default_status
         FROM affiliate_networks WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The conversion types not archived, oldest first. */
  conversionTypes(): Promise<ConversionTypeRow[]> {
    return this.db.query(`SELECT id, code, aliases, multiple_per_click FROM conversion_types WHERE archived_at IS NULL ORDER BY created_at, id`);
  }
}
