import { OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotIn, IsOptional, IsString, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';

/** Slot names the macros of SPEC §5 already use: a slot may not shadow them. */
export const RESERVED_SLOTS = ['click_id', 'subid', 'event_id', 'campaign_id', 'campaign_key', 'offer_id', 'traffic_source_id', 'external_id', 'country'];

export class ParamSlotDto {
  @IsString()
  @Length(1, 128)
  param: string;

  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'as must match [a-z][a-z0-9_]{0,31}' })
  @IsNotIn(RESERVED_SLOTS, { message: `as must not be a reserved macro name (${RESERVED_SLOTS.join(', ')})` })
  as: string;
}

export class CreateTrafficSourceDto {
  /** A template (GET /api/v1/templates/traffic-sources) fills what the body leaves out, the name too. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  template?: string;

  @ValidateIf((o: CreateTrafficSourceDto) => o.template === undefined || o.name !== undefined)
  @IsString()
  @Length(1, 200)
  name: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.\-[\]]{1,64}$/, { message: 'clickIdParam must be a query parameter name' })
  clickIdParam?: string | null;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.\-[\]]{1,64}$/, { message: 'costParam must be a query parameter name' })
  costParam?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ParamSlotDto)
  params?: ParamSlotDto[];

  @IsOptional()
  @IsString()
  @Length(1, 2048)
  postbackUrl?: string | null;

  @IsOptional()
  @IsArray()
  @IsIn(['pending', 'approved', 'declined'], { each: true })
  postbackStatuses?: string[];
}

export class UpdateTrafficSourceDto extends PartialType(OmitType(CreateTrafficSourceDto, ['template'] as const)) {}
