import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

export class ReschedulePickupDto {
  @ApiProperty({ example: '2026-12-08', description: 'A future business day within the pickup window of the decision (ship-to local date).' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date: string;

  @ApiPropertyOptional({ example: '09:00', description: 'Earliest pickup time, ship-to local (default 09:00).' })
  @IsOptional()
  @IsString()
  @Matches(TIME, { message: 'windowFrom must be HH:MM (24-hour)' })
  windowFrom?: string;

  @ApiPropertyOptional({ example: '17:00', description: 'Latest pickup time, ship-to local (default 17:00).' })
  @IsOptional()
  @IsString()
  @Matches(TIME, { message: 'windowTo must be HH:MM (24-hour)' })
  windowTo?: string;
}

export class DeskReschedulePickupDto extends ReschedulePickupDto {
  @ApiPropertyOptional({ description: 'The ticket version the agent saw (409 when it changed since).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class DeskCancelPickupDto {
  @ApiPropertyOptional({ description: 'The ticket version the agent saw (409 when it changed since).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
