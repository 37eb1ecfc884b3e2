import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AttributionSignal } from '../../../common/attribution-signal';
import type { ConversionChange } from '../../../common/conversion-change';
import { ConversionChangeNotifier } from './conversion-change.notifier';
import { type AttributedConversion, ConversionRepository } from './conversion.repository';

/** How often the announcer looks for attributions another process (or a crash) left behind. */
export const ANNOUNCE_EVERY_MS = 1_000;
const BATCH = 100;

/**
 * Tells the outbox about conversions the click writer attributed (SPEC §6: a conversion that
 * arrived before its click is attributed when the click appears). The click's transaction applied
 * the offer's terms and left a row in conversion_attributions; here each row becomes the
 * conversion's messages (the traffic source postback once its status is due, the subscriptions
 * whose filter it passes now) and is deleted, in one transaction: announced exactly once, even
 * across a crash. Woken by the click writer, and every second for what another process left.
 */
@Injectable()
export class LateAttributionAnnouncer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('LateAttribution');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private stopSignal: (() => void) | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversions: ConversionRepository,
    private readonly notifier: ConversionChangeNotifier,
    private readonly signal: AttributionSignal,
  ) {}

  onApplicationBootstrap(): void {
    this.stopSignal = this.signal.onWake(() => void this.announce());
    this.timer = setInterval(() => void this.announce(), ANNOUNCE_EVERY_MS);
    this.timer.unref();
  }

  /** Before the database closes: no new run, and the one running finishes (what is left waits in the table). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopSignal?.();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Announces everything waiting; answers how many conversions it announced. */
  announce(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    if (this.running) {
      // A wake during a run may be for rows the run's snapshot did not see: run once more after it.
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.announce();
      }
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    let total = 0;
    try {
      // Most turns find nothing: one read, no transaction.
      if (!(await this.conversions.anyAttributed(this.db))) return 0;
      for (;;) {
        const n = await this.db.transaction(async (m) => {
          const taken = await this.conversions.takeAttributed(m, BATCH);
          for (const a of taken) await this.notifier.notify(m, changeOf(a));
          return taken.length;
        });
        total += n;
        if (n < BATCH) return total;
      }
    } catch (e) {
      this.logger.warn({ msg: 'announcing attributed conversions failed; the next turn retries', err: (e as Error).message });
      return total;
    }
  }
}

/**
 * A new payout is news to every subscriber (as a postback changing it would be); an attribution
 * alone only to those whose filter failed without the click (campaign, offer, traffic source).
 */
export function changeOf(a: AttributedConversion): ConversionChange {
  const base = { conversionId: a.conversionId, previousStatus: a.status, status: a.status, occurredAt: new Date(), facts: a.facts };
  if (a.payoutChanged) return { ...base, kind: 'amount_changed' };
  return {
    ...base,
    kind: 'attributed',
    heardWith: { ...a.facts, campaignId: null, offerId: null, trafficSourceId: null, affiliateNetworkId: a.previousNetworkId },
  };
}
