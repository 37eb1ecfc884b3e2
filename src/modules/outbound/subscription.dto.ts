import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const ID_LIST = { each: true } as const;
/** JSON numbers and booleans in rule inputs compare as their text. */
const asText = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v)) : value;
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class SubscriptionFilterDto {
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsString(ID_LIST) campaignIds?: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsString(ID_LIST) offerIds?: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsString(ID_LIST) affiliateNetworkIds?: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsString(ID_LIST) trafficSourceIds?: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString(ID_LIST) conversionTypes?: string[];

  @IsOptional()
  @IsArray()
  @IsIn(['pending', 'approved', 'declined'], { each: true, message: 'statuses may hold pending, approved and declined' })
  statuses?: Array<'pending' | 'approved' | 'declined'>;

  // Tradedoubler's names (decisions: the Tradedoubler name map): mapped, or refused naming them.
  @IsOptional() @IsArray() @ArrayMaxSize(1000) programIds?: unknown[];
  @IsOptional() @IsArray() @ArrayMaxSize(1000) eventIds?: unknown[];
  @IsOptional() @IsArray() messageTypeIds?: unknown[];
  @IsOptional() @IsArray() eventTypeIds?: unknown[];
  @IsOptional() @IsArray() siteIds?: unknown[];
}

export class ReceiverDto {
  @Transform(upper)
  @IsIn(['GET', 'POST'], { message: 'httpMethod must be GET or POST' })
  httpMethod: 'GET' | 'POST';

  @IsString()
  @Length(1, 2048)
  receiverUrl: string;

  @IsOptional()
  @IsString()
  @MaxLength(16_384)
  receiverBody?: string | null;

  @IsOptional()
  @Transform(lower)
  @IsIn(['json', 'xml', 'custom', 'tradetracker'], { message: 'receiverFormat must be json, xml, custom or tradetracker' })
  receiverFormat?: 'json' | 'xml' | 'custom' | 'tradetracker' | null;
}

export class CurrencyConversionDto {
  @Transform(upper)
  @Matches(/^[A-Z]{3}$/, { message: 'to must be a three-letter currency code' })
  to: string;
}

export class CustomAttributeRuleDto {
  @Transform(asText)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true, message: 'each input must be a string or a number' })
  inputs: string[];

  @Transform(({ value }) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value))
  @IsString()
  @MaxLength(1024)
  output: string;
}

export class CustomAttributeDto {
  @ValidateIf((o: CustomAttributeDto) => o.tdAttributes === undefined || o.attributes !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  attributes: string[];

  /** Tradedoubler's name for `attributes`. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  tdAttributes?: string[];

  @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { message: 'userAttribute must be a name such as tier or user_attribute' })
  userAttribute: string;

  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => CustomAttributeRuleDto)
  rules: CustomAttributeRuleDto[];
}

/** SPEC §7: `POST /api/v1/subscriptions` and `PUT /:id` (a PUT replaces the whole subscription). */
export class SubscriptionDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subscriptionName?: string | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SubscriptionFilterDto)
  filter?: SubscriptionFilterDto | null;

  @IsArray({ message: 'receivers must be a list of at least one receiver' })
  @ArrayMinSize(1, { message: 'receivers must hold at least one receiver' })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ReceiverDto)
  receivers: ReceiverDto[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CurrencyConversionDto)
  currencyConversion?: CurrencyConversionDto | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomAttributeDto)
  customAttribute?: CustomAttributeDto | null;

  @IsOptional()
  @IsString()
  secret?: string | null;
}
