import type { QueryRunner } from 'typeorm';
import { isDatabaseDown } from '../../common/http-exception.filter';
import type { Queryable } from './outbox.repository';

/**
 * One database connection kept for a single user (the dispatcher), opened on first use and
 * opened again after it broke (a database restart), so the user never has to care.
 */
export class ReservedConnection implements Queryable {
  private runner: QueryRunner | null = null;
  private opening: Promise<QueryRunner> | null = null;

  constructor(private readonly open: () => Promise<QueryRunner>) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape of TypeORM's own query()
  async query(sql: string, params?: unknown[]): Promise<any> {
    const runner = await this.get();
    try {
      return await runner.query(sql, params);
    } catch (e) {
      if (isDatabaseDown(e) || runner.isReleased) await this.drop(runner);
      throw e;
    }
  }

  async release(): Promise<void> {
    const runner = this.runner ?? (await this.opening?.catch(() => null)) ?? null;
    if (runner) await this.drop(runner);
  }

  private get(): Promise<QueryRunner> {
    if (this.runner && !this.runner.isReleased) return Promise.resolve(this.runner);
    this.opening ??= this.open()
      .then((runner) => (this.runner = runner))
      .finally(() => (this.opening = null));
    return this.opening;
  }

  private async drop(runner: QueryRunner): Promise<void> {
    if (this.runner === runner) this.runner = null;
    await runner.release().catch(() => undefined);
  }
}
