import { PartialType } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateLandingPageDto {
  @IsString()
  @Length(1, 200)
  name: string;

  /** May hold macros (SPEC §5), never in the scheme or host. */
  @IsString()
  @Length(1, 2048)
  url: string;
}

export class UpdateLandingPageDto extends PartialType(CreateLandingPageDto) {}
