import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TemplatesModule } from '../templates/templates.module';
import { TrafficSourceEntity } from './traffic-source.entity';
import { TrafficSourcesController } from './traffic-sources.controller';
import { TrafficSourcesService } from './traffic-sources.service';

@Module({
  imports: [TemplatesModule, TypeOrmModule.forFeature([TrafficSourceEntity])],
  controllers: [TrafficSourcesController],
  providers: [TrafficSourcesService],
  exports: [TrafficSourcesService],
})
export class TrafficSourcesModule {}
