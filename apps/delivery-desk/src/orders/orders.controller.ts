import { Body, Controller, Get, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { MerchantId, RequireScopes } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { ApiResult } from '../common/api-result';
import { RegisterShipmentDto, UpsertOrderDto } from './order.dto';
import { orderView, shipmentView } from './order.views';
import { OrdersService } from './orders.service';
import { ShipmentsService } from './shipments.service';

/** Platform API: orders and their shipments, scoped to the API key's merchant. */
@ApiTags('orders')
@ApiBearerAuth('apiKey')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a POST safe to retry: a replay returns the first response.' })
@UseGuards(ApiKeyGuard)
@Controller('v1')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly shipments: ShipmentsService,
  ) {}

  @Post('orders')
  @RequireScopes('orders:write')
  @ApiOperation({ summary: 'Create or update an order by its external id (201 created, 200 updated or unchanged)' })
  async upsert(@MerchantId() merchantId: string, @Body() dto: UpsertOrderDto) {
    const { created, aggregate } = await this.orders.upsert(merchantId, dto);
    return created ? ApiResult.created(orderView(aggregate)) : ApiResult.ok(orderView(aggregate));
  }

  @Get('orders/:externalId')
  @RequireScopes('orders:read')
  @ApiOperation({ summary: 'Read an order by its external id' })
  async get(@MerchantId() merchantId: string, @Param('externalId') externalId: string) {
    return orderView(await this.orders.findByExternalId(merchantId, externalId));
  }

  @Post('orders/:externalId/shipments')
  @RequireScopes('orders:write')
  @ApiOperation({ summary: 'Register a shipment on an order (201 created, 200 when already registered)' })
  async registerShipment(@MerchantId() merchantId: string, @Param('externalId') externalId: string, @Body() dto: RegisterShipmentDto) {
    const { created, aggregate } = await this.shipments.register(merchantId, externalId, dto);
    return created ? ApiResult.created(shipmentView(aggregate)) : ApiResult.ok(shipmentView(aggregate));
  }

  @Get('shipments/:shipmentId')
  @RequireScopes('orders:read')
  @ApiOperation({ summary: 'Read a shipment with its tracking events' })
  async shipment(
    @MerchantId() merchantId: string,
    @Param('shipmentId', new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Shipment') })) shipmentId: string,
  ) {
    return shipmentView(await this.shipments.get(merchantId, shipmentId));
  }
}
