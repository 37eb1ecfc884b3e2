import { Module } from '@nestjs/common';
import { CostsController } from './costs.controller';
import { CostsRepository } from './costs.repository';
import { CostsService } from './costs.service';

@Module({ controllers: [CostsController], providers: [CostsService, CostsRepository] })
export class CostsModule {}
