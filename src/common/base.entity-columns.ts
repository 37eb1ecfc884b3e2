import { Column, PrimaryColumn } from 'typeorm';

/** Columns every management resource has: an opaque id, times, and `archived_at` (SPEC §3). */
export abstract class ManagedEntity {
  @PrimaryColumn('text')
  id: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'archived_at', nullable: true })
  archivedAt: Date | null;
}
