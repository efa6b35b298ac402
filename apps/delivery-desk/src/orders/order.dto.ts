import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDateString,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CARRIER_CODES, CarrierCode } from '@app/carriers';
import { ORDER_CHANNELS, OrderChannel, PAYMENT_METHOD_KINDS, PaymentMethodKind, SIGNATURE_OPTIONS, SignatureOption } from '@app/returns';
import type { Language as Lang } from '@app/returns';
import { CurrencyCode, Language, MoneyMinor, Nested, NestedArray, OptionalMoneyMinor, PostalAddressDto } from '../common/validators';

const EXTERNAL_ID = /^[\x21-\x7e](?:[\x20-\x7e]{0,126}[\x21-\x7e])?$/;

export class CustomerDto {
  @ApiProperty({ example: 'hanako@example.com' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: '佐藤 花子' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @Language(true)
  preferredLanguage?: Lang;
}

export class OrderLineDto {
  @ApiPropertyOptional({ description: "The platform's line id; the SKU is used when omitted." })
  @IsOptional()
  @Matches(EXTERNAL_ID, { message: 'externalId must be 1-128 printable ASCII characters' })
  externalId?: string;

  @ApiProperty({ example: 'TEA-SENCHA-100' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  sku: string;

  @ApiProperty({ example: 'Sencha green tea 100 g' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name: string;

  @ApiPropertyOptional({ example: 'food' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(100000)
  quantity: number;

  @MoneyMinor('Price of one unit, in minor units.')
  unitPriceMinor: number;

  @OptionalMoneyMinor('Discount on the whole line.')
  discountMinor?: number;

  @OptionalMoneyMinor('Tax on the whole line.')
  taxMinor?: number;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() perishable?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() alcohol?: boolean;
  @ApiPropertyOptional({ description: 'Hazardous material, lithium batteries included.' }) @IsOptional() @IsBoolean() hazmat?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() personalized?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() finalSale?: boolean;
}

export class GiftDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  recipientName: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  recipientEmail?: string;
}

export class ShippingPromiseDto {
  @ApiProperty({ enum: ['none', 'ships_within', 'ships_within_calendar_days', 'delivery_by'] })
  @IsIn(['none', 'ships_within', 'ships_within_calendar_days', 'delivery_by'])
  kind: 'none' | 'ships_within' | 'ships_within_calendar_days' | 'delivery_by';

  @ApiPropertyOptional({ description: 'For ships_within: business days.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  businessDays?: number;

  @ApiPropertyOptional({ description: 'For ships_within_calendar_days.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  days?: number;

  @ApiPropertyOptional({ description: 'For delivery_by: YYYY-MM-DD.' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date?: string;
}

export class DisclosedRefundPolicyDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) text?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(3650) returnWindowDays?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100) restockingFeePercent?: number;
  @OptionalMoneyMinor() restockingFeeMinor?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() noRefunds?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() storeCreditOnly?: boolean;
}

/** An order as a platform pushes it. Posting the same externalId again updates it. */
export class UpsertOrderDto {
  @ApiProperty({ example: '#1001', description: "The platform's order id, unique per merchant." })
  @Matches(EXTERNAL_ID, { message: 'externalId must be 1-128 printable ASCII characters' })
  externalId: string;

  @ApiProperty({ example: '2026-11-02T09:30:00Z' })
  @IsDateString({ strict: true }, { message: 'placedAt must be an ISO 8601 date-time' })
  placedAt: string;

  @ApiProperty({ enum: ORDER_CHANNELS })
  @IsIn(ORDER_CHANNELS)
  channel: OrderChannel;

  @CurrencyCode()
  currency: string;

  @MoneyMinor('Sum of the lines after line discounts.') subtotalMinor: number;
  @MoneyMinor() shippingMinor: number;
  @MoneyMinor() taxMinor: number;
  @MoneyMinor('Order-level discount.') discountMinor: number;
  @MoneyMinor('subtotal + shipping + tax - discount.') totalMinor: number;

  @ApiProperty({ enum: PAYMENT_METHOD_KINDS })
  @IsIn(PAYMENT_METHOD_KINDS)
  paymentMethodKind: PaymentMethodKind;

  @Nested(() => CustomerDto)
  customer: CustomerDto;

  @Nested(() => PostalAddressDto)
  shipTo: PostalAddressDto;

  @Nested(() => GiftDto, true)
  gift?: GiftDto;

  @Nested(() => ShippingPromiseDto, true)
  shippingPromise?: ShippingPromiseDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  refundPolicyDisclosed?: boolean;

  @Nested(() => DisclosedRefundPolicyDto, true)
  refundPolicy?: DisclosedRefundPolicyDto;

  @NestedArray(() => OrderLineDto, { min: 1, max: 500 })
  lines: OrderLineDto[];
}

export class ShipmentLineDto {
  @ApiProperty({ description: "The order line's externalId (or SKU)." })
  @Matches(EXTERNAL_ID, { message: 'lineExternalId must be 1-128 printable ASCII characters' })
  lineExternalId: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(100000)
  quantity: number;
}

export class RegisterShipmentDto {
  @ApiProperty({ enum: CARRIER_CODES })
  @IsIn(CARRIER_CODES)
  carrier: CarrierCode;

  @ApiPropertyOptional({ example: 'USPS', description: 'The physical carrier when going through an aggregator.' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  carrierName?: string;

  @ApiPropertyOptional({ example: 'Priority' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  service?: string;

  @ApiProperty({ example: 'EZ4000000004' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{3,63}$/, { message: 'trackingCode must be 4-64 letters, digits or dashes' })
  trackingCode: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'shippedAt must be an ISO 8601 date-time' })
  shippedAt?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'estimatedDeliveryAt must be an ISO 8601 date-time' })
  estimatedDeliveryAt?: string;

  @OptionalMoneyMinor('Value declared to the carrier.') declaredValueMinor?: number;
  @OptionalMoneyMinor('Insured value.') insuredValueMinor?: number;

  @ApiPropertyOptional({ enum: ['none', 'carrier', 'third_party'] })
  @IsOptional()
  @IsIn(['none', 'carrier', 'third_party'])
  insuranceProvider?: 'none' | 'carrier' | 'third_party';

  @ApiPropertyOptional({ enum: SIGNATURE_OPTIONS })
  @IsOptional()
  @IsIn(SIGNATURE_OPTIONS)
  signatureOption?: SignatureOption;

  @ApiPropertyOptional({ type: ShipmentLineDto, isArray: true, description: 'Omit to ship every unit not yet in another shipment.' })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => ShipmentLineDto)
  lines?: ShipmentLineDto[];
}
