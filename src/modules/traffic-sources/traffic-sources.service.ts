import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ChangeBus } from '../../common/change-bus';
import { deleteOrArchive, findOrFail, iso, listPage, newId } from '../../common/crud';
import { DomainException } from '../../common/domain.exception';
import { Page, PageRequest } from '../../common/paging';
import { TemplatesService } from '../templates/templates.service';
import { OutboundUrlChecker } from '../outbound/outbound-url.checker';
import { CreateTrafficSourceDto, UpdateTrafficSourceDto } from './traffic-source.dto';
import { TrafficSourceEntity } from './traffic-source.entity';

export type TrafficSourceView = ReturnType<TrafficSourcesService['view']>;

@Injectable()
export class TrafficSourcesService {
  constructor(
    @InjectRepository(TrafficSourceEntity) private readonly repo: Repository<TrafficSourceEntity>,
    private readonly changes: ChangeBus,
    private readonly urls: OutboundUrlChecker,
    private readonly templates: TemplatesService,
  ) {}

  async create(body: CreateTrafficSourceDto): Promise<TrafficSourceView> {
    const dto = this.templates.fillTrafficSource(body);
    await this.check(dto);
    const now = new Date();
    const row = await this.repo.save(
      this.repo.create({
        id: newId(),
        name: dto.name,
        clickIdParam: dto.clickIdParam ?? null,
        costParam: dto.costParam ?? null,
        params: (dto.params ?? []).map((p) => ({ param: p.param, as: p.as })),
        postbackUrl: dto.postbackUrl ?? null,
        postbackStatuses: dto.postbackStatuses ?? ['approved'],
        createdAt: now,
        updatedAt: now,
      }),
    );
    this.changes.emit('traffic-sources');
    return this.view(row);
  }

  list(page: PageRequest, includeArchived: boolean): Promise<Page<TrafficSourceView>> {
    return listPage(this.repo, page, (r) => this.view(r), { includeArchived });
  }

  async get(id: string): Promise<TrafficSourceView> {
    return this.view(await findOrFail(this.repo, 'traffic source', id));
  }

  async update(id: string, dto: UpdateTrafficSourceDto): Promise<TrafficSourceView> {
    const row = await findOrFail(this.repo, 'traffic source', id);
    await this.check(dto);
    if (dto.name !== undefined) row.name = dto.name;
    if (dto.clickIdParam !== undefined) row.clickIdParam = dto.clickIdParam;
    if (dto.costParam !== undefined) row.costParam = dto.costParam;
    if (dto.params !== undefined) row.params = dto.params.map((p) => ({ param: p.param, as: p.as }));
    if (dto.postbackUrl !== undefined) row.postbackUrl = dto.postbackUrl;
    if (dto.postbackStatuses !== undefined) row.postbackStatuses = dto.postbackStatuses;
    row.updatedAt = new Date();
    await this.repo.save(row);
    this.changes.emit('traffic-sources');
    return this.view(row);
  }

  /** Deleted when nothing refers to it; archived (kept) otherwise. */
  async remove(id: string): Promise<void> {
    await findOrFail(this.repo, 'traffic source', id);
    await deleteOrArchive(
      this.repo,
      id,
      `EXISTS (SELECT 1 FROM campaigns WHERE traffic_source_id = $1) OR EXISTS (SELECT 1 FROM visits WHERE traffic_source_id = $1)`,
    );
    this.changes.emit('traffic-sources');
  }

  private async check(dto: UpdateTrafficSourceDto): Promise<void> {
    const problems: Record<string, string[]> = {};
    const slots = (dto.params ?? []).map((p) => p.as);
    if (new Set(slots).size !== slots.length) problems.params = ['each slot name (as) may appear once'];
    if (dto.postbackUrl) {
      const problem = await this.urls.problem(dto.postbackUrl, 'braces');
      if (problem) problems.postbackUrl = [problem];
    }
    if (Object.keys(problems).length) throw DomainException.invalid(problems);
  }

  view(r: TrafficSourceEntity) {
    return {
      id: r.id,
      name: r.name,
      clickIdParam: r.clickIdParam,
      costParam: r.costParam,
      params: r.params,
      postbackUrl: r.postbackUrl,
      postbackStatuses: r.postbackStatuses,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      archivedAt: iso(r.archivedAt),
    };
  }
}
