import type { EntityManager } from 'typeorm';
import { timeZoneForAddress } from '@app/returns';
import type { MerchantNames } from '../../notifications';
import { CustomerEntity } from '../../orders/customer.entity';
import { OrderLineEntity } from '../../orders/order-line.entity';
import { OrderEntity } from '../../orders/order.entity';
import { ShipmentEntity } from '../../orders/shipment.entity';
import { MerchantEntity } from '../../merchants/merchant.entity';
import type { TicketEntity } from '../../tickets/ticket.entity';

/** Everything a playbook step needs to know about a case besides the ticket row. */
export interface CaseContext {
  ticket: TicketEntity;
  merchant: MerchantEntity;
  order: OrderEntity;
  customer: CustomerEntity;
  lines: OrderLineEntity[];
  shipment: ShipmentEntity | null;
  timeZone: string;
  merchantNames: MerchantNames;
}

export async function loadCaseContext(em: EntityManager, ticket: TicketEntity): Promise<CaseContext> {
  const m = ticket.merchantId;
  const merchant = await em.findOneByOrFail(MerchantEntity, { id: m });
  const order = await em.findOneByOrFail(OrderEntity, { merchantId: m, id: ticket.orderId });
  const customer = await em.findOneByOrFail(CustomerEntity, { merchantId: m, id: order.customerId });
  const lines = await em.find(OrderLineEntity, { where: { merchantId: m, orderId: order.id }, order: { position: 'ASC' } });
  const shipment = ticket.shipmentId ? await em.findOneBy(ShipmentEntity, { merchantId: m, id: ticket.shipmentId }) : null;
  return {
    ticket,
    merchant,
    order,
    customer,
    lines,
    shipment,
    timeZone: timeZoneForAddress({ country: order.shipToCountry, state: order.shipToState, zip: order.shipToZip }),
    merchantNames: { nameJa: merchant.nameJa, nameEn: merchant.nameEn },
  };
}

/** Item lines for messages: the ticket's lines (or the shipment's, or the order's). */
export function itemLines(ctx: CaseContext, lines: { lineId: string; quantity: number }[] | undefined) {
  const chosen = lines?.length ? lines : ctx.ticket.lines.length ? ctx.ticket.lines : ctx.lines.map((l) => ({ lineId: l.id, quantity: l.quantity }));
  const byId = new Map(ctx.lines.map((l) => [l.id, l]));
  return chosen.filter((l) => byId.has(l.lineId)).map((l) => ({ name: byId.get(l.lineId)!.name, quantity: l.quantity }));
}
