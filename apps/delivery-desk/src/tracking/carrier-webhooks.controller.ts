import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { DeskRequest } from '../common/http-context';
import { CarrierWebhooksService } from './carrier-webhooks.service';

type RawRequest = DeskRequest & { rawBody?: Buffer };

/** Where carriers push tracking updates. Authenticated by the carrier's signature, not an API key. */
@ApiTags('carrier webhooks')
@SkipThrottle()
@Controller('webhooks')
export class CarrierWebhooksController {
  constructor(private readonly webhooks: CarrierWebhooksService) {}

  @Post('easypost')
  @HttpCode(200)
  @ApiOperation({ summary: "EasyPost events for the deployment's own EasyPost account (X-Hmac-Signature)" })
  easypost(@Req() req: RawRequest) {
    return this.webhooks.easypost(req.rawBody, req.headers, null);
  }

  @Post('easypost/:accountId')
  @HttpCode(200)
  @ApiOperation({ summary: "EasyPost events for a merchant's own EasyPost account (X-Hmac-Signature)" })
  easypostForAccount(@Req() req: RawRequest, @Param('accountId') accountId: string) {
    return this.webhooks.easypost(req.rawBody, req.headers, accountId);
  }

  @Post('ups/:accountId')
  @HttpCode(200)
  @ApiExcludeEndpoint(false)
  @ApiOperation({ summary: "UPS Track Alert pushes for a merchant's UPS account (credential header)" })
  ups(@Req() req: RawRequest, @Param('accountId') accountId: string) {
    return this.webhooks.ups(req.rawBody, req.headers, accountId);
  }
}
