import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { amountText } from '../../../common/amount.validator';
import { DomainException } from '../../../common/domain.exception';
import { ConversionChangeNotifier } from './conversion-change.notifier';
import type { ConversionChangeDto } from './conversion-change.dto';
import { ConversionQueryService } from '../analytics/conversion-query.service';
import { ConversionRepository } from './conversion.repository';
import { decideManual } from './conversion.rules';
import type { ConversionView } from '../analytics/conversion.mapper';

/**
 * Conversions by hand (SPEC §3): `PATCH /api/v1/conversions/:id` changes a conversion as a
 * postback would, in one transaction: the row, a history entry (`source: manual`, the key's
 * name, the note) and the outbox messages of the change.
 */
@Injectable()
export class ConversionEditService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversions: ConversionRepository,
    private readonly notifier: ConversionChangeNotifier,
    private readonly views: ConversionQueryService,
  ) {}

  async change(id: string, dto: ConversionChangeDto, actor: string): Promise<ConversionView> {
    const change = { status: dto.status, payout: dto.payout === undefined ? undefined : amountText(dto.payout), currency: dto.currency };
    await this.db.transaction(async (m) => {
      const existing = await this.conversions.lockById(m, id);
      if (!existing) throw DomainException.notFound('conversion', id);
      const d = decideManual(existing, change);
      if (!d.ok) {
        if (d.code === 'INVALID_TRANSITION') throw new DomainException('INVALID_TRANSITION', d.reason);
        throw DomainException.field(d.code === 'CURRENCY_WITHOUT_PAYOUT' ? 'currency' : 'payout', d.reason);
      }
      const note = [d.summary, dto.note?.trim() || null].filter(Boolean).join('; ');
      if (!note) return;
      const at = new Date();
      if (Object.keys(d.patch).length) await this.conversions.applyPatch(m, id, d.patch, at);
      await this.conversions.insertHistory(m, {
        conversionId: id,
        createdAt: at,
        status: d.patch.status ?? existing.status,
        payout: d.patch.payout ?? existing.payout,
        currency: d.patch.currency ?? existing.currency,
        reportedAmount: null,
        sequenceNumber: null,
        postbackId: null,
        note,
        source: 'manual',
        actor,
      });
      if (d.patch.status !== undefined || d.patch.payout !== undefined) {
        await this.notifier.notify(m, {
          conversionId: id,
          kind: d.patch.status !== undefined ? 'status_changed' : 'amount_changed',
          previousStatus: existing.status,
          status: d.patch.status ?? existing.status,
          occurredAt: at,
        });
      }
    });
    return this.views.get(id);
  }
}
