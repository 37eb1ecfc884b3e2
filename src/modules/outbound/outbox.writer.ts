import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConversionChange, ConversionChangeListener, ConversionFacts } from '../../common/conversion-change';
import { mintId } from '../../common/ids';
import type { ExchangeRates } from '../exchange-rates/exchange-rates.service';
import type { ConversionSnapshot } from './conversion.snapshot';
import { renderReceiver, renderTrafficSourcePostback, subscriptionValues, trafficSourcePostbackDue } from './message.builder';
import { OutboxCommitWaker } from './outbox-commit.waker';
import { OutboxSettingsCache } from './outbox-settings.cache';
import { NewOutboxMessage, OutboxWriterRepository } from './outbox-writer.repository';
import { passesFilter } from './subscription.filter';
import type { SubscriptionRecord } from './subscription.types';
import { renderTradeTracker } from './tradetracker.sender';

export const trafficSourceTarget = (trafficSourceId: string): string => `ts:${trafficSourceId}`;
export const receiverTarget = (subscriptionId: string, index: number): string => `sub:${subscriptionId}:${index}`;

/**
 * Writes the outbound messages of a conversion change into the outbox, inside the transaction
 * that made the change (SPEC §7): a message exists exactly when the change was committed.
 * Uses only the manager it is given.
 */
@Injectable()
export class OutboxWriter extends ConversionChangeListener {
  private readonly logger = new Logger('outbox');

  constructor(
    private readonly repo: OutboxWriterRepository,
    private readonly waker: OutboxCommitWaker,
    private readonly settings: OutboxSettingsCache,
  ) {
    super();
  }

  async mayWrite(manager: EntityManager, change: ConversionChange): Promise<boolean> {
    return !change.facts || this.mayHaveMessages(manager, change, change.facts, await this.settings.activeSubscriptions(manager));
  }

  async onConversionChanged(manager: EntityManager, change: ConversionChange): Promise<void> {
    const active = await this.settings.activeSubscriptions(manager);
    if (change.facts && !(await this.mayHaveMessages(manager, change, change.facts, active))) return;
    const conversion = await this.repo.lockConversionSnapshot(manager, change.conversionId);
    if (!conversion) return;
    const messages: NewOutboxMessage[] = [];
    const sequences = new Sequences(change.kind === 'created' ? new Map() : await this.repo.findLastSequenceNumbers(manager, conversion.id));

    if (trafficSourcePostbackDue(conversion) && (await this.repo.markTrafficSourcePostbackSent(manager, conversion.id))) {
      const target = trafficSourceTarget(conversion.trafficSourceId!);
      messages.push({
        id: mintId(),
        conversionId: conversion.id,
        kind: 'traffic_source',
        subscriptionId: null,
        receiverIndex: null,
        target,
        sequenceNumber: sequences.next(target),
        request: renderTrafficSourcePostback(conversion),
        signingSecret: null,
      });
    }

    const subscriptions = active.filter((s) => passesFilter(s.filter, conversion) && !heardAlready(s, change));
    const rates = subscriptions.some((s) => s.currencyConversion) ? await this.repo.findExchangeRates(manager) : null;
    for (const sub of subscriptions) messages.push(...this.subscriptionMessages(conversion, sub, rates, sequences));

    await this.repo.insertMessages(manager, messages);
    if (messages.length > 0) this.waker.afterCommit(manager);
  }

  /**
   * False when the change certainly has no message: no subscription passes its filter and no
   * traffic source postback can be due. Most conversions on most installs, decided without a query.
   */
  private async mayHaveMessages(m: EntityManager, change: ConversionChange, facts: ConversionFacts, active: SubscriptionRecord[]): Promise<boolean> {
    const subject = { ...facts, status: change.status };
    if (active.some((s) => passesFilter(s.filter, subject) && !heardAlready(s, change))) return true;
    if (facts.tsPostbackSent || facts.trafficSourceId === null) return false;
    const statuses = (await this.settings.trafficSourcePostbackStatuses(m)).get(facts.trafficSourceId);
    return statuses !== undefined && statuses.includes(change.status);
  }

  private subscriptionMessages(conversion: ConversionSnapshot, sub: SubscriptionRecord, rates: ExchangeRates | null, sequences: Sequences): NewOutboxMessage[] {
    const out: NewOutboxMessage[] = [];
    sub.receivers.forEach((receiver, index) => {
      const target = receiverTarget(sub.id, index);
      const id = mintId();
      const sequenceNumber = sequences.peek(target);
      try {
        const { values, extra } = subscriptionValues(conversion, sub, rates, { messageId: id, sequenceNumber });
        out.push({
          id,
          conversionId: conversion.id,
          kind: 'subscription',
          subscriptionId: sub.id,
          receiverIndex: index,
          target,
          sequenceNumber: sequences.next(target),
          request:
            receiver.receiverFormat === 'tradetracker'
              ? renderTradeTracker(receiver.receiverUrl, conversion, { payout: values.payout, currency: values.currency })
              : renderReceiver(receiver, values, extra),
          signingSecret: sub.secret,
          paused: !!receiver.disabledAt,
        });
      } catch (e) {
        // Templates are checked at save time, so this is a defect: it must not block the intake.
        this.logger.error({ msg: 'cannot render a message', subscriptionId: sub.id, receiver: index, err: (e as Error).message });
      }
    });
    return out;
  }
}

/** An attribution that changed nothing else is news only to subscribers whose filter failed before it. */
function heardAlready(sub: SubscriptionRecord, change: ConversionChange): boolean {
  return change.kind === 'attributed' && change.heardWith !== undefined && passesFilter(sub.filter, { ...change.heardWith, status: change.status });
}

/** Sequence numbers per target for one conversion: 1 + the highest used (SPEC §7). */
class Sequences {
  constructor(private readonly last: Map<string, number>) {}

  peek(target: string): number {
    return (this.last.get(target) ?? 0) + 1;
  }

  next(target: string): number {
    const n = this.peek(target);
    this.last.set(target, n);
    return n;
  }
}
