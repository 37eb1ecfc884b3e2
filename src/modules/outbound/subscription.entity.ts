import { Column, Entity } from 'typeorm';
import { ManagedEntity } from '../../common/base.entity-columns';
import type { CustomAttribute, Receiver, SubscriptionFilter } from './subscription.types';

@Entity('subscriptions')
export class SubscriptionEntity extends ManagedEntity {
  @Column('text', { nullable: true })
  name: string | null;

  @Column('jsonb')
  filter: SubscriptionFilter;

  @Column('jsonb')
  receivers: Receiver[];

  @Column('jsonb', { name: 'currency_conversion', nullable: true })
  currencyConversion: { to: string } | null;

  @Column('jsonb', { name: 'custom_attribute', nullable: true })
  customAttribute: CustomAttribute | null;

  /** Kept as given: the dispatcher needs it to sign (HMAC), so it cannot be hashed. */
  @Column('text', { nullable: true })
  secret: string | null;
}
