import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { SpoolService } from '../spool/spool.service';
import { DatabaseProbe } from './database.probe';
import { MetricsService } from './metrics.service';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

@ApiTags('operations')
@Controller()
export class OpsController {
  constructor(
    private readonly database: DatabaseProbe,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly spool: SpoolService,
  ) {}

  /** `spool`: rows kept while the database was unreachable and not yet written (SPEC §4), when any. */
  private withSpool<T extends object>(body: T): T & { spool?: number } {
    const rows = this.spool.rows;
    return rows > 0 ? { ...body, spool: rows } : body;
  }

  /** 200 when the database answers, 503 when it does not (SPEC §9). */
  @Get('health')
  @ApiOperation({ summary: 'Health: 200 when the database answers, 503 when it does not' })
  async health(@Res() reply: FastifyReply) {
    const up = await this.database.up();
    reply.status(up ? 200 : 503).send(this.withSpool(up ? { status: 'ok', db: 'up' } : { status: 'error', db: 'down' }));
  }

  /** Liveness: the process answers (a supervisor restarts it when this stops answering). */
  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: 200 while the process serves requests' })
  live(@Res() reply: FastifyReply) {
    reply.status(200).send({ status: 'ok' });
  }

  /** Readiness: send traffic here only when the database answers (a load balancer takes it out otherwise). */
  @Get('health/ready')
  @ApiOperation({ summary: 'Readiness: 200 when the database answers, 503 with what is wrong when not' })
  async ready(@Res() reply: FastifyReply) {
    const up = await this.database.up();
    reply.status(up ? 200 : 503).send(this.withSpool({ status: up ? 'ok' : 'error', db: up ? 'up' : 'down' }));
  }

  /** Prometheus text; with METRICS_KEY set, only for `Authorization: Bearer <METRICS_KEY>`. */
  @Get('metrics')
  @ApiExcludeEndpoint()
  async prometheus(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply) {
    const key = this.config.metricsKey;
    if (key !== null) {
      const given = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim() ?? '';
      if (!sameSecret(given, key)) {
        reply
          .status(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .send({ statusCode: 401, error: 'Unauthorized', code: 'UNAUTHORIZED', message: 'metrics need the METRICS_KEY as a bearer token' });
        return;
      }
    }
    reply.header('content-type', this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
