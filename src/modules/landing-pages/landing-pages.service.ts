import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ChangeBus } from '../../common/change-bus';
import { deleteOrArchive, findOrFail, iso, listPage, newId } from '../../common/crud';
import { DomainException } from '../../common/domain.exception';
import { Page, PageRequest } from '../../common/paging';
import { destinationUrlProblem } from '../../common/url-template';
import { CreateLandingPageDto, UpdateLandingPageDto } from './landing-page.dto';
import { LandingPageEntity } from './landing-page.entity';

export type LandingPageView = ReturnType<LandingPagesService['view']>;

@Injectable()
export class LandingPagesService {
  constructor(
    @InjectRepository(LandingPageEntity) private readonly repo: Repository<LandingPageEntity>,
    private readonly changes: ChangeBus,
  ) {}

  async create(dto: CreateLandingPageDto): Promise<LandingPageView> {
    checkUrl(dto.url);
    const now = new Date();
    const row = await this.repo.save(this.repo.create({ id: newId(), name: dto.name, url: dto.url, createdAt: now, updatedAt: now }));
    return this.view(row);
  }

  list(page: PageRequest, includeArchived: boolean): Promise<Page<LandingPageView>> {
    return listPage(this.repo, page, (r) => this.view(r), { includeArchived });
  }

  async get(id: string): Promise<LandingPageView> {
    return this.view(await findOrFail(this.repo, 'landing page', id));
  }

  async update(id: string, dto: UpdateLandingPageDto): Promise<LandingPageView> {
    const row = await findOrFail(this.repo, 'landing page', id);
    if (dto.url !== undefined) checkUrl(dto.url);
    if (dto.name !== undefined) row.name = dto.name;
    if (dto.url !== undefined) row.url = dto.url;
    row.updatedAt = new Date();
    await this.repo.save(row);
    this.changes.emit('landing-pages');
    return this.view(row);
  }

  async remove(id: string): Promise<void> {
    await findOrFail(this.repo, 'landing page', id);
    await deleteOrArchive(
      this.repo,
      id,
      `EXISTS (SELECT 1 FROM campaigns, jsonb_array_elements(destinations) d WHERE d->>'landingPageId' = $1)
       OR EXISTS (SELECT 1 FROM visits WHERE landing_page_id = $1)`,
    );
    this.changes.emit('landing-pages');
  }

  view(r: LandingPageEntity) {
    return { id: r.id, name: r.name, url: r.url, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(), archivedAt: iso(r.archivedAt) };
  }
}

function checkUrl(url: string): void {
  const problem = destinationUrlProblem(url);
  if (problem) throw DomainException.field('url', problem);
}
