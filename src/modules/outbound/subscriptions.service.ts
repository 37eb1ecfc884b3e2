import { Injectable } from '@nestjs/common';
import { ChangeBus } from '../../common/change-bus';
import { DomainException } from '../../common/domain.exception';
import { iso, newId } from '../../common/crud';
import { OutboundUrlChecker } from './outbound-url.checker';
import { Page, PageRequest } from '../../common/paging';
import { ExchangeRatesService } from '../exchange-rates/exchange-rates.service';
import { OutboxDispatcher } from './outbox.dispatcher';
import type { SubscriptionDto } from './subscription.dto';
import { SubscriptionEntity } from './subscription.entity';
import { checkSubscription, CheckedSubscription } from './subscription.rules';
import type { Receiver } from './subscription.types';
import { SubscriptionsRepository } from './subscriptions.repository';

export type SubscriptionView = ReturnType<SubscriptionsService['view']>;

/** Subscriptions (SPEC §7): outbound conversion messages to receivers the user configures. */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly repo: SubscriptionsRepository,
    private readonly rates: ExchangeRatesService,
    private readonly urls: OutboundUrlChecker,
    private readonly changes: ChangeBus,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  async create(dto: SubscriptionDto): Promise<SubscriptionView> {
    const checked = await this.check(dto);
    const row = await this.repo.insert(newId(), checked, new Date());
    this.changes.emit('subscriptions');
    return this.view(row);
  }

  list(page: PageRequest, includeArchived: boolean): Promise<Page<SubscriptionView>> {
    return this.repo.list(page, includeArchived, (r) => this.view(r));
  }

  async get(id: string): Promise<SubscriptionView> {
    return this.view(await this.repo.findOrFail(id));
  }

  /**
   * PUT: the whole subscription is replaced by the body. A disabled receiver stays disabled when
   * the new body keeps it (same index, method and URL): re-enabling is an explicit act.
   */
  async replace(id: string, dto: SubscriptionDto): Promise<SubscriptionView> {
    const row = await this.repo.findOrFail(id);
    const checked = await this.check(dto);
    checked.receivers = checked.receivers.map((r, i) => keepDisabled(r, row.receivers[i]));
    Object.assign(row, checked, { updatedAt: new Date() });
    await this.repo.save(row);
    this.changes.emit('subscriptions');
    return this.view(row);
  }

  /** Its queued messages are cancelled (visible as `cancelled` in the delivery log), then it is deleted or archived. */
  async remove(id: string): Promise<void> {
    await this.repo.findOrFail(id);
    await this.repo.removeAndCancel(id);
    this.changes.emit('subscriptions');
  }

  /** POST /:id/receivers/:index/enable: a receiver disabled by a 410 gets its paused messages, in order. */
  async enableReceiver(id: string, indexText: string): Promise<SubscriptionView & { resumedMessages: number }> {
    const index = /^\d{1,3}$/.test(indexText) ? Number(indexText) : NaN;
    if (!Number.isInteger(index)) throw DomainException.field('index', 'must be the receiver’s position in receivers, from 0');
    const row = await this.repo.findOrFail(id);
    if (row.archivedAt) throw DomainException.notFound('subscription', id);
    if (index >= row.receivers.length) throw DomainException.notFound('receiver', `${id}/${index}`);
    const resumed = await this.repo.enableReceiver(id, index);
    if (resumed === null) throw DomainException.notFound('receiver', `${id}/${index}`);
    this.changes.emit('subscriptions');
    if (resumed > 0) this.dispatcher.wake();
    return { ...this.view(await this.repo.findOrFail(id)), resumedMessages: resumed };
  }

  private async check(dto: SubscriptionDto): Promise<CheckedSubscription> {
    return checkSubscription(dto, {
      rates: await this.rates.get(),
      conversionTypes: await this.repo.activeConversionTypes(),
      addressProblem: (url) => this.urls.check(url, 'dollar'),
    });
  }

  view(r: SubscriptionEntity) {
    return {
      id: r.id,
      subscriptionId: r.id,
      subscriptionName: r.name,
      filter: r.filter,
      receivers: r.receivers.map(receiverView),
      currencyConversion: r.currencyConversion,
      customAttribute: r.customAttribute,
      /** The secret itself is write-only: it signs messages and is never shown again. */
      hasSecret: r.secret !== null,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      archivedAt: iso(r.archivedAt),
    };
  }
}

function receiverView(r: Receiver) {
  return {
    httpMethod: r.httpMethod,
    receiverUrl: r.receiverUrl,
    receiverBody: r.receiverBody,
    receiverFormat: r.receiverFormat,
    /** False once the receiver answered 410 Gone; its messages wait, paused, until it is re-enabled. */
    enabled: !r.disabledAt,
    disabledAt: r.disabledAt ?? null,
    disabledReason: r.disabledReason ?? null,
  };
}

function keepDisabled(next: Receiver, previous: Receiver | undefined): Receiver {
  if (!previous?.disabledAt || previous.httpMethod !== next.httpMethod || previous.receiverUrl !== next.receiverUrl) return next;
  return { ...next, disabledAt: previous.disabledAt, disabledReason: previous.disabledReason ?? null };
}
