import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { deleteOrArchive, idExists, newId } from '../../common/crud';
import type { OfferLinkDto } from './offer.dto';
import { OfferEntity, OfferLinkEntity } from './offer.entity';

/** An offer and its links, written together; what an offer names, and whether it is in use. */
@Injectable()
export class OfferRepository {
  constructor(
    @InjectRepository(OfferEntity) private readonly offers: Repository<OfferEntity>,
    @InjectRepository(OfferLinkEntity) private readonly links: Repository<OfferLinkEntity>,
  ) {}

  /** Saves the offer and, when `wanted` is given, makes its links that list (in one transaction). */
  saveWithLinks(offer: OfferEntity, wanted: OfferLinkDto[] | undefined, current: OfferLinkEntity[]): Promise<OfferLinkEntity[]> {
    return this.offers.manager.transaction(async (m) => {
      await m.save(offer);
      return wanted === undefined ? current : replaceLinks(m.getRepository(OfferLinkEntity), offer.id, wanted, current);
    });
  }

  activeLinks(offerId: string): Promise<OfferLinkEntity[]> {
    return this.links.find({ where: { offerId, archivedAt: IsNull() }, order: { position: 'ASC' } });
  }

  /** The active links of a page of offers, in one query. */
  activeLinksOf(offerIds: string[]): Promise<OfferLinkEntity[]> {
    if (!offerIds.length) return Promise.resolve([]);
    return this.links
      .createQueryBuilder('l')
      .where('l.offer_id IN (:...ids)', { ids: offerIds })
      .andWhere('l.archived_at IS NULL')
      .orderBy('l.position')
      .getMany();
  }

  networkExists(id: string): Promise<boolean> {
    return idExists(this.offers.manager, 'affiliate_networks', id);
  }

  /** An offer a campaign, visit or conversion names is archived; otherwise it goes, with its links. */
  async removeOrArchive(id: string): Promise<void> {
    const how = await deleteOrArchive(
      this.offers,
      id,
      `EXISTS (SELECT 1 FROM campaigns, jsonb_array_elements(destinations) d WHERE d->>'offerId' = $1)
       OR EXISTS (SELECT 1 FROM visits WHERE offer_id = $1) OR EXISTS (SELECT 1 FROM conversions WHERE offer_id = $1)`,
    );
    if (how === 'deleted') await this.links.delete({ offerId: id });
  }
}

/** The new list replaces the old: links named by id keep it, the rest are archived (visits may name them). */
async function replaceLinks(
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
