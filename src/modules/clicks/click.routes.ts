import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '../../common/domain.exception';
import { isDatabaseDown } from '../../common/http-exception.filter';
import { RedirectOutcome, RedirectService } from './redirect.service';

const COOKIE_MAX_AGE = 30 * 24 * 3600;
const CID_COOKIE = /(?:^|;\s*)tt_cid=([^;]*)/;

/**
 * `GET|HEAD /c/:key` and `/lp/click`, registered on Fastify directly: the hot path skips Nest's
 * router context (guards, pipes, interceptors), which it does not use. Answers are plain text.
 */
@Injectable()
export class ClickRoutes implements OnModuleInit {
  private readonly logger = new Logger('ClickRoutes');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly redirects: RedirectService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.route<{ Params: { key: string } }>({
      method: ['GET', 'HEAD'],
      url: '/c/:key',
      handler: (req, reply) =>
        this.answer(
          reply,
          this.redirects.click({
            key: req.params.key,
            method: req.method,
            url: req.url,
            query: req.query as Record<string, unknown>,
            headers: req.headers,
            socketIp: req.socket.remoteAddress ?? '',
            socketProtocol: 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http',
          }),
        ),
    });
    fastify.route<{ Querystring: { cid?: string | string[] } }>({
      method: ['GET', 'HEAD'],
      url: '/lp/click',
      handler: (req, reply) => this.answer(reply, this.redirects.landerClick(landerClickId(req), req.method)),
    });
  }

  private async answer(reply: FastifyReply, work: Promise<RedirectOutcome>): Promise<void> {
    let outcome: RedirectOutcome;
    try {
      outcome = await work;
    } catch (e) {
      const code = e instanceof DomainException ? e.code : null;
      reply.header('cache-control', 'no-store').header('content-type', 'text/plain; charset=utf-8');
      // A route reload or a lander lookup can meet the database down too, not only the writer.
      if (code === 'OVERLOADED' || code === 'DATABASE_UNAVAILABLE' || isDatabaseDown(e)) {
        reply.code(503).header('retry-after', '1').send('Service unavailable: the click could not be recorded; try again\n');
      } else {
        this.logger.error({ msg: 'click failed', err: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        reply.code(500).send('Internal error\n');
      }
      return;
    }
    if (outcome.kind === 'not-found') {
      reply.code(404).header('cache-control', 'no-store').header('content-type', 'text/plain; charset=utf-8').send(`Not found: ${outcome.message}\n`);
      return;
    }
    reply.code(302).header('location', outcome.location).header('cache-control', 'no-store');
    if (outcome.clickId)
      reply.header('set-cookie', `tt_cid=${outcome.clickId}; Path=/; Max-Age=${COOKIE_MAX_AGE}; SameSite=Lax; HttpOnly${outcome.secure ? '; Secure' : ''}`);
    reply.send();
  }
}

/** The click id of a lander click-through: `?cid=`, else the tt_cid cookie. */
function landerClickId(req: FastifyRequest<{ Querystring: { cid?: string | string[] } }>): string | null {
  const q = req.query.cid;
  const fromQuery = Array.isArray(q) ? q[0] : q;
  if (fromQuery) return fromQuery;
  const cookie = req.headers.cookie;
  const m = cookie ? CID_COOKIE.exec(cookie) : null;
  return m ? m[1] : null;
}
