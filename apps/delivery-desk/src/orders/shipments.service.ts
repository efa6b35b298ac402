import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError, FieldProblem } from '../common/api-error';
import { TrackingEventEntity } from '../tracking/tracking-event.entity';
import { TrackingService } from '../tracking/tracking.service';
import { RegisterShipmentDto } from './order.dto';
import { OrderLineEntity } from './order-line.entity';
import { OrderEntity } from './order.entity';
import { ShipmentLineEntity } from './shipment-line.entity';
import { ShipmentEntity } from './shipment.entity';

export interface ShipmentAggregate {
  shipment: ShipmentEntity;
  lines: (ShipmentLineEntity & { lineExternalId: string; sku: string })[];
  events: TrackingEventEntity[];
  orderExternalId: string;
}

/** Shipments registered by platforms against their orders. */
@Injectable()
export class ShipmentsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tracking: TrackingService,
  ) {}

  /**
   * Registers a parcel on an order. The same tracking code registered again on the same order is a
   * no-op (200); on another order it is a conflict. Quantities may not exceed what is left unshipped.
   */
  async register(
    merchantId: string,
    orderExternalId: string,
    dto: RegisterShipmentDto,
  ): Promise<{ created: boolean; aggregate: ShipmentAggregate }> {
    return this.ds.transaction(async (em) => {
      // Locking the order serialises shipments of one order, so "what is left" cannot be double-counted.
      const order = await em.findOne(OrderEntity, { where: { merchantId, externalId: orderExternalId }, lock: { mode: 'pessimistic_write' } });
      if (!order) throw ApiError.notFound('Order');

      const existing = await em.findOneBy(ShipmentEntity, { merchantId, carrier: dto.carrier, trackingCode: dto.trackingCode });
      if (existing) {
        if (existing.orderId !== order.id) {
          throw ApiError.conflict('tracking_code_in_use', 'This tracking code is already registered on another order.', [{ path: 'trackingCode', problem: 'registered on another order' }]);
        }
        return { created: false, aggregate: await this.load(em, merchantId, existing.id) };
      }

      const lines = await em.find(OrderLineEntity, { where: { merchantId, orderId: order.id }, order: { position: 'ASC' } });
      const shippedRows: { order_line_id: string; qty: string }[] = await em.query(
        `SELECT sl.order_line_id, SUM(sl.quantity) AS qty FROM shipment_lines sl
           JOIN shipments s ON s.merchant_id = sl.merchant_id AND s.id = sl.shipment_id
          WHERE s.merchant_id = $1 AND s.order_id = $2 AND s.status <> 'cancelled'
          GROUP BY sl.order_line_id`,
        [merchantId, order.id],
      );
      const shipped = new Map(shippedRows.map((r) => [r.order_line_id, Number(r.qty)]));
      const remaining = (l: OrderLineEntity) => l.quantity - (shipped.get(l.id) ?? 0);

      let wanted: { line: OrderLineEntity; quantity: number }[];
      if (dto.lines?.length) {
        const problems: FieldProblem[] = [];
        const byExternal = new Map(lines.map((l) => [l.externalId, l]));
        const seen = new Set<string>();
        wanted = [];
        dto.lines.forEach((sl, i) => {
          const line = byExternal.get(sl.lineExternalId);
          if (!line) return problems.push({ path: `lines[${i}].lineExternalId`, problem: 'is not a line of this order' });
          if (seen.has(line.id)) return problems.push({ path: `lines[${i}].lineExternalId`, problem: 'is listed twice' });
          seen.add(line.id);
          if (sl.quantity > remaining(line)) {
            return problems.push({ path: `lines[${i}].quantity`, problem: `exceeds the ${remaining(line)} unit(s) not yet shipped` });
          }
          wanted.push({ line, quantity: sl.quantity });
        });
        if (problems.length) throw ApiError.unprocessable('shipment_lines_invalid', 'The shipment lines do not fit the order.', problems);
      } else {
        wanted = lines.filter((l) => remaining(l) > 0).map((line) => ({ line, quantity: remaining(line) }));
        if (!wanted.length) {
          throw ApiError.unprocessable('nothing_to_ship', 'Every unit of this order is already in a shipment; list the lines explicitly.', [{ path: 'lines', problem: 'nothing left to ship' }]);
        }
      }

      const shipment = await em.save(
        em.create(ShipmentEntity, {
          merchantId,
          orderId: order.id,
          carrier: dto.carrier,
          carrierName: dto.carrierName ?? null,
          service: dto.service ?? null,
          trackingCode: dto.trackingCode,
          shippedAt: dto.shippedAt ? new Date(dto.shippedAt) : null,
          estimatedDeliveryAt: dto.estimatedDeliveryAt ? new Date(dto.estimatedDeliveryAt) : null,
          declaredValueMinor: dto.declaredValueMinor ?? 0,
          insuredValueMinor: dto.insuredValueMinor ?? 0,
          insuranceProvider: dto.insuranceProvider ?? (dto.insuredValueMinor ? 'carrier' : 'none'),
          signatureOption: dto.signatureOption ?? 'none',
          status: 'pre_transit',
        }),
      );
      await em.insert(
        ShipmentLineEntity,
        wanted.map((w) => ({ merchantId, shipmentId: shipment.id, orderLineId: w.line.id, quantity: w.quantity })),
      );
      // The first tracking call is queued in this transaction: it exists exactly when the shipment does.
      await this.tracking.onShipmentRegistered(em, shipment);
      return { created: true, aggregate: await this.load(em, merchantId, shipment.id) };
    });
  }

  async get(merchantId: string, shipmentId: string): Promise<ShipmentAggregate> {
    return this.load(this.ds.manager, merchantId, shipmentId);
  }

  async load(em: EntityManager, merchantId: string, shipmentId: string): Promise<ShipmentAggregate> {
    const shipment = await em.findOneBy(ShipmentEntity, { merchantId, id: shipmentId });
    if (!shipment) throw ApiError.notFound('Shipment');
    // Sequential on purpose: inside a transaction these share one connection.
    const lineRows: { order_line_id: string; quantity: number; external_id: string; sku: string }[] = await em.query(
        `SELECT sl.order_line_id, sl.quantity, ol.external_id, ol.sku FROM shipment_lines sl
           JOIN order_lines ol ON ol.merchant_id = sl.merchant_id AND ol.id = sl.order_line_id
          WHERE sl.merchant_id = $1 AND sl.shipment_id = $2 ORDER BY ol.position`,
        [merchantId, shipmentId],
      );
    const events = await em.find(TrackingEventEntity, { where: { merchantId, shipmentId }, order: { occurredAt: 'DESC' }, take: 200 });
    const order = await em.findOneByOrFail(OrderEntity, { merchantId, id: shipment.orderId });
    return {
      shipment,
      events,
      orderExternalId: order.externalId,
      lines: lineRows.map((r) =>
        Object.assign(new ShipmentLineEntity(), {
          merchantId,
          shipmentId,
          orderLineId: r.order_line_id,
          quantity: r.quantity,
          lineExternalId: r.external_id,
          sku: r.sku,
        }),
      ),
    };
  }
}
