import { DomainException } from './domain.exception';

/** Keyset paging (SPEC §1): newest first, `limit` 1..1000 (default 50), an opaque cursor. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  /** Rows strictly older than this key: (created_at, id). */
  after: { createdAt: string; id: string } | null;
  from: Date | null;
  to: Date | null;
}

export function encodeCursor(createdAt: Date | string, id: string): string {
  const iso = typeof createdAt === 'string' ? createdAt : createdAt.toISOString();
  return Buffer.from(`${iso}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const createdAt = text.slice(0, bar);
  if (bar < 0 || Number.isNaN(Date.parse(createdAt))) throw DomainException.field('cursor', 'is not a cursor this API gave out');
  return { createdAt, id: text.slice(bar + 1) };
}

function parseTime(field: string, value: unknown): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const d = new Date(String(value));
  if (Number.isNaN(d.getTime())) throw DomainException.field(field, 'must be an ISO 8601 time');
  return d;
}

export function parsePageRequest(query: Record<string, unknown>): PageRequest {
  const problems: Record<string, string[]> = {};
  let limit = 50;
  if (query.limit !== undefined && query.limit !== '') {
    const n = Number(query.limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) problems.limit = ['must be a whole number from 1 to 1000'];
    else limit = n;
  }
  let after = null;
  let from = null;
  let to = null;
  try {
    after = typeof query.cursor === 'string' && query.cursor ? decodeCursor(query.cursor) : null;
  } catch (e) {
    problems.cursor = ['is not a cursor this API gave out'];
  }
  try {
    from = parseTime('from', query.from);
  } catch {
    problems.from = ['must be an ISO 8601 time'];
  }
  try {
    to = parseTime('to', query.to);
  } catch {
    problems.to = ['must be an ISO 8601 time'];
  }
  if (Object.keys(problems).length) throw DomainException.invalid(problems);
  return { limit, after, from, to };
}

/** Takes `limit + 1` fetched rows and answers the page with the cursor of its last row. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => { createdAt: Date | string; id: string }, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(map),
    nextCursor: more && last ? encodeCursor(key(last).createdAt, key(last).id) : null,
  };
}

/**
 * Appends the paging conditions for a table with `created_at` and `id` to a WHERE list.
 * `alias` prefixes the columns; values go into `params` as bound parameters.
 */
export function pageConditions(page: PageRequest, params: unknown[], alias = ''): string[] {
  const p = alias ? `${alias}.` : '';
  const where: string[] = [];
  if (page.from) {
    params.push(page.from.toISOString());
    where.push(`${p}created_at >= $${params.length}`);
  }
  if (page.to) {
    params.push(page.to.toISOString());
    where.push(`${p}created_at < $${params.length}`);
  }
  if (page.after) {
    params.push(page.after.createdAt, page.after.id);
    where.push(`(${p}created_at, ${p}id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  return where;
}
