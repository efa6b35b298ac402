import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AgentGuard } from '../auth/agent.guard';
import { AgentSessionCodec, passwordFingerprint } from '../auth/agent-session';
import { verifyPassword } from '../auth/password';
import { ApiError } from '../common/api-error';
import { ApiResult } from '../common/api-result';
import { Clock } from '../common/clock';
import type { DeskRequest, Principal } from '../common/http-context';
import { SETTINGS, Settings } from '../config/settings';
import { AgentEntity } from '../merchants/agent.entity';
import { MerchantEntity } from '../merchants/merchant.entity';
import { AssignDto, DeskMessageDto, DeskSessionDto, QueueQueryDto, TransitionDto } from './ticket.dto';
import { TicketReader } from './ticket-reader.service';
import { Actor, TicketsService } from './tickets.service';

type AgentPrincipal = Extract<Principal, { kind: 'agent' }>;
const agentOf = (req: DeskRequest): AgentPrincipal => req.principal as AgentPrincipal;
const actorOf = (req: DeskRequest): Actor => ({ kind: 'agent', id: agentOf(req).agentId });

const SESSION_HOURS = 12;

/** The agent console's API: sign in, the queue, and working a ticket. */
@ApiTags('desk')
@Controller('v1/desk')
export class DeskController {
  private readonly sessions: AgentSessionCodec;

  constructor(
    private readonly tickets: TicketsService,
    private readonly reader: TicketReader,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SETTINGS) settings: Settings,
    private readonly clock: Clock,
  ) {
    this.sessions = new AgentSessionCodec(settings.linkSigningSecret);
  }

  @Post('sessions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Sign in as an agent; returns a bearer token for the desk endpoints' })
  async signIn(@Body() dto: DeskSessionDto) {
    const merchant = await this.ds.getRepository(MerchantEntity).findOneBy({ slug: dto.merchant });
    const agent = merchant ? await this.ds.getRepository(AgentEntity).findOneBy({ merchantId: merchant.id, email: dto.email.toLowerCase() }) : null;
    // Same answer and similar time for an unknown shop, an unknown agent and a wrong password.
    const ok = await verifyPassword(dto.password, agent?.passwordHash ?? 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    if (!agent || !ok || !agent.active) throw ApiError.unauthenticated('invalid_credentials', 'The e-mail or password is wrong.');
    const expiresAt = this.clock.now().getTime() + SESSION_HOURS * 3_600_000;
    return {
      token: this.sessions.sign({ agentId: agent.id, merchantId: agent.merchantId, expiresAt, pw: passwordFingerprint(agent.passwordHash) }),
      expiresAt: new Date(expiresAt).toISOString(),
      agent: { id: agent.id, name: agent.name, email: agent.email, role: agent.role, approvalLimitMinor: agent.approvalLimitMinor, languages: agent.languages },
      merchant: { id: merchant!.id, slug: merchant!.slug, nameEn: merchant!.nameEn, nameJa: merchant!.nameJa },
    };
  }

  @Get('tickets')
  @UseGuards(AgentGuard)
  @ApiBearerAuth('agent')
  @ApiOperation({ summary: 'The queue: open tickets by priority and SLA; filters and search' })
  async queue(@Req() req: DeskRequest, @Query() q: QueueQueryDto) {
    const me = agentOf(req);
    const rows = await this.tickets.queue(me.merchantId, q, me.agentId);
    return { data: await Promise.all(rows.map((t) => this.reader.summary(t))) };
  }

  @Get('tickets/:ticketId')
  @UseGuards(AgentGuard)
  @ApiBearerAuth('agent')
  @ApiOperation({ summary: 'A ticket with decision, messages and audit trail' })
  get(@Req() req: DeskRequest, @Param('ticketId') ticketId: string) {
    return this.reader.full(agentOf(req).merchantId, ticketId);
  }

  @Get('tickets/:ticketId/options')
  @UseGuards(AgentGuard)
  @ApiBearerAuth('agent')
  options(@Req() req: DeskRequest, @Param('ticketId') ticketId: string) {
    return this.reader.options(agentOf(req).merchantId, ticketId);
  }

  @Post('tickets/:ticketId/transition')
  @UseGuards(AgentGuard)
  @ApiBearerAuth('agent')
  @ApiOperation({ summary: 'Change the status (409 when the ticket changed since `version`, or the move is not allowed)' })
  async transition(@Req() req: DeskRequest, @Param('ticketId') ticketId: string, @Body() dto: TransitionDto) {
    const t = await this.tickets.transition(agentOf(req).merchantId, ticketId, dto.status, dto.version, actorOf(req), dto.note);
    return ApiResult.ok(await this.reader.summary(t));
  }

  @Post('tickets/:ticketId/assign')
  @UseGuards(AgentGuard)
  @ApiBearerAuth('agent')
  async assign(@Req() req: DeskRequest, @Param('ticketId') ticketId: string, @Body() dto: AssignDto) {
    const t = await this.tickets.assign(agentOf(req).merchantId, ticketId, dto.agentId ?? null, dto.version, actorOf(req), dto.priority);
    return ApiResult.ok(await this.reader.summary(t));
  }

  @Post('tickets/:ticketId/messages')
  @UseGuards(AgentGuard)
  @ApiBearerAuth('agent')
  @ApiOperation({ summary: 'Reply to the customer, or add an internal note' })
  async message(@Req() req: DeskRequest, @Param('ticketId') ticketId: string, @Body() dto: DeskMessageDto) {
    const me = agentOf(req);
    const { ticket } = await this.tickets.addMessage(
      me.merchantId,
      ticketId,
      { body: dto.body, language: dto.language, direction: dto.internal ? 'internal' : 'outbound', channel: 'console', authorKind: 'agent' },
      actorOf(req),
      dto.version,
    );
    return ApiResult.created(await this.reader.summary(ticket));
  }
}
