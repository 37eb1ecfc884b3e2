import { OmitType, PartialType } from '@nestjs/swagger';
import { IsArray, IsIn, IsObject, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import type { ConversionStatus } from '../../common/conversion-change';
import { NETWORK_KINDS, type NetworkKind } from '../conversions/intake/receivers';

export class CreateAffiliateNetworkDto {
  /** A template (GET /api/v1/templates/affiliate-networks) fills what the body leaves out, the name too. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  template?: string;

  @ValidateIf((o: CreateAffiliateNetworkDto) => o.template === undefined || o.name !== undefined)
  @IsString()
  @Length(1, 200)
  name: string;

  @IsOptional()
  @IsIn(NETWORK_KINDS)
  kind?: NetworkKind;

  @IsOptional()
  @IsString()
  @Length(1, 256)
  postbackToken?: string | null;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  allowedIps?: string[];

  /** Field -> the parameter name this network uses (SPEC §3). */
  @IsOptional()
  @IsObject()
  params?: Record<string, string>;

  @IsOptional()
  @IsObject()
  statusMap?: Record<string, string>;

  @IsOptional()
  @IsIn(['pending', 'approved', 'declined'])
  defaultStatus?: ConversionStatus;
}

export class UpdateAffiliateNetworkDto extends PartialType(OmitType(CreateAffiliateNetworkDto, ['template'] as const)) {}
