import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import type { CardDispute, Carrier, DelayNotice, EvidenceKind, Facts, LineQuantity, OrderFacts, Problem, ReturnFacts, ReturnReason, ShipmentEventKind, ShipmentFacts } from '@app/returns';
import type { OrderEntity } from '../orders/order.entity';
import type { OrderLineEntity } from '../orders/order-line.entity';
import type { ShipmentEntity } from '../orders/shipment.entity';
import type { TrackingEventEntity } from '../tracking/tracking-event.entity';
import type { TicketCategory, TicketEntity } from './ticket.entity';
import { shipmentOutcomeFacts } from './shipment-outcome.facts';

/** The physical carrier the engine's claim rules are about (EasyPost and the sandbox carry others). */
export function physicalCarrier(s: Pick<ShipmentEntity, 'carrier' | 'carrierName'>): Carrier {
  const name = (s.carrier === 'ups' ? 'ups' : (s.carrierName ?? '')).toLowerCase().replace(/[^a-z]/g, '');
  if (name === 'usps' || name === 'uspostalservice') return 'usps';
  if (name === 'ups' || name.startsWith('upsground') || name === 'upsdap') return 'ups';
  if (name.startsWith('fedex')) return 'fedex';
  if (name.startsWith('dhl')) return 'dhl_express';
  return 'other';
}

/** Our unified tracking status (plus the exception reason) as the engine's event vocabulary. */
export function eventKind(e: Pick<TrackingEventEntity, 'status' | 'exceptionReason'>): ShipmentEventKind {
  switch (e.status) {
    case 'pre_transit':
      return 'label_created';
    case 'out_for_delivery':
      return 'out_for_delivery';
    case 'available_for_pickup':
      return 'ready_for_pickup';
    case 'delivered':
      return 'delivered';
    case 'return_to_sender':
      return 'returning_to_shipper';
    case 'exception':
      if (e.exceptionReason === 'address_problem') return 'address_incorrect';
      if (e.exceptionReason === 'recipient_unavailable') return 'attempted_notice_left';
      return 'exception';
    default:
      return 'in_transit';
  }
}

export interface FactsInput {
  ticket: TicketEntity;
  order: OrderEntity;
  lines: OrderLineEntity[];
  shipments: { shipment: ShipmentEntity; lines: { orderLineId: string; quantity: number }[]; events: TrackingEventEntity[] }[];
  evidence: string[];
  history: { at: Date; category: TicketCategory; orderId: string }[];
  refundedMinor: number;
  /** The case's return parcels (labels the desk issued), kept apart from the outbound shipments. */
  returns?: { shipment: ShipmentEntity; events: TrackingEventEntity[] }[];
  /** The order's card dispute that matters now: an open one, else the latest. */
  dispute?: CardDispute | null;
}

/** What a return label records on its ticket (`details.return`), as far as the facts need it. */
interface ReturnDetails {
  shipmentId?: string;
  lines?: LineQuantity[];
  paidBy?: 'merchant' | 'customer' | null;
  requestedAt?: string;
}

const RETURN_REASON: Partial<Record<TicketCategory, ReturnReason>> = { damaged: 'damaged', wrong_item: 'wrong_item', missing_item: 'missing_item' };

/** A return parcel as the engine sees it: label issued, first carrier scan, received back (delivered to the shop). */
export function returnFacts(t: TicketEntity, r: { shipment: ShipmentEntity; events: TrackingEventEntity[] }, fallbackLines: LineQuantity[]): ReturnFacts {
  const d = ((t.details as Record<string, unknown>).return ?? {}) as ReturnDetails;
  const scanned = r.events.filter((e) => e.status !== 'pre_transit' && e.status !== 'unknown' && e.status !== 'cancelled').map((e) => e.occurredAt.getTime());
  return {
    id: r.shipment.id,
    reason: RETURN_REASON[t.category] ?? 'change_of_mind',
    lines: d.lines?.length ? d.lines : t.lines.length ? t.lines : fallbackLines,
    requestedAt: d.requestedAt ?? t.reportedAt.toISOString(),
    labelIssuedAt: r.shipment.createdAt.toISOString(),
    labelPaidBy: d.paidBy ?? null,
    shippedAt: scanned.length ? new Date(Math.min(...scanned)).toISOString() : null,
    acceptanceScanAt: scanned.length ? new Date(Math.min(...scanned)).toISOString() : null,
    receivedAt: r.shipment.status === 'delivered' ? iso(r.shipment.deliveredAt ?? r.shipment.statusAt) : null,
  };
}

const HISTORY_KIND: Partial<Record<TicketCategory, Facts['customerHistory']['claims'][number]['kind']>> = {
  delivered_not_received: 'not_received',
  damaged: 'damaged',
  missing_item: 'missing_item',
  wrong_item: 'wrong_item',
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Turns what the service stores into the policy engine's {@link Facts}. Pure: the caller loads the
 * rows (see {@link FactsGatherer.load}), so the mapping is unit-tested without a database.
 */
export function buildFacts(input: FactsInput): Facts {
  const { ticket: t, order: o } = input;
  const order: OrderFacts = {
    id: o.id,
    channel: o.channel,
    currency: o.currency,
    placedAt: o.placedAt.toISOString(),
    lines: input.lines.map((l) => ({
      id: l.id,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      taxMinor: l.taxMinor,
      discountMinor: l.discountMinor,
      category: l.category ?? 'general',
      flags: { perishable: l.perishable, alcohol: l.alcohol, hazmat: l.hazmat, personalized: l.personalized, finalSale: l.finalSale },
    })),
    charges: {
      subtotalMinor: o.subtotalMinor,
      shippingMinor: o.shippingMinor,
      shippingChargeMode: o.shippingMinor === 0 ? 'free' : 'flat_per_order',
      taxMinor: o.taxMinor,
      discountMinor: o.discountMinor,
      totalMinor: o.totalMinor,
    },
    shipTo: { state: o.shipToState, zip: o.shipToZip, country: o.shipToCountry },
    giftOrder: o.gift,
    shippingPromise:
      o.shippingPromise.kind === 'ships_within'
        ? { kind: 'ships_within', amount: o.shippingPromise.businessDays, unit: 'business_days' }
        : o.shippingPromise.kind === 'ships_within_calendar_days'
          ? { kind: 'ships_within', amount: o.shippingPromise.days, unit: 'calendar_days' }
          : o.shippingPromise.kind === 'delivery_by'
            ? { kind: 'deliver_by', date: o.shippingPromise.date }
            : { kind: 'none' },
    refundPolicy: {
      disclosed: o.refundPolicyDisclosed,
      text: o.refundPolicy?.text ?? null,
      windowDays: o.refundPolicy?.returnWindowDays ?? null,
      offers: o.refundPolicy?.noRefunds ? 'none' : o.refundPolicy?.storeCreditOnly ? 'exchange_or_credit' : 'refund',
      restockingFee: o.refundPolicy?.restockingFeePercent
        ? { kind: 'percent', basisPoints: o.refundPolicy.restockingFeePercent * 100 }
        : o.refundPolicy?.restockingFeeMinor
          ? { kind: 'flat', amountMinor: o.refundPolicy.restockingFeeMinor }
          : { kind: 'none' },
    },
    alreadyRefundedMinor: input.refundedMinor,
  };

  const shipments: ShipmentFacts[] = input.shipments.map(({ shipment: s, lines, events }) => ({
    id: s.id,
    carrier: physicalCarrier(s),
    service: s.service ?? 'standard',
    trackingCode: s.trackingCode,
    lines: lines.map((l) => ({ lineId: l.orderLineId, quantity: l.quantity })),
    tenderedAt: iso(s.shippedAt ?? events.find((e) => e.status !== 'pre_transit')?.occurredAt ?? null),
    coverage:
      s.insuredValueMinor > 0
        ? { kind: s.insuranceProvider === 'third_party' ? 'third_party' : 'carrier_declared_value', amountMinor: s.insuredValueMinor }
        : s.declaredValueMinor > 0
          ? { kind: 'carrier_declared_value', amountMinor: s.declaredValueMinor }
          : { kind: 'carrier_included', amountMinor: 0 },
    signatureOption: s.signatureOption,
    signatureCaptured: !!s.signedBy,
    signedBy: s.signedBy,
    status: s.status,
    exceptionReason: s.exceptionReason,
    events: events.map((e) => ({ at: e.occurredAt.toISOString(), kind: eventKind(e) })),
    lastEventAt: iso(s.lastEventAt),
    estimatedDeliveryAt: iso(s.estimatedDeliveryAt),
    deliveredAt: iso(s.deliveredAt),
    ...shipmentOutcomeFacts(s),
  }));

  return {
    problem: problemOf(t, order, shipments, input.evidence as EvidenceKind[]),
    order,
    payment: {
      methodKind: o.paymentMethodKind,
      sellerIsCreditor: o.paymentMethodKind === 'seller_credit',
      chargedBeforeShipment: true,
      ...(input.dispute ? { dispute: input.dispute } : {}),
    },
    ...preShipmentOf(t),
    shipments,
    returns: (input.returns ?? []).map((r) => returnFacts(t, r, order.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })))),
    customerHistory: {
      claims: input.history.filter((h) => HISTORY_KIND[h.category]).map((h) => ({ at: h.at.toISOString(), kind: HISTORY_KIND[h.category]!, orderId: h.orderId })),
    },
  };
}

/**
 * FTC facts for unshipped goods, kept in the ticket's details: what the platform told us (the seller
 * knows it will ship late, and when it now expects to) and what the desk recorded (delay notices sent,
 * the buyer's consent or cancellation). Absent when none of these is known.
 */
export function preShipmentOf(t: TicketEntity): Pick<Facts, 'preShipment'> {
  const d = t.details as Record<string, any>;
  const notices: DelayNotice[] = Array.isArray(d.delayNotices)
    ? d.delayNotices.map((n: any) => ({ sentAt: String(n.sentAt), revisedShipDate: n.revisedShipDate ?? null, channel: n.channel ?? 'email', ...(n.reason ? { reason: String(n.reason) } : {}) }))
    : [];
  const known = typeof d.delayKnownAt === 'string' ? d.delayKnownAt : null;
  const expected = typeof d.expectedShipDate === 'string' ? d.expectedShipDate : null;
  if (!notices.length && !known && !expected && !d.expressConsentAt && !d.cancellationRequestedAt) return {};
  return {
    preShipment: {
      delayNotices: notices,
      delayKnownAt: known,
      expectedShipDate: expected,
      expressConsentAt: typeof d.expressConsentAt === 'string' ? d.expressConsentAt : null,
      ...(d.expressConsentIndefinite === true ? { expressConsentIndefinite: true } : {}),
      cancellationRequestedAt: typeof d.cancellationRequestedAt === 'string' ? d.cancellationRequestedAt : null,
      cannotShip: [],
    },
  };
}

function problemOf(t: TicketEntity, order: OrderFacts, shipments: ShipmentFacts[], evidence: EvidenceKind[]): Problem {
  const base = { reportedAt: t.reportedAt.toISOString(), evidence };
  const d = t.details as Record<string, any>;
  // The shipment named on the ticket, else the one that fits the category best.
  const shipmentId =
    t.shipmentId ??
    (t.category === 'delivered_not_received' ? shipments.find((s) => s.status === 'delivered')?.id : shipments[shipments.length - 1]?.id) ??
    null;
  const lines: LineQuantity[] = t.lines.length
    ? t.lines
    : (shipments.find((s) => s.id === shipmentId)?.lines ?? order.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })));
  switch (t.category) {
    case 'tracking':
      return { ...base, kind: 'where_is_my_order', shipmentId };
    case 'delivered_not_received':
      return { ...base, kind: 'not_received', shipmentId: shipmentId ?? '' };
    case 'damaged':
      return { ...base, kind: 'damaged', shipmentId, lines, extent: d.extent === 'partial' ? 'partial' : 'whole' };
    case 'wrong_item':
      return {
        ...base,
        kind: 'wrong_item',
        shipmentId,
        lines,
        received: {
          description: String(d.received?.description ?? 'not described'),
          sku: d.received?.sku ?? null,
          valueMinor: Number(d.received?.valueMinor ?? 0),
          quantity: Number(d.received?.quantity ?? 1),
        },
      };
    case 'missing_item':
      return { ...base, kind: 'missing_item', shipmentId, lines, packageTampered: !!d.packageTampered };
    case 'address_issue': {
      const entered = { street1: String(d.entered?.street1 ?? ''), city: String(d.entered?.city ?? ''), state: order.shipTo.state, zip: order.shipTo.zip, country: order.shipTo.country };
      return { ...base, kind: 'undeliverable_address', shipmentId: shipmentId ?? '', entered, correct: d.correctAddress ?? null, suppliedBy: d.addressSuppliedBy ?? 'customer' };
    }
    case 'return_pickup':
      return { ...base, kind: 'change_of_mind', lines, returnFrom: order.shipTo.country === 'US' ? 'domestic' : 'international' };
  }
}

/** Loads the rows {@link buildFacts} needs for one ticket, in the caller's transaction. */
@Injectable()
export class FactsGatherer {
  /**
   * Loads what the engine needs in a fixed number of round trips, whatever the order's shipments: the
   * order and lines (unless the caller has them), the shipments, all their scans, and one statement for
   * shipment lines, evidence, the customer's other claims and the money already handed back.
   */
  async load(em: EntityManager, ticket: TicketEntity, known: { order?: OrderEntity; lines?: OrderLineEntity[] } = {}): Promise<Facts> {
    const m = ticket.merchantId;
    const order = known.order ?? (await em.findOneByOrFail<OrderEntity>('OrderEntity', { merchantId: m, id: ticket.orderId }));
    const lines = known.lines ?? (await em.find<OrderLineEntity>('OrderLineEntity', { where: { merchantId: m, orderId: order.id }, order: { position: 'ASC' } }));
    // Return parcels are the case's returns, not deliveries; other cases' returns are not this case's facts.
    const shipmentRows = (await em.find<ShipmentEntity>('ShipmentEntity', { where: { merchantId: m, orderId: order.id }, order: { createdAt: 'ASC' } })).filter(
      (s) => s.direction !== 'return' || s.ticketId === ticket.id,
    );
    const ids = shipmentRows.map((s) => s.id);
    const events = ids.length
      ? await em.find<TrackingEventEntity>('TrackingEventEntity', { where: { merchantId: m, shipmentId: In(ids) }, order: { occurredAt: 'ASC' } })
      : [];
    const [rest]: {
      shipment_lines: { s: string; l: string; q: number }[];
      evidence: string[];
      history: { at: string; category: TicketCategory; orderId: string }[];
      refunded: string;
      dispute: { network: CardDispute['network']; reasonCode: string; category: CardDispute['category']; noticeAt: string; status: CardDispute['status']; amountMinor: string; respondBy: string | null } | null;
    }[] = await em.query(
      `SELECT
         (SELECT COALESCE(json_agg(json_build_object('s', shipment_id, 'l', order_line_id, 'q', quantity)), '[]'::json)
            FROM shipment_lines WHERE merchant_id = $1 AND shipment_id = ANY($2::uuid[])) AS shipment_lines,
         (SELECT COALESCE(array_agg(DISTINCT kind::text), '{}'::text[]) FROM ticket_evidence WHERE merchant_id = $1 AND ticket_id = $3) AS evidence,
         (SELECT COALESCE(json_agg(json_build_object('at', t.reported_at, 'category', t.category, 'orderId', t.order_id)), '[]'::json)
            FROM tickets t JOIN orders o ON o.merchant_id = t.merchant_id AND o.id = t.order_id
           WHERE t.merchant_id = $1 AND o.customer_id = $4 AND t.id <> $3) AS history,
         -- Money handed back or on its way (a reservation is a refund in flight): the engine offers only the rest.
         (SELECT COALESCE(SUM(CASE WHEN kind IN ('refund', 'store_credit', 'chargeback') AND status IN ('reserved', 'confirmed', 'reversed') THEN amount_minor
                                   WHEN kind = 'refund_reversal' AND status = 'confirmed' THEN -amount_minor ELSE 0 END), 0)
            FROM ledger_entries WHERE merchant_id = $1 AND order_id = $5) AS refunded,
         (SELECT json_build_object('network', network, 'reasonCode', reason_code, 'category', category, 'noticeAt', notice_at, 'status', status,
                                   'amountMinor', amount_minor, 'respondBy', to_char(respond_by, 'YYYY-MM-DD'))
            FROM card_disputes WHERE merchant_id = $1 AND order_id = $5 ORDER BY (status = 'open') DESC, notice_at DESC, created_at DESC LIMIT 1) AS dispute`,
      [m, ids, ticket.id, order.customerId, order.id],
    );
    const shipments: FactsInput['shipments'] = [];
    const returns: NonNullable<FactsInput['returns']> = [];
    for (const shipment of shipmentRows) {
      const own = events.filter((e) => e.shipmentId === shipment.id);
      if (shipment.direction === 'return') {
        returns.push({ shipment, events: own });
        continue;
      }
      const sl = rest.shipment_lines.filter((r) => r.s === shipment.id).map((r) => ({ orderLineId: r.l, quantity: r.q }));
      shipments.push({ shipment, lines: sl, events: own });
    }
    return buildFacts({
      ticket,
      order,
      lines,
      shipments,
      evidence: rest.evidence,
      history: rest.history.map((h) => ({ at: new Date(h.at), category: h.category, orderId: h.orderId })),
      refundedMinor: Number(rest.refunded),
      returns,
      dispute: rest.dispute
        ? {
            network: rest.dispute.network,
            reasonCode: rest.dispute.reasonCode,
            category: rest.dispute.category,
            noticeAt: new Date(rest.dispute.noticeAt).toISOString(),
            status: rest.dispute.status,
            amountMinor: Number(rest.dispute.amountMinor),
            respondBy: rest.dispute.respondBy,
          }
        : null,
    });
  }
}
