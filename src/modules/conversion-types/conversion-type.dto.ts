import { PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';

export class CreateConversionTypeDto {
  /** What a pixel's `c` names; generated when absent. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'id must match [A-Za-z0-9_-]{1,32}' })
  id?: string;

  @IsString()
  @Length(1, 64)
  code: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  aliases?: string[];

  @IsOptional()
  @IsBoolean()
  multiplePerClick?: boolean;
}

export class UpdateConversionTypeDto extends PartialType(CreateConversionTypeDto) {}
