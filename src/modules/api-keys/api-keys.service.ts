import { LRUCache } from 'lru-cache';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { findOrFail, listPage, newId } from '../../common/crud';
import { Page, PageRequest } from '../../common/paging';
import { CreateApiKeyDto } from './api-key.dto';
import { ApiKeyEntity, ApiKeyScope } from './api-key.entity';
import { generateApiKey, hashApiKey, secretsEqual } from './api-key.hash';

export interface ApiKeyView {
  id: string;
  name: string;
  scope: ApiKeyScope;
  keyPrefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  archivedAt: string | null;
}

/** How long a key lookup is remembered: other processes see a revoked key within this. */
const CACHE_MS = 5_000;

@Injectable()
export class ApiKeysService {
  /** Bounded by least recent use: presenting random keys cannot empty it for the real ones. */
  private readonly cache = new LRUCache<string, { scope: ApiKeyScope | null; until: number }>({ max: 10_000 });

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The scope a presented key grants, or null. */
  async authenticate(key: string): Promise<ApiKeyScope | null> {
    if (this.config.adminApiKey && secretsEqual(key, this.config.adminApiKey)) return 'admin';
    const hash = hashApiKey(key);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.scope;
    const row = await this.repo.findOne({ where: { keyHash: hash } });
    const scope = row && !row.archivedAt ? row.scope : null;
    this.cache.set(hash, { scope, until: now + CACHE_MS });
    if (row && scope) void this.repo.update({ id: row.id }, { lastUsedAt: new Date() }).catch(() => undefined);
    return scope;
  }

  /** Who a presented key is, for `GET /api/v1/me` (the dashboard asks once, at sign-in). */
  async identify(key: string): Promise<{ scope: ApiKeyScope; name: string } | null> {
    if (this.config.adminApiKey && secretsEqual(key, this.config.adminApiKey)) return { scope: 'admin', name: 'ADMIN_API_KEY' };
    const row = await this.repo.findOne({ where: { keyHash: hashApiKey(key) } });
    return row && !row.archivedAt ? { scope: row.scope, name: row.name } : null;
  }

  async create(dto: CreateApiKeyDto): Promise<ApiKeyView & { key: string }> {
    const key = generateApiKey();
    const now = new Date();
    const row = await this.repo.save(
      this.repo.create({ id: newId(), name: dto.name, scope: dto.scope, keyHash: hashApiKey(key), keyPrefix: key.slice(0, 7), createdAt: now, updatedAt: now }),
    );
    return { ...this.view(row), key };
  }

  /** On first start with an empty database and no ADMIN_API_KEY: one admin key, shown once. */
  async bootstrapAdminKey(): Promise<string | null> {
    if (this.config.adminApiKey) return null;
    if ((await this.repo.count()) > 0) return null;
    const created = await this.create({ name: 'initial admin key', scope: 'admin' });
    return created.key;
  }

  list(page: PageRequest, includeArchived: boolean): Promise<Page<ApiKeyView>> {
    return listPage(this.repo, page, (r) => this.view(r), { includeArchived });
  }

  async get(id: string): Promise<ApiKeyView> {
    return this.view(await findOrFail(this.repo, 'api key', id));
  }

  /** A key is revoked, not erased: its row stays for the record. */
  async revoke(id: string): Promise<void> {
    const row = await findOrFail(this.repo, 'api key', id);
    await this.repo.update({ id: row.id }, { archivedAt: new Date(), updatedAt: new Date() });
    this.cache.delete(row.keyHash);
  }

  private view(r: ApiKeyEntity): ApiKeyView {
    return {
      id: r.id,
      name: r.name,
      scope: r.scope,
      keyPrefix: r.keyPrefix,
      createdAt: r.createdAt.toISOString(),
      lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
      archivedAt: r.archivedAt?.toISOString() ?? null,
    };
  }
}
