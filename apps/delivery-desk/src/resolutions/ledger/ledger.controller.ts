import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AgentGuard } from '../../auth/agent.guard';
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { MerchantId, RequireScopes } from '../../auth/auth.decorators';
import { ApiError } from '../../common/api-error';
import type { DeskRequest, Principal } from '../../common/http-context';
import { OrderEntity } from '../../orders/order.entity';
import { TicketEntity } from '../../tickets/ticket.entity';
import { LedgerService } from './ledger.service';
import { orderLedgerView } from './ledger.views';

const UUID = /^[0-9a-f-]{36}$/i;
const merchantOf = (req: DeskRequest) => (req.principal as Extract<Principal, { kind: 'agent' }>).merchantId;

/** Platform API: an order's compensation ledger. Another merchant's order is a 404. */
@ApiTags('ledger')
@ApiBearerAuth('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('v1/orders')
export class OrderLedgerController {
  constructor(
    private readonly ledger: LedgerService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Get(':externalId/ledger')
  @RequireScopes('orders:read')
  @ApiOperation({ summary: "An order's money: paid, refunded, reserved, refundable; per-loss compensation, carrier payouts, chargebacks, open flags" })
  async get(@MerchantId() merchantId: string, @Param('externalId') externalId: string) {
    const order = await this.ds.getRepository(OrderEntity).findOneBy({ merchantId, externalId });
    if (!order) throw ApiError.notFound('Order');
    return orderLedgerView(await this.ledger.summary(merchantId, order.id), order);
  }
}

/** The desk console's view of the same ledger, by order id or from a ticket. */
@ApiTags('desk')
@ApiBearerAuth('agent')
@UseGuards(AgentGuard)
@Controller('v1/desk')
export class DeskLedgerController {
  constructor(
    private readonly ledger: LedgerService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Get('orders/:orderId/ledger')
  @ApiOperation({ summary: "An order's compensation ledger" })
  async byOrder(@Req() req: DeskRequest, @Param('orderId') orderId: string) {
    const merchantId = merchantOf(req);
    const order = UUID.test(orderId) ? await this.ds.getRepository(OrderEntity).findOneBy({ merchantId, id: orderId }) : null;
    if (!order) throw ApiError.notFound('Order');
    return orderLedgerView(await this.ledger.summary(merchantId, order.id), order);
  }

  @Get('tickets/:ticketId/ledger')
  @ApiOperation({ summary: "The compensation ledger of the ticket's order" })
  async byTicket(@Req() req: DeskRequest, @Param('ticketId') ticketId: string) {
    const merchantId = merchantOf(req);
    const ticket = UUID.test(ticketId) ? await this.ds.getRepository(TicketEntity).findOneBy({ merchantId, id: ticketId }) : null;
    if (!ticket) throw ApiError.notFound('Ticket');
    const order = await this.ds.getRepository(OrderEntity).findOneByOrFail({ merchantId, id: ticket.orderId });
    return orderLedgerView(await this.ledger.summary(merchantId, order.id), order);
  }
}
