import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeBus } from '../../../common/change-bus';
import type { ConversionStatus, NetworkKind, NetworkSettings } from './adapters/adapter.types';
import { IpAllowList } from './ip-allow-list';
import { TtlCache } from '../../../common/ttl.cache';

/** An affiliate network as the intake uses it (SPEC §3, §6). */
export interface NetworkProfile {
  id: string;
  name: string;
  kind: NetworkKind;
  settings: NetworkSettings;
  defaultStatus: ConversionStatus;
  postbackToken: string | null;
  allowedIps: IpAllowList | null;
}

interface NetworkRow {
  id: string;
  name: string;
  kind: NetworkKind;
  postback_token: string | null;
  allowed_ips: string[];
  params: NetworkSettings['params'];
  status_map: NetworkSettings['statusMap'];
  default_status: ConversionStatus;
}

/** SPEC §3: a change is seen at once in this process and within 5 s in others. */
const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

@Injectable()
export class NetworkSettingsCache implements OnModuleDestroy {
  private readonly cache = new TtlCache<NetworkProfile | null>(TTL_MS, MAX_ENTRIES);
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: DataSource,
    changes: ChangeBus,
  ) {
    this.unsubscribe = changes.onChange((resource) => {
      if (resource === 'affiliate-networks') this.cache.clear();
    });
  }

  /** The network, archived ones included (their conversions still arrive); null when unknown. */
  find(id: string): Promise<NetworkProfile | null> {
    return this.cache.get(id, (key) => this.load(key));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  private async load(id: string): Promise<NetworkProfile | null> {
    const rows: NetworkRow[] = await this.db.query(
      `SELECT id, name, kind, postback_token, allowed_ips, params, status_map, default_status
         FROM affiliate_networks WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      settings: { kind: r.kind, params: r.params ?? {}, statusMap: r.status_map ?? {} },
      defaultStatus: r.default_status,
      postbackToken: r.postback_token,
      allowedIps: IpAllowList.of(r.allowed_ips),
    };
  }
}
