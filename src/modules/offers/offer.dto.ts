import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { IsAmount } from '../../common/amount.validator';

export class PayoutDto {
  @IsIn(['fixed', 'dynamic'])
  type: 'fixed' | 'dynamic';

  /** A decimal amount: a string keeps it exact, a number is accepted too. */
  @ApiProperty({ required: false, oneOf: [{ type: 'string', example: '92.40' }, { type: 'number' }] })
  @IsOptional()
  @IsAmount()
  amount?: string | number;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter code such as USD' })
  currency?: string;
}

export class OfferLinkDto {
  /** Given to keep an existing link's id when the list is replaced. */
  @IsOptional()
  @IsString()
  id?: string;

  @IsString()
  @Length(1, 200)
  name: string;

  @IsString()
  @Length(1, 2048)
  url: string;
}

export class CreateOfferDto {
  @IsString()
  @Length(1, 200)
  name: string;

  @IsOptional()
  @IsString()
  affiliateNetworkId?: string | null;

  @IsString()
  @Length(1, 2048)
  url: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => PayoutDto)
  payout?: PayoutDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OfferLinkDto)
  links?: OfferLinkDto[];
}

export class UpdateOfferDto extends PartialType(CreateOfferDto) {}
