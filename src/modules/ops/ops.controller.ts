import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller()
export class OpsController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  /** 200 when the database answers, 503 when it does not (SPEC §9). */
  @Get('health')
  async health(@Res() reply: FastifyReply) {
    let up: boolean;
    try {
      await Promise.race([this.db.query('SELECT 1'), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000).unref())]);
      up = true;
    } catch {
      up = false;
    }
    reply.status(up ? 200 : 503).send(up ? { status: 'ok', db: 'up' } : { status: 'error', db: 'down' });
  }

  @Get('metrics')
  async prometheus(@Res() reply: FastifyReply) {
    reply.header('content-type', this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
