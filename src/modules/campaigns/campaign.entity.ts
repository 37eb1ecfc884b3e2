import { Column, Entity } from 'typeorm';
import { ManagedEntity } from '../../common/base.entity-columns';
import type { RuleWhen } from './campaign-rules';

export interface DestinationCap {
  clicks: number | null;
  conversions: number | null;
  per: 'day' | 'total';
  tz: string;
}

export interface Destination {
  offerId: string;
  offerLinkId: string | null;
  landingPageId: string | null;
  weight: number;
  /** SPEC §3 caps; absent: uncapped. */
  cap?: DestinationCap | null;
}

/** A rule as stored (SPEC §3): tried in order, the first whose `when` matches picks among its destinations. */
export interface CampaignRule {
  name: string;
  when: RuleWhen;
  destinations: Destination[];
}

export type CampaignStatus = 'active' | 'paused' | 'archived';
export type CostModel = 'none' | 'cpc' | 'cpm' | 'auto';

@Entity('campaigns')
export class CampaignEntity extends ManagedEntity {
  @Column('text')
  key: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  category: string | null;

  @Column('text', { name: 'traffic_source_id', nullable: true })
  trafficSourceId: string | null;

  @Column('text')
  status: CampaignStatus;

  @Column('text', { name: 'cost_model' })
  costModel: CostModel;

  @Column('numeric', { name: 'cost_amount' })
  costAmount: string;

  @Column('text', { name: 'cost_currency' })
  costCurrency: string;

  @Column('jsonb')
  destinations: Destination[];

  @Column('jsonb')
  rules: CampaignRule[];

  @Column('text', { name: 'fallback_url', nullable: true })
  fallbackUrl: string | null;
}
