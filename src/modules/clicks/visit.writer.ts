import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AttributionSignal } from '../../common/attribution-signal';
import { DomainException } from '../../common/domain.exception';
import { isDatabaseDown } from '../../common/http-exception.filter';
import { mintId } from '../../common/ids';
import { SpoolFullError } from '../spool/spool.file';
import { SpoolService } from '../spool/spool.service';
import { ClickMetrics } from './click.metrics';
import { assignId, type VisitRecord } from './visit.record';
import { VisitRepository } from './visit.repository';

interface Pending {
  record: VisitRecord;
  mints: number;
  resolve(id: string): void;
  reject(e: unknown): void;
}

/** An id that clashes this often is no accident: that visit is refused. */
const MAX_MINTS = 5;
/**
 * One batch is written at a time. A second one beside it was measured to gain nothing on a
 * small server (the database is as busy either way), and two batches in flight from one process
 * could each find a visitor new: `unique` is decided exactly within a process this way.
 */
const MAX_IN_FLIGHT = 1;

/**
 * Group commit for clicks: a click is answered once its visit is committed, and while one batch
 * is being written the next one gathers. When the writer is idle, a batch starts at the next
 * turn of the event loop (no timer), so a lone click waits for nothing but its own INSERT.
 * Memory is bounded: beyond `clickQueueMaxRows` waiting visits, new clicks are refused (503).
 */
@Injectable()
export class VisitWriter implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('VisitWriter');
  /** Where click ids come from; tests swap it to force a collision. */
  mint: () => string = mintId;
  private queue: Pending[] = [];
  private inFlightRows = 0;
  private inFlightBatches = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly repo: VisitRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly metrics?: ClickMetrics,
    @Optional() private readonly attributions?: AttributionSignal,
    @Optional() private readonly spool?: SpoolService,
  ) {
    metrics?.watchBacklog(() => this.backlog);
    // Once the database is back, what the spool kept is written as any batch: exactly once by id.
    spool?.register('clicks', async (rows) => {
      const result = await this.repo.insertVisits(rows as VisitRecord[]);
      if (result.attributed > 0) this.attributions?.wake();
    });
  }

  /** Gives the visit its id, and answers that id once the visit is committed. */
  write(record: VisitRecord): Promise<string> {
    if (this.queue.length + this.inFlightRows >= this.config.clickQueueMaxRows)
      return Promise.reject(new DomainException('OVERLOADED', 'too many clicks are waiting to be written; try again'));
    assignId(record, this.mint());
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ record, mints: 1, resolve, reject });
      if (this.inFlightBatches < MAX_IN_FLIGHT && !this.scheduled) {
        this.scheduled = true;
        // The next turn of the event loop: the clicks parsed in this one join the same batch.
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Visits waiting or being written. */
  get backlog(): number {
    return this.queue.length + this.inFlightRows;
  }

  /** Resolves once everything handed in so far is written (or refused). */
  drain(): Promise<void> {
    if (this.backlog === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlightBatches < MAX_IN_FLIGHT) {
      const max = this.config.clickBatchMaxRows;
      const batch = this.queue.length <= max ? this.queue : this.queue.slice(0, max);
      this.queue = batch === this.queue ? [] : this.queue.slice(batch.length);
      this.inFlightBatches++;
      this.inFlightRows += batch.length;
      const started = performance.now();
      void this.writeBatch(batch)
        .catch((e: unknown) => {
          for (const p of batch) p.reject(e);
          return [] as Pending[];
        })
        .then((again) => {
          this.metrics?.batch(batch.length, (performance.now() - started) / 1000);
          this.inFlightBatches--;
          this.inFlightRows -= batch.length;
          if (again.length) this.queue = again.concat(this.queue);
          this.pump();
          if (this.backlog === 0 && !this.scheduled) for (const resolve of this.idle.splice(0)) resolve();
        });
    }
  }

  /** Writes one batch; answers the visits whose id already existed, each with a new id. */
  private async writeBatch(batch: Pending[]): Promise<Pending[]> {
    // While the spool holds clicks, new ones go after them: they reach the database in order.
    if (this.spool?.holds('clicks')) return this.keep(batch);
    let written: Set<string>;
    try {
      const result = await this.repo.insertVisits(batch.map((p) => p.record));
      written = new Set(result.ids);
      if (result.attributed > 0) this.attributions?.wake();
    } catch (e) {
      if (isDatabaseDown(e)) {
        if (this.spool?.enabled) return this.keep(batch);
        const down = new DomainException('DATABASE_UNAVAILABLE', 'the database is not reachable; try again');
        for (const p of batch) p.reject(down);
        return [];
      }
      if (batch.length === 1) {
        this.logger.error({ msg: 'a visit could not be written', err: (e as Error).message });
        batch[0].reject(e);
        return [];
      }
      // One visit the database refuses must not cost the others theirs: write each alone.
      const again: Pending[] = [];
      for (const p of batch) again.push(...(await this.writeBatch([p])));
      return again;
    }
    const again: Pending[] = [];
    for (const p of batch) {
      if (written.has(p.record.id)) p.resolve(p.record.id);
      else if (p.mints >= MAX_MINTS) p.reject(new Error(`click id clashed ${p.mints} times`));
      else {
        assignId(p.record, this.mint());
        p.mints++;
        again.push(p);
      }
    }
    return again;
  }

  /**
   * SPEC §4: the database is unreachable, so the visits go to the local spool, fsynced before
   * their redirect, and are written once it is back. A full spool refuses them (503).
   */
  private async keep(batch: Pending[]): Promise<Pending[]> {
    try {
      await this.spool!.append(
        'clicks',
        batch.map((p) => p.record),
      );
      for (const p of batch) p.resolve(p.record.id);
    } catch (e) {
      if (!(e instanceof SpoolFullError)) this.logger.error({ msg: 'clicks could not be spooled', err: (e as Error).message });
      const down = new DomainException('DATABASE_UNAVAILABLE', 'the database is not reachable and the local spool is full; try again');
      for (const p of batch) p.reject(down);
    }
    return [];
  }
}
