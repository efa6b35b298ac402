import { Body, Controller, Get, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { MerchantId, RequireScopes } from '../../auth/auth.decorators';
import { ApiResult } from '../../common/api-result';
import type { DeskRequest } from '../../common/http-context';
import { CardDisputeDto } from './card-dispute.dto';
import { CardDisputesService, disputeView } from './card-disputes.service';

/** Platform API: the card disputes (chargebacks) on an order, as the payment processor reports them. */
@ApiTags('disputes')
@ApiBearerAuth('apiKey')
@ApiHeader({ name: 'Idempotency-Key', required: false })
@UseGuards(ApiKeyGuard)
@Controller('v1/orders')
export class CardDisputesController {
  constructor(private readonly disputes: CardDisputesService) {}

  @Post(':externalId/disputes')
  @RequireScopes('orders:write')
  @ApiOperation({ summary: 'Open or update a card dispute (201 when new, 200 when updated or unchanged)' })
  async upsert(@MerchantId() merchantId: string, @Param('externalId') externalId: string, @Body() dto: CardDisputeDto, @Req() req: DeskRequest) {
    const actor = { kind: 'platform' as const, id: req.principal?.kind === 'merchant' ? req.principal.apiKeyId : null };
    const { created, dispute } = await this.disputes.upsert(merchantId, externalId, dto, actor);
    return created ? ApiResult.created(disputeView(dispute)) : ApiResult.ok(disputeView(dispute));
  }

  @Get(':externalId/disputes')
  @RequireScopes('orders:read')
  @ApiOperation({ summary: "The order's card disputes, newest first" })
  async list(@MerchantId() merchantId: string, @Param('externalId') externalId: string) {
    return { data: (await this.disputes.list(merchantId, externalId)).map(disputeView) };
  }
}
