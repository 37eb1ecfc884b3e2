import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../management/crud.controller';
import { CreateAffiliateNetworkDto, UpdateAffiliateNetworkDto } from './affiliate-network.dto';
import { AffiliateNetworksService, AffiliateNetworkView } from './affiliate-networks.service';

@ApiTags('affiliate-networks')
@Controller('api/v1/affiliate-networks')
export class AffiliateNetworksController extends CrudController<CreateAffiliateNetworkDto, UpdateAffiliateNetworkDto, AffiliateNetworkView>(
  CreateAffiliateNetworkDto,
  UpdateAffiliateNetworkDto,
) {
  constructor(networks: AffiliateNetworksService) {
    super(networks);
  }
}
