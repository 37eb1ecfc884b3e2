import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { ConversionService, RecordRequest } from './conversion.service';
import type { IntakeOutcome } from '../intake/intake.outcome';
import { PartlyRecorded } from './partly-recorded.error';

interface Waiting {
  request: RecordRequest;
  resolve(outcome: IntakeOutcome): void;
  reject(err: unknown): void;
}

/** The most calls one transaction carries. */
const MAX_BATCH = 64;
/** Transactions in flight at most; the pool keeps connections for reads besides. */
const MAX_LANES = 4;

/**
 * Group commit for conversion calls: one transaction runs at a time, and while it runs the next
 * calls gather and go together in the next one (one statement and one commit for the new
 * conversions, no BEGIN/COMMIT round trips per call). Another transaction starts beside it only
 * when a full batch is waiting, so a transaction that stalls (a lock wait) does not stop the
 * intake, and a steady load is not cut into many small transactions (four lanes each starting as
 * soon as it was free made batches of about five and cost about twice the PostgreSQL CPU per
 * postback, and with repeats on shared conversions they waited on each other's locks; figures in
 * docs/decisions.md). A quiet server runs each call on its own at once, adding no wait. Every call
 * is still answered only after its transaction committed. If a shared transaction fails, each of
 * its calls is run again alone, so one bad call never fails the others.
 */
@Injectable()
export class ConversionBatcher {
  private readonly waiting: Waiting[] = [];
  private readonly lanes: number;
  private busy = 0;

  constructor(
    private readonly conversions: ConversionService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.lanes = Math.max(1, Math.min(MAX_LANES, config.dbPoolSize - 2));
  }

  record(request: RecordRequest): Promise<IntakeOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.waiting.length > 0 && (this.busy === 0 || (this.busy < this.lanes && this.waiting.length >= MAX_BATCH))) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      this.busy++;
      void this.run(batch).finally(() => {
        this.busy--;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    let alone = batch;
    if (batch.length > 1) {
      try {
        const outcomes = await this.conversions.recordAll(batch.map((w) => w.request));
        batch.forEach((w, i) => w.resolve(outcomes[i]));
        return;
      } catch (err) {
        // Run alone below: the failure belongs to one call, or to the database, which each call then reports.
        // Calls already committed keep their answers: run again, they would be duplicates of themselves.
        if (err instanceof PartlyRecorded) {
          alone = batch.filter((w, i) => {
            const outcome = err.outcomes[i];
            if (outcome) w.resolve(outcome);
            return !outcome;
          });
        }
      }
    }
    for (const w of alone) {
      try {
        w.resolve(await this.conversions.record(w.request));
      } catch (err) {
        w.reject(err);
      }
    }
  }
}
