import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChangeBus } from '../../common/change-bus';
import { OutboxWriterRepository } from './outbox-writer.repository';
import type { SubscriptionRecord } from './subscription.types';
import { TableSnapshotCache } from './table-snapshot.cache';

/** SPEC §3: a change is seen at once in this process and within 5 s in others. */
const TTL_MS = 5_000;

/**
 * What decides whether a conversion change has messages: the active subscriptions, and the
 * postback statuses of the traffic sources that have a postback URL. Read once per few seconds
 * instead of once per change.
 */
@Injectable()
export class OutboxSettingsCache implements OnModuleDestroy {
  private readonly subscriptions = new TableSnapshotCache<SubscriptionRecord[]>(TTL_MS);
  private readonly trafficSources = new TableSnapshotCache<Map<string, string[]>>(TTL_MS);
  private readonly unsubscribe: () => void;

  constructor(
    private readonly repo: OutboxWriterRepository,
    changes: ChangeBus,
  ) {
    this.unsubscribe = changes.onChange((resource) => {
      if (resource === 'subscriptions') this.subscriptions.clear();
      if (resource === 'traffic-sources') this.trafficSources.clear();
    });
  }

  /** `m`: the caller's transaction (the only connection it may use). */
  activeSubscriptions(m: EntityManager): Promise<SubscriptionRecord[]> {
    return this.subscriptions.get(() => this.repo.findActiveSubscriptions(m));
  }

  /** Postback statuses by traffic source id, for the sources that have a postback URL. */
  trafficSourcePostbackStatuses(m: EntityManager): Promise<Map<string, string[]>> {
    return this.trafficSources.get(() => this.repo.findTrafficSourcePostbackStatuses(m));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }
}
