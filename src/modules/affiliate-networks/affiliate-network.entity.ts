import { Column, Entity } from 'typeorm';
import { ManagedEntity } from '../../common/base.entity-columns';
import type { ConversionStatus } from '../../common/conversion-change';
import type { NetworkKind } from '../conversions/intake/receivers';

export const NETWORK_PARAM_FIELDS = ['clickId', 'payout', 'transactionId', 'status', 'currency', 'type', 'sequenceNumber'] as const;
export type NetworkParamField = (typeof NETWORK_PARAM_FIELDS)[number];

@Entity('affiliate_networks')
export class AffiliateNetworkEntity extends ManagedEntity {
  @Column('text')
  name: string;

  @Column('text')
  kind: NetworkKind;

  @Column('text', { name: 'postback_token', nullable: true })
  postbackToken: string | null;

  @Column('jsonb', { name: 'allowed_ips' })
  allowedIps: string[];

  @Column('jsonb')
  params: Partial<Record<NetworkParamField, string>>;

  @Column('jsonb', { name: 'status_map' })
  statusMap: Record<string, ConversionStatus>;

  @Column('text', { name: 'default_status' })
  defaultStatus: ConversionStatus;

  /** The template it was made from (GET /api/v1/templates/affiliate-networks), if any. */
  @Column('text', { nullable: true })
  template: string | null;
}
