import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsUrl } from 'class-validator';

export class PutCarrierAccountDto {
  @ApiProperty({
    description: 'EasyPost: { apiKey, webhookSecret }. UPS: { clientId, clientSecret, accountNumber, webhookToken }. Stored encrypted, never returned.',
    example: { apiKey: 'EZAK...', webhookSecret: 'a-long-random-secret' },
  })
  @IsObject()
  credentials: Record<string, string>;

  @ApiPropertyOptional({ description: 'Another API base URL (regional endpoint, proxy, test server).' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  apiBaseUrl?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
