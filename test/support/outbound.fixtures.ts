import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import type { ConversionChange, ConversionStatus } from '../../src/common/conversion-change';
import { mintId } from '../../src/common/ids';
import type { OutboxWriter } from '../../src/modules/outbound/outbox.writer';

/** What a test receiver saw. */
export interface Received {
  method: string;
  url: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** How a test receiver answers a request: a status (with headers), or `hang` to never answer. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/**
 * A recording HTTP receiver on 127.0.0.1. `reply` decides each answer and may be swapped at any
 * time; `waitFor` resolves as soon as a matching request arrives (no sleeping in tests).
 */
export class TestReceiver {
  readonly received: Received[] = [];
  reply: (req: Received) => Reply = () => ({ status: 200, body: 'ok' });
  private readonly events = new EventEmitter();
  private readonly hanging = new Set<http.ServerResponse>();
  private server: http.Server | null = null;
  port = 0;

  static async start(port = 0): Promise<TestReceiver> {
    const rx = new TestReceiver();
    await rx.listen(port);
    return rx;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(port = this.port): Promise<void> {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const seen: Received = {
          method: req.method ?? '',
          url: req.url ?? '',
          path: (req.url ?? '').split('?')[0],
          headers: req.headers,
          body,
          at: Date.now(),
        };
        this.received.push(seen);
        this.events.emit('request', seen);
        const reply = this.reply(seen);
        if (reply === 'hang') {
          this.hanging.add(res);
          return;
        }
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Answers every request left hanging. */
  release(status = 200): void {
    for (const res of this.hanging) if (!res.writableEnded && !res.destroyed) res.writeHead(status).end('released');
    this.hanging.clear();
  }

  /** Stops listening and drops every connection: calls are refused until `listen()` again. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    this.hanging.clear();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  count(pred: (r: Received) => boolean = () => true): number {
    return this.received.filter(pred).length;
  }

  waitFor(pred: (r: Received) => boolean, timeoutMs = 8000, what = 'a request'): Promise<Received> {
    const found = this.received.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('request', on);
        reject(new Error(`nothing reached the receiver within ${timeoutMs} ms: ${what}`));
      }, timeoutMs);
      const on = (r: Received) => {
        if (!pred(r)) return;
        clearTimeout(timer);
        this.events.off('request', on);
        resolve(r);
      };
      this.events.on('request', on);
    });
  }

  /** Resolves once `n` requests match. */
  async waitForCount(pred: (r: Received) => boolean, n: number, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.count(pred) < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`only ${this.count(pred)} of ${n} requests arrived within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        this.events.once('request', done);
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  }
}

export interface ConversionInput {
  campaignId?: string | null;
  offerId?: string | null;
  affiliateNetworkId?: string | null;
  trafficSourceId?: string | null;
  externalId?: string | null;
  country?: string | null;
  status?: ConversionStatus;
  payout?: string;
  currency?: string;
  conversionTypeId?: string;
  transactionId?: string | null;
}

/**
 * Creates a visit and a conversion by SQL and tells the outbox in the same transaction, as the
 * conversion service does, so these tests do not depend on the intake.
 */
export async function createConversion(db: DataSource, writer: OutboxWriter, input: ConversionInput = {}): Promise<string> {
  const visitId = mintId();
  const id = mintId();
  const status = input.status ?? 'approved';
  await db.transaction(async (m) => {
    await m.query(
      `INSERT INTO visits (id, created_at, campaign_id, traffic_source_id, offer_id, external_id, country)
       VALUES ($1, now() - interval '1 hour', $2, $3, $4, $5, $6)`,
      [visitId, input.campaignId ?? 'camp-1', input.trafficSourceId ?? null, input.offerId ?? null, input.externalId ?? null, input.country ?? 'US'],
    );
    await m.query(
      `INSERT INTO conversions (id, created_at, updated_at, dedupe_key, visit_id, visit_created_at, click_id, campaign_id,
         traffic_source_id, offer_id, affiliate_network_id, conversion_type_id, transaction_id, status, payout, currency, country)
       VALUES ($1, now(), now(), $1, $2, now() - interval '1 hour', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        id,
        visitId,
        input.campaignId === undefined ? 'camp-1' : input.campaignId,
        input.trafficSourceId ?? null,
        input.offerId ?? null,
        input.affiliateNetworkId ?? null,
        input.conversionTypeId ?? '1',
        input.transactionId === undefined ? `tx-${id}` : input.transactionId,
        status,
        input.payout ?? '10.50',
        input.currency ?? 'USD',
        input.country ?? 'US',
      ],
    );
    await writer.onConversionChanged(m, change(id, 'created', null, status));
  });
  return id;
}

/** Changes a conversion's status (and payout) and tells the outbox, in one transaction. */
export async function changeConversion(db: DataSource, writer: OutboxWriter, id: string, status: ConversionStatus, payout?: string): Promise<void> {
  await db.transaction(async (m) => {
    const [row] = await m.query(`SELECT status FROM conversions WHERE id = $1 FOR UPDATE`, [id]);
    await m.query(`UPDATE conversions SET status = $2, payout = COALESCE($3::numeric, payout), updated_at = now() WHERE id = $1`, [id, status, payout ?? null]);
    await writer.onConversionChanged(m, change(id, row.status === status ? 'amount_changed' : 'status_changed', row.status, status));
  });
}

function change(conversionId: string, kind: ConversionChange['kind'], previousStatus: ConversionStatus | null, status: ConversionStatus): ConversionChange {
  return { conversionId, kind, previousStatus, status, occurredAt: new Date() };
}

/** A valid Standard Webhooks secret. */
export function newSecret(): string {
  return 'whsec_' + Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + Date.now()) & 255)).toString('base64');
}

export interface OutboxRow {
  id: string;
  conversion_id: string;
  kind: string;
  target: string;
  sequence_number: number;
  method: string;
  url: string;
  body: string | null;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  locked_until: Date | null;
}

export function outboxRows(db: DataSource, conversionId?: string): Promise<OutboxRow[]> {
  return conversionId
    ? db.query(`SELECT * FROM outbox_messages WHERE conversion_id = $1 ORDER BY target, sequence_number`, [conversionId])
    : db.query(`SELECT * FROM outbox_messages ORDER BY created_at, id`);
}

/** Makes every pending message due now: the retry schedule's wait, skipped. */
export async function makeAllDue(db: DataSource): Promise<void> {
  await db.query(`UPDATE outbox_messages SET next_attempt_at = now() WHERE status = 'pending'`);
}
