import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { SpoolService } from '../../spool/spool.service';
import type { IntakeCall } from './intake.call';
import { IntakeService } from './intake.service';
import { PostbackLogRepository } from '../inbound-log/postback-log.repository';

/**
 * Writes the pixels the spool kept while the database was away (SPEC §4, §6), in the order they
 * arrived, each exactly once: a pixel whose log id is already in the inbound log (written before
 * a crash cut the spool's bookkeeping) is skipped. The conversion is recorded as the pixel would
 * have been; its log entry keeps the time the pixel arrived.
 */
@Injectable()
export class PixelSpoolReplayer implements OnModuleInit {
  constructor(
    private readonly intake: IntakeService,
    private readonly log: PostbackLogRepository,
    @Optional() private readonly spool?: SpoolService,
  ) {}

  onModuleInit(): void {
    this.spool?.register('pixels', (rows) => this.write(rows as IntakeCall[]));
  }

  async write(calls: IntakeCall[]): Promise<void> {
    for (const call of calls) {
      if (call.logId && (await this.log.hasEntry(call.logId))) continue;
      await this.intake.receive(call);
    }
  }
}
