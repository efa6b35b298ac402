import { EXCEPTION_REASONS as CARRIER_REASONS, TRACKING_STATUSES as CARRIER_STATUSES } from '@app/carriers';
import { EXCEPTION_REASONS, parseFacts, TRACKING_STATUSES } from '@app/returns';
import { buildFacts, eventKind, FactsInput, physicalCarrier } from './facts.gatherer';

const at = (s: string) => new Date(s);

function input(overrides: Partial<FactsInput> = {}): FactsInput {
  const order: any = {
    id: 'o1', merchantId: 'm1', externalId: '#1', customerId: 'c1', placedAt: at('2026-11-02T09:30:00Z'), channel: 'web', currency: 'USD',
    subtotalMinor: 7000, shippingMinor: 800, taxMinor: 560, discountMinor: 0, totalMinor: 8360, paymentMethodKind: 'credit_card',
    shipToState: 'CA', shipToZip: '94104', shipToCountry: 'US', gift: false, shippingPromise: { kind: 'ships_within', businessDays: 2 },
    refundPolicyDisclosed: true, refundPolicy: { returnWindowDays: 30, restockingFeePercent: 10 },
  };
  const line = (id: string, qty: number, price: number): any => ({ id, externalId: id, sku: id, name: id, quantity: qty, unitPriceMinor: price, taxMinor: 0, discountMinor: 0, category: null, perishable: false, alcohol: false, hazmat: false, personalized: false, finalSale: false });
  const shipment: any = {
    id: 's1', carrier: 'easypost', carrierName: 'USPS', service: 'Priority', trackingCode: 'T1', shippedAt: at('2026-11-03T10:00:00Z'), insuredValueMinor: 0, declaredValueMinor: 0,
    insuranceProvider: 'none', signatureOption: 'none', signedBy: 'J DOE', status: 'delivered', exceptionReason: null, lastEventAt: at('2026-11-05T10:00:00Z'),
    estimatedDeliveryAt: at('2026-11-05T00:00:00Z'), deliveredAt: at('2026-11-05T10:00:00Z'),
  };
  return {
    ticket: { id: 't1', merchantId: 'm1', orderId: 'o1', shipmentId: 's1', lines: [], category: 'delivered_not_received', details: {}, reportedAt: at('2026-11-06T12:00:00Z') } as any,
    order,
    lines: [line('l1', 2, 1500), line('l2', 1, 4000)],
    shipments: [{ shipment, lines: [{ orderLineId: 'l1', quantity: 2 }, { orderLineId: 'l2', quantity: 1 }], events: [{ status: 'in_transit', exceptionReason: null, occurredAt: at('2026-11-03T12:00:00Z') } as any, { status: 'delivered', exceptionReason: null, occurredAt: at('2026-11-05T10:00:00Z') } as any] }],
    evidence: [],
    history: [],
    refundedMinor: 0,
    ...overrides,
  };
}

describe(buildFacts.name, () => {
  it.each(['tracking', 'delivered_not_received', 'wrong_item', 'missing_item', 'damaged', 'address_issue', 'return_pickup'] as const)(
    'builds facts the policy engine accepts for a %s ticket',
    (category) => {
      const sut = input();
      sut.ticket.category = category;
      expect(() => parseFacts(buildFacts(sut))).not.toThrow();
    },
  );

  it('maps the order, the disclosed policy and the shipment the way the engine reads them', () => {
    const facts = buildFacts(input());
    expect(facts.problem).toMatchObject({ kind: 'not_received', shipmentId: 's1', reportedAt: '2026-11-06T12:00:00.000Z' });
    expect(facts.order.shippingPromise).toEqual({ kind: 'ships_within', amount: 2, unit: 'business_days' });
    expect(facts.order.refundPolicy).toMatchObject({ disclosed: true, windowDays: 30, restockingFee: { kind: 'percent', basisPoints: 1000 } });
    expect(facts.shipments[0]).toMatchObject({ carrier: 'usps', signatureCaptured: true, tenderedAt: '2026-11-03T10:00:00.000Z', coverage: { kind: 'carrier_included', amountMinor: 0 } });
    expect(facts.shipments[0].events.map((e) => e.kind)).toEqual(['in_transit', 'delivered']);
  });

  it('counts earlier claims of the same customer as history', () => {
    const facts = buildFacts(input({ history: [{ at: at('2026-10-01T00:00:00Z'), category: 'delivered_not_received', orderId: 'o0' }, { at: at('2026-10-02T00:00:00Z'), category: 'tracking', orderId: 'o0' }] }));
    expect(facts.customerHistory.claims).toEqual([{ at: '2026-10-01T00:00:00.000Z', kind: 'not_received', orderId: 'o0' }]);
  });
});

describe(physicalCarrier.name, () => {
  it.each([
    [{ carrier: 'easypost', carrierName: 'USPS' }, 'usps'],
    [{ carrier: 'ups', carrierName: null }, 'ups'],
    [{ carrier: 'easypost', carrierName: 'FedExDefault' }, 'fedex'],
    [{ carrier: 'easypost', carrierName: 'DHLExpress' }, 'dhl_express'],
    [{ carrier: 'sandbox', carrierName: null }, 'other'],
  ] as const)('maps %j to %s', (s, expected) => {
    expect(physicalCarrier(s as any)).toBe(expected);
  });
});

describe(eventKind.name, () => {
  it('reads address problems and missed deliveries out of exceptions', () => {
    expect(eventKind({ status: 'exception', exceptionReason: 'address_problem' })).toBe('address_incorrect');
    expect(eventKind({ status: 'exception', exceptionReason: 'recipient_unavailable' })).toBe('attempted_notice_left');
    expect(eventKind({ status: 'return_to_sender', exceptionReason: null })).toBe('returning_to_shipper');
  });
});

describe('the carrier model and the policy engine', () => {
  it('share one tracking vocabulary (the engine keeps its own copy to stay free of the carrier lib)', () => {
    expect([...TRACKING_STATUSES]).toEqual([...CARRIER_STATUSES]);
    expect([...EXCEPTION_REASONS]).toEqual([...CARRIER_REASONS]);
  });
});
