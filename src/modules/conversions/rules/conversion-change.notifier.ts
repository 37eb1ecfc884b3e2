import { Injectable, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { ConversionChange, ConversionChangeListener } from '../../../common/conversion-change';

/**
 * Hands each conversion change to the outbox (when the outbound module is loaded), inside the
 * transaction that made it. Found anywhere in the app, so neither module imports the other.
 */
@Injectable()
export class ConversionChangeNotifier implements OnApplicationBootstrap {
  private listener: ConversionChangeListener | null;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Optional() listener?: ConversionChangeListener,
  ) {
    this.listener = listener ?? null;
  }

  onApplicationBootstrap(): void {
    if (this.listener) return;
    try {
      this.listener = this.moduleRef.get(ConversionChangeListener, { strict: false });
    } catch {
      this.listener = null;
    }
  }

  async notify(manager: EntityManager, change: ConversionChange): Promise<void> {
    await this.listener?.onConversionChanged(manager, change);
  }

  /** True when none of the changes needs `notify` (see ConversionChangeListener.mayWrite). */
  async unheard(manager: EntityManager, changes: readonly ConversionChange[]): Promise<boolean> {
    const listener = this.listener;
    if (!listener) return true;
    for (const change of changes) if (await listener.mayWrite(manager, change)) return false;
    return true;
  }
}
