import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { amountText } from '../../common/amount.validator';
import { ChangeBus } from '../../common/change-bus';
import { findOrFail, iso, listPage, newId } from '../../common/crud';
import { DomainException } from '../../common/domain.exception';
import { normalizeDecimal, toJsonNumber } from '../../common/money';
import { Page, PageRequest } from '../../common/paging';
import { destinationUrlProblem } from '../../common/url-template';
import { CreateOfferDto, UpdateOfferDto } from './offer.dto';
import { OfferEntity, OfferLinkEntity } from './offer.entity';
import { OfferRepository } from './offer.repository';

export type OfferView = ReturnType<OffersService['view']>;

@Injectable()
export class OffersService {
  constructor(
    @InjectRepository(OfferEntity) private readonly repo: Repository<OfferEntity>,
    private readonly store: OfferRepository,
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
    const links = await this.store.saveWithLinks(offer, dto.links ?? [], []);
    this.changes.emit('offers');
    return this.view(offer, links);
  }

  async list(page: PageRequest, includeArchived: boolean): Promise<Page<OfferView>> {
    const result = await listPage(this.repo, page, (r) => r, { includeArchived });
    const ids = result.items.map((o) => o.id);
    const links = await this.store.activeLinksOf(ids);
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
    return this.view(offer, await this.store.activeLinks(id));
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
    const links = await this.store.saveWithLinks(offer, dto.links, await this.store.activeLinks(id));
    this.changes.emit('offers');
    return this.view(offer, links);
  }

  async remove(id: string): Promise<void> {
    await findOrFail(this.repo, 'offer', id);
    await this.store.removeOrArchive(id);
    this.changes.emit('offers');
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
      if (!(await this.store.networkExists(dto.affiliateNetworkId)))
        problems.affiliateNetworkId = [`affiliate network '${dto.affiliateNetworkId}' does not exist`];
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
