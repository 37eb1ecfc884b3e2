import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { cleanNullable } from '../../common/db-text';
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
  /** Attempts made, this one included (it is logged as `sending` by the claim). */
  attempts: number;
  /** The `sending` row of this attempt in delivery_attempts, completed once the answer is in. */
  attemptId: string;
  startedAt: Date;
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
  /** The `sending` row the claim wrote. */
  attemptId: string;
  messageId: string;
  attempt: number;
  startedAt: Date;
  result: OutboundResult;
  messageStatus: 'pending' | 'delivered' | 'dead' | 'blocked' | 'paused';
  /** For `pending`: when to try again. */
  retryInMs: number | null;
}

export const INTERRUPTED_ERROR = 'the process stopped before the answer was recorded';

/**
 * An attempt id minted in SQL, shaped as mintId's: 12 hex digits of the time in ms, then 12
 * random ones (gen_random_uuid is core PostgreSQL 13+ and PGlite).
 */
const SQL_ATTEMPT_ID = `lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(replace(gen_random_uuid()::text, '-', ''), 1, 12)`;

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
       ), claimed AS (
         -- The attempt counts from its claim: a crash mid-send leaves it counted and visible.
         UPDATE outbox_messages o
            SET locked_until = now() + $7::double precision * interval '1 millisecond', attempts = o.attempts + 1, updated_at = now()
           FROM locked WHERE o.id = locked.id
         RETURNING o.id, o.conversion_id, o.kind, o.target, o.sequence_number, o.method, o.url, o.headers, o.body,
                   o.signing_secret, o.attempts, o.next_attempt_at
       ), interrupted AS (
         -- A \`sending\` attempt of a message claimed again: its process stopped before the answer was recorded.
         UPDATE delivery_attempts a SET outcome = 'interrupted', error = COALESCE(a.error, $8)
           FROM claimed c WHERE a.message_id = c.id AND a.outcome = 'sending'
       ), started AS (
         INSERT INTO delivery_attempts (id, created_at, message_id, attempt, outcome)
         SELECT ${SQL_ATTEMPT_ID}, now(), c.id, c.attempts, 'sending' FROM claimed c
         RETURNING id, message_id, created_at
       )
       SELECT c.*, s.id AS attempt_id, s.created_at AS attempt_started_at FROM claimed c JOIN started s ON s.message_id = c.id`,
      [full, Math.max(req.limit * 4, 200), busy.map(([t]) => t), busy.map(([, n]) => n), req.perTargetLimit, req.limit, req.leaseMs, INTERRUPTED_ERROR],
    );
    return rows
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
        attemptId: r.attempt_id as string,
        startedAt: new Date(r.attempt_started_at as Date),
      }));
  }

  /**
   * Marks `sending` attempts whose message nobody holds any more (the lease ran out, or the
   * message moved on) as `interrupted`: the process that sent them stopped before recording
   * the answer. Run when a dispatcher starts; a claim does the same for what it takes.
   */
  async markInterrupted(q: Queryable): Promise<number> {
    const result = await q.query(
      `UPDATE delivery_attempts a SET outcome = 'interrupted', error = COALESCE(a.error, $1)
         FROM outbox_messages m
        WHERE a.outcome = 'sending' AND m.id = a.message_id
          AND (m.status <> 'pending' OR m.locked_until IS NULL OR m.locked_until <= now())`,
      [INTERRUPTED_ERROR],
    );
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }

  /**
   * A 410 from a subscription's receiver (Standard Webhooks: stop sending): the receiver is
   * disabled on its subscription and every message still queued for it is paused, not lost,
   * until POST /subscriptions/:id/receivers/:index/enable. Answers the subscription id, or null
   * for a traffic-source postback (those have no receiver to disable).
   */
  async disableReceiverOf(q: Queryable, messageId: string, reason: string): Promise<{ subscriptionId: string; receiverIndex: number } | null> {
    const rows: Array<{ subscription_id: string; receiver_index: number }> = await q.query(
      `WITH m AS (
         SELECT subscription_id, receiver_index FROM outbox_messages
          WHERE id = $1 AND kind = 'subscription' AND subscription_id IS NOT NULL AND receiver_index IS NOT NULL
       ), sub AS (
         UPDATE subscriptions s
            SET receivers = jsonb_set(s.receivers, ARRAY[m.receiver_index::text],
                  (s.receivers -> m.receiver_index) || jsonb_build_object('disabledAt', $2::text, 'disabledReason', $3::text)),
                updated_at = now()
           FROM m
          WHERE s.id = m.subscription_id AND jsonb_array_length(s.receivers) > m.receiver_index
            AND (s.receivers -> m.receiver_index ->> 'disabledAt') IS NULL
       ), paused AS (
         UPDATE outbox_messages o SET status = 'paused', locked_until = NULL, updated_at = now()
           FROM m
          WHERE o.subscription_id = m.subscription_id AND o.receiver_index = m.receiver_index AND o.status = 'pending'
            AND o.id <> $1 AND (o.locked_until IS NULL OR o.locked_until <= now())
       )
       SELECT subscription_id, receiver_index FROM m`,
      [messageId, new Date().toISOString(), reason],
    );
    const r = rows[0];
    return r ? { subscriptionId: r.subscription_id, receiverIndex: Number(r.receiver_index) } : null;
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
         UPDATE delivery_attempts a
            SET outcome = i.outcome, status_code = i.status_code, latency_ms = i.latency_ms, response_snippet = i.snippet, error = i.error
           FROM input i WHERE a.id = i.id
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
              next_attempt_at = CASE WHEN i.message_status = 'pending' THEN now() + i.retry_ms * interval '1 millisecond' ELSE o.next_attempt_at END,
              locked_until = NULL,
              last_error = i.error,
              delivered_at = CASE WHEN i.message_status = 'delivered' THEN now() ELSE o.delivered_at END,
              updated_at = now()
         FROM input i
        WHERE o.id = i.message_id AND o.status = 'pending'`,
      [
        column((a) => a.attemptId),
        column((a) => a.startedAt.toISOString()),
        column((a) => a.messageId),
        column((a) => a.attempt),
        column((a) => a.result.outcome),
        column((a) => a.result.statusCode),
        column((a) => a.result.latencyMs),
        column((a) => cleanNullable(a.result.responseSnippet)),
        column((a) => cleanNullable(a.result.error)),
        column((a) => a.messageStatus),
        column((a) => a.retryInMs ?? 0),
      ],
    );
  }
}
