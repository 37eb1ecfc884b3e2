import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { ChangeBus } from '../../common/change-bus';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AttemptRecorder } from './attempt.recorder';
import { OutboundClient, type OutboundResult } from './outbound.client';
import { OutboxCommitWaker } from './outbox-commit.waker';
import { OutboxMetrics } from './outbox.metrics';
import { ClaimedMessage, OutboxRepository } from './outbox.repository';
import { ReservedConnection } from './reserved.connection';
import { nextAttemptDelayMs } from './retry.policy';
import { redactUrl } from './url.redactor';
import { signWebhook } from './webhook.signer';

/** Knobs of the dispatcher (PostHog style: named, not magic numbers). */
export const DISPATCH = {
  /** Requests open at once in one process. */
  maxInFlight: 128,
  /** Requests open at once per receiver (target), so a slow one cannot take every slot. */
  perTargetInFlight: 32,
  /** SPEC §7: success is a 2xx within 10 s. */
  timeoutMs: 10_000,
  /** A claim holds a message this long; a process that dies mid-send loses it after this. */
  leaseMs: 30_000,
  /** The most attempt results one statement writes. */
  recordBatch: 256,
  /** On shutdown, in-flight sends get this long to finish before they are abandoned. */
  shutdownGraceMs: 12_000,
} as const;

/**
 * Drains the outbox (SPEC §7): claims due messages (several processes may run it at once),
 * sends each with the one guarded OutboundClient, logs every attempt and schedules retries.
 * Polls every OUTBOX_POLL_MS and is woken at once when a message is committed in this process.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('outbox');
  private readonly client: OutboundClient;
  private readonly recorder: AttemptRecorder;
  private readonly connection: ReservedConnection;
  /** Every message claimed and not yet recorded (what runOnce and stop wait for). */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Open requests, in all and per target: a slot frees when the answer is in, before it is recorded. */
  private sending = 0;
  private readonly perTarget = new Map<string, number>();
  private loop: Promise<void> | null = null;
  private stopped = false;
  private abandoned = false;
  private woken = false;
  private wakeWaiter: (() => void) | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: OutboxRepository,
    waker: OutboxCommitWaker,
    @Optional() private readonly changes?: ChangeBus,
    @Optional() private readonly metrics?: OutboxMetrics,
  ) {
    this.client = new OutboundClient({
      allowPrivate: config.outboundAllowPrivate,
      timeoutMs: DISPATCH.timeoutMs,
      maxSockets: DISPATCH.perTargetInFlight * 2,
    });
    this.connection = new ReservedConnection(() => repo.reserveConnection());
    this.recorder = new AttemptRecorder((batch) => repo.recordAttempts(this.connection, batch), DISPATCH.recordBatch);
    waker.onCommit(() => this.wake());
  }

  onApplicationBootstrap(): void {
    if (this.config.outboxEnabled) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Starts the polling loop (once). */
  start(): void {
    if (this.loop || this.stopped) return;
    this.loop = this.run();
  }

  /** Look for due messages now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeWaiter?.();
  }

  /**
   * Stops claiming and lets in-flight sends finish (up to the grace time). `abandon` drops them
   * at once without recording anything, as a crash would: their lease expires and another
   * process sends them again, with the same message id.
   */
  async stop(opts: { abandon?: boolean } = {}): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    if (opts.abandon) this.abandoned = true;
    else await Promise.race([Promise.allSettled([...this.inFlight.values()]), delay(DISPATCH.shutdownGraceMs)]);
    this.abandoned = true;
    this.client.close();
    await this.connection.release();
  }

  /** One claim, and waits for what it claimed to be sent and recorded. Answers how many. */
  async runOnce(): Promise<number> {
    const claimed = await this.claimAndStart();
    await Promise.allSettled([...this.inFlight.values()]);
    return claimed;
  }

  /** Sends everything due now, round after round, until nothing is due (tests, benchmarks). */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.runOnce(); n > 0; n = await this.runOnce()) total += n;
    return total;
  }

  private async run(): Promise<void> {
    try {
      const n = await this.repo.markInterrupted(this.connection);
      if (n > 0) this.logger.warn({ msg: 'outbox attempts interrupted by an earlier stop', count: n });
    } catch (e) {
      this.logger.warn({ msg: 'outbox interrupted-attempt sweep failed', err: (e as Error).message });
    }
    while (!this.stopped) {
      let claimed = 0;
      try {
        claimed = await this.claimAndStart();
      } catch (e) {
        this.logger.warn({ msg: 'outbox claim failed', err: (e as Error).message });
      }
      if (this.stopped) break;
      if (claimed > 0 && this.sending < DISPATCH.maxInFlight) continue;
      await this.sleep(this.config.outboxPollMs);
    }
  }

  /** Waits for the poll interval or a wake(), whichever comes first; a wake is never lost. */
  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wakeWaiter = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeWaiter = finish;
    });
  }

  private async claimAndStart(): Promise<number> {
    const free = DISPATCH.maxInFlight - this.sending;
    if (free <= 0 || this.abandoned) return 0;
    const messages = await this.repo.claimDue(this.connection, {
      limit: free,
      inFlight: this.perTarget,
      perTargetLimit: DISPATCH.perTargetInFlight,
      leaseMs: DISPATCH.leaseMs,
    });
    for (const m of messages) this.begin(m);
    return messages.length;
  }

  private begin(m: ClaimedMessage): void {
    this.sending += 1;
    this.perTarget.set(m.target, (this.perTarget.get(m.target) ?? 0) + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.sending -= 1;
      const left = (this.perTarget.get(m.target) ?? 1) - 1;
      if (left > 0) this.perTarget.set(m.target, left);
      else this.perTarget.delete(m.target);
      this.wake();
    };
    const task = this.deliver(m, release)
      .catch((e: unknown) => this.logger.error({ msg: 'outbox message failed', messageId: m.id, err: (e as Error).message }))
      .finally(() => {
        release();
        this.inFlight.delete(m.id);
        // Recorded: the next message of this conversion and receiver may be due now.
        this.wake();
      });
    this.inFlight.set(m.id, task);
  }

  private async deliver(m: ClaimedMessage, answered: () => void): Promise<void> {
    const body = m.body ?? undefined;
    const headers = { ...m.headers };
    // Signed at send time, so a retry carries a fresh timestamp and the same webhook-id.
    if (m.signingSecret) Object.assign(headers, signWebhook(m.signingSecret, m.id, Date.now() / 1000, m.body ?? ''));
    // The claim already logged this attempt as `sending`: a crash from here on leaves it visible.
    const result = await this.client.send({ method: m.method, url: m.url, headers, body });
    answered();
    if (this.abandoned) return;
    const attempt = m.attempts;
    const next = this.decide(m, result, attempt);
    if (result.outcome !== 'delivered') this.metrics?.failed();
    if (next.messageStatus === 'dead') this.metrics?.died();
    await this.recorder.record({ attemptId: m.attemptId, messageId: m.id, attempt, startedAt: m.startedAt, result, ...next });
    if (next.messageStatus === 'paused') {
      const disabled = await this.repo.disableReceiverOf(this.connection, m.id, `the receiver answered 410 Gone to message ${m.id}`);
      this.logger.warn({ msg: 'outbox receiver disabled: it answered 410', messageId: m.id, url: redactUrl(m.url), ...disabled });
      // Cached subscriptions are read again, so new messages for it are queued paused.
      this.changes?.emit('subscriptions');
    } else if (result.outcome === 'blocked') {
      this.logger.warn({ msg: 'outbox message blocked', messageId: m.id, url: redactUrl(m.url), err: result.error });
    } else if (next.messageStatus === 'dead') {
      this.logger.warn({ msg: 'outbox message dead', messageId: m.id, url: redactUrl(m.url), attempts: attempt, err: result.error });
    }
  }

  private decide(
    m: ClaimedMessage,
    result: OutboundResult,
    attempt: number,
  ): { messageStatus: 'pending' | 'delivered' | 'dead' | 'blocked' | 'paused'; retryInMs: number | null } {
    if (result.outcome === 'delivered') return { messageStatus: 'delivered', retryInMs: null };
    // Standard Webhooks: 410 Gone means "stop sending". Only a subscription has a receiver to disable.
    if (result.statusCode === 410 && m.kind === 'subscription') return { messageStatus: 'paused', retryInMs: null };
    if (result.outcome === 'blocked') return { messageStatus: 'blocked', retryInMs: null };
    const wait = nextAttemptDelayMs(attempt, Math.random, result.retryAfterMs);
    return wait === null ? { messageStatus: 'dead', retryInMs: null } : { messageStatus: 'pending', retryInMs: wait };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
