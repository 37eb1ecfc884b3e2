import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from './app.openapi';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { AllExceptionsFilter } from './common/http-exception.filter';
import { createPino, PinoNestLogger } from './common/logger';
import { createValidationPipe } from './common/validation.pipe';
import { registerBodyParsers } from './common/body-parsers';
import { DatabaseHandle, openDatabase } from './database/data-source-options';
import { MetricsService } from './modules/ops/metrics.service';

/**
 * Routes whose request lines are logged at debug only: the visitor-facing ones, which come by the
 * thousand a second and whose outcome is in the visits and the inbound log already.
 */
const QUIET_ROUTES = new Set(['/c/:key', '/lp/click', '/a.gif', '/:account/a.gif']);

/** The caller's `X-Request-Id` when it is a plain token, else a fresh one; answered in the same header. */
function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:@/+=-]{1,128}$/.test(given) ? given : randomUUID();
}

export const HEADERS_TIMEOUT_MS = 20_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** Bodies over this are refused with 413 (SPEC §6). */
export const BODY_LIMIT = 64 * 1024;
/** `POST /api/v1/conversions/upload`: 50,000 rows of a few hundred bytes each at most. */
const UPLOAD_ROUTE = '/api/v1/conversions/upload';
export const UPLOAD_BODY_LIMIT = 32 * 1024 * 1024;

export interface CreatedApp {
  app: NestFastifyApplication;
  db: DatabaseHandle;
  logger: Logger;
}

/**
 * Builds the whole application, for `main.ts` and for the tests alike. `seed` lets tests start
 * the embedded database from a migrated template.
 */
export async function createApp(config: AppConfig, seed?: { loadDataDir?: Blob; inMemory?: boolean }): Promise<CreatedApp> {
  const logger = createPino(config.logLevel);
  const db = await openDatabase(config, seed);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    // SPEC §9: a connection that has not sent its headers within 20 s is closed; a whole request
    // gets 30 s. Node checks these every `connectionsCheckingInterval` (30 s by default, which would
    // let a slow client hold a socket for 50 s), so check every second. Keep-alive stays at
    // Fastify's default (72 s, above common load balancers' 60 s idle timeout).
    requestTimeout: REQUEST_TIMEOUT_MS,
    // On close, connections are not cut as soon as they look idle (a client that has connected
    // but not yet sent its request looks idle, and would be reset): main.ts closes idle ones
    // after a grace period instead.
    forceCloseConnections: false,
    http: { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
    requestIdHeader: false,
    genReqId: requestId,
  });
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, db), adapter, {
      logger: new PinoNestLogger(logger),
      bodyParser: false,
      abortOnError: false,
    });
  } catch (e) {
    await db.stop();
    throw e;
  }
  const fastify = app.getHttpAdapter().getInstance();
  registerBodyParsers(fastify);
  // The one route that takes large bodies: up to 50,000 conversion rows (SPEC §3).
  fastify.addHook('onRoute', (route) => {
    if (route.url === UPLOAD_ROUTE) route.bodyLimit = UPLOAD_BODY_LIMIT;
  });

  const metrics = app.get(MetricsService);
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    metrics.observe(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const level = QUIET_ROUTES.has(route) ? 'debug' : 'info';
    if (logger.isLevelEnabled(level))
      logger[level]({ reqId: req.id, method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
    done();
  });

  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  // No enableShutdownHooks(): main.ts handles SIGTERM itself (close the HTTP server first, so
  // requests in flight are answered while the click writer still takes them, then exit 0).

  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs/json' });

  await app.init();
  await fastify.ready();
  return { app, db, logger };
}
