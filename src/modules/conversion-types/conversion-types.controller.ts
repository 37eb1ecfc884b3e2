import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../management/crud.controller';
import { CreateConversionTypeDto, UpdateConversionTypeDto } from './conversion-type.dto';
import { ConversionTypesService, ConversionTypeView } from './conversion-types.service';

@ApiTags('conversion-types')
@Controller('api/v1/conversion-types')
export class ConversionTypesController extends CrudController<CreateConversionTypeDto, UpdateConversionTypeDto, ConversionTypeView>(
  CreateConversionTypeDto,
  UpdateConversionTypeDto,
) {
  constructor(types: ConversionTypesService) {
    super(types);
  }
}
