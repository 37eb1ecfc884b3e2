import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsAmount } from '../../../common/amount.validator';
import type { ConversionStatus } from '../intake/adapters/adapter.types';

/** SPEC §3 `PATCH /api/v1/conversions/:id`: a change by hand, through the postback rules. */
export class ConversionChangeDto {
  /** `approved` or `declined` (a conversion never goes back to `pending`: 409). */
  @IsOptional()
  @IsIn(['pending', 'approved', 'declined'])
  status?: ConversionStatus;

  /** The payout, whatever the offer's terms say (a correction). Not negative. */
  @ApiProperty({ required: false, oneOf: [{ type: 'string', example: '42.50' }, { type: 'number' }] })
  @IsOptional()
  @IsAmount({ positive: true, message: 'payout must be a decimal amount, not negative, such as 42.50' })
  payout?: string | number;

  /** ISO 4217 code of `payout`; only with `payout` (an amount is never relabelled). */
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter upper-case code such as USD' })
  currency?: string;

  /** Why, kept in the history entry. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}
