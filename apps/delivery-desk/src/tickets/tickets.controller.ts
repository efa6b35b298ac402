import { Body, Controller, Get, Param, Post, Query, Req, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { EVIDENCE_KINDS } from '@app/returns';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { MerchantId, RequireScopes } from '../auth/auth.decorators';
import { ApiResult } from '../common/api-result';
import type { DeskReply, DeskRequest } from '../common/http-context';
import { evidenceView } from './ticket.views';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AddMessageDto, OpenTicketDto } from './ticket.dto';
import { TicketEntity } from './ticket.entity';
import { TicketReader } from './ticket-reader.service';
import { Actor, TicketsService } from './tickets.service';
import { ApiError } from '../common/api-error';

const platformActor = (req: DeskRequest): Actor => ({ kind: 'platform', id: req.principal?.kind === 'merchant' ? req.principal.apiKeyId : null });

/** Platform API: open tickets, read them with their decision, ask what may be done next, write in. */
@ApiTags('tickets')
@ApiBearerAuth('apiKey')
@ApiHeader({ name: 'Idempotency-Key', required: false })
@UseGuards(ApiKeyGuard)
@Controller('v1/tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly reader: TicketReader,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Post()
  @RequireScopes('tickets:write')
  @ApiOperation({ summary: 'Open a ticket for an order (201; 200 with the existing ticket for a known externalRef)' })
  async open(@MerchantId() merchantId: string, @Body() dto: OpenTicketDto, @Req() req: DeskRequest) {
    const { created, ticket } = await this.tickets.open(merchantId, dto, platformActor(req));
    const view = await this.reader.full(merchantId, ticket.id);
    return created ? ApiResult.created(view) : ApiResult.ok(view);
  }

  @Get()
  @RequireScopes('tickets:read')
  @ApiOperation({ summary: "List an order's tickets" })
  async list(@MerchantId() merchantId: string, @Query('orderExternalId') orderExternalId?: string) {
    if (!orderExternalId) throw ApiError.validation([{ path: 'orderExternalId', problem: 'is required' }]);
    const rows = await this.ds
      .getRepository(TicketEntity)
      .createQueryBuilder('t')
      .innerJoin('orders', 'o', 'o.merchant_id = t.merchant_id AND o.id = t.order_id')
      .where('t.merchant_id = :merchantId AND o.external_id = :orderExternalId', { merchantId, orderExternalId })
      .orderBy('t.created_at', 'ASC')
      .getMany();
    return { data: await Promise.all(rows.map((t) => this.reader.summary(t))) };
  }

  @Get(':ticketId')
  @RequireScopes('tickets:read')
  @ApiOperation({ summary: 'A ticket with its current decision, messages and audit trail' })
  get(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string) {
    return this.reader.full(merchantId, ticketId);
  }

  @Get(':ticketId/options')
  @RequireScopes('tickets:read')
  @ApiOperation({ summary: 'What may be done next, with the reasons (for headless platforms)' })
  options(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string) {
    return this.reader.options(merchantId, ticketId);
  }

  @Post(':ticketId/evidence')
  @RequireScopes('tickets:write')
  @ApiOperation({ summary: 'Upload a photo or PDF as raw bytes (Content-Type image/jpeg, image/png, image/webp, image/heic or application/pdf); ?kind=photo_item|photo_packaging|photo_label|invoice|...' })
  async evidence(
    @MerchantId() merchantId: string,
    @Param('ticketId') ticketId: string,
    @Query('kind') kind: string | undefined,
    @Query('fileName') fileName: string | undefined,
    @Req() req: DeskRequest,
  ) {
    if (!kind || !(EVIDENCE_KINDS as readonly string[]).includes(kind)) throw ApiError.validation([{ path: 'kind', problem: `must be one of ${EVIDENCE_KINDS.join(', ')}` }]);
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw ApiError.validation([{ path: 'body', problem: 'must be the file bytes' }]);
    const { created, evidence } = await this.tickets.addEvidence(merchantId, ticketId, { kind, bytes: req.body, fileName: fileName?.slice(0, 200) ?? null }, platformActor(req));
    const view = evidenceView(evidence);
    return created ? ApiResult.created(view) : ApiResult.ok(view);
  }

  @Get(':ticketId/evidence')
  @RequireScopes('tickets:read')
  async evidenceList(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string) {
    return { data: (await this.tickets.evidenceList(merchantId, ticketId)).map(evidenceView) };
  }

  @Get(':ticketId/evidence/:evidenceId')
  @RequireScopes('tickets:read')
  @ApiOperation({ summary: 'The evidence file itself' })
  async evidenceFile(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string, @Param('evidenceId') evidenceId: string, @Res({ passthrough: true }) reply: DeskReply) {
    const file = await this.tickets.evidenceFile(merchantId, ticketId, evidenceId);
    void reply.header('content-type', file.contentType).header('x-content-type-options', 'nosniff').header('content-disposition', 'inline');
    return new StreamableFile(file.data);
  }

  @Post(':ticketId/messages')
  @RequireScopes('tickets:write')
  @ApiOperation({ summary: "Add the customer's message (as relayed by the platform)" })
  async message(@MerchantId() merchantId: string, @Param('ticketId') ticketId: string, @Body() dto: AddMessageDto, @Req() req: DeskRequest) {
    await this.tickets.addMessage(merchantId, ticketId, { body: dto.body, language: dto.language, direction: 'inbound', channel: 'platform', authorKind: 'customer' }, platformActor(req), null);
    return ApiResult.created(await this.reader.full(merchantId, ticketId));
  }
}
