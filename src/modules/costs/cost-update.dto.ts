import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, Length, Matches } from 'class-validator';
import { IsAmount } from '../../common/amount.validator';

/** SPEC §3 `POST /api/v1/costs`: the total cost of a campaign's visits in `[from, to)`. */
export class CostUpdateDto {
  /** The campaign whose visits get the cost. */
  @IsString()
  @Length(1, 64)
  campaignId: string;

  /** Start of the range, inclusive (ISO 8601 with an offset). */
  @IsISO8601({ strict: true })
  from: string;

  /** End of the range, exclusive. */
  @IsISO8601({ strict: true })
  to: string;

  /** The total spent over the range, spread evenly over its visits (`0` clears it). */
  @ApiProperty({ oneOf: [{ type: 'string', example: '125.40' }, { type: 'number' }] })
  @IsAmount({ positive: true })
  amount: string | number;

  /** ISO 4217 code of `amount`. */
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter upper-case code such as USD' })
  currency: string;
}
