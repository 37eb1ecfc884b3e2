import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../management/crud.controller';
import { CreateTrafficSourceDto, UpdateTrafficSourceDto } from './traffic-source.dto';
import { TrafficSourcesService, TrafficSourceView } from './traffic-sources.service';

@ApiTags('traffic-sources')
@Controller('api/v1/traffic-sources')
export class TrafficSourcesController extends CrudController<CreateTrafficSourceDto, UpdateTrafficSourceDto, TrafficSourceView>(
  CreateTrafficSourceDto,
  UpdateTrafficSourceDto,
) {
  constructor(sources: TrafficSourcesService) {
    super(sources);
  }
}
