import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { OptionalMoneyMinor } from '../common/validators';
import { PLATFORM_COMMAND_STATUSES, PlatformCommandStatus } from './platform-command-state';

/** The platform did what the command asked. */
export class ConfirmPlatformCommandDto {
  @ApiProperty({ example: 're_3PqL9x2eZvKYlo2C1', description: "The platform's id for what it did (refund id, replacement order...). Confirming again with the same one is a no-op." })
  @Matches(/^[\x20-\x7e]{1,255}$/, { message: 'platformReference must be 1 to 255 printable ASCII characters' })
  platformReference: string;

  @OptionalMoneyMinor('refund and store_credit: the amount done, in minor units. Must equal the commanded amount.')
  refundedMinor?: number;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

/** The platform could not do what the command asked. */
export class FailPlatformCommandDto {
  @ApiProperty({ example: 'Payment already refunded in the admin', maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;

  @ApiPropertyOptional({ description: 'Whether a new command may succeed (e.g. a temporary payment-provider outage).', default: false })
  @IsOptional()
  @IsBoolean()
  retryable?: boolean;
}

export class ListPlatformCommandsQueryDto {
  @ApiPropertyOptional({ enum: PLATFORM_COMMAND_STATUSES })
  @IsOptional()
  @IsIn(PLATFORM_COMMAND_STATUSES)
  status?: PlatformCommandStatus;

  @ApiPropertyOptional({ example: '#1001' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  orderExternalId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ticketId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
