import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../management/crud.controller';
import { CreateOfferDto, UpdateOfferDto } from './offer.dto';
import { OffersService, OfferView } from './offers.service';

@ApiTags('offers')
@Controller('api/v1/offers')
export class OffersController extends CrudController<CreateOfferDto, UpdateOfferDto, OfferView>(CreateOfferDto, UpdateOfferDto) {
  constructor(offers: OffersService) {
    super(offers);
  }
}
