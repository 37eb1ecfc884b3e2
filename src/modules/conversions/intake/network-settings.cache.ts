import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ChangeBus } from '../../../common/change-bus';
import type { ConversionStatus, NetworkKind, NetworkSettings } from './adapters/adapter.types';
import { IntakeSettingsRepository } from './intake-settings.repository';
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

/** SPEC §3: a change is seen at once in this process and within 5 s in others. */
const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

@Injectable()
export class NetworkSettingsCache implements OnModuleDestroy {
  private readonly cache = new TtlCache<NetworkProfile | null>(TTL_MS, MAX_ENTRIES);
  private readonly unsubscribe: () => void;

  constructor(
    private readonly settings: IntakeSettingsRepository,
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
    const r = await this.settings.network(id);
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
