import { Body, Controller, Get, Param, Post, Req, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { endOfLocalDay, timeZoneForAddress } from '@app/returns';
import { AgentGuard } from '../auth/agent.guard';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { MerchantId, RequireScopes } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { ApiResult } from '../common/api-result';
import { Clock } from '../common/clock';
import type { DeskRequest, Principal } from '../common/http-context';
import { OrderEntity } from '../orders/order.entity';
import type { ReturnState } from '../resolutions/playbooks/return-pickups.service';
import { TicketReader } from '../tickets/ticket-reader.service';
import { customerLinkView } from '../tickets/ticket.views';
import { Actor, TicketsService } from '../tickets/tickets.service';
import { CustomerLinkEntity } from './customer-link.entity';
import { CustomerLinksService } from './customer-links.service';
import { AddressAnswerDoc, DelayChoiceDto, DelayReportDoc, DeskIssueLinkDto, IssueLinkDto, PickupAnswerDoc } from './self-service.dto';
import { SelfServiceService } from './self-service.service';

const TOKEN = { name: 'token', description: 'The token from the customer link (`/t/<token>`).' };

/**
 * The customer's side of a signed link, no login: what the link shows and the one answer it asks
 * for. 401 `link_invalid` (forged or altered), 410 `link_expired` / `link_revoked`, 409 `link_used`
 * (a different answer after the first; the same answer again returns the first result).
 */
@ApiTags('self-service')
@Controller('v1/self-service/links')
export class SelfServiceController {
  constructor(private readonly service: SelfServiceService) {}

  @Get(':token')
  @ApiOperation({ summary: 'What the link shows: order, parcel, case, and what it asks, in the customer\u2019s language' })
  @ApiParam(TOKEN)
  @ApiResponse({ status: 401, description: 'link_invalid' })
  @ApiResponse({ status: 410, description: 'link_expired, link_revoked' })
  async view(@Param('token') token: string) {
    return this.service.view(token);
  }

  @Post(':token/delay')
  @ApiOperation({ summary: 'Answer a delay notice: consent to the new ship date, or cancel for a full refund' })
  @ApiParam(TOKEN)
  @ApiResponse({ status: 200, description: 'The answer and what it started (the same again: the first result, `replayed: true`)' })
  @ApiResponse({ status: 409, description: 'link_used, case_closed' })
  @ApiResponse({ status: 422, description: 'link_purpose_mismatch, cancel_not_available' })
  async delay(@Param('token') token: string, @Body() dto: DelayChoiceDto) {
    return ApiResult.ok(await this.service.answerDelay(token, dto.choice));
  }

  @Post(':token/address')
  @ApiOperation({ summary: 'Confirm the address on file, or give a corrected one (verified with the carrier, then redirected where possible)' })
  @ApiParam(TOKEN)
  @ApiBody({ type: AddressAnswerDoc })
  @ApiResponse({ status: 200, description: 'The stored address and what it started' })
  @ApiResponse({ status: 409, description: 'link_used, case_closed' })
  @ApiResponse({ status: 422, description: 'address_invalid (field paths), address_undeliverable (the carrier\u2019s reasons)' })
  @ApiResponse({ status: 503, description: 'carrier_unavailable' })
  async address(@Param('token') token: string, @Body() body: unknown) {
    return ApiResult.ok(await this.service.answerAddress(token, body));
  }

  @Post(':token/pickup')
  @ApiOperation({ summary: 'Move the booked return pickup to another day in its window, or cancel it' })
  @ApiParam(TOKEN)
  @ApiBody({ type: PickupAnswerDoc })
  @ApiResponse({ status: 200, description: 'The pickup now (`replayed: true` when nothing had to change)' })
  @ApiResponse({ status: 400, description: 'validation_failed (field paths)' })
  @ApiResponse({ status: 409, description: 'no_pickup, pickup_cancelled, pickup_completed' })
  @ApiResponse({ status: 422, description: 'link_purpose_mismatch, pickup_reschedule_invalid (field paths), carrier_refused' })
  @ApiResponse({ status: 503, description: 'carrier_unavailable' })
  async pickup(@Param('token') token: string, @Body() body: unknown) {
    return ApiResult.ok(await this.service.answerPickup(token, body));
  }
}

const linkView = (l: CustomerLinkEntity, url: string | null) => ({
  id: l.id,
  purpose: l.purpose,
  url,
  expiresAt: l.expiresAt.toISOString(),
  usedAt: l.usedAt?.toISOString() ?? null,
  revokedAt: l.revokedAt?.toISOString() ?? null,
  createdAt: l.createdAt.toISOString(),
});

/** Platform API: a ticket's customer links — make a case link to send, list them, revoke one. */
@ApiTags('tickets')
@ApiBearerAuth('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('v1/tickets/:ticketId/links')
export class TicketLinksController {
  constructor(
    private readonly links: CustomerLinksService,
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Post()
  @RequireScopes('tickets:write')
  @ApiOperation({ summary: 'Make a link that shows the customer their case' })
  async issue(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string, @Body() dto: IssueLinkDto) {
    return this.ds.transaction(async (em) => {
      const ticket = await this.tickets.lockForChange(em, merchantId, ticketId, null);
      const expiresAt = new Date(this.clock.now().getTime() + (dto.expiresInDays ?? 30) * 86_400_000);
      const issued = await this.links.issue(em, ticket, dto.purpose, { expiresAt });
      await this.tickets.appendEvent(em, ticket, { kind: 'platform', id: null }, 'customer_link_issued', { linkId: issued.linkId, purpose: dto.purpose, expiresAt: expiresAt.toISOString() });
      const link = await em.findOneByOrFail(CustomerLinkEntity, { merchantId, id: issued.linkId });
      return ApiResult.created(linkView(link, issued.url));
    });
  }

  @Get()
  @RequireScopes('tickets:read')
  @ApiOperation({ summary: "A ticket's customer links (with URLs while they work)" })
  async list(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string) {
    const ticket = await this.tickets.get(merchantId, ticketId);
    const now = this.clock.now();
    const rows = await this.links.list(merchantId, ticket.id);
    return { data: rows.map((l) => linkView(l, !l.revokedAt && l.expiresAt > now ? this.links.urlOf(l) : null)) };
  }

  @Post(':linkId/revoke')
  @RequireScopes('tickets:write')
  @ApiOperation({ summary: 'Stop a link from working (410 link_revoked for its holder)' })
  async revoke(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string, @Param('linkId') linkId: string) {
    if (!/^[0-9a-f-]{36}$/i.test(ticketId)) throw ApiError.notFound('Ticket');
    return this.ds.transaction(async (em) => {
      // Link before ticket, the order a customer's answer takes them in, so the two cannot deadlock.
      const { link, changed } = await this.links.revoke(em, merchantId, ticketId, linkId);
      const ticket = await this.tickets.lockForChange(em, merchantId, ticketId, null);
      if (changed) await this.tickets.appendEvent(em, ticket, { kind: 'platform', id: null }, 'customer_link_revoked', { linkId: link.id, purpose: link.purpose });
      return ApiResult.ok(linkView(link, null));
    });
  }
}


type AgentPrincipal = Extract<Principal, { kind: 'agent' }>;

/** Agents hand out a case's customer links, see them (never their tokens) and withdraw them. */
@ApiTags('desk')
@ApiBearerAuth('agent')
@UseGuards(AgentGuard)
@Controller('v1/desk/tickets/:ticketId/links')
export class DeskLinksController {
  constructor(
    private readonly links: CustomerLinksService,
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: "A ticket's customer links: purpose, status, expiry, the answer given (no tokens)" })
  async list(@Req() req: DeskRequest, @Param('ticketId') ticketId: string) {
    const me = req.principal as AgentPrincipal;
    const ticket = await this.tickets.get(me.merchantId, ticketId);
    const now = this.clock.now();
    return { data: (await this.links.list(me.merchantId, ticket.id)).map((l) => customerLinkView(l, now)) };
  }

  @Post()
  @ApiOperation({ summary: 'Make a link to send the customer; its URL is shown this once' })
  @ApiResponse({ status: 409, description: 'no_pickup, pickup_cancelled, pickup_completed (for a pickup link)' })
  async issue(@Req() req: DeskRequest, @Param('ticketId') ticketId: string, @Body() dto: DeskIssueLinkDto) {
    const me = req.principal as AgentPrincipal;
    const actor: Actor = { kind: 'agent', id: me.agentId };
    return this.ds.transaction(async (em) => {
      const ticket = await this.tickets.lockForChange(em, me.merchantId, ticketId, null);
      const now = this.clock.now();
      let expiresAt = new Date(now.getTime() + (dto.expiresInDays ?? 30) * 86_400_000);
      if (dto.purpose === 'pickup') {
        const pickup = (ticket.details as { return?: ReturnState }).return?.pickup;
        if (!pickup) throw ApiError.conflict('no_pickup', 'This ticket has no booked return pickup.');
        if (pickup.status === 'cancelled') throw ApiError.conflict('pickup_cancelled', 'The return pickup was cancelled; book a new one.');
        if (pickup.status === 'picked_up') throw ApiError.conflict('pickup_completed', 'The carrier already has the return parcel.');
        const order = await em.findOneByOrFail(OrderEntity, { merchantId: ticket.merchantId, id: ticket.orderId });
        const windowEnd = new Date(endOfLocalDay(pickup.allowedTo, timeZoneForAddress({ country: order.shipToCountry, state: order.shipToState, zip: order.shipToZip })));
        // Moving a pickup makes no sense after its window; the link stops with it.
        if (windowEnd < expiresAt) expiresAt = windowEnd;
      }
      const issued = await this.links.issue(em, ticket, dto.purpose, { expiresAt });
      await this.tickets.appendEvent(em, ticket, actor, 'customer_link_issued', { linkId: issued.linkId, purpose: dto.purpose, expiresAt: expiresAt.toISOString() });
      const link = await em.findOneByOrFail(CustomerLinkEntity, { merchantId: me.merchantId, id: issued.linkId });
      return ApiResult.created({ ...customerLinkView(link, now), url: issued.url });
    });
  }

  @Post(':linkId/revoke')
  @ApiOperation({ summary: 'Stop a link from working (its holder gets 410 link_revoked); revoking twice changes nothing' })
  async revoke(@Req() req: DeskRequest, @Param('ticketId') ticketId: string, @Param('linkId') linkId: string) {
    const me = req.principal as AgentPrincipal;
    if (!/^[0-9a-f-]{36}$/i.test(ticketId)) throw ApiError.notFound('Ticket');
    return this.ds.transaction(async (em) => {
      // Link before ticket, the order a customer's answer takes them in, so the two cannot deadlock.
      const { link, changed } = await this.links.revoke(em, me.merchantId, ticketId, linkId);
      const ticket = await this.tickets.lockForChange(em, me.merchantId, ticketId, null);
      if (changed) await this.tickets.appendEvent(em, ticket, { kind: 'agent', id: me.agentId }, 'customer_link_revoked', { linkId: link.id, purpose: link.purpose });
      return ApiResult.ok(customerLinkView(link, this.clock.now()));
    });
  }
}

/** Platform API: the shop reports that an order of a tracking case will ship late. */
@ApiTags('tickets')
@ApiBearerAuth('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('v1/tickets/:ticketId/delay')
export class TicketDelayController {
  constructor(
    private readonly service: SelfServiceService,
    private readonly reader: TicketReader,
  ) {}

  @Post()
  @RequireScopes('tickets:write')
  @ApiOperation({ summary: 'Report a shipping delay (or a new expected ship date); the FTC delay notice goes out when it is due' })
  @ApiBody({ type: DelayReportDoc })
  @ApiResponse({ status: 200, description: '`changed` (false for the same report again), `noticeSent`, and the ticket' })
  @ApiResponse({ status: 400, description: 'validation_failed (field paths)' })
  @ApiResponse({ status: 409, description: 'case_closed' })
  @ApiResponse({ status: 422, description: 'delay_not_applicable (not a tracking ticket)' })
  async report(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string, @Body() body: unknown, @Req() req: DeskRequest) {
    const p = req.principal as Extract<Principal, { kind: 'merchant' }>;
    const out = await this.service.reportDelay(merchantId, ticketId, body, { kind: 'platform', id: p.apiKeyId });
    return ApiResult.ok({ changed: out.changed, noticeSent: out.noticeSent, ticket: await this.reader.full(merchantId, ticketId) });
  }
}
