import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { deleteOrArchive, findOrFail, listPage } from '../../common/crud';
import { Page, PageRequest } from '../../common/paging';
import { SubscriptionEntity } from './subscription.entity';
import type { CheckedSubscription } from './subscription.rules';

export interface ConversionTypeName {
  id: string;
  code: string;
  aliases: string[];
}

/** Every query of the subscriptions API (the service holds no SQL). */
@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectRepository(SubscriptionEntity) private readonly repo: Repository<SubscriptionEntity>) {}

  insert(id: string, checked: CheckedSubscription, now: Date): Promise<SubscriptionEntity> {
    return this.repo.save(this.repo.create({ id, ...checked, createdAt: now, updatedAt: now, archivedAt: null }));
  }

  save(row: SubscriptionEntity): Promise<SubscriptionEntity> {
    return this.repo.save(row);
  }

  list<T>(page: PageRequest, includeArchived: boolean, map: (r: SubscriptionEntity) => T): Promise<Page<T>> {
    return listPage(this.repo, page, map, { includeArchived });
  }

  findOrFail(id: string): Promise<SubscriptionEntity> {
    return findOrFail(this.repo, 'subscription', id);
  }

  /**
   * DELETE: its queued messages (pending or paused) are cancelled, visibly, rather than retried
   * for a day; then the subscription is erased when it never produced a message, archived
   * otherwise, so the delivery log keeps its owner. One transaction.
   */
  async removeAndCancel(id: string): Promise<{ result: 'deleted' | 'archived'; cancelled: number }> {
    return this.repo.manager.transaction(async (m) => {
      const cancelled = await m.query(
        `UPDATE outbox_messages
            SET status = 'cancelled', locked_until = NULL, last_error = 'the subscription was deleted', updated_at = now()
          WHERE subscription_id = $1 AND status IN ('pending', 'paused')`,
        [id],
      );
      const result = await deleteOrArchive(m.getRepository(SubscriptionEntity), id, `EXISTS (SELECT 1 FROM outbox_messages WHERE subscription_id = $1)`);
      return { result, cancelled: Array.isArray(cancelled) ? Number(cancelled[1] ?? 0) : 0 };
    });
  }

  /**
   * Re-enables a receiver a 410 disabled: clears the mark and makes its paused messages due now,
   * in order, with their attempt counts kept. Answers how many messages were resumed, or null
   * when the subscription (active) or the receiver index does not exist.
   */
  async enableReceiver(id: string, index: number): Promise<number | null> {
    return this.repo.manager.transaction(async (m) => {
      const rows: unknown = await m.query(
        `UPDATE subscriptions
            SET receivers = jsonb_set(receivers, ARRAY[$2::int::text], (receivers -> $2::int) - 'disabledAt' - 'disabledReason'),
                updated_at = now()
          WHERE id = $1 AND archived_at IS NULL AND jsonb_array_length(receivers) > $2::int
          RETURNING id`,
        [id, index],
      );
      const updated = Array.isArray(rows) && Array.isArray(rows[0]) ? rows[0] : rows;
      if (!Array.isArray(updated) || updated.length === 0) return null;
      const resumed = await m.query(
        `UPDATE outbox_messages SET status = 'pending', next_attempt_at = now(), locked_until = NULL, updated_at = now()
          WHERE subscription_id = $1 AND receiver_index = $2 AND status = 'paused'`,
        [id, index],
      );
      return Array.isArray(resumed) ? Number(resumed[1] ?? 0) : 0;
    });
  }

  /** Messages waiting per receiver of a subscription: paused (receiver disabled) and pending. */
  async queuedByReceiver(id: string): Promise<Map<number, { pending: number; paused: number }>> {
    const rows: Array<{ receiver_index: number; pending: number; paused: number }> = await this.repo.manager.query(
      `SELECT receiver_index, count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'paused')::int AS paused
         FROM outbox_messages WHERE subscription_id = $1 AND status IN ('pending', 'paused') GROUP BY receiver_index`,
      [id],
    );
    return new Map(rows.map((r) => [Number(r.receiver_index), { pending: r.pending, paused: r.paused }]));
  }

  activeConversionTypes(): Promise<ConversionTypeName[]> {
    return this.repo.manager.query(`SELECT id, code, aliases FROM conversion_types WHERE archived_at IS NULL`);
  }
}
