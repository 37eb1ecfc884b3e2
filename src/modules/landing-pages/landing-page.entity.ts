import { Column, Entity } from 'typeorm';
import { ManagedEntity } from '../../common/base.entity-columns';

@Entity('landing_pages')
export class LandingPageEntity extends ManagedEntity {
  @Column('text')
  name: string;

  @Column('text')
  url: string;
}
