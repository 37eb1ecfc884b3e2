import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { AllExceptionsFilter } from './common/http-exception.filter';
import { createPino, PinoNestLogger } from './common/logger';
import { createValidationPipe } from './common/validation.pipe';
import { registerBodyParsers } from './common/body-parsers';
import { DatabaseHandle, openDatabase } from './database/data-source-options';
import { MetricsService } from './modules/ops/metrics.service';

/** Bodies over this are refused with 413 (SPEC §6). */
export const BODY_LIMIT = 64 * 1024;

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
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT, trustProxy: false, routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 } });
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

  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    metrics.observe(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const docs = new DocumentBuilder().setTitle('Tracker API').setVersion('1').addBearerAuth().build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, docs), { jsonDocumentUrl: 'api/docs/json' });

  await app.init();
  await fastify.ready();
  return { app, db, logger };
}
