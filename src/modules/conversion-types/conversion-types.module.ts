import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversionTypeEntity } from './conversion-type.entity';
import { ConversionTypesController } from './conversion-types.controller';
import { ConversionTypesService } from './conversion-types.service';

@Module({
  imports: [TypeOrmModule.forFeature([ConversionTypeEntity])],
  controllers: [ConversionTypesController],
  providers: [ConversionTypesService],
  exports: [ConversionTypesService],
})
export class ConversionTypesModule {}
