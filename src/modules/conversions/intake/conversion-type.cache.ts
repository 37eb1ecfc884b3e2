import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ChangeBus } from '../../../common/change-bus';
import { TtlCache } from '../../../common/ttl.cache';
import { IntakeSettingsRepository } from './intake-settings.repository';

export interface ConversionTypeInfo {
  id: string;
  code: string;
  multiplePerClick: boolean;
}

/** SPEC §3: none given means `1`. */
export const DEFAULT_CONVERSION_TYPE = '1';
const TTL_MS = 5_000;

/** Conversion types by id, code or alias, case ignored (one namespace, SPEC §3). */
@Injectable()
export class ConversionTypeCache implements OnModuleDestroy {
  private readonly cache = new TtlCache<Map<string, ConversionTypeInfo>>(TTL_MS, 1);
  private readonly unsubscribe: () => void;

  constructor(
    private readonly settings: IntakeSettingsRepository,
    changes: ChangeBus,
  ) {
    this.unsubscribe = changes.onChange((resource) => {
      if (resource === 'conversion-types') this.cache.clear();
    });
  }

  /** The type a call names (null: the default); undefined when no type has that name. */
  async resolve(name: string | null): Promise<ConversionTypeInfo | undefined> {
    const byName = await this.cache.get('all', () => this.load());
    return byName.get((name ?? DEFAULT_CONVERSION_TYPE).trim().toLowerCase());
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  private async load(): Promise<Map<string, ConversionTypeInfo>> {
    const rows = await this.settings.conversionTypes();
    const byName = new Map<string, ConversionTypeInfo>();
    for (const r of rows) {
      const info = { id: r.id, code: r.code, multiplePerClick: r.multiple_per_click };
      // Ids first: a pixel's `c=2` names type 2 even if some alias were spelled "2".
      for (const name of [r.code, ...(r.aliases ?? [])]) if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), info);
    }
    for (const r of rows) byName.set(r.id.toLowerCase(), { id: r.id, code: r.code, multiplePerClick: r.multiple_per_click });
    return byName;
  }
}
