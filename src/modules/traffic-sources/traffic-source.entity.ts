import { Column, Entity } from 'typeorm';
import { ManagedEntity } from '../../common/base.entity-columns';

export interface ParamSlot {
  param: string;
  as: string;
}

@Entity('traffic_sources')
export class TrafficSourceEntity extends ManagedEntity {
  @Column('text')
  name: string;

  @Column('text', { name: 'click_id_param', nullable: true })
  clickIdParam: string | null;

  @Column('text', { name: 'cost_param', nullable: true })
  costParam: string | null;

  @Column('jsonb')
  params: ParamSlot[];

  @Column('text', { name: 'postback_url', nullable: true })
  postbackUrl: string | null;

  @Column('jsonb', { name: 'postback_statuses' })
  postbackStatuses: string[];
}
