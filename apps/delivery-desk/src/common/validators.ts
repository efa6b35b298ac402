import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateNested,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';

/** US states, DC, territories and military "states", as USPS abbreviates them. */
export const US_STATE_CODES = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP UM AA AE AP'.split(' '),
);

/** An amount in integer minor units, 0 ≤ n ≤ 10^12. */
export const MoneyMinor = (description = 'Amount in integer minor units (cents, yen).') =>
  applyDecorators(ApiProperty({ type: 'integer', minimum: 0, description }), IsInt({ message: '$property must be an integer number of minor units' }), Min(0), Max(1e12));

export const OptionalMoneyMinor = (description = 'Amount in integer minor units (cents, yen).') =>
  applyDecorators(ApiPropertyOptional({ type: 'integer', minimum: 0, description }), IsOptional(), IsInt({ message: '$property must be an integer number of minor units' }), Min(0), Max(1e12));

/** ISO 4217 code, upper case. */
export const CurrencyCode = () =>
  applyDecorators(ApiProperty({ example: 'USD', pattern: '^[A-Z]{3}$' }), IsString(), Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code such as USD' }));

export function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || !value.includes('/')) return value === 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone such as America/New_York. */
export const TimeZone = () =>
  applyDecorators(
    ApiProperty({ example: 'America/Los_Angeles' }),
    IsString(),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isTimeZone',
        target: target.constructor,
        propertyName: propertyName as string,
        validator: { validate: isTimeZone, defaultMessage: () => `${String(propertyName)} must be an IANA time zone such as America/New_York` },
      }),
  );

export const Language = (optional = false) =>
  applyDecorators(
    optional ? ApiPropertyOptional({ enum: ['ja', 'en'] }) : ApiProperty({ enum: ['ja', 'en'] }),
    ...(optional ? [IsOptional()] : []),
    IsIn(['ja', 'en'], { message: '$property must be ja or en' }),
  );

/** Checks that `state` and `zip` are US-shaped when `country` is US. */
function UsAddressPart(part: 'state' | 'zip', options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: `usAddress_${part}`,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const country = (args.object as { country?: string }).country;
          if (country !== 'US' || typeof value !== 'string') return true;
          return part === 'state' ? US_STATE_CODES.has(value) : /^\d{5}(-\d{4})?$/.test(value);
        },
        defaultMessage: () => (part === 'state' ? 'state must be a two-letter US state code' : 'zip must be a US ZIP code (12345 or 12345-6789)'),
      },
    });
}

/** A postal address as the API accepts it. */
export class PostalAddressDto {
  @ApiProperty({ example: 'Hanako Sato' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  company?: string;

  @ApiProperty({ example: '417 Montgomery St' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  street1: string;

  @ApiPropertyOptional({ example: 'Floor 5' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  street2?: string;

  @ApiProperty({ example: 'San Francisco' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  city: string;

  @ApiProperty({ example: 'CA', description: 'Two-letter state or province code.' })
  @IsString()
  @Matches(/^[A-Z0-9]{1,3}$/, { message: 'state must be an upper-case state or province code' })
  @UsAddressPart('state')
  state: string;

  @ApiProperty({ example: '94104' })
  @IsString()
  @MinLength(2)
  @MaxLength(16)
  @UsAddressPart('zip')
  zip: string;

  @ApiProperty({ example: 'US', description: 'ISO 3166-1 alpha-2.' })
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as US' })
  country: string;

  @ApiPropertyOptional({ example: '+1 415 555 0100' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  residential?: boolean;
}

/** A nested, validated object. */
export const Nested = <T>(type: () => new () => T, optional = false) =>
  applyDecorators(
    optional ? ApiPropertyOptional({ type }) : ApiProperty({ type }),
    ...(optional ? [IsOptional()] : []),
    ValidateNested(),
    Type(type),
  );

/** A nested, validated array of objects. */
export const NestedArray = <T>(type: () => new () => T, opts: { min?: number; max?: number } = {}) =>
  applyDecorators(
    ApiProperty({ type, isArray: true }),
    ValidateNested({ each: true }),
    Type(type),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'arraySize',
        target: target.constructor,
        propertyName: propertyName as string,
        validator: {
          validate: (v: unknown) => Array.isArray(v) && v.length >= (opts.min ?? 0) && v.length <= (opts.max ?? 1000),
          defaultMessage: () => `${String(propertyName)} must be a list of ${opts.min ?? 0} to ${opts.max ?? 1000} items`,
        },
      }),
  );

