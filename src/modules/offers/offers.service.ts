import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { amountText } from '../../common/amount.validator';
import { ChangeBus } from '../../common/change-bus';
import { deleteOrArchive, findOrFail, iso, listPage, newId } from '../../common/crud';
import { DomainException } from '../../common/domain.exception';
import { normalizeDecimal, toJsonNumber } from '../../common/money';
import { Page, PageRequest } from '../../common/paging';
import { destinationUrlProblem } from '../../common/url-template';
import { CreateOfferDto, OfferLinkDto, UpdateOfferDto } from './offer.dto';
import { OfferEntity, OfferLinkEntity } from './offer.entity';

export type OfferView = ReturnType<OffersService['view']>;

@Injectable()
export class OffersService {
  constructor(
    @InjectRepository(OfferEntity) private readonly repo: Repository<OfferEntity>,
    @InjectRepository(OfferLinkEntity) private readonly links: Repository<OfferLinkEntity>,
    private readonly changes: ChangeBus,
  ) {}

  async create(dto: CreateOfferDto): Promise<OfferView> {
    await this.check(dto);
    const now = new Date();
    const offer = this.repo.create({
      id: newId(),
      name: dto.name,
      affiliateNetworkId: dto.affiliateNetworkId ?? null,
      url: dto.url,
      payoutType: dto.payout?.type ?? 'dynamic',
      payoutAmount: normalizeDecimal(amountText(dto.payout?.amount ?? '0')),
      payoutCurrency: dto.payout?.currency ?? 'USD',
      createdAt: now,
      updatedAt: now,
    });
    const links = await this.repo.manager.transaction(async (m) => {
      await m.save(offer);
      return this.replaceLinks(m.getRepository(OfferLinkEntity), offer.id, dto.links ?? [], []);
    });
    this.changes.emit('offers');
    return this.view(offer, links);
  }

  async list(page: PageRequest, includeArchived: boolean): Promise<Page<OfferView>> {
    const result = await listPage(this.repo, page, (r) => r, { includeArchived });
    const ids = result.items.map((o) => o.id);
    const links = ids.length
      ? await this.links.createQueryBuilder('l').where('l.offer_id IN (:...ids)', { ids }).andWhere('l.archived_at IS NULL').orderBy('l.position').getMany()
      : [];
    return {
      items: result.items.map((o) =>
        this.view(
          o,
          links.filter((l) => l.offerId === o.id),
        ),
      ),
      nextCursor: result.nextCursor,
    };
  }

  async get(id: string): Promise<OfferView> {
    const offer = await findOrFail(this.repo, 'offer', id);
    return this.view(offer, await this.activeLinks(id));
  }

  async update(id: string, dto: UpdateOfferDto): Promise<OfferView> {
    const offer = await findOrFail(this.repo, 'offer', id);
    await this.check(dto);
    if (dto.name !== undefined) offer.name = dto.name;
    if (dto.affiliateNetworkId !== undefined) offer.affiliateNetworkId = dto.affiliateNetworkId;
    if (dto.url !== undefined) offer.url = dto.url;
    if (dto.payout !== undefined) {
      offer.payoutType = dto.payout.type;
      if (dto.payout.amount !== undefined) offer.payoutAmount = normalizeDecimal(amountText(dto.payout.amount));
      if (dto.payout.currency !== undefined) offer.payoutCurrency = dto.payout.currency;
    }
    offer.updatedAt = new Date();
    const current = await this.activeLinks(id);
    const links = await this.repo.manager.transaction(async (m) => {
      await m.save(offer);
      return dto.links === undefined ? current : this.replaceLinks(m.getRepository(OfferLinkEntity), id, dto.links, current);
    });
    this.changes.emit('offers');
    return this.view(offer, links);
  }

  async remove(id: string): Promise<void> {
    await findOrFail(this.repo, 'offer', id);
    const how = await deleteOrArchive(
      this.repo,
      id,
      `EXISTS (SELECT 1 FROM campaigns, jsonb_array_elements(destinations) d WHERE d->>'offerId' = $1)
       OR EXISTS (SELECT 1 FROM visits WHERE offer_id = $1) OR EXISTS (SELECT 1 FROM conversions WHERE offer_id = $1)`,
    );
    if (how === 'deleted') await this.links.delete({ offerId: id });
    this.changes.emit('offers');
  }

  private activeLinks(offerId: string): Promise<OfferLinkEntity[]> {
    return this.links.find({ where: { offerId, archivedAt: IsNull() }, order: { position: 'ASC' } });
  }

  /** The new list replaces the old: links named by id keep it, the rest are archived (visits may name them). */
  private async replaceLinks(
    repo: Repository<OfferLinkEntity>,
    offerId: string,
    wanted: OfferLinkDto[],
    current: OfferLinkEntity[],
  ): Promise<OfferLinkEntity[]> {
    const now = new Date();
    const kept = new Set(wanted.map((l) => l.id).filter(Boolean));
    for (const old of current) if (!kept.has(old.id)) await repo.update({ id: old.id }, { archivedAt: now });
    const out: OfferLinkEntity[] = [];
    for (const [position, l] of wanted.entries()) {
      const existing = l.id ? current.find((c) => c.id === l.id) : undefined;
      const row = repo.create({
        id: existing?.id ?? newId(),
        offerId,
        name: l.name,
        url: l.url,
        position,
        createdAt: existing?.createdAt ?? now,
        archivedAt: null,
      });
      out.push(await repo.save(row));
    }
    return out;
  }

  private async check(dto: UpdateOfferDto): Promise<void> {
    const problems: Record<string, string[]> = {};
    if (dto.url !== undefined) {
      const p = destinationUrlProblem(dto.url);
      if (p) problems.url = [p];
    }
    for (const [i, l] of (dto.links ?? []).entries()) {
      const p = destinationUrlProblem(l.url);
      if (p) problems[`links.${i}.url`] = [p];
    }
    if (dto.affiliateNetworkId) {
      const [found] = await this.repo.manager.query(`SELECT 1 FROM affiliate_networks WHERE id = $1`, [dto.affiliateNetworkId]);
      if (!found) problems.affiliateNetworkId = [`affiliate network '${dto.affiliateNetworkId}' does not exist`];
    }
    if (Object.keys(problems).length) throw DomainException.invalid(problems);
  }

  view(o: OfferEntity, links: OfferLinkEntity[]) {
    return {
      id: o.id,
      name: o.name,
      affiliateNetworkId: o.affiliateNetworkId,
      url: o.url,
      payout: { type: o.payoutType, amount: toJsonNumber(o.payoutAmount), currency: o.payoutCurrency },
      links: links.map((l) => ({ id: l.id, name: l.name, url: l.url })),
      createdAt: o.createdAt.toISOString(),
      updatedAt: o.updatedAt.toISOString(),
      archivedAt: iso(o.archivedAt),
    };
  }
}
