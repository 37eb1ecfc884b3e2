import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

/**
 * Tells the dispatcher the moment a transaction that wrote outbox messages commits, so the
 * first attempt does not wait for the next poll. Polling still catches everything this misses
 * (messages written by another process, a nested transaction).
 */
@Injectable()
export class OutboxCommitWaker implements OnModuleInit, EntitySubscriberInterface {
  private readonly pending = new WeakSet<QueryRunner>();
  private readonly listeners: Array<() => void> = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    // Added at runtime: the DataSource options are built before this module exists.
    (this.dataSource.subscribers as EntitySubscriberInterface[]).push(this);
  }

  onCommit(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Called by the writer: wake the dispatcher once this manager's transaction commits. */
  afterCommit(manager: EntityManager): void {
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) this.pending.add(runner);
    else this.notify();
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    if (!runner.isTransactionActive && this.pending.delete(runner)) this.notify();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
