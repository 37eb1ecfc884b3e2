import { Column, Entity } from 'typeorm';
import { ManagedEntity } from '../../common/base.entity-columns';

@Entity('conversion_types')
export class ConversionTypeEntity extends ManagedEntity {
  @Column('text')
  code: string;

  @Column('text')
  name: string;

  @Column('jsonb')
  aliases: string[];

  @Column('boolean', { name: 'multiple_per_click' })
  multiplePerClick: boolean;
}
