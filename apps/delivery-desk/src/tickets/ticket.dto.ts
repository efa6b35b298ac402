import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import type { Language as Lang } from '@app/returns';
import { Language } from '../common/validators';
import { TICKET_CATEGORIES, TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES, TicketCategory, TicketChannel, TicketPriority, TicketStatus } from './ticket.entity';

export class TicketLineDto {
  @ApiProperty({ description: "The order line's externalId (or SKU)." })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  lineExternalId: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(100000)
  quantity: number;
}

/** A delivery problem reported through the platform API (or the tracking page). */
export class OpenTicketDto {
  @ApiProperty({ example: 'SG-1001' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  orderExternalId: string;

  @ApiProperty({ enum: TICKET_CATEGORIES })
  @IsIn(TICKET_CATEGORIES)
  category: TicketCategory;

  @ApiPropertyOptional({ description: 'The shipment it is about (id from the order).' })
  @IsOptional()
  @IsUUID()
  shipmentId?: string;

  @ApiPropertyOptional({ type: TicketLineDto, isArray: true, description: 'The affected lines; all lines of the shipment when omitted.' })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => TicketLineDto)
  lines?: TicketLineDto[];

  @ApiPropertyOptional({ enum: TICKET_CHANNELS, default: 'platform' })
  @IsOptional()
  @IsIn(TICKET_CHANNELS)
  channel?: TicketChannel;

  @Language(true)
  language?: Lang;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  subject?: string;

  @ApiPropertyOptional({ description: "The customer's words.", maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({ description: 'When the customer reported it (default: now).' })
  @IsOptional()
  @IsDateString({ strict: true })
  reportedAt?: string;

  @ApiPropertyOptional({ description: "The platform's own id for this case; a second open with it returns the same ticket." })
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,128}$/, { message: 'externalRef must be 1-128 visible ASCII characters' })
  externalRef?: string;

  @ApiPropertyOptional({
    description:
      'Category facts: wrong_item {received: {description, sku?, valueMinor, quantity}}; damaged {extent: whole|partial}; missing_item {packageTampered}; address_issue {correctAddress, addressSuppliedBy}.',
  })
  @IsOptional()
  @IsObject()
  details?: Record<string, unknown>;
}

export class AddMessageDto {
  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  body: string;

  @Language(true)
  language?: Lang;
}

export class DeskMessageDto extends AddMessageDto {
  @ApiPropertyOptional({ description: 'An internal note, not sent to the customer.' })
  @IsOptional()
  @IsIn([true, false])
  internal?: boolean;

  @ApiProperty({ description: 'The ticket version this was written against.' })
  @IsInt()
  @Min(1)
  version: number;
}

export class TransitionDto {
  @ApiProperty({ enum: TICKET_STATUSES })
  @IsIn(TICKET_STATUSES)
  status: TicketStatus;

  @ApiProperty({ description: 'The ticket version this change was made on; a stale one gets 409.' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class AssignDto {
  @ApiProperty({ nullable: true, description: 'The agent to assign, or null to unassign.' })
  @IsOptional()
  @IsUUID()
  agentId: string | null;

  @ApiProperty()
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES })
  @IsOptional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;
}

export class DeskSessionDto {
  @ApiProperty({ example: 'sakura-goods' })
  @IsString()
  @MaxLength(64)
  merchant: string;

  @ApiProperty({ example: 'agent@sakura-goods.example' })
  @IsString()
  @MaxLength(320)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(200)
  password: string;
}

export class QueueQueryDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES, isArray: true, description: 'Comma-separated.' })
  @IsOptional()
  @Matches(/^[a-z_]+(,[a-z_]+)*$/)
  status?: string;

  @ApiPropertyOptional({ enum: TICKET_CATEGORIES })
  @IsOptional()
  @IsIn(TICKET_CATEGORIES)
  category?: TicketCategory;

  @ApiPropertyOptional({ description: '`me`, `none`, or an agent id.' })
  @IsOptional()
  @Matches(/^(me|none|[0-9a-f-]{36})$/)
  assignee?: string;

  @ApiPropertyOptional({ description: 'Search: order number, tracking code, customer e-mail, ticket number (DD-12).' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  q?: string;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
