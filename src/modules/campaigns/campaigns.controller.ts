import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../management/crud.controller';
import { CreateCampaignDto, UpdateCampaignDto } from './campaign.dto';
import { CampaignsService, CampaignView } from './campaigns.service';

@ApiTags('campaigns')
@Controller('api/v1/campaigns')
export class CampaignsController extends CrudController<CreateCampaignDto, UpdateCampaignDto, CampaignView>(CreateCampaignDto, UpdateCampaignDto) {
  constructor(campaigns: CampaignsService) {
    super(campaigns);
  }
}
