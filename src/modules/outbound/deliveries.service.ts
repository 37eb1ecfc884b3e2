import { Injectable } from '@nestjs/common';
import { DomainException } from '../../common/domain.exception';
import { Page, PageRequest, toPage } from '../../common/paging';
import { OutboxDispatcher } from './outbox.dispatcher';
import { AttemptFilter, AttemptRow, DeliveriesRepository, MessageRow } from './deliveries.repository';
import { redactUrl } from './url.redactor';

const OUTCOMES = ['sending', 'interrupted', 'delivered', 'failed', 'blocked'];
const MESSAGE_STATUSES = ['pending', 'delivered', 'dead', 'blocked', 'paused', 'cancelled'];
const KINDS = ['traffic_source', 'subscription'];

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

function text(query: Record<string, unknown>, name: string): string | null {
  const v = query[name];
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * `status` is an attempt's outcome (sending, interrupted, delivered, failed, blocked); `pending`,
 * `dead`, `paused` and `cancelled`, which only messages have, filter on the message's status, as
 * `messageStatus` does.
 */
export function parseAttemptFilter(query: Record<string, unknown>): AttemptFilter {
  const problems: Record<string, string[]> = {};
  const status = text(query, 'status');
  let messageStatus = text(query, 'messageStatus');
  let outcome: string | null = null;
  if (status !== null) {
    if (OUTCOMES.includes(status)) outcome = status;
    else if (['pending', 'dead', 'paused', 'cancelled'].includes(status)) messageStatus ??= status;
    else problems.status = [`must be one of ${[...OUTCOMES, 'pending', 'dead', 'paused', 'cancelled'].join(', ')}`];
  }
  if (messageStatus !== null && !MESSAGE_STATUSES.includes(messageStatus)) problems.messageStatus = [`must be one of ${MESSAGE_STATUSES.join(', ')}`];
  const kind = text(query, 'kind');
  if (kind !== null && !KINDS.includes(kind)) problems.kind = [`must be one of ${KINDS.join(', ')}`];
  if (Object.keys(problems).length) throw DomainException.invalid(problems);
  return {
    outcome,
    messageStatus,
    messageId: text(query, 'messageId'),
    conversionId: text(query, 'conversionId'),
    subscriptionId: text(query, 'subscriptionId'),
    kind,
  };
}

/** `GET /deliveries/messages`: `status` is the message's (pending, delivered, dead, blocked, paused, cancelled). */
export function parseMessageFilter(query: Record<string, unknown>): AttemptFilter {
  const status = text(query, 'status') ?? text(query, 'messageStatus');
  if (status !== null && !MESSAGE_STATUSES.includes(status)) throw DomainException.field('status', `must be one of ${MESSAGE_STATUSES.join(', ')}`);
  return { ...parseAttemptFilter({ ...query, status: undefined, messageStatus: undefined }), messageStatus: status };
}

/** The outbound log: attempts, messages, and a manual retry. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly repo: DeliveriesRepository,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  async listAttempts(page: PageRequest, filter: AttemptFilter): Promise<Page<ReturnType<typeof attemptView>>> {
    const rows = await this.repo.listAttempts(page, filter);
    return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.id }), attemptView);
  }

  async listMessages(page: PageRequest, filter: AttemptFilter): Promise<Page<ReturnType<typeof messageView>>> {
    const rows = await this.repo.listMessages(page, filter);
    return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.id }), messageView);
  }

  async getMessage(id: string) {
    const message = await this.repo.findMessage(id);
    if (!message) throw DomainException.notFound('message', id);
    return { ...messageView(message), attemptLog: (await this.repo.findAttemptsOfMessage(id)).map(attemptView) };
  }

  /** Sends a message again now, with the same message id (so receivers can dedupe). */
  async retry(id: string) {
    if (!(await this.repo.requeueMessage(id))) throw DomainException.notFound('message', id);
    this.dispatcher.wake();
    return messageView((await this.repo.findMessage(id))!);
  }
}

export function attemptView(r: AttemptRow) {
  return {
    id: r.id,
    messageId: r.message_id,
    conversionId: r.conversion_id,
    kind: r.kind,
    subscriptionId: r.subscription_id,
    receiverIndex: r.receiver_index,
    target: r.target,
    sequenceNumber: r.sequence_number,
    method: r.method,
    url: redactUrl(r.url),
    attempt: r.attempt,
    status: r.outcome,
    statusCode: r.status_code,
    latencyMs: r.latency_ms,
    responseSnippet: r.response_snippet,
    error: r.error,
    messageStatus: r.message_status,
    createdAt: iso(r.created_at),
  };
}

export function messageView(r: MessageRow) {
  return {
    id: r.id,
    messageId: r.id,
    conversionId: r.conversion_id,
    kind: r.kind,
    subscriptionId: r.subscription_id,
    receiverIndex: r.receiver_index,
    target: r.target,
    sequenceNumber: r.sequence_number,
    method: r.method,
    url: redactUrl(r.url),
    contentType: r.headers?.['content-type'] ?? null,
    signed: r.signed,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    inFlight: r.status === 'pending' && r.locked_until !== null && new Date(r.locked_until) > new Date(),
    lastError: r.last_error,
    deliveredAt: iso(r.delivered_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
