import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OfferEntity, OfferLinkEntity } from './offer.entity';
import { OfferRepository } from './offer.repository';
import { OffersController } from './offers.controller';
import { OffersService } from './offers.service';

@Module({
  imports: [TypeOrmModule.forFeature([OfferEntity, OfferLinkEntity])],
  controllers: [OffersController],
  providers: [OffersService, OfferRepository],
  exports: [OffersService],
})
export class OffersModule {}
