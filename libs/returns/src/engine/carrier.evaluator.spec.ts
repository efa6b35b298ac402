import { DEFAULT_POLICY } from '../policy/default-policy';
import type { MerchantPolicy } from '../policy/merchant-policy';
import type { ShipmentFacts } from '../facts/facts';
import { aFacts, aShipment, aShipmentInTransit, problem } from '../testing/facts.factory';
import { blockedKinds, get, kinds } from '../testing/decision.helper';
import { claimWindow, holdExpiry, isNoClaim, type ClaimWindow } from './carrier.evaluator';
import { DecisionContext } from './decision-context';
import { decide } from './decide';

const ALL = [
  { lineId: 'l1', quantity: 1 },
  { lineId: 'l2', quantity: 2 },
];

function window(s: Partial<ShipmentFacts>, type: 'loss' | 'damage', policy: MerchantPolicy = DEFAULT_POLICY): ClaimWindow {
  const shipment = aShipment(s);
  const ctx = new DecisionContext(aFacts(problem('not_received', { shipmentId: 's1' }), { shipments: [shipment] }), policy, '2026-03-10T18:00:00Z');
  const w = claimWindow(ctx, shipment, type, ALL);
  if (isNoClaim(w)) throw new Error(`no claim: ${w.reason}`);
  return w;
}

// Tendered 2026-03-03, expected and delivered 2026-03-06 (Los Angeles).
describe(claimWindow.name, () => {
  it.each([
    ['USPS Priority loss', { carrier: 'usps', service: 'priority_mail' }, 'loss', { opensOn: '2026-03-18', lastDay: '2026-05-02', fileBy: '2026-05-01' }],
    ['USPS Express loss', { carrier: 'usps', service: 'priority_mail_express' }, 'loss', { opensOn: '2026-03-10', lastDay: '2026-05-02' }],
    ['USPS damage (from mailing, not delivery)', { carrier: 'usps', service: 'ground_advantage' }, 'damage', { opensOn: '2026-03-06', lastDay: '2026-05-02' }],
    ['UPS loss (scheduled + 24 h; 60-day notice; 9 months)', { carrier: 'ups', service: 'ground' }, 'loss', { opensOn: '2026-03-07', noticeLastDay: '2026-05-05', lastDay: '2026-12-06', fileBy: '2026-05-05' }],
    ['UPS damage (from delivery)', { carrier: 'ups', service: 'ground' }, 'damage', { opensOn: '2026-03-06', noticeLastDay: '2026-05-05' }],
    ['FedEx damage, 60 days after delivery', { carrier: 'fedex', service: 'ground' }, 'damage', { opensOn: '2026-03-06', lastDay: '2026-05-05' }],
    ['FedEx Express international damage, 21 days', { carrier: 'fedex', service: 'express', international: true }, 'damage', { lastDay: '2026-03-27' }],
    ['FedEx non-delivery, 9 months after tender', { carrier: 'fedex', service: 'ground' }, 'loss', { opensOn: '2026-03-03', lastDay: '2026-12-03', fileBy: '2026-12-03' }],
    ['DHL Express, 30 days after acceptance, trace first', { carrier: 'dhl_express', service: 'express', international: true }, 'loss', { opensOn: '2026-03-03', lastDay: '2026-04-02', afterTrace: true }],
  ] as const)('%s', (_n, s, type, expected) => {
    expect(window(s as Partial<ShipmentFacts>, type)).toMatchObject(expected);
  });

  it.each([
    ['Saturday before a Friday holiday', '2026-05-05T18:00:00Z', '2026-07-04', '2026-07-02'],
    ['a Sunday', '2026-03-04T18:00:00Z', '2026-05-03', '2026-05-01'],
    ['a weekday', '2026-03-06T18:00:00Z', '2026-05-05', '2026-05-05'],
  ])('moves file-by to the last business day when the deadline falls on %s', (_n, tenderedAt, lastDay, fileBy) => {
    expect(window({ tenderedAt, carrier: 'usps' }, 'loss')).toMatchObject({ lastDay, fileBy });
  });

  it('lets a merchant shorten the V2 FedEx damage notice to 21 days', () => {
    const policy = { ...DEFAULT_POLICY, ruleSettings: { 'US-FEDEX-CLAIM-DAMAGE-60': { params: { domesticDays: 21 } } } };
    expect(window({ carrier: 'fedex', service: 'ground' }, 'damage', policy).lastDay).toBe('2026-03-27');
  });

  it.each([
    ['USPS included insurance', { carrier: 'usps', coverage: { kind: 'none', amountMinor: 0 }, postageMinor: 1050 }, 9050, 10000],
    ['USPS declared insurance, loss adds postage', { carrier: 'usps', coverage: { kind: 'carrier_declared_value', amountMinor: 50000 }, postageMinor: 1050 }, 9050, 50000],
    ['UPS default liability', { carrier: 'ups', coverage: { kind: 'none', amountMinor: 0 } }, 8000, 10000],
    ['UPS declared value', { carrier: 'ups', coverage: { kind: 'carrier_declared_value', amountMinor: 5000 } }, 5000, 5000],
  ] as const)('%s: claims the goods up to coverage', (_n, s, amount, coverage) => {
    expect(window(s as Partial<ShipmentFacts>, 'loss')).toMatchObject({ amountMinor: amount, coverageMinor: coverage });
  });

  it('finds no USPS insurance on First-Class Package without coverage', () => {
    const shipment = aShipment({ service: 'first_class' });
    const ctx = new DecisionContext(aFacts(problem('lost_in_transit', { shipmentId: 's1' })), DEFAULT_POLICY, '2026-03-10T18:00:00Z');
    expect(claimWindow(ctx, shipment, 'loss', ALL)).toMatchObject({ reason: 'not_insured' });
  });
});

describe('carrier claim timing in a decision', () => {
  const lost = (now: string) => decide(aFacts(problem('lost_in_transit', { shipmentId: 's1' }), { shipments: [aShipmentInTransit({ events: [{ at: '2026-03-03T18:00:00Z', kind: 'accepted' }], lastEventAt: '2026-03-03T18:00:00Z' })] }), DEFAULT_POLICY, now);

  it.each([
    ['day 14 after mailing', '2026-03-17T18:00:00Z', false],
    ['day 15 after mailing', '2026-03-18T18:00:00Z', true],
  ])('USPS loss claim on %s: open %s', (_n, now, open) => {
    const d = lost(now);
    if (open) expect(get(d.required, 'CARRIER_CLAIM')).toMatchObject({ opensOn: '2026-03-18', fileBy: '2026-05-01' });
    else {
      expect(blockedKinds(d)).toContain('CARRIER_CLAIM:claim_not_open_yet');
      expect(d.scheduled.map((s) => s.action.kind)).toContain('CARRIER_CLAIM');
    }
  });

  it('blocks the claim once its window closed', () => {
    expect(blockedKinds(lost('2026-05-03T18:00:00Z'))).toContain('CARRIER_CLAIM:claim_window_closed');
  });
});

describe(holdExpiry.name, () => {
  const expiry = (s: Partial<ShipmentFacts>) => {
    const shipment = aShipment({ status: 'available_for_pickup', deliveredAt: null, ...s });
    const ctx = new DecisionContext(aFacts(problem('not_picked_up', { shipmentId: 's1' }), { shipments: [shipment] }), DEFAULT_POLICY, '2026-11-21T18:00:00Z');
    return holdExpiry(ctx, shipment)?.date;
  };
  const at = '2026-11-20T18:00:00Z'; // Friday before Thanksgiving week

  it.each([
    ['USPS: 15 days from the first attempt', { carrier: 'usps', events: [{ at, kind: 'attempted_notice_left', holdLocation: 'post_office' }] }, '2026-12-05'],
    ['UPS Access Point: 7 calendar days', { carrier: 'ups', events: [{ at, kind: 'ready_for_pickup', holdLocation: 'ups_access_point' }] }, '2026-11-27'],
    ['UPS Customer Center: 5 business days', { carrier: 'ups', events: [{ at, kind: 'ready_for_pickup', holdLocation: 'ups_customer_center' }] }, '2026-11-30'],
    ['FedEx retail: 5 business days', { carrier: 'fedex', events: [{ at, kind: 'ready_for_pickup', holdLocation: 'fedex_retail' }] }, '2026-11-30'],
    ['DHL: unknown', { carrier: 'dhl_express', events: [{ at, kind: 'ready_for_pickup' }] }, undefined],
  ] as const)('%s', (_n, s, expected) => {
    expect(expiry(s as unknown as Partial<ShipmentFacts>)).toBe(expected);
  });
});

describe('not picked up from a hold', () => {
  const held = (now: string) =>
    decide(
      aFacts(problem('not_picked_up', { shipmentId: 's1' }), {
        shipments: [aShipment({ status: 'available_for_pickup', deliveredAt: null, events: [{ at: '2026-03-06T18:00:00Z', kind: 'attempted_notice_left', holdLocation: 'post_office' }] })],
      }),
      DEFAULT_POLICY,
      now,
    );

  it.each([
    ['on the last hold day', '2026-03-21T18:00:00Z', ['WAIT']],
    ['the day after', '2026-03-22T18:00:00Z', []],
  ])('%s', (_n, now, required) => {
    const d = held(now);
    expect(d.deadlines.holdExpiresOn?.date).toBe('2026-03-21');
    expect(kinds(d.required)).toEqual(required);
    if (required.length === 0) expect(kinds(d.customerChoice)).toEqual(['REFUND_PARTIAL', 'RESHIP']);
  });
});
