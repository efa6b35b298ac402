import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { MerchantId, RequireScopes } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { ApiResult } from '../common/api-result';
import { Clock } from '../common/clock';
import { TicketsService } from '../tickets/tickets.service';
import { CustomerLinkEntity } from './customer-link.entity';
import { CustomerLinksService } from './customer-links.service';
import { AddressAnswerDoc, DelayChoiceDto, IssueLinkDto } from './self-service.dto';
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

