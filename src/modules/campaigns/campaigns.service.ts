import { isZoneName } from '../reports/zoned-time';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { amountText } from '../../common/amount.validator';
import { ChangeBus } from '../../common/change-bus';
import { findOrFail, iso, listPage, newId } from '../../common/crud';
import { DomainException } from '../../common/domain.exception';
import { normalizeDecimal, toJsonNumber } from '../../common/money';
import { Page, PageRequest } from '../../common/paging';
import { destinationUrlProblem } from '../../common/url-template';
import { parseWhen } from './campaign-rules';
import { CreateCampaignDto, DestinationDto, RuleDto, UpdateCampaignDto } from './campaign.dto';
import { CampaignEntity, CampaignRule, Destination } from './campaign.entity';
import { CampaignRepository } from './campaign.repository';

export type CampaignView = ReturnType<CampaignsService['view']>;

@Injectable()
export class CampaignsService {
  constructor(
    @InjectRepository(CampaignEntity) private readonly repo: Repository<CampaignEntity>,
    private readonly campaigns: CampaignRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly changes: ChangeBus,
  ) {}

  async create(dto: CreateCampaignDto): Promise<CampaignView> {
    const key = dto.key ?? randomBytes(6).toString('base64url');
    const rules = await this.check(dto, null);
    if (await this.repo.findOne({ where: { key } })) throw DomainException.field('key', `a campaign with key '${key}' exists`);
    const now = new Date();
    const row = this.repo.create({
      id: newId(),
      key,
      name: dto.name,
      category: dto.category ?? null,
      trafficSourceId: dto.trafficSourceId ?? null,
      status: dto.status ?? 'active',
      costModel: dto.cost?.model ?? 'none',
      costAmount: normalizeDecimal(amountText(dto.cost?.amount ?? '0')),
      costCurrency: dto.cost?.currency ?? 'USD',
      destinations: dto.destinations.map(toDestination),
      rules: rules ?? [],
      fallbackUrl: dto.fallbackUrl ?? null,
      createdAt: now,
      updatedAt: now,
      archivedAt: dto.status === 'archived' ? now : null,
    });
    await this.repo.save(row);
    this.changes.emit('campaigns');
    return this.view(row, await this.sourceParams(row.trafficSourceId));
  }

  async list(page: PageRequest, includeArchived: boolean): Promise<Page<CampaignView>> {
    const result = await listPage(this.repo, page, (r) => r, { includeArchived });
    const params = await this.sourceParamsById(result.items.map((r) => r.trafficSourceId));
    return { items: result.items.map((r) => this.view(r, params.get(r.trafficSourceId ?? '') ?? [])), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<CampaignView> {
    const row = await findOrFail(this.repo, 'campaign', id);
    return this.view(row, await this.sourceParams(row.trafficSourceId));
  }

  async update(id: string, dto: UpdateCampaignDto): Promise<CampaignView> {
    const row = await findOrFail(this.repo, 'campaign', id);
    const rules = await this.check(dto, row);
    if (dto.key !== undefined && dto.key !== row.key) {
      if (await this.repo.findOne({ where: { key: dto.key } })) throw DomainException.field('key', `a campaign with key '${dto.key}' exists`);
      row.key = dto.key;
    }
    if (dto.name !== undefined) row.name = dto.name;
    if (dto.category !== undefined) row.category = dto.category;
    if (dto.trafficSourceId !== undefined) row.trafficSourceId = dto.trafficSourceId;
    if (dto.status !== undefined) {
      row.status = dto.status;
      row.archivedAt = dto.status === 'archived' ? (row.archivedAt ?? new Date()) : null;
    }
    if (dto.cost !== undefined) {
      row.costModel = dto.cost.model;
      if (dto.cost.amount !== undefined) row.costAmount = normalizeDecimal(amountText(dto.cost.amount));
      if (dto.cost.currency !== undefined) row.costCurrency = dto.cost.currency;
    }
    if (dto.destinations !== undefined) row.destinations = dto.destinations.map(toDestination);
    if (rules) row.rules = rules;
    if (dto.fallbackUrl !== undefined) row.fallbackUrl = dto.fallbackUrl;
    row.updatedAt = new Date();
    await this.repo.save(row);
    this.changes.emit('campaigns');
    return this.view(row, await this.sourceParams(row.trafficSourceId));
  }

  /** A campaign with visits is archived (its links then answer like a paused campaign's). */
  async remove(id: string): Promise<void> {
    await findOrFail(this.repo, 'campaign', id);
    const how = await this.campaigns.removeOrArchive(id);
    if (how === 'archived') await this.repo.update({ id }, { status: 'archived' });
    this.changes.emit('campaigns');
  }

  /**
   * Every id a destination names must exist, and a link must belong to its offer (SPEC §3); rules'
   * criteria are validated (an unknown one is named). Answers the rules as stored, when given.
   */
  private async check(dto: UpdateCampaignDto, current: CampaignEntity | null): Promise<CampaignRule[] | null> {
    const problems: Record<string, string[]> = {};
    const exists = (table: 'traffic_sources' | 'offers' | 'landing_pages', id: string) => this.campaigns.exists(table, id);
    if (dto.trafficSourceId && !(await exists('traffic_sources', dto.trafficSourceId)))
      problems.trafficSourceId = [`traffic source '${dto.trafficSourceId}' does not exist`];
    const checkDestinations = async (list: DestinationDto[], at: string) => {
      for (const [i, d] of list.entries()) {
        if (!(await exists('offers', d.offerId))) problems[`${at}.${i}.offerId`] = [`offer '${d.offerId}' does not exist`];
        else if (d.offerLinkId) {
          if ((await this.campaigns.offerOfLink(d.offerLinkId)) !== d.offerId)
            problems[`${at}.${i}.offerLinkId`] = [`offer link '${d.offerLinkId}' is not a link of offer '${d.offerId}'`];
        }
        if (d.landingPageId && !(await exists('landing_pages', d.landingPageId)))
          problems[`${at}.${i}.landingPageId`] = [`landing page '${d.landingPageId}' does not exist`];
        if (d.cap && d.cap.clicks === undefined && d.cap.conversions === undefined) problems[`${at}.${i}.cap`] = ['names clicks, conversions or both'];
        if (d.cap?.tz !== undefined && !isZoneName(d.cap.tz)) problems[`${at}.${i}.cap.tz`] = [`'${d.cap.tz}' is not an IANA time zone`];
      }
    };
    await checkDestinations(dto.destinations ?? [], 'destinations');
    let rules: CampaignRule[] | null = null;
    if (dto.rules) {
      rules = [];
      for (const [i, r] of dto.rules.entries()) {
        await checkDestinations(r.destinations, `rules[${i}].destinations`);
        rules.push(toRule(r, parseWhen(r.when, `rules[${i}].when`, problems)));
      }
    }
    if (dto.fallbackUrl) {
      const p = destinationUrlProblem(dto.fallbackUrl);
      if (p) problems.fallbackUrl = [p];
    }
    const model = dto.cost?.model ?? current?.costModel;
    if (model === 'auto' && dto.cost && !(dto.trafficSourceId ?? current?.trafficSourceId))
      problems['cost.model'] = ['auto cost needs a traffic source with a costParam'];
    if (Object.keys(problems).length) throw DomainException.invalid(problems);
    return rules;
  }

  private async sourceParams(trafficSourceId: string | null): Promise<string[]> {
    return (await this.sourceParamsById([trafficSourceId])).get(trafficSourceId ?? '') ?? [];
  }

  /** The query parameters of each named traffic source, in one query for a whole page. */
  private async sourceParamsById(ids: (string | null)[]): Promise<Map<string, string[]>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    if (!wanted.length) return new Map();
    const rows = await this.campaigns.sourceParams(wanted);
    return new Map(rows.map((ts) => [ts.id, [ts.click_id_param, ...ts.params.map((p) => p.param), ts.cost_param].filter((p): p is string => !!p)]));
  }

  /** `trackingUrl`: the link with the source's parameters as tokens the source fills in. */
  view(r: CampaignEntity, sourceParams: string[]) {
    const query = [...new Set(sourceParams)].map((p) => `${encodeURIComponent(p)}={${p}}`).join('&');
    return {
      id: r.id,
      key: r.key,
      name: r.name,
      category: r.category,
      trafficSourceId: r.trafficSourceId,
      status: r.status,
      cost: { model: r.costModel, amount: toJsonNumber(r.costAmount), currency: r.costCurrency },
      destinations: r.destinations,
      rules: r.rules ?? [],
      fallbackUrl: r.fallbackUrl,
      trackingUrl: `${this.config.baseUrl}/c/${encodeURIComponent(r.key)}${query ? `?${query}` : ''}`,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      archivedAt: iso(r.archivedAt),
    };
  }
}

function toDestination(d: DestinationDto): Destination {
  const cap = d.cap ? { clicks: d.cap.clicks ?? null, conversions: d.cap.conversions ?? null, per: d.cap.per, tz: d.cap.tz ?? 'UTC' } : null;
  return { offerId: d.offerId, offerLinkId: d.offerLinkId ?? null, landingPageId: d.landingPageId ?? null, weight: d.weight ?? 100, ...(cap && { cap }) };
}

function toRule(r: RuleDto, when: CampaignRule['when']): CampaignRule {
  return { name: r.name, when, destinations: r.destinations.map(toDestination) };
}
