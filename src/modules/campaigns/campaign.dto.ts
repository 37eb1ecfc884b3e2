import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsAmount } from '../../common/amount.validator';
import type { CampaignStatus, CostModel } from './campaign.entity';

export class CostDto {
  @IsIn(['none', 'cpc', 'cpm', 'auto'])
  model: CostModel;

  /** A decimal amount: a string keeps it exact, a number is accepted too. */
  @ApiProperty({ required: false, oneOf: [{ type: 'string', example: '0.05' }, { type: 'number' }] })
  @IsOptional()
  @IsAmount({ positive: true })
  amount?: string | number;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter code such as USD' })
  currency?: string;
}

/** SPEC §3 caps: a destination whose cap is reached is skipped; all of a path capped: fallbackUrl. */
export class CapDto {
  /** Clicks the destination takes per period. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  clicks?: number;

  /** Conversions (not declined) the destination takes per period. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  conversions?: number;

  /** `day` (a day in `tz`) or `total`. */
  @IsIn(['day', 'total'])
  per: 'day' | 'total';

  /** IANA zone of the day (default UTC). */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  tz?: string;
}

export class DestinationDto {
  @IsString()
  offerId: string;

  @IsOptional()
  @IsString()
  offerLinkId?: string | null;

  @IsOptional()
  @IsString()
  landingPageId?: string | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  weight?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => CapDto)
  cap?: CapDto | null;
}

export class RuleDto {
  /** Shown on the visit (`rule.name`) and in reports grouped by `rule`. */
  @IsString()
  @Length(1, 100)
  name: string;

  /**
   * Criteria that must all match (SPEC §3): country, region, city, language, deviceType, os, browser,
   * ip, bot, datacenter, unique, param, weekday, hour, tz, not. An unknown criterion is a 400 naming it.
   */
  @IsObject()
  when: Record<string, unknown>;

  /** Where a matching click goes, by weight; none (or all capped): the campaign's fallbackUrl. */
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DestinationDto)
  destinations: DestinationDto[];
}

export class CreateCampaignDto {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{3,64}$/, { message: 'key must match [A-Za-z0-9_-]{3,64}' })
  key?: string;

  @IsString()
  @Length(1, 200)
  name: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string | null;

  @IsOptional()
  @IsString()
  trafficSourceId?: string | null;

  @IsOptional()
  @IsIn(['active', 'paused', 'archived'])
  status?: CampaignStatus;

  @IsOptional()
  @ValidateNested()
  @Type(() => CostDto)
  cost?: CostDto;

  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DestinationDto)
  destinations: DestinationDto[];

  /** Paths by visitor, tried in order; the first that matches decides (SPEC §3). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RuleDto)
  rules?: RuleDto[];

  @IsOptional()
  @IsString()
  @Length(1, 2048)
  fallbackUrl?: string | null;
}

export class UpdateCampaignDto extends PartialType(CreateCampaignDto) {}
