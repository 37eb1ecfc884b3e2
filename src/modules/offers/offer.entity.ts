import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ManagedEntity } from '../../common/base.entity-columns';

@Entity('offers')
export class OfferEntity extends ManagedEntity {
  @Column('text')
  name: string;

  @Column('text', { name: 'affiliate_network_id', nullable: true })
  affiliateNetworkId: string | null;

  @Column('text')
  url: string;

  @Column('text', { name: 'payout_type' })
  payoutType: 'fixed' | 'dynamic';

  @Column('numeric', { name: 'payout_amount' })
  payoutAmount: string;

  @Column('text', { name: 'payout_currency' })
  payoutCurrency: string;
}

@Entity('offer_links')
export class OfferLinkEntity {
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'offer_id' })
  offerId: string;

  @Column('text')
  name: string;

  @Column('text')
  url: string;

  @Column('integer')
  position: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'archived_at', nullable: true })
  archivedAt: Date | null;
}
