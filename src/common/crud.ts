import { Brackets, ObjectLiteral, Repository } from 'typeorm';
import { DomainException } from './domain.exception';
import { mintId } from './ids';
import { Page, PageRequest, toPage } from './paging';

/**
 * The list/get/archive mechanics shared by the management resources. Each resource's service
 * keeps its own rules (validation of references, response shape) and calls these.
 */
export async function listPage<E extends ObjectLiteral & { id: string; createdAt: Date }, T>(
  repo: Repository<E>,
  page: PageRequest,
  map: (e: E) => T,
  opts: { includeArchived?: boolean; where?: (qb: ReturnType<Repository<E>['createQueryBuilder']>) => void } = {},
): Promise<Page<T>> {
  const qb = repo.createQueryBuilder('e');
  if (!opts.includeArchived) qb.andWhere('e.archived_at IS NULL');
  if (page.from) qb.andWhere('e.created_at >= :from', { from: page.from });
  if (page.to) qb.andWhere('e.created_at < :to', { to: page.to });
  if (page.after) {
    const { createdAt, id } = page.after;
    qb.andWhere(
      new Brackets((w) => w.where('e.created_at < :ca', { ca: createdAt }).orWhere('(e.created_at = :ca AND e.id < :cid)', { ca: createdAt, cid: id })),
    );
  }
  opts.where?.(qb);
  const rows = await qb
    .orderBy('e.created_at', 'DESC')
    .addOrderBy('e.id', 'DESC')
    .take(page.limit + 1)
    .getMany();
  return toPage(rows, page.limit, (r) => ({ createdAt: r.createdAt, id: r.id }), map);
}

export async function findOrFail<E extends ObjectLiteral>(repo: Repository<E>, what: string, id: string): Promise<E> {
  const found = await repo.findOne({ where: { id } as never });
  if (!found) throw DomainException.notFound(what, id);
  return found;
}

export const newId = () => mintId();

/** Whether `table` holds a row with this id (a reference a body names, an entry written already). */
export async function idExists(db: { query(sql: string, params: unknown[]): Promise<unknown[]> }, table: string, id: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).length > 0;
}

export function parseIncludeArchived(query: Record<string, unknown>): boolean {
  return query.archived === 'true' || query.archived === '1';
}

/**
 * DELETE of a management resource (SPEC §3): erased when nothing refers to it, archived (kept,
 * hidden from lists) when `referencedSql` (a boolean SELECT taking the id as $1) says it is used.
 */
export async function deleteOrArchive<E extends ObjectLiteral>(repo: Repository<E>, id: string, referencedSql: string): Promise<'deleted' | 'archived'> {
  const [{ used }] = await repo.manager.query(`SELECT (${referencedSql}) AS used`, [id]);
  if (used) {
    await repo.update({ id } as never, { archivedAt: new Date(), updatedAt: new Date() } as never);
    return 'archived';
  }
  await repo.delete({ id } as never);
  return 'deleted';
}

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
