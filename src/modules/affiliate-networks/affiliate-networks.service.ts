import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ChangeBus } from '../../common/change-bus';
import { deleteOrArchive, findOrFail, iso, listPage, newId } from '../../common/crud';
import { DomainException } from '../../common/domain.exception';
import { Page, PageRequest } from '../../common/paging';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { TemplatesService } from '../templates/templates.service';
import { networkEndpoints } from './postback-url';
import { CreateAffiliateNetworkDto, UpdateAffiliateNetworkDto } from './affiliate-network.dto';
import type { ConversionStatus } from '../../common/conversion-change';
import { AffiliateNetworkEntity, NETWORK_PARAM_FIELDS, NetworkParamField } from './affiliate-network.entity';

export type AffiliateNetworkView = ReturnType<AffiliateNetworksService['view']>;
const STATUSES = ['pending', 'approved', 'declined'];

function validCidr(value: string): boolean {
  const [addr, bits, extra] = value.split('/');
  const family = isIP(addr);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

@Injectable()
export class AffiliateNetworksService {
  constructor(
    @InjectRepository(AffiliateNetworkEntity) private readonly repo: Repository<AffiliateNetworkEntity>,
    private readonly changes: ChangeBus,
    private readonly templates: TemplatesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(body: CreateAffiliateNetworkDto): Promise<AffiliateNetworkView> {
    const dto = this.templates.fillAffiliateNetwork(body);
    this.check(dto);
    const now = new Date();
    const row = await this.repo.save(
      this.repo.create({
        id: newId(),
        name: dto.name,
        kind: dto.kind ?? 'generic',
        postbackToken: dto.postbackToken ?? null,
        allowedIps: dto.allowedIps ?? [],
        params: (dto.params ?? {}) as Partial<Record<NetworkParamField, string>>,
        statusMap: normalizeStatusMap(dto.statusMap ?? {}),
        defaultStatus: dto.defaultStatus ?? 'approved',
        template: body.template ?? null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    this.changes.emit('affiliate-networks');
    return this.view(row);
  }

  list(page: PageRequest, includeArchived: boolean): Promise<Page<AffiliateNetworkView>> {
    return listPage(this.repo, page, (r) => this.view(r), { includeArchived });
  }

  async get(id: string): Promise<AffiliateNetworkView> {
    return this.view(await findOrFail(this.repo, 'affiliate network', id));
  }

  async update(id: string, dto: UpdateAffiliateNetworkDto): Promise<AffiliateNetworkView> {
    const row = await findOrFail(this.repo, 'affiliate network', id);
    this.check(dto);
    if (dto.name !== undefined) row.name = dto.name;
    if (dto.kind !== undefined) row.kind = dto.kind;
    if (dto.postbackToken !== undefined) row.postbackToken = dto.postbackToken;
    if (dto.allowedIps !== undefined) row.allowedIps = dto.allowedIps;
    if (dto.params !== undefined) row.params = dto.params as Partial<Record<NetworkParamField, string>>;
    if (dto.statusMap !== undefined) row.statusMap = normalizeStatusMap(dto.statusMap);
    if (dto.defaultStatus !== undefined) row.defaultStatus = dto.defaultStatus;
    row.updatedAt = new Date();
    await this.repo.save(row);
    this.changes.emit('affiliate-networks');
    return this.view(row);
  }

  async remove(id: string): Promise<void> {
    await findOrFail(this.repo, 'affiliate network', id);
    await deleteOrArchive(
      this.repo,
      id,
      `EXISTS (SELECT 1 FROM offers WHERE affiliate_network_id = $1) OR EXISTS (SELECT 1 FROM conversions WHERE affiliate_network_id = $1)`,
    );
    this.changes.emit('affiliate-networks');
  }

  private check(dto: UpdateAffiliateNetworkDto): void {
    const problems: Record<string, string[]> = {};
    const badIps = (dto.allowedIps ?? []).filter((ip) => !validCidr(ip));
    if (badIps.length) problems.allowedIps = [`not an IP address or CIDR: ${badIps.join(', ')}`];
    for (const [field, name] of Object.entries(dto.params ?? {})) {
      if (!(NETWORK_PARAM_FIELDS as readonly string[]).includes(field))
        (problems[`params.${field}`] ??= []).push(`unknown field; expected one of ${NETWORK_PARAM_FIELDS.join(', ')}`);
      else if (typeof name !== 'string' || !name.trim() || name.length > 128) (problems[`params.${field}`] ??= []).push('must be a parameter name');
    }
    for (const [word, status] of Object.entries(dto.statusMap ?? {})) {
      if (!STATUSES.includes(String(status).toLowerCase())) (problems[`statusMap.${word}`] ??= []).push('must be pending, approved or declined');
    }
    if (Object.keys(problems).length) throw DomainException.invalid(problems);
  }

  view(r: AffiliateNetworkEntity) {
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      hasPostbackToken: r.postbackToken !== null,
      allowedIps: r.allowedIps,
      params: r.params,
      statusMap: r.statusMap,
      defaultStatus: r.defaultStatus,
      template: r.template,
      // What to give the network (issue 11): its receiver URL, with its own macros when made from a template.
      ...networkEndpoints(this.config.baseUrl, r, r.template ? this.templates.affiliateNetworkTemplate(r.template) : null),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      archivedAt: iso(r.archivedAt),
    };
  }
}

/** Keys compared case- and space-insensitively, values lower-cased. */
function normalizeStatusMap(map: Record<string, string>): Record<string, ConversionStatus> {
  const out: Record<string, ConversionStatus> = {};
  for (const [k, v] of Object.entries(map)) out[k.trim().toLowerCase()] = String(v).toLowerCase() as ConversionStatus;
  return out;
}
