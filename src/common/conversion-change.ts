import type { EntityManager } from 'typeorm';

export type ConversionStatus = 'pending' | 'approved' | 'declined';

/**
 * What the conversion service tells the outbox, inside the transaction that made the change
 * (SPEC §7: messages are written with the change, so none is lost or sent for a rollback).
 */
export interface ConversionChange {
  conversionId: string;
  kind: 'created' | 'status_changed' | 'amount_changed';
  previousStatus: ConversionStatus | null;
  status: ConversionStatus;
  occurredAt: Date;
}

/** Implemented by the outbound module; the conversion service calls it with its transaction. */
export abstract class ConversionChangeListener {
  abstract onConversionChanged(manager: EntityManager, change: ConversionChange): Promise<void>;
}
