import { Injectable } from '@nestjs/common';
import { DomainException } from '../../../common/domain.exception';
import { Page, parsePageRequest, toPage } from '../../../common/paging';
import { ConversionFilters, ConversionViewRepository } from './conversion-view.repository';
import { ConversionView, toConversionView } from './conversion.mapper';

const STATUSES = ['pending', 'approved', 'declined'];
const FILTERS = ['campaignId', 'offerId', 'affiliateNetworkId', 'trafficSourceId'] as const;

/** The analytics reads of conversions (SPEC §8). */
@Injectable()
export class ConversionQueryService {
  constructor(private readonly views: ConversionViewRepository) {}

  async get(id: string): Promise<ConversionView> {
    const row = await this.views.findView(id);
    if (!row) throw DomainException.notFound('conversion', id);
    return toConversionView(row);
  }

  async list(query: Record<string, unknown>): Promise<Page<ConversionView>> {
    const page = parsePageRequest(query);
    const filters: ConversionFilters = {};
    const problems: Record<string, string[]> = {};
    for (const name of FILTERS) {
      const value = query[name];
      if (value === undefined || value === '') continue;
      if (typeof value !== 'string') problems[name] = ['must be given once'];
      else filters[name] = value;
    }
    if (query.status !== undefined && query.status !== '') {
      if (typeof query.status !== 'string' || !STATUSES.includes(query.status)) problems.status = [`must be one of ${STATUSES.join(', ')}`];
      else filters.status = query.status;
    }
    if (Object.keys(problems).length) throw DomainException.invalid(problems);
    const rows = await this.views.listViews(page, filters);
    return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.id }), toConversionView);
  }
}
