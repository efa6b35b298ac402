import type { OrderAggregate } from './orders.service';
import type { ShipmentAggregate } from './shipments.service';
import type { ShipmentEntity } from './shipment.entity';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function shipmentCore(s: ShipmentEntity) {
  return {
    id: s.id,
    carrier: s.carrier,
    carrierName: s.carrierName,
    service: s.service,
    trackingCode: s.trackingCode,
    /** `return`: a return parcel the desk issued a label for, tied to its ticket. */
    direction: s.direction,
    ticketId: s.ticketId,
    status: s.status,
    exceptionReason: s.exceptionReason,
    shippedAt: iso(s.shippedAt),
    estimatedDeliveryAt: iso(s.estimatedDeliveryAt),
    deliveredAt: iso(s.deliveredAt),
    signedBy: s.signedBy,
    lastEventAt: iso(s.lastEventAt),
    traceRequestedAt: iso(s.traceRequestedAt),
    declaredLostAt: iso(s.declaredLostAt),
    declaredValueMinor: s.declaredValueMinor,
    insuredValueMinor: s.insuredValueMinor,
    insuranceProvider: s.insuranceProvider,
    signatureOption: s.signatureOption,
    publicTrackingUrl: s.publicTrackingUrl,
    version: s.version,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  };
}

/** The order as the API shows it: what the platform sent, plus our ids, shipments and version. */
export function orderView(a: OrderAggregate) {
  const { order: o, customer: c } = a;
  const lineExternal = new Map(a.lines.map((l) => [l.id, l.externalId]));
  return {
    id: o.id,
    externalId: o.externalId,
    placedAt: iso(o.placedAt),
    channel: o.channel,
    currency: o.currency,
    subtotalMinor: o.subtotalMinor,
    shippingMinor: o.shippingMinor,
    taxMinor: o.taxMinor,
    discountMinor: o.discountMinor,
    totalMinor: o.totalMinor,
    paymentMethodKind: o.paymentMethodKind,
    customer: { id: c.id, email: c.email, name: c.name, phone: c.phone, preferredLanguage: c.preferredLanguage },
    shipTo: {
      name: o.shipToName,
      street1: o.shipToStreet1,
      street2: o.shipToStreet2,
      city: o.shipToCity,
      state: o.shipToState,
      zip: o.shipToZip,
      country: o.shipToCountry,
      phone: o.shipToPhone,
    },
    gift: o.gift ? { recipientName: o.giftRecipientName, recipientEmail: o.giftRecipientEmail } : null,
    shippingPromise: o.shippingPromise,
    refundPolicyDisclosed: o.refundPolicyDisclosed,
    refundPolicy: o.refundPolicy,
    lines: a.lines.map((l) => ({
      id: l.id,
      externalId: l.externalId,
      sku: l.sku,
      name: l.name,
      category: l.category,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      discountMinor: l.discountMinor,
      taxMinor: l.taxMinor,
      perishable: l.perishable,
      alcohol: l.alcohol,
      hazmat: l.hazmat,
      personalized: l.personalized,
      finalSale: l.finalSale,
    })),
    shipments: a.shipments.map(({ shipment, lines }) => ({
      ...shipmentCore(shipment),
      lines: lines.map((l) => ({ lineExternalId: lineExternal.get(l.orderLineId), quantity: l.quantity })),
    })),
    version: o.version,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
  };
}

export function shipmentView(a: ShipmentAggregate) {
  return {
    ...shipmentCore(a.shipment),
    orderExternalId: a.orderExternalId,
    lines: a.lines.map((l) => ({ lineExternalId: l.lineExternalId, sku: l.sku, quantity: l.quantity })),
    events: a.events.map((e) => ({
      occurredAt: iso(e.occurredAt),
      status: e.status,
      carrierStatus: e.carrierStatus,
      carrierStatusDetail: e.carrierStatusDetail,
      exceptionReason: e.exceptionReason,
      message: e.message,
      location: e.location,
    })),
  };
}
