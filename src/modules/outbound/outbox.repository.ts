import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { mintId } from '../../common/ids';
import type { OutboundResult } from './outbound.client';

/** A message the dispatcher leased and now sends. */
export interface ClaimedMessage {
  id: string;
  conversionId: string;
  kind: 'traffic_source' | 'subscription';
  target: string;
  sequenceNumber: number;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: string | null;
  signingSecret: string | null;
  /** Attempts made before this one. */
  attempts: number;
}

export interface ClaimRequest {
  limit: number;
  /** How many messages this process already has in flight per target. */
  inFlight: Map<string, number>;
  perTargetLimit: number;
  leaseMs: number;
}

/** What became of one attempt, and what the message becomes. */
export interface AttemptRecord {
  messageId: string;
  attempt: number;
  startedAt: Date;
  result: OutboundResult;
  messageStatus: 'pending' | 'delivered' | 'dead' | 'blocked';
  /** For `pending`: when to try again. */
  retryInMs: number | null;
}

/** PostgreSQL text holds no NUL; a receiver may answer one. */
const clean = (text: string | null): string | null => (text === null ? null : text.replace(/\u0000/g, '\uFFFD'));

/** Where a query runs: the shared pool, or a connection a dispatcher keeps for itself. */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape of TypeORM's own query()
  query(sql: string, params?: unknown[]): Promise<any>;
}

/**
 * The dispatcher's queries; each is one statement, so no transaction stays open. Each takes the
 * connection to run on: a dispatcher keeps one of its own so a burst of intake requests queued
 * on the shared pool cannot hold its claims and records back.
 */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A connection of its own, taken from the pool until released. */
  async reserveConnection(): Promise<QueryRunner> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    return runner;
  }

  /**
   * Leases due messages: pending, due, not leased, the oldest undelivered one of its
   * (conversion, target) (order per conversion and receiver), and within each target's share of
   * concurrency. FOR UPDATE SKIP LOCKED lets several processes claim at once without overlap;
   * the lease (locked_until) keeps a claimed message from others until it expires.
   */
  async claimDue(q: Queryable, req: ClaimRequest): Promise<ClaimedMessage[]> {
    const full = [...req.inFlight].filter(([, n]) => n >= req.perTargetLimit).map(([t]) => t);
    const busy = [...req.inFlight].filter(([, n]) => n > 0);
    const rows: Array<Record<string, unknown>> = await q.query(
      `WITH due AS (
         SELECT m.id, m.target, m.next_attempt_at
           FROM outbox_messages m
          WHERE m.status = 'pending' AND m.next_attempt_at <= now()
            AND (m.locked_until IS NULL OR m.locked_until <= now())
            AND m.target <> ALL ($1::text[])
            AND NOT EXISTS (
              SELECT 1 FROM outbox_messages p
               WHERE p.conversion_id = m.conversion_id AND p.target = m.target
                 AND p.sequence_number < m.sequence_number AND p.status = 'pending')
          ORDER BY m.next_attempt_at, m.id
          LIMIT $2
       ), ranked AS (
         SELECT d.id, d.next_attempt_at,
                row_number() OVER (PARTITION BY d.target ORDER BY d.next_attempt_at, d.id) + COALESCE(b.n, 0) AS slot
           FROM due d LEFT JOIN unnest($3::text[], $4::int[]) AS b(target, n) ON b.target = d.target
       ), picked AS (
         SELECT id FROM ranked WHERE slot <= $5 ORDER BY next_attempt_at, id LIMIT $6
       ), locked AS (
         SELECT o.id FROM outbox_messages o
          WHERE o.id IN (SELECT id FROM picked) AND o.status = 'pending'
            AND (o.locked_until IS NULL OR o.locked_until <= now())
            FOR UPDATE SKIP LOCKED
       )
       UPDATE outbox_messages o
          SET locked_until = now() + $7::double precision * interval '1 millisecond', updated_at = now()
         FROM locked WHERE o.id = locked.id
       RETURNING o.id, o.conversion_id, o.kind, o.target, o.sequence_number, o.method, o.url, o.headers, o.body,
                 o.signing_secret, o.attempts, o.next_attempt_at`,
      [full, Math.max(req.limit * 4, 200), busy.map(([t]) => t), busy.map(([, n]) => n), req.perTargetLimit, req.limit, req.leaseMs],
    );
    // UPDATE ... RETURNING answers [rows, count] through TypeORM.
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as Array<Record<string, unknown>>;
    return list
      .sort((a, b) => +(a.next_attempt_at as Date) - +(b.next_attempt_at as Date) || String(a.id).localeCompare(String(b.id)))
      .map((r) => ({
        id: r.id as string,
        conversionId: r.conversion_id as string,
        kind: r.kind as ClaimedMessage['kind'],
        target: r.target as string,
        sequenceNumber: Number(r.sequence_number),
        method: r.method as ClaimedMessage['method'],
        url: r.url as string,
        headers: (r.headers ?? {}) as Record<string, string>,
        body: r.body as string | null,
        signingSecret: r.signing_secret as string | null,
        attempts: Number(r.attempts),
      }));
  }

  /** Logs a batch of attempts and moves each message (and the ones queued behind it) on, in one statement. */
  async recordAttempts(q: Queryable, batch: AttemptRecord[]): Promise<void> {
    if (batch.length === 0) return;
    const column = <T>(f: (a: AttemptRecord) => T): T[] => batch.map(f);
    await q.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::int[], $5::text[], $6::int[], $7::int[],
                              $8::text[], $9::text[], $10::text[], $11::float8[])
             AS i(id, created_at, message_id, attempt, outcome, status_code, latency_ms, snippet, error, message_status, retry_ms)
       ), attempt AS (
         INSERT INTO delivery_attempts (id, created_at, message_id, attempt, outcome, status_code, latency_ms, response_snippet, error)
         SELECT id, created_at, message_id, attempt, outcome, status_code, latency_ms, snippet, error FROM input
       ), successors AS (
         -- Later messages of a rescheduled one cannot go before it: keeping them out of the due
         -- range spares every claim a walk past them while a receiver is down.
         UPDATE outbox_messages s
            SET next_attempt_at = now() + i.retry_ms * interval '1 millisecond'
           FROM input i JOIN outbox_messages o ON o.id = i.message_id
          WHERE i.message_status = 'pending' AND s.conversion_id = o.conversion_id AND s.target = o.target
            AND s.sequence_number > o.sequence_number AND s.status = 'pending'
            AND s.next_attempt_at < now() + i.retry_ms * interval '1 millisecond'
       )
       UPDATE outbox_messages o
          SET status = i.message_status,
              attempts = o.attempts + 1,
              next_attempt_at = CASE WHEN i.message_status = 'pending' THEN now() + i.retry_ms * interval '1 millisecond' ELSE o.next_attempt_at END,
              locked_until = NULL,
              last_error = i.error,
              delivered_at = CASE WHEN i.message_status = 'delivered' THEN now() ELSE o.delivered_at END,
              updated_at = now()
         FROM input i
        WHERE o.id = i.message_id AND o.status = 'pending'`,
      [
        column((a) => mintId(a.startedAt.getTime())),
        column((a) => a.startedAt.toISOString()),
        column((a) => a.messageId),
        column((a) => a.attempt),
        column((a) => a.result.outcome),
        column((a) => a.result.statusCode),
        column((a) => a.result.latencyMs),
        column((a) => clean(a.result.responseSnippet)),
        column((a) => clean(a.result.error)),
        column((a) => a.messageStatus),
        column((a) => a.retryInMs ?? 0),
      ],
    );
  }
}
