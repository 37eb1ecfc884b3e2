import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { resolveClient } from '../../enrichment/client-ip';
import { MetricsService } from '../../ops/metrics.service';
import type { AdapterName } from './adapters/adapter.registry';
import { intakeCallOf } from './intake.call';
import { answerOf, refused } from './intake.outcome';
import { IntakeResponder } from './intake.responder';
import { IntakeService } from './intake.service';
import { RateLimiter } from './rate-limiter';
import { receiverRoutes, type Receiver } from './receivers';

/** Every receiver route (fastify patterns, from the registry) and the receiver behind it. */
const ROUTES: ReadonlyMap<string, Receiver> = new Map(receiverRoutes().map(({ url, receiver }) => [url, receiver]));

/**
 * What happens around the conversion handlers: the per-address rate limit runs before the body
 * is read (a flood costs no parsing), and calls fastify refuses before any handler (413, bad
 * JSON) still reach the inbound log.
 */
@Injectable()
export class IntakeHooks implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('conversions');
  private readonly limiter: RateLimiter;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly intake: IntakeService,
    private readonly responder: IntakeResponder,
    @Optional() private readonly metrics?: MetricsService,
  ) {
    this.limiter = new RateLimiter(config.rateLimitPerMinute);
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addHook) return;
    fastify.addHook('onRequest', (req, reply, done) => {
      const receiver = receiverOf(req);
      if (!receiver?.rateLimited || req.method === 'HEAD') return done();
      const endpoint = receiver.adapter;
      const verdict = this.limiter.hit(this.clientIp(req));
      if (verdict === 'allowed') return done();
      this.metrics?.rateLimited.inc({ endpoint });
      const outcome = refused('RATE_LIMITED', `more than ${this.config.rateLimitPerMinute} calls a minute from this address`);
      // One entry per address and minute: logging every refused call would be the flood itself.
      if (verdict === 'first-refusal') this.logQuietly(req, endpoint, outcome);
      const { statusCode, body } = answerOf(outcome);
      reply.status(statusCode).header('retry-after', '60').send(body);
    });
    fastify.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done) => {
      const endpoint = receiverOf(req)?.adapter;
      if (endpoint && !this.responder.handled.has(req)) {
        if (reply.statusCode === 413) this.logQuietly(req, endpoint, refused('PAYLOAD_TOO_LARGE', 'the body is larger than 64 KiB'));
        else if (reply.statusCode === 400) this.logQuietly(req, endpoint, refused('UNPARSABLE_BODY', 'the body is not valid JSON'));
      }
      done();
    });
  }

  private clientIp(req: FastifyRequest): string {
    return resolveClient(req.socket?.remoteAddress ?? '', { xForwardedFor: req.headers['x-forwarded-for'] }, this.config.trustProxy, 'http').ip;
  }

  private logQuietly(req: FastifyRequest, endpoint: AdapterName, outcome: ReturnType<typeof refused>): void {
    const params = (req.params ?? {}) as Record<string, string | undefined>;
    const call = intakeCallOf(req, endpoint, params.networkId ?? null);
    // A body fastify refused as too large was never kept.
    if (outcome.kind === 'refused' && outcome.code === 'PAYLOAD_TOO_LARGE') call.raw.body = null;
    const write = this.intake.logRefusal(call, outcome).catch((err: unknown) => {
      this.logger.warn({ msg: 'a refused conversion call could not be logged', err: err instanceof Error ? err.message : String(err) });
    });
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** Waits for the log entries of refused calls still being written (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }
}

function receiverOf(req: FastifyRequest): Receiver | undefined {
  const route = req.routeOptions?.url;
  return route === undefined ? undefined : ROUTES.get(route);
}
