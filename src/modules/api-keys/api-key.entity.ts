import { Column, Entity } from 'typeorm';
import { ManagedEntity } from '../../common/base.entity-columns';

export type ApiKeyScope = 'admin' | 'read';

@Entity('api_keys')
export class ApiKeyEntity extends ManagedEntity {
  @Column('text')
  name: string;

  @Column('text')
  scope: ApiKeyScope;

  /** SHA-256 of the key: keys are long random strings, so a fast hash is enough. */
  @Column('text', { name: 'key_hash' })
  keyHash: string;

  /** The first characters, to tell keys apart in a list without revealing them. */
  @Column('text', { name: 'key_prefix' })
  keyPrefix: string;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;
}
