import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ChangeBus } from '../../common/change-bus';
import { deleteOrArchive, findOrFail, iso, listPage, newId } from '../../common/crud';
import { OutboundUrlChecker } from '../../common/outbound-url.checker';
import { Page, PageRequest } from '../../common/paging';
import { ExchangeRatesService } from '../exchange-rates/exchange-rates.service';
import type { SubscriptionDto } from './subscription.dto';
import { SubscriptionEntity } from './subscription.entity';
import { checkSubscription, CheckedSubscription } from './subscription.rules';

export type SubscriptionView = ReturnType<SubscriptionsService['view']>;

/** Subscriptions (SPEC §7): outbound conversion messages to receivers the user configures. */
@Injectable()
export class SubscriptionsService {
  constructor(
    @InjectRepository(SubscriptionEntity) private readonly repo: Repository<SubscriptionEntity>,
    private readonly rates: ExchangeRatesService,
    private readonly urls: OutboundUrlChecker,
    private readonly changes: ChangeBus,
  ) {}

  async create(dto: SubscriptionDto): Promise<SubscriptionView> {
    const checked = await this.check(dto);
    const now = new Date();
    const row = await this.repo.save(this.repo.create({ id: newId(), ...checked, createdAt: now, updatedAt: now, archivedAt: null }));
    this.changes.emit('subscriptions');
    return this.view(row);
  }

  list(page: PageRequest, includeArchived: boolean): Promise<Page<SubscriptionView>> {
    return listPage(this.repo, page, (r) => this.view(r), { includeArchived });
  }

  async get(id: string): Promise<SubscriptionView> {
    return this.view(await findOrFail(this.repo, 'subscription', id));
  }

  /** PUT: the whole subscription is replaced by the body. */
  async replace(id: string, dto: SubscriptionDto): Promise<SubscriptionView> {
    const row = await findOrFail(this.repo, 'subscription', id);
    Object.assign(row, await this.check(dto), { updatedAt: new Date() });
    await this.repo.save(row);
    this.changes.emit('subscriptions');
    return this.view(row);
  }

  /** Deleted when it never produced a message; archived otherwise, so the delivery log keeps its owner. */
  async remove(id: string): Promise<void> {
    await findOrFail(this.repo, 'subscription', id);
    await deleteOrArchive(this.repo, id, `EXISTS (SELECT 1 FROM outbox_messages WHERE subscription_id = $1)`);
    this.changes.emit('subscriptions');
  }

  private async check(dto: SubscriptionDto): Promise<CheckedSubscription> {
    const conversionTypes: Array<{ id: string; code: string; aliases: string[] }> = await this.repo.manager.query(
      `SELECT id, code, aliases FROM conversion_types WHERE archived_at IS NULL`,
    );
    return checkSubscription(dto, {
      rates: await this.rates.get(),
      conversionTypes,
      addressProblem: (url) => this.urls.problem(url, 'dollar'),
    });
  }

  view(r: SubscriptionEntity) {
    return {
      id: r.id,
      subscriptionId: r.id,
      subscriptionName: r.name,
      filter: r.filter,
      receivers: r.receivers,
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
