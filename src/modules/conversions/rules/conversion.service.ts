import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ConversionChange, ConversionFacts } from '../../../common/conversion-change';
import { idTime, mintId } from '../../../common/ids';
import type { NormalizedCall } from '../intake/adapters/adapter.types';
import { show } from '../intake/adapters/sensitive';
import type { ClickContext, OfferPayout } from './click-context.repository';
import { ConversionChangeNotifier } from './conversion-change.notifier';
import { Attribution, ConversionRepository, LockedConversion, NewConversion, NewConversionRow } from './conversion.repository';
import { decideRepeat, payoutFor, sameAmount, termsForNew } from './conversion.rules';
import type { ConversionTypeInfo } from '../intake/conversion-type.cache';
import { dedupeKeyOf, unattributedKeyOf } from './dedupe-key';
import { IntakeOutcome, logResultOf, recorded, rejected } from '../intake/intake.outcome';
import type { NetworkProfile } from '../intake/network-settings.cache';
import { PartlyRecorded } from './partly-recorded.error';
import type { PostbackLogEntry, PostbackLogRow } from '../inbound-log/postback-log.row';
import { PostbackLogRepository } from '../inbound-log/postback-log.repository';

/** Source, client and geo of the conversion call itself (SPEC §8), stored with the conversion. */
export interface CallDescription {
  source: object;
  client: object;
  geo: object;
}

/** A call the intake has read, checked and typed: what the SPEC §6 rules are applied to. */
export interface RecordRequest {
  call: NormalizedCall & { clickId: string };
  type: ConversionTypeInfo;
  /** The call's network: the path's, else the click's offer's. */
  network: NetworkProfile | null;
  networkFromPath: boolean;
  click: ClickContext | null;
  description: CallDescription;
  /** The inbound log entry; the outcome is added when it is written, in the same transaction. */
  log: PostbackLogEntry;
}

type FreshConversion = NewConversion & { outcome: IntakeOutcome; change: ConversionChange };

interface Plan {
  r: RecordRequest;
  key: string;
  orphanKey: string | null;
  fresh: FreshConversion | null;
}

/** Stored click ids longer than this cannot be the tracker's; the dedupe key keeps the whole value. */
const MAX_STORED_CLICK_ID = 256;
const ATTEMPTS = 3;

/**
 * Creates and updates conversions (dedupe, lifecycle, order, history) in one transaction with the
 * inbound log entry and the outbox messages, so an answered call is a committed one.
 */
@Injectable()
export class ConversionService {
  constructor(
    private readonly db: DataSource,
    private readonly conversions: ConversionRepository,
    private readonly log: PostbackLogRepository,
    private readonly notifier: ConversionChangeNotifier,
  ) {}

  async record(r: RecordRequest): Promise<IntakeOutcome> {
    return (await this.recordAll([r]))[0];
  }

  /**
   * Calls in order, each seeing the ones before it, with one commit for all. New conversions are
   * written together in one statement. When none of them gets an outbox message, that statement
   * commits on its own (no BEGIN / COMMIT round trips) and the calls it did not create (repeats)
   * go on in one transaction; otherwise all run in one transaction, all or nothing. Should the
   * repeats fail after new conversions were committed, PartlyRecorded says which calls stand.
   */
  async recordAll(rs: readonly RecordRequest[]): Promise<IntakeOutcome[]> {
    const plans = rs.map((r) => this.plan(r));
    const fresh = plans.flatMap((p) => (p.fresh ? [p.fresh] : []));
    if (
      fresh.length === 0 ||
      !(await this.notifier.unheard(
        this.db.manager,
        fresh.map((f) => f.change),
      ))
    ) {
      return this.db.transaction((m) => this.applyAll(m, plans));
    }
    const created = await this.conversions.insertNew(this.db, fresh);
    const outcomes = plans.map((p) => (p.fresh && created.has(p.fresh.row.id) ? p.fresh.outcome : undefined));
    const rest = plans.filter((_, i) => outcomes[i] === undefined);
    if (rest.length === 0) return outcomes as IntakeOutcome[];
    let settled: IntakeOutcome[];
    try {
      settled = await this.db.transaction((m) => this.settleAll(m, rest));
    } catch (err) {
      if (created.size === 0) throw err;
      throw new PartlyRecorded(outcomes, err);
    }
    return outcomes.map((o) => o ?? settled.shift()!);
  }

  private async applyAll(m: EntityManager, plans: readonly Plan[]): Promise<IntakeOutcome[]> {
    const created = await this.conversions.insertNew(
      m,
      plans.flatMap((p) => (p.fresh ? [p.fresh] : [])),
    );
    const outcomes: IntakeOutcome[] = [];
    for (const p of plans) {
      outcomes.push(p.fresh && created.has(p.fresh.row.id) ? await this.announce(m, p.fresh) : await this.settle(m, p));
    }
    return outcomes;
  }

  private async settleAll(m: EntityManager, plans: readonly Plan[]): Promise<IntakeOutcome[]> {
    const outcomes: IntakeOutcome[] = [];
    for (const p of plans) outcomes.push(await this.settle(m, p));
    return outcomes;
  }

  /** The call's dedupe keys and the conversion it creates if it is new (none for a negative amount). */
  private plan(call: RecordRequest): Plan {
    // Notes are added on the way; a copy keeps the request as it was, should it be run again.
    const r: RecordRequest = { ...call, log: { ...call.log, notes: [...call.log.notes] } };
    const dedupe = {
      networkId: r.network?.id ?? null,
      transactionId: r.call.transactionId,
      clickId: r.call.clickId,
      typeId: r.type.id,
      multiplePerClick: r.type.multiplePerClick,
      transactionAcrossTypes: r.call.transactionAcrossTypes,
    };
    const key = dedupeKeyOf(dedupe);
    const orphanKey = !r.networkFromPath && r.click ? unattributedKeyOf(dedupe) : null;
    const decision = termsForNew(r.call, r.network?.defaultStatus ?? 'approved', r.click?.offer ?? null);
    if (!decision.ok) return { r, key, orphanKey, fresh: null };
    const t = decision.terms;
    const id = mintId();
    const c = r.click;
    const clickId = r.call.clickId.slice(0, MAX_STORED_CLICK_ID);
    if (clickId.length < r.call.clickId.length) r.log.notes.push(`the click id is longer than ${MAX_STORED_CLICK_ID} characters: stored cut`);
    const row: NewConversionRow = {
      id,
      createdAt: this.eventTime(r, idTime(id)),
      dedupeKey: key,
      clickId,
      visitId: c?.visitId ?? null,
      visitCreatedAt: c?.visitCreatedAt ?? null,
      campaignId: c?.campaignId ?? null,
      trafficSourceId: c?.trafficSourceId ?? null,
      offerId: c?.offerId ?? null,
      offerLinkId: c?.offerLinkId ?? null,
      landingPageId: c?.landingPageId ?? null,
      country: c?.country ?? null,
      affiliateNetworkId: r.network?.id ?? null,
      conversionTypeId: r.type.id,
      transactionId: r.call.transactionId,
      status: t.status,
      payout: t.payout,
      currency: t.currency,
      reportedAmount: t.reportedAmount,
      saleAmount: t.saleAmount,
      lastSequence: t.lastSequence,
      ...r.description,
      extra: r.call.extra,
      postbackId: r.log.id,
    };
    const outcome = recorded(c ? 'accepted' : 'unattributed', id);
    const note = [c ? 'created' : 'created, unattributed: the click is not known yet', r.call.historyNote].filter(Boolean).join('; ');
    const change: ConversionChange = {
      conversionId: id,
      kind: 'created',
      previousStatus: null,
      status: row.status,
      occurredAt: row.createdAt,
      facts: {
        campaignId: row.campaignId,
        offerId: row.offerId,
        affiliateNetworkId: row.affiliateNetworkId,
        trafficSourceId: row.trafficSourceId,
        conversionTypeId: row.conversionTypeId,
        conversionTypeCode: r.type.code,
        tsPostbackSent: false,
      },
    };
    return { r, key, orphanKey, fresh: { row, absentKey: orphanKey, note, log: this.logRow(r, outcome), outcome, change } };
  }

  /**
   * The conversion's time for reports: when the network says it happened (Tradedoubler
   * `timeOfEvent`) if that is sane, not after now and not before its click; else when it arrived.
   */
  private eventTime(r: RecordRequest, arrived: Date): Date {
    const at = r.call.occurredAt;
    if (!at) return arrived;
    const clickAt = r.click ? idTime(r.click.visitId) : null;
    if (at.getTime() > arrived.getTime()) r.log.notes.push(`timeOfEvent ${at.toISOString()} is in the future: the time of the call counts`);
    else if (clickAt && at.getTime() < clickAt.getTime())
      r.log.notes.push(`timeOfEvent ${at.toISOString()} is before its click (${clickAt.toISOString()}): the time of the call counts`);
    else return at;
    return arrived;
  }

  private async announce(m: EntityManager, fresh: FreshConversion): Promise<IntakeOutcome> {
    await this.notifier.notify(m, fresh.change);
    return fresh.outcome;
  }

  /** A call whose conversion exists (or that cannot create one): the repeat rules. */
  private async settle(m: EntityManager, p: Plan): Promise<IntakeOutcome> {
    // Rows can move under us (attribution re-keys one): look again, a few times.
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const existing = (await this.conversions.lockByDedupeKey(m, p.key)) ?? (p.orphanKey ? await this.conversions.lockByDedupeKey(m, p.orphanKey) : null);
      if (existing) return this.applyRepeat(m, p.r, existing, p.key);
      if (!p.fresh) {
        const outcome = rejected('NEGATIVE_AMOUNT', `a negative amount (${p.r.call.amount}) for a transaction this tracker has not recorded`);
        await this.log.insertEntry(this.logRow(p.r, outcome), m);
        return outcome;
      }
      if ((await this.conversions.insertNew(m, [p.fresh])).has(p.fresh.row.id)) return this.announce(m, p.fresh);
    }
    throw new Error('the conversion for this call kept changing while it was recorded');
  }

  private async applyRepeat(m: EntityManager, r: RecordRequest, existing: LockedConversion, key: string): Promise<IntakeOutcome> {
    const at = idTime(r.log.id);
    const changes: string[] = [];
    let offer: OfferPayout | null = existing.payout_type
      ? { type: existing.payout_type, amount: existing.payout_amount ?? '0', currency: existing.payout_currency ?? 'USD' }
      : null;
    let snapshot: LockedConversion = existing;
    let attribution: Attribution | null = null;
    const c = r.click;
    if (existing.visit_id === null && c && existing.click_id === c.visitId) {
      attribution = { ...c, affiliateNetworkId: r.network?.id ?? null, dedupeKey: key };
      offer = c.offer;
      // Unattributed, it had the call's figures alone; the offer's payout terms apply now.
      const reported = payoutFor(offer, existing.reported_amount, existing.reported_amount === null ? null : existing.currency);
      snapshot = { ...existing, ...reported, visit_id: c.visitId };
      changes.push(`attributed to click ${c.visitId}`);
      if (!sameAmount(reported.payout, existing.payout) || reported.currency !== existing.currency)
        changes.push(`payout ${existing.payout} ${existing.currency} -> ${reported.payout} ${reported.currency} (offer terms)`);
    }
    if (r.call.clickId !== existing.click_id) {
      r.log.notes.push(
        `the call names click ${show(r.call.clickId)}; the conversion stays with ${existing.visit_id ?? existing.click_id ?? 'none'}: attribution unchanged`,
      );
    }
    const d = decideRepeat(snapshot, r.call, offer);
    r.log.notes.push(...d.notes.filter((n) => !(attribution && n.startsWith('nothing new'))));
    if (d.summary) changes.push(d.summary);
    const patch = { ...d.patch };
    if (attribution && patch.payout === undefined && (!sameAmount(snapshot.payout, existing.payout) || snapshot.currency !== existing.currency)) {
      patch.payout = snapshot.payout;
      patch.currency = snapshot.currency;
    }
    if (attribution) await this.conversions.attribute(m, existing.id, attribution);
    if (Object.keys(patch).length) await this.conversions.applyPatch(m, existing.id, patch, at);
    const changed = changes.length > 0;
    if (changed && r.call.historyNote) {
      changes.push(r.call.historyNote);
      // Why the network denied it is part of the conversion's payload from now on.
      if (r.call.extra.deniedReasonId !== undefined) await this.conversions.mergeExtra(m, existing.id, { deniedReasonId: r.call.extra.deniedReasonId });
    }
    if (changed) {
      await this.conversions.insertHistory(m, {
        conversionId: existing.id,
        createdAt: at,
        status: patch.status ?? existing.status,
        payout: patch.payout ?? existing.payout,
        currency: patch.currency ?? existing.currency,
        reportedAmount: r.call.amount,
        sequenceNumber: r.call.sequenceNumber,
        postbackId: r.log.id,
        note: changes.join('; '),
      });
    }
    const outcome = recorded(changed ? 'updated' : 'duplicate', existing.id);
    await this.log.insertEntry(this.logRow(r, outcome), m);
    // One message per call: a status change says everything an amount change would.
    if (patch.status !== undefined || patch.payout !== undefined) {
      const kind = patch.status !== undefined ? 'status_changed' : 'amount_changed';
      const facts = factsAfterRepeat(existing, attribution, r.type);
      await this.notifier.notify(m, {
        conversionId: existing.id,
        kind,
        previousStatus: existing.status,
        status: patch.status ?? existing.status,
        occurredAt: at,
        facts,
      });
    } else if (attribution) {
      // Attributed and nothing else: news to the subscribers that could not see it without its click.
      await this.notifier.notify(m, {
        conversionId: existing.id,
        kind: 'attributed',
        previousStatus: existing.status,
        status: existing.status,
        occurredAt: at,
        facts: factsAfterRepeat(existing, attribution, r.type),
        heardWith: factsAfterRepeat(existing, null, r.type),
      });
    }
    return outcome;
  }

  private logRow(r: RecordRequest, outcome: IntakeOutcome): PostbackLogRow {
    return { ...r.log, ...logResultOf(outcome) };
  }
}

/**
 * What the outbox filters on, as the repeat leaves the conversion (attribution copies the
 * click's fields, and the network only where it had none). Undefined where this cannot tell, so
 * the outbox reads the row: a type other than the call's (its code is unknown here), or a visit
 * without the traffic source copied (the outbox then takes the visit's).
 */
function factsAfterRepeat(existing: LockedConversion, attribution: Attribution | null, type: ConversionTypeInfo): ConversionFacts | undefined {
  if (existing.conversion_type_id !== type.id) return undefined;
  if (!attribution && existing.visit_id !== null && existing.traffic_source_id === null) return undefined;
  return {
    campaignId: attribution ? attribution.campaignId : existing.campaign_id,
    offerId: attribution ? attribution.offerId : existing.offer_id,
    affiliateNetworkId: existing.affiliate_network_id ?? attribution?.affiliateNetworkId ?? null,
    trafficSourceId: attribution ? attribution.trafficSourceId : existing.traffic_source_id,
    conversionTypeId: existing.conversion_type_id,
    conversionTypeCode: type.code,
    tsPostbackSent: existing.ts_postback_sent,
  };
}
