import { Injectable, Logger, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainException } from '../../../common/domain.exception';
import { isDatabaseDown, toErrorBody } from '../../../common/http-exception.filter';
import { mintId } from '../../../common/ids';
import { SpoolService } from '../../spool/spool.service';
import type { AdapterName } from './adapters/adapter.registry';
import { type IntakeCall, intakeCallOf } from './intake.call';
import { answerOf } from './intake.outcome';
import { IntakeService } from './intake.service';

/** A 1×1 transparent GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Failures after which nothing was committed and the sender should try again (503). */
function isRetryable(err: unknown): boolean {
  if (isDatabaseDown(err)) return true;
  const code = err instanceof QueryFailedError ? String((err.driverError as { code?: string })?.code ?? '') : '';
  // 40: serialization failure / deadlock; 53: out of resources; 55P03: lock not available.
  return code.startsWith('40') || code.startsWith('53') || code === '55P03';
}

/** Runs a conversion call through the intake and answers it (SPEC §6); the controllers stay one line. */
@Injectable()
export class IntakeResponder {
  private readonly logger = new Logger('conversions');
  /** Requests whose log entry the intake wrote, so the response hook does not write a second. */
  readonly handled = new WeakSet<FastifyRequest>();

  async answer(req: FastifyRequest, reply: FastifyReply, endpoint: AdapterName, networkId: string | null = null): Promise<void> {
    if (req.method === 'HEAD') {
      reply.status(200).header('cache-control', 'no-store').send();
      return;
    }
    this.handled.add(req);
    try {
      const { statusCode, body } = answerOf(await this.intake.receive(intakeCallOf(req, endpoint, networkId)));
      reply.status(statusCode).header('cache-control', 'no-store').send(body);
    } catch (err) {
      if (!isRetryable(err)) throw err;
      const body = toErrorBody(new DomainException('DATABASE_UNAVAILABLE', 'the call could not be recorded now; send it again'));
      reply.status(body.statusCode).header('retry-after', '5').send(body);
    }
  }

  /**
   * SPEC §6: a pixel always answers the GIF, whatever happened to the call. Its sender cannot
   * retry, so a pixel that cannot reach the database goes to the spool (SPEC §4), on disk before
   * the answer, and is recorded when the database is back; its log id, given now, makes that once.
   */
  async pixel(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (req.method !== 'HEAD') {
      this.handled.add(req);
      const call = { ...intakeCallOf(req, 'pixel'), logId: mintId() };
      try {
        if (this.spool?.holds('pixels')) await this.keep(call);
        else await this.intake.receive(call);
      } catch (err) {
        if (this.spool?.enabled && isRetryable(err)) await this.keep(call);
        else this.logger.error({ msg: 'pixel call not recorded', err: err instanceof Error ? err.message : String(err) });
      }
    }
    reply.status(200).header('content-type', 'image/gif').header('cache-control', 'no-store, no-cache, must-revalidate, max-age=0').send(PIXEL);
  }

  private async keep(call: IntakeCall): Promise<void> {
    try {
      await this.spool!.append('pixels', [call]);
    } catch (err) {
      this.logger.error({
        msg: 'pixel call not recorded: the database is unreachable and the spool refused it',
        logId: call.logId,
        err: (err as Error).message,
      });
    }
  }

  constructor(
    private readonly intake: IntakeService,
    @Optional() private readonly spool?: SpoolService,
  ) {}
}
