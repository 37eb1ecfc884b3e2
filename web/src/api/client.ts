// The API client: paths and request bodies typed from the OpenAPI document (schema.d.ts, written by
// `npm run openapi`), the key from the session, errors as ApiError with the server's field messages.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ApiPath = keyof paths & string;
export type Query = Record<string, string | number | boolean | string[] | undefined | null>;

const KEY = 'tracker.apiKey';

/** The key lives in sessionStorage only: never a URL, never localStorage (SPEC §10). */
export const session = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Server validation problems by field path, normalised to `a.0.b`. */
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

/** `rules[0].when.country` and `rules.0.when.country` name the same field. */
export function fieldKey(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

const auth: Middleware = {
  onRequest({ request }) {
    const key = session.get();
    if (key) request.headers.set('authorization', `Bearer ${key}`);
    return request;
  },
};

// fetch is looked up per call (tests replace it).
export const client = createClient<paths>({ baseUrl: window.location.origin, fetch: (req: Request) => globalThis.fetch(req) });
client.use(auth);

type WireFields = { field: string; message: string }[] | Record<string, string[] | string>;

function toError(res: Response, body: { code?: string; message?: string; fields?: WireFields } | undefined): ApiError {
  const fields: Record<string, string[]> = {};
  const wire = body?.fields ?? [];
  if (Array.isArray(wire)) for (const f of wire) (fields[fieldKey(String(f.field))] ??= []).push(String(f.message));
  else for (const [k, v] of Object.entries(wire)) fields[fieldKey(k)] = Array.isArray(v) ? v.map(String) : [String(v)];
  if (res.status === 401) onUnauthorized();
  return new ApiError(res.status, body?.code ?? `HTTP_${res.status}`, body?.message ?? (res.statusText || `HTTP ${res.status}`), fields);
}

function clean(query?: Query): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    out[k] = Array.isArray(v) ? v : String(v);
  }
  return out;
}

type Sender = (path: string, init: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
/**
 * openapi-fetch's methods, reached by name: the document does not yet declare query parameters or
 * answers for most routes, so the path is checked against `paths` and the answer's shape is
 * declared by the caller.
 */
const send = client as unknown as Record<'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', Sender>;

/** One request; the path must be one the document names (`{id}` filled from `params`). */
export async function call<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: ApiPath,
  opts: { params?: Record<string, string>; query?: Query; body?: unknown; accept?: string; contentType?: string } = {},
): Promise<T> {
  const text = opts.accept !== undefined && opts.accept !== 'application/json';
  const { data, error, response } = await send[method](path, {
    params: { path: opts.params ?? {}, query: clean(opts.query) },
    ...(opts.body !== undefined && { body: opts.body }),
    // A body given as text with its own type (CSV) goes as it is.
    ...(opts.contentType !== undefined && { bodySerializer: (b: unknown) => b }),
    headers: { accept: opts.accept ?? 'application/json', ...(opts.contentType !== undefined && { 'content-type': opts.contentType }) },
    parseAs: text ? 'text' : 'json',
  });
  if (!response.ok) throw toError(response, typeof error === 'object' && error ? (error as never) : undefined);
  return data as T;
}

export const api = {
  get: <T>(path: ApiPath, query?: Query, params?: Record<string, string>) => call<T>('GET', path, { query, params }),
  post: <T>(path: ApiPath, body: unknown, params?: Record<string, string>) => call<T>('POST', path, { body, params }),
  patch: <T>(path: ApiPath, body: unknown, params?: Record<string, string>) => call<T>('PATCH', path, { body, params }),
  put: <T>(path: ApiPath, body: unknown, params?: Record<string, string>) => call<T>('PUT', path, { body, params }),
  del: (path: ApiPath, params?: Record<string, string>) => call<void>('DELETE', path, { params }),
  getText: (path: ApiPath, query?: Query) => call<string>('GET', path, { query, accept: 'text/csv' }),
  postText: <T>(path: ApiPath, text: string, contentType: string) => call<T>('POST', path, { body: text, contentType }),
};
