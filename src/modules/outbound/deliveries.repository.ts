import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PageRequest, pageConditions } from '../../common/paging';
import { SqlConditions } from '../../common/sql-conditions';

export interface AttemptFilter {
  outcome: string | null;
  messageStatus: string | null;
  messageId: string | null;
  conversionId: string | null;
  subscriptionId: string | null;
  kind: string | null;
}

export interface AttemptRow {
  id: string;
  created_at: Date;
  message_id: string;
  attempt: number;
  outcome: string;
  status_code: number | null;
  latency_ms: number | null;
  response_snippet: string | null;
  error: string | null;
  conversion_id: string;
  kind: string;
  subscription_id: string | null;
  receiver_index: number | null;
  target: string;
  sequence_number: number;
  method: string;
  url: string;
  message_status: string;
}

export interface MessageRow {
  id: string;
  created_at: Date;
  updated_at: Date;
  conversion_id: string;
  kind: string;
  subscription_id: string | null;
  receiver_index: number | null;
  target: string;
  sequence_number: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  signed: boolean;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  locked_until: Date | null;
  last_error: string | null;
  delivered_at: Date | null;
}

const ATTEMPT_COLUMNS = `a.id, a.created_at, a.message_id, a.attempt, a.outcome, a.status_code, a.latency_ms, a.response_snippet, a.error,
  m.conversion_id, m.kind, m.subscription_id, m.receiver_index, m.target, m.sequence_number, m.method, m.url, m.status AS message_status`;

const MESSAGE_COLUMNS = `m.id, m.created_at, m.updated_at, m.conversion_id, m.kind, m.subscription_id, m.receiver_index, m.target,
  m.sequence_number, m.method, m.url, m.headers, (m.signing_secret IS NOT NULL) AS signed, m.status, m.attempts,
  m.next_attempt_at, m.locked_until, m.last_error, m.delivered_at`;

/** The delivery log (SPEC §7, §8) and the outbox as the API shows them. */
@Injectable()
export class DeliveriesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  listAttempts(page: PageRequest, f: AttemptFilter): Promise<AttemptRow[]> {
    const c = new SqlConditions();
    c.with(pageConditions(page, c.params, 'a'))
      .eq('a.outcome', f.outcome)
      .eq('m.status', f.messageStatus)
      .eq('a.message_id', f.messageId)
      .eq('m.conversion_id', f.conversionId)
      .eq('m.subscription_id', f.subscriptionId)
      .eq('m.kind', f.kind);
    const limit = c.limit(page.limit + 1);
    return this.db.query(
      `SELECT ${ATTEMPT_COLUMNS}
         FROM delivery_attempts a JOIN outbox_messages m ON m.id = a.message_id
        ${c.where}
        ORDER BY a.created_at DESC, a.id DESC
        LIMIT ${limit}`,
      c.params,
    );
  }

  listMessages(page: PageRequest, f: Omit<AttemptFilter, 'outcome' | 'messageId'>): Promise<MessageRow[]> {
    const c = new SqlConditions();
    c.with(pageConditions(page, c.params, 'm'))
      .eq('m.status', f.messageStatus)
      .eq('m.conversion_id', f.conversionId)
      .eq('m.subscription_id', f.subscriptionId)
      .eq('m.kind', f.kind);
    const limit = c.limit(page.limit + 1);
    return this.db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM outbox_messages m
        ${c.where}
        ORDER BY m.created_at DESC, m.id DESC
        LIMIT ${limit}`,
      c.params,
    );
  }

  async findMessage(id: string): Promise<MessageRow | null> {
    const rows: MessageRow[] = await this.db.query(`SELECT ${MESSAGE_COLUMNS} FROM outbox_messages m WHERE m.id = $1`, [id]);
    return rows[0] ?? null;
  }

  findAttemptsOfMessage(id: string): Promise<AttemptRow[]> {
    return this.db.query(
      `SELECT ${ATTEMPT_COLUMNS}
         FROM delivery_attempts a JOIN outbox_messages m ON m.id = a.message_id
        WHERE a.message_id = $1 ORDER BY a.created_at, a.id`,
      [id],
    );
  }

  /**
   * Sends a message again now, with the same id. A finished one (dead, blocked, delivered) starts
   * a fresh retry schedule; a pending one is only made due, its lease left alone so a send in
   * flight is not doubled.
   */
  async requeueMessage(id: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE outbox_messages
          SET attempts = CASE WHEN status = 'pending' THEN attempts ELSE 0 END,
              locked_until = CASE WHEN status = 'pending' THEN locked_until ELSE NULL END,
              delivered_at = NULL,
              status = 'pending',
              next_attempt_at = now(),
              updated_at = now()
        WHERE id = $1`,
      [id],
    );
    if (!(Array.isArray(result) && Number(result[1]) === 1)) return false;
    // Messages queued behind it were held back to its retry time; they follow it now.
    await this.db.query(
      `UPDATE outbox_messages s SET next_attempt_at = now(), updated_at = now()
         FROM outbox_messages o
        WHERE o.id = $1 AND s.conversion_id = o.conversion_id AND s.target = o.target
          AND s.sequence_number > o.sequence_number AND s.status = 'pending' AND s.attempts = 0 AND s.next_attempt_at > now()`,
      [id],
    );
    return true;
  }
}
