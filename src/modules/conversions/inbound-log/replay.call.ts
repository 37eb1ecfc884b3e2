import type { AdapterName } from '../intake/adapters/adapter.registry';
import { ADAPTERS } from '../intake/adapters/adapter.registry';
import type { IntakeCall } from '../intake/intake.call';
import { parseCookies } from '../intake/intake.call';
import { NETWORK_PATHS } from '../intake/receivers';
import type { StoredPostback } from './postback-log.repository';

/** Receivers whose last path segment names the network (SPEC §6), from the registry. */
const NETWORK_PATH = new RegExp(`^(?:${NETWORK_PATHS.map(escapeRegExp).join('|')})/([^/?#]+)/?(?:[?#]|$)`);

/**
 * A logged call as the intake takes it again. The log keeps the call redacted (no token, e-mails
 * hashed), which a replay does not need: it skips the token check, and hashes stay hashes.
 */
export function replayCallOf(entry: StoredPostback, logId: string): IntakeCall {
  const headers: Record<string, string> = { ...entry.headers };
  // The logged address is already the resolved client: no proxy header may override it.
  delete headers['x-forwarded-for'];
  return {
    endpoint: (Object.hasOwn(ADAPTERS, entry.endpoint) ? entry.endpoint : 'generic') as AdapterName,
    raw: {
      method: entry.method,
      url: entry.url,
      query: queryOf(entry.url),
      body: entry.body,
      contentType: headers['content-type'] ?? null,
      cookies: parseCookies(headers.cookie),
    },
    pathNetworkId: networkIdOf(entry.url),
    origin: { socketIp: entry.ip ?? '', socketProtocol: 'http', headers, host: null },
    replayOf: entry.id,
    logId,
  };
}

/** Decoded once, `+` as a space, repeated names as arrays: what the HTTP layer hands over. */
export function queryOf(url: string): Record<string, string | string[]> {
  const q = url.indexOf('?');
  const query: Record<string, string | string[]> = Object.create(null);
  if (q < 0) return query;
  for (const [name, value] of new URLSearchParams(url.slice(q + 1))) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

export function networkIdOf(url: string): string | null {
  const m = NETWORK_PATH.exec(url);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
