import { Body, Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AgentGuard } from '../../auth/agent.guard';
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { MerchantId, RequireScopes } from '../../auth/auth.decorators';
import type { DeskRequest, Principal } from '../../common/http-context';
import type { TicketEntity } from '../../tickets/ticket.entity';
import { DeskCancelPickupDto, DeskReschedulePickupDto, ReschedulePickupDto } from './return-pickup.dto';
import { PickupState, ReturnPickupsService } from './return-pickups.service';

type AgentPrincipal = Extract<Principal, { kind: 'agent' }>;

const pickupView = (ticket: TicketEntity, pickup: PickupState, changed = true) => ({ ticketId: ticket.id, ticketVersion: ticket.version, changed, pickup });

/** The platform moves or cancels the customer's return pickup. */
@ApiTags('tickets')
@ApiBearerAuth('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('v1/tickets/:ticketId/pickup')
export class TicketPickupController {
  constructor(private readonly pickups: ReturnPickupsService) {}

  @Post('reschedule')
  @HttpCode(200)
  @RequireScopes('tickets:write')
  @ApiOperation({ summary: 'Move the booked return pickup to another business day in the pickup window (422 invalid day or carrier refusal; 409 no booked pickup)' })
  async reschedule(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string, @Body() dto: ReschedulePickupDto, @Req() req: DeskRequest) {
    const p = req.principal as Extract<Principal, { kind: 'merchant' }>;
    const out = await this.pickups.reschedule(merchantId, ticketId, dto, { kind: 'platform', id: p.apiKeyId });
    return pickupView(out.ticket, out.pickup, out.changed);
  }

  @Post('cancel')
  @HttpCode(200)
  @RequireScopes('tickets:write')
  @ApiOperation({ summary: 'Cancel the booked return pickup (409 when none is booked or it is already cancelled)' })
  async cancel(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string, @Req() req: DeskRequest) {
    const p = req.principal as Extract<Principal, { kind: 'merchant' }>;
    const out = await this.pickups.cancel(merchantId, ticketId, { kind: 'platform', id: p.apiKeyId });
    return pickupView(out.ticket, out.pickup);
  }
}

/** Agents move or cancel a return pickup from the desk. */
@ApiTags('desk')
@ApiBearerAuth('agent')
@UseGuards(AgentGuard)
@Controller('v1/desk/tickets/:ticketId/pickup')
export class DeskPickupController {
  constructor(private readonly pickups: ReturnPickupsService) {}

  @Post('reschedule')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the booked return pickup (as the platform endpoint; `version` guards against a stale view)' })
  async reschedule(@Req() req: DeskRequest, @Param('ticketId') ticketId: string, @Body() dto: DeskReschedulePickupDto) {
    const me = req.principal as AgentPrincipal;
    const { version, ...window } = dto;
    const out = await this.pickups.reschedule(me.merchantId, ticketId, window, { kind: 'agent', id: me.agentId }, version ?? null);
    return pickupView(out.ticket, out.pickup, out.changed);
  }

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel the booked return pickup' })
  async cancel(@Req() req: DeskRequest, @Param('ticketId') ticketId: string, @Body() dto: DeskCancelPickupDto) {
    const me = req.principal as AgentPrincipal;
    const out = await this.pickups.cancel(me.merchantId, ticketId, { kind: 'agent', id: me.agentId }, dto?.version ?? null);
    return pickupView(out.ticket, out.pickup);
  }
}
