/**
 * Small builders for facts, used by the tests, the benchmark and the examples. Every builder
 * returns a fresh object; pass overrides for what the test is about and nothing else.
 */
import type { Facts, OrderFacts, OrderLine, PaymentFacts, Problem, ShipmentFacts } from '../facts/facts';
import type { LineFlags } from '../vocabulary';

export const NO_FLAGS: LineFlags = { perishable: false, alcohol: false, hazmat: false, personalized: false, finalSale: false };

export function aLine(overrides: Partial<OrderLine> = {}): OrderLine {
  return {
    id: 'l1',
    sku: 'SWEATER-M',
    name: 'Wool sweater',
    quantity: 1,
    unitPriceMinor: 6_000,
    taxMinor: 540,
    category: 'apparel',
    flags: { ...NO_FLAGS },
    ...overrides,
  };
}

/** Two lines (sweater $60 + 2 × socks $10), $8 flat shipping, CA ship-to, total $95.20. */
export function anOrder(overrides: Partial<OrderFacts> = {}): OrderFacts {
  const lines = overrides.lines ?? [
    aLine(),
    aLine({ id: 'l2', sku: 'SOCKS', name: 'Socks', quantity: 2, unitPriceMinor: 1_000, taxMinor: 180, category: 'apparel' }),
  ];
  const subtotal = lines.reduce((n, l) => n + l.unitPriceMinor * l.quantity, 0);
  const tax = lines.reduce((n, l) => n + l.taxMinor, 0);
  const shipping = 800;
  return {
    id: 'o1',
    channel: 'web',
    currency: 'USD',
    placedAt: '2026-03-02T15:00:00Z',
    lines,
    charges: {
      subtotalMinor: subtotal,
      shippingMinor: shipping,
      shippingChargeMode: 'flat_per_order',
      taxMinor: tax,
      discountMinor: 0,
      totalMinor: subtotal + shipping + tax,
    },
    shipTo: { state: 'CA', zip: '94107', country: 'US' },
    shippingPromise: { kind: 'ships_within', amount: 2, unit: 'business_days' },
    refundPolicy: { disclosed: true, placement: 'checkout', offers: 'refund', windowDays: 30, restockingFee: { kind: 'none' } },
    alreadyRefundedMinor: 0,
    ...overrides,
  };
}

export function aPayment(overrides: Partial<PaymentFacts> = {}): PaymentFacts {
  return { methodKind: 'credit_card', cardNetwork: 'visa', ...overrides };
}

/** USPS Priority Mail carrying every line, tendered 2026-03-03, delivered 2026-03-06 (PST afternoon). */
export function aShipment(overrides: Partial<ShipmentFacts> = {}): ShipmentFacts {
  return {
    id: 's1',
    carrier: 'usps',
    service: 'priority_mail',
    trackingCode: '9400100000000000000001',
    lines: [
      { lineId: 'l1', quantity: 1 },
      { lineId: 'l2', quantity: 2 },
    ],
    tenderedAt: '2026-03-03T18:00:00Z',
    coverage: { kind: 'none', amountMinor: 0 },
    signatureOption: 'none',
    status: 'delivered',
    events: [
      { at: '2026-03-03T18:00:00Z', kind: 'accepted' },
      { at: '2026-03-05T09:00:00Z', kind: 'in_transit' },
      { at: '2026-03-06T16:00:00Z', kind: 'out_for_delivery' },
      { at: '2026-03-06T22:00:00Z', kind: 'delivered' },
    ],
    lastEventAt: '2026-03-06T22:00:00Z',
    estimatedDeliveryAt: '2026-03-06',
    deliveredAt: '2026-03-06T22:00:00Z',
    postageMinor: 1_050,
    ...overrides,
  };
}

/** An in-transit copy of {@link aShipment}. */
export function aShipmentInTransit(overrides: Partial<ShipmentFacts> = {}): ShipmentFacts {
  return aShipment({
    status: 'in_transit',
    events: [
      { at: '2026-03-03T18:00:00Z', kind: 'accepted' },
      { at: '2026-03-05T09:00:00Z', kind: 'in_transit' },
    ],
    lastEventAt: '2026-03-05T09:00:00Z',
    deliveredAt: null,
    ...overrides,
  });
}

export function aFacts(problem: Problem, overrides: Partial<Facts> = {}): Facts {
  return {
    problem,
    order: anOrder(),
    payment: aPayment(),
    preShipment: null,
    shipments: [aShipment()],
    returns: [],
    international: null,
    customerHistory: { claims: [] },
    ...overrides,
  };
}

/** Facts for an order that has not shipped yet. */
export function unshippedFacts(problem: Problem, overrides: Partial<Facts> = {}): Facts {
  return aFacts(problem, {
    shipments: [],
    preShipment: { delayNotices: [], cannotShip: [] },
    ...overrides,
  });
}

export function problem<K extends Problem['kind']>(kind: K, rest: Omit<Extract<Problem, { kind: K }>, 'kind' | 'reportedAt' | 'evidence'> & { reportedAt?: string; evidence?: Problem['evidence'] }): Extract<Problem, { kind: K }> {
  return { kind, reportedAt: '2026-03-10T17:00:00Z', evidence: [], ...rest } as unknown as Extract<Problem, { kind: K }>;
}
