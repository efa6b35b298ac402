import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsObject, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { Language as Lang } from '@app/returns';
import { Language, Nested, PostalAddressDto, TimeZone } from '../common/validators';
import { AGENT_ROLES, AgentRole } from './agent.entity';
import { API_KEY_SCOPES, ApiKeyScope } from './api-key.entity';

export class CreateMerchantDto {
  @ApiProperty({ example: 'sakura-goods', description: 'Lower-case letters, digits and dashes.' })
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { message: 'slug must be lower-case letters, digits and dashes (at most 64)' })
  slug: string;

  @ApiProperty({ example: 'Sakura Goods' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  nameEn: string;

  @ApiProperty({ example: 'さくら商店' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  nameJa: string;

  @Language()
  defaultLanguage: Lang;

  @TimeZone()
  timeZone: string;

  @Nested(() => PostalAddressDto)
  shipFrom: PostalAddressDto;

  @ApiPropertyOptional({ example: 'https://shop.example.com/hooks/delivery-desk' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  platformWebhookUrl?: string;

  @ApiPropertyOptional({ description: 'Shared secret that signs platform webhooks (at least 16 characters).' })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  platformWebhookSecret?: string;

  @ApiPropertyOptional({ description: 'Also send every customer message of a ticket to the platform as a signed `message.created` webhook.' })
  @IsOptional()
  @IsBoolean()
  platformMessageEvents?: boolean;

  @ApiPropertyOptional({ description: 'Initial return/refund policy; the default policy when omitted.' })
  @IsOptional()
  @IsObject()
  policy?: Record<string, unknown>;
}

export class UpdateMerchantDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  nameEn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  nameJa?: string;

  @Language(true)
  defaultLanguage?: Lang;

  @ApiPropertyOptional()
  @IsOptional()
  @TimeZone()
  timeZone?: string;

  @Nested(() => PostalAddressDto, true)
  shipFrom?: PostalAddressDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  platformWebhookUrl?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  platformWebhookSecret?: string;

  @ApiPropertyOptional({ description: 'Also send every customer message of a ticket to the platform as a signed `message.created` webhook.' })
  @IsOptional()
  @IsBoolean()
  platformMessageEvents?: boolean;
}

export class CreatePolicyVersionDto {
  @ApiProperty({ description: 'The full policy document.' })
  @IsObject()
  policy: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Shopify plugin' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ enum: API_KEY_SCOPES, isArray: true, description: 'All scopes when omitted.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes?: ApiKeyScope[];
}

export class CreateAgentDto {
  @ApiProperty({ example: 'aiko@sakura.example' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'Aiko Tanaka' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: AGENT_ROLES })
  @IsIn(AGENT_ROLES)
  role: AgentRole;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MinLength(12, { message: 'password must be at least 12 characters' })
  @MaxLength(200)
  password: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Largest refund or reship this agent may approve alone (minor units).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1e12)
  approvalLimitMinor?: number;

  @ApiPropertyOptional({ enum: ['ja', 'en'], isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(['ja', 'en'], { each: true })
  languages?: Lang[];
}

export class UpdateAgentDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: AGENT_ROLES })
  @IsOptional()
  @IsIn(AGENT_ROLES)
  role?: AgentRole;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'password must be at least 12 characters' })
  @MaxLength(200)
  password?: string;

  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1e12)
  approvalLimitMinor?: number;

  @ApiPropertyOptional({ enum: ['ja', 'en'], isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(['ja', 'en'], { each: true })
  languages?: Lang[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
