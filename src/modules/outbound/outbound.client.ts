import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkUrlForSave, resolveWithDns, type ResolveAll } from './address.guard';
import { BlockedAddressError, createGuardedLookup } from './guarded.lookup';
import { parseRetryAfter } from './retry.policy';

export interface OutboundRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OutboundResult {
  outcome: 'delivered' | 'failed' | 'blocked';
  statusCode: number | null;
  latencyMs: number;
  /** The first bytes of the response body, for the delivery log. */
  responseSnippet: string | null;
  error: string | null;
  retryAfterMs: number | null;
}

export interface OutboundClientOptions {
  allowPrivate: boolean;
  timeoutMs?: number;
  maxResponseBytes?: number;
  maxSockets?: number;
  /** Name resolution; replaceable so tests can play a rebinding resolver. */
  resolve?: ResolveAll;
}

const SNIPPET_BYTES = 512;

/**
 * The one way the tracker calls user-configured URLs (SPEC §7). Every address is checked on the
 * connection itself: the lookup below is what net.connect dials, so a name that resolves to a
 * public address at save time and a private one now (DNS rebinding) is still refused.
 * Redirects are never followed; `send` never throws.
 */
export class OutboundClient {
  private readonly allowPrivate: boolean;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly lookup: LookupFunction;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(opts: OutboundClientOptions) {
    this.allowPrivate = opts.allowPrivate;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxResponseBytes = opts.maxResponseBytes ?? 64 * 1024;
    this.lookup = createGuardedLookup(opts.allowPrivate, opts.resolve ?? resolveWithDns);
    const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 8, maxFreeSockets: 4, timeout: 30_000 };
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = new https.Agent(agentOptions);
  }

  /** Closes pooled connections (shutdown, tests). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  send(req: OutboundRequest): Promise<OutboundResult> {
    const started = performance.now();
    const result = (fields: Partial<OutboundResult> & Pick<OutboundResult, 'outcome'>): OutboundResult => ({
      statusCode: null,
      responseSnippet: null,
      error: null,
      retryAfterMs: null,
      ...fields,
      latencyMs: Math.round(performance.now() - started),
    });

    // Same rules as at save time; net.connect skips the lookup for an IP literal, so this is
    // also where a literal address is refused.
    const problem = checkUrlForSave(req.url, this.allowPrivate);
    if (problem !== null) return Promise.resolve(result({ outcome: 'blocked', error: problem }));
    const url = new URL(req.url);

    return new Promise<OutboundResult>((done) => {
      let settled = false;
      let statusCode: number | null = null;
      let retryAfterMs: number | null = null;
      const snippet: Buffer[] = [];
      let received = 0;

      const finish = (error: unknown, complete = false): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // A complete exchange leaves the socket to the keep-alive pool; anything else drops it.
        if (!complete) request.destroy();
        if (statusCode !== null) {
          // The status line decides; a body cut short after it does not change the outcome.
          const ok = statusCode >= 200 && statusCode < 300;
          done(
            result({
              outcome: ok ? 'delivered' : 'failed',
              statusCode,
              responseSnippet: Buffer.concat(snippet).subarray(0, SNIPPET_BYTES).toString('utf8'),
              retryAfterMs,
              error: ok ? null : `HTTP ${statusCode}`,
            }),
          );
        } else if (error instanceof BlockedAddressError) {
          done(result({ outcome: 'blocked', error: error.message }));
        } else {
          done(result({ outcome: 'failed', error: describe(error) }));
        }
      };

      const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
      const headers: Record<string, string> = { 'user-agent': 'tracker-postback/1', ...req.headers };
      if (body !== undefined) headers['content-length'] = String(body.length);
      const timer = setTimeout(() => finish(new Error('timeout')), this.timeoutMs);

      let request: http.ClientRequest;
      try {
        const transport = url.protocol === 'https:' ? https : http;
        const agent = url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
        request = transport.request(url, { method: req.method, headers, agent, lookup: this.lookup });
      } catch (error) {
        // Invalid header characters (CR, LF) and the like are refused synchronously by node:http.
        clearTimeout(timer);
        done(result({ outcome: 'failed', error: describe(error) }));
        return;
      }
      request.on('error', finish);
      request.on('response', (res) => {
        statusCode = res.statusCode ?? 0;
        retryAfterMs = parseRetryAfter(headerValue(res.headers['retry-after']));
        res.on('data', (chunk: Buffer) => {
          if (received < SNIPPET_BYTES) snippet.push(chunk);
          received += chunk.length;
          if (received > this.maxResponseBytes) finish(null);
        });
        res.on('end', () => finish(null, true));
        res.on('error', finish);
      });
      request.end(body);
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describe(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}
