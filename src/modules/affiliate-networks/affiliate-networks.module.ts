import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TemplatesModule } from '../templates/templates.module';
import { AffiliateNetworkEntity } from './affiliate-network.entity';
import { AffiliateNetworksController } from './affiliate-networks.controller';
import { AffiliateNetworksService } from './affiliate-networks.service';

@Module({
  imports: [TemplatesModule, TypeOrmModule.forFeature([AffiliateNetworkEntity])],
  controllers: [AffiliateNetworksController],
  providers: [AffiliateNetworksService],
  exports: [AffiliateNetworksService],
})
export class AffiliateNetworksModule {}
