import { Injectable } from '@nestjs/common';
import { DomainException } from '../../common/domain.exception';
import { mintId } from '../../common/ids';
import { normalizeDecimal, toJsonNumber } from '../../common/money';
import { Page, parsePageRequest, toPage } from '../../common/paging';
import { CostUpdateDto } from './cost-update.dto';
import { CostsRepository, CostUpdateRow } from './costs.repository';

export interface CostUpdateView {
  id: string;
  campaignId: string;
  from: string;
  to: string;
  amount: number;
  currency: string;
  /** How many visits the amount was spread over. */
  visits: number;
  created_at: string;
}

const view = (r: CostUpdateRow): CostUpdateView => ({
  id: r.id,
  campaignId: r.campaign_id,
  from: new Date(r.time_from).toISOString(),
  to: new Date(r.time_to).toISOString(),
  amount: toJsonNumber(r.amount) ?? 0,
  currency: r.currency,
  visits: Number(r.visits),
  created_at: new Date(r.created_at).toISOString(),
});

/** SPEC §3 cost updates: a campaign's cost over a time range, spread over its visits. */
@Injectable()
export class CostsService {
  constructor(private readonly repo: CostsRepository) {}

  async update(dto: CostUpdateDto): Promise<CostUpdateView> {
    const from = new Date(dto.from);
    const to = new Date(dto.to);
    if (!(to.getTime() > from.getTime())) throw DomainException.field('to', 'must be after from');
    const amount = normalizeDecimal(String(dto.amount));
    const saved = await this.repo.transaction(async (m) => {
      if (!(await this.repo.campaignExists(m, dto.campaignId))) throw DomainException.notFound('campaign', dto.campaignId);
      const visits = await this.repo.spread(m, dto.campaignId, from, to, amount, dto.currency);
      return this.repo.insert(m, { id: mintId(), campaign_id: dto.campaignId, time_from: from, time_to: to, amount, currency: dto.currency, visits });
    });
    return view(saved);
  }

  async list(query: Record<string, unknown>): Promise<Page<CostUpdateView>> {
    const page = parsePageRequest(query);
    const campaignId = typeof query.campaignId === 'string' && query.campaignId ? query.campaignId : null;
    const rows = await this.repo.list(page, campaignId);
    return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.id }), view);
  }
}
