import type { FastifyRequest } from 'fastify';
import type { AdapterName } from './adapters/adapter.registry';
import type { RawCall } from './adapters/adapter.types';

/** Where a call came from, as the client description needs it. */
export interface CallOrigin {
  socketIp: string;
  socketProtocol: 'http' | 'https';
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  host: string | null;
}

/** One conversion call handed to the intake: which adapter reads it, and the request as received. */
export interface IntakeCall {
  endpoint: AdapterName;
  raw: RawCall;
  pathNetworkId: string | null;
  origin: CallOrigin;
  /** The inbound log entry this call re-runs; a replay skips the token and address checks. */
  replayOf: string | null;
  /** The id its own log entry gets (a replay claims it beforehand); minted when absent. */
  logId?: string;
}

export function intakeCallOf(req: FastifyRequest, endpoint: AdapterName, pathNetworkId: string | null = null): IntakeCall {
  return { endpoint, raw: rawCallOf(req), pathNetworkId, origin: originOf(req), replayOf: null };
}

export function rawCallOf(req: FastifyRequest): RawCall {
  const contentType = req.headers['content-type'];
  return {
    method: req.method,
    url: req.url,
    query: (req.query ?? {}) as RawCall['query'],
    body: typeof req.rawBody === 'string' ? req.rawBody : null,
    contentType: typeof contentType === 'string' ? contentType : null,
    cookies: parseCookies(req.headers.cookie),
  };
}

export function originOf(req: FastifyRequest): CallOrigin {
  const socket = req.socket as { remoteAddress?: string; encrypted?: boolean } | undefined;
  return {
    socketIp: socket?.remoteAddress ?? '',
    socketProtocol: socket?.encrypted ? 'https' : 'http',
    headers: req.headers,
    host: typeof req.headers.host === 'string' ? req.headers.host.slice(0, 255) : null,
  };
}

/** `a=1; tt_cid=...`: first value of each name wins; a value that does not decode stays as sent. */
export function parseCookies(header: string | string[] | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null);
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (!text) return cookies;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || Object.hasOwn(cookies, name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}
