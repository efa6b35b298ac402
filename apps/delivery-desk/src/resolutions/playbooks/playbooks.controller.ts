import { Body, Controller, Get, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AgentGuard } from '../../auth/agent.guard';
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { MerchantId, RequireScopes } from '../../auth/auth.decorators';
import { ApiError } from '../../common/api-error';
import { ApiResult } from '../../common/api-result';
import type { DeskRequest, Principal } from '../../common/http-context';
import { TicketsService } from '../../tickets/tickets.service';
import { SagaRunner } from '../saga/saga-runner.service';
import { PlaybooksService } from './playbooks.service';
import { ApprovalDto, ChooseResolutionDto, DeskChooseResolutionDto } from './resolution.dto';
import { resolutionView } from './resolution.views';

type AgentPrincipal = Extract<Principal, { kind: 'agent' }>;

/** Choosing what to do about a ticket, and following it: the platform's side. */
@ApiTags('tickets')
@ApiBearerAuth('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('v1/tickets/:ticketId/resolutions')
export class TicketResolutionsController {
  constructor(
    private readonly playbooks: PlaybooksService,
    private readonly runner: SagaRunner,
    private readonly tickets: TicketsService,
  ) {}

  @Post()
  @RequireScopes('tickets:write')
  @ApiOperation({ summary: "Run the customer's choice among the ticket's options (201; 200 when already chosen)" })
  async choose(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string, @Body() dto: ChooseResolutionDto, @Req() req: DeskRequest) {
    const p = req.principal as Extract<Principal, { kind: 'merchant' }>;
    const outcome = await this.playbooks.choose(merchantId, ticketId, dto.action, { kind: 'platform', apiKeyId: p.apiKeyId }, null);
    return outcome.created ? ApiResult.created(resolutionView(outcome)) : ApiResult.ok(resolutionView(outcome));
  }

  @Get()
  @RequireScopes('tickets:read')
  @ApiOperation({ summary: "The ticket's resolutions and their steps" })
  async list(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string) {
    const ticket = await this.tickets.get(merchantId, ticketId);
    const rows = await this.runner.forTicket(merchantId, ticket.id);
    const views = [];
    for (const r of rows) {
      const v = await this.runner.get(merchantId, r.id);
      if (v) views.push(resolutionView(v));
    }
    return { data: views };
  }
}

/** The desk's side: agents choose (also what is only allowed), supervisors approve. */
@ApiTags('desk')
@ApiBearerAuth('agent')
@UseGuards(AgentGuard)
@Controller('v1/desk')
export class DeskResolutionsController {
  constructor(private readonly playbooks: PlaybooksService) {}

  @Post('tickets/:ticketId/resolutions')
  @ApiOperation({ summary: 'Run an offered or allowed action; above your approval limit it waits for a supervisor' })
  async choose(@Req() req: DeskRequest, @Param('ticketId') ticketId: string, @Body() dto: DeskChooseResolutionDto) {
    const me = req.principal as AgentPrincipal;
    const outcome = await this.playbooks.choose(me.merchantId, ticketId, dto.action, { kind: 'agent', agentId: me.agentId, role: me.role, approvalLimitMinor: me.approvalLimitMinor }, dto.version);
    return outcome.created ? ApiResult.created(resolutionView(outcome)) : ApiResult.ok(resolutionView(outcome));
  }

  @Post('resolutions/:resolutionId/approve')
  @ApiOperation({ summary: 'Approve a resolution waiting for approval (a supervisor, not its requester)' })
  async approve(@Req() req: DeskRequest, @Param('resolutionId') resolutionId: string, @Body() dto: ApprovalDto) {
    const me = req.principal as AgentPrincipal;
    if (!/^[0-9a-f-]{36}$/i.test(resolutionId)) throw ApiError.notFound('Resolution');
    return ApiResult.ok(resolutionView(await this.playbooks.approve(me.merchantId, resolutionId, { id: me.agentId, role: me.role, approvalLimitMinor: me.approvalLimitMinor }, false, dto.note)));
  }

  @Post('resolutions/:resolutionId/reject')
  async reject(@Req() req: DeskRequest, @Param('resolutionId') resolutionId: string, @Body() dto: ApprovalDto) {
    const me = req.principal as AgentPrincipal;
    if (!/^[0-9a-f-]{36}$/i.test(resolutionId)) throw ApiError.notFound('Resolution');
    return ApiResult.ok(resolutionView(await this.playbooks.approve(me.merchantId, resolutionId, { id: me.agentId, role: me.role, approvalLimitMinor: me.approvalLimitMinor }, true, dto.note)));
  }
}
