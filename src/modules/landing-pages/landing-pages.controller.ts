import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../management/crud.controller';
import { CreateLandingPageDto, UpdateLandingPageDto } from './landing-page.dto';
import { LandingPagesService, LandingPageView } from './landing-pages.service';

@ApiTags('landing-pages')
@Controller('api/v1/landing-pages')
export class LandingPagesController extends CrudController<CreateLandingPageDto, UpdateLandingPageDto, LandingPageView>(
  CreateLandingPageDto,
  UpdateLandingPageDto,
) {
  constructor(pages: LandingPagesService) {
    super(pages);
  }
}
