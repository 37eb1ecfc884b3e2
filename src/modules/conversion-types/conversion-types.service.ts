import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ChangeBus } from '../../common/change-bus';
import { deleteOrArchive, findOrFail, iso, listPage, newId } from '../../common/crud';
import { DomainException } from '../../common/domain.exception';
import { Page, PageRequest } from '../../common/paging';
import { CreateConversionTypeDto, UpdateConversionTypeDto } from './conversion-type.dto';
import { ConversionTypeEntity } from './conversion-type.entity';

export type ConversionTypeView = ReturnType<ConversionTypesService['view']>;

@Injectable()
export class ConversionTypesService {
  constructor(
    @InjectRepository(ConversionTypeEntity) private readonly repo: Repository<ConversionTypeEntity>,
    private readonly changes: ChangeBus,
  ) {}

  async create(dto: CreateConversionTypeDto): Promise<ConversionTypeView> {
    const id = dto.id ?? newId();
    if (await this.repo.findOne({ where: { id } })) throw DomainException.field('id', `a conversion type with id '${id}' exists`);
    const aliases = dto.aliases ?? [];
    await this.checkNames(id, [id, dto.code, ...aliases]);
    const now = new Date();
    const row = await this.repo.save(
      this.repo.create({
        id,
        code: dto.code,
        name: dto.name ?? dto.code,
        aliases,
        multiplePerClick: dto.multiplePerClick ?? false,
        createdAt: now,
        updatedAt: now,
      }),
    );
    this.changes.emit('conversion-types');
    return this.view(row);
  }

  list(page: PageRequest, includeArchived: boolean): Promise<Page<ConversionTypeView>> {
    return listPage(this.repo, page, (r) => this.view(r), { includeArchived });
  }

  async get(id: string): Promise<ConversionTypeView> {
    return this.view(await findOrFail(this.repo, 'conversion type', id));
  }

  async update(id: string, dto: UpdateConversionTypeDto): Promise<ConversionTypeView> {
    const row = await findOrFail(this.repo, 'conversion type', id);
    if (dto.id !== undefined && dto.id !== id) throw DomainException.field('id', 'cannot be changed');
    const code = dto.code ?? row.code;
    const aliases = dto.aliases ?? row.aliases;
    await this.checkNames(id, [id, code, ...aliases]);
    Object.assign(row, { code, aliases, name: dto.name ?? row.name, multiplePerClick: dto.multiplePerClick ?? row.multiplePerClick, updatedAt: new Date() });
    await this.repo.save(row);
    this.changes.emit('conversion-types');
    return this.view(row);
  }

  async remove(id: string): Promise<void> {
    await findOrFail(this.repo, 'conversion type', id);
    await deleteOrArchive(this.repo, id, `EXISTS (SELECT 1 FROM conversions WHERE conversion_type_id = $1)`);
    this.changes.emit('conversion-types');
  }

  /** Ids, codes and aliases are one namespace, case ignored (SPEC §3): a clash is a 400. */
  private async checkNames(selfId: string, names: string[]): Promise<void> {
    const lower = names.map((n) => n.toLowerCase());
    const own = lower.slice(1);
    if (new Set(own).size !== own.length) throw DomainException.field('aliases', 'the code and aliases must differ from each other');
    const others = await this.repo.find();
    const taken = new Map<string, string>();
    for (const t of others) {
      if (t.id === selfId || t.archivedAt) continue;
      for (const n of [t.id, t.code, ...t.aliases]) taken.set(n.toLowerCase(), t.id);
    }
    const clashes = lower.filter((n) => taken.has(n));
    if (clashes.length)
      throw DomainException.invalid({ code: [`already used by conversion type '${taken.get(clashes[0])}': ${[...new Set(clashes)].join(', ')}`] });
  }

  view(r: ConversionTypeEntity) {
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      aliases: r.aliases,
      multiplePerClick: r.multiplePerClick,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      archivedAt: iso(r.archivedAt),
    };
  }
}
