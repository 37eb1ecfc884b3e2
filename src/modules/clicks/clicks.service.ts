import { Injectable } from '@nestjs/common';
import { DomainException } from '../../common/domain.exception';
import { idFloor, isId } from '../../common/ids';
import { Page, parsePageRequest, toPage } from '../../common/paging';
import { toClickView } from './visit.mapper';
import { VisitRepository } from './visit.repository';

export type ClickView = ReturnType<typeof toClickView>;

function text(query: Record<string, unknown>, name: string): string | null {
  const v = query[name];
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The analytics side of clicks (SPEC §8): one visit, or a page of them. */
@Injectable()
export class ClicksService {
  constructor(private readonly visits: VisitRepository) {}

  async get(id: string): Promise<ClickView> {
    const row = isId(id) ? await this.visits.findVisitById(id) : null;
    if (!row) throw DomainException.notFound('click', id);
    return toClickView(row);
  }

  async list(query: Record<string, unknown>): Promise<Page<ClickView>> {
    const page = parsePageRequest(query);
    if (page.after && !isId(page.after.id)) throw DomainException.field('cursor', 'is not a cursor this API gave out');
    const rows = await this.visits.listVisits({
      fromId: page.from ? idFloor(page.from) : null,
      toId: page.to ? idFloor(page.to) : null,
      beforeId: page.after?.id ?? null,
      from: page.from,
      to: page.to,
      campaignId: text(query, 'campaignId'),
      offerId: text(query, 'offerId'),
      affiliateNetworkId: text(query, 'affiliateNetworkId'),
      trafficSourceId: text(query, 'trafficSourceId'),
      limit: page.limit,
    });
    return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.id }), toClickView);
  }
}
