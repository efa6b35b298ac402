import { DEFAULT_POLICY } from '../policy/default-policy';
import { aFacts, aShipmentInTransit, problem } from '../testing/facts.factory';
import { blockedKinds, get, kinds } from '../testing/decision.helper';
import type { ShipmentFacts } from '../facts/facts';
import { decide } from './decide';

const sut = decide;
const inTransit = (kind: 'where_is_my_order' | 'lost_in_transit', s: Partial<ShipmentFacts> = {}) =>
  aFacts(problem(kind, { shipmentId: 's1' }), { shipments: [aShipmentInTransit({ estimatedDeliveryAt: '2026-03-09', ...s })] });

// Last scan 2026-03-05 (LA); expected 2026-03-09; lost after 7 days without a scan → 2026-03-12.
describe('parcel in transit', () => {
  it('answers with the estimate while on time', () => {
    const d = sut(inTransit('where_is_my_order'), DEFAULT_POLICY, '2026-03-08T18:00:00Z');
    expect(get(d.required, 'WAIT')).toMatchObject({ reason: 'on_time', until: '2026-03-09' });
  });

  it('traces a late parcel and waits until it counts as lost', () => {
    const d = sut(inTransit('where_is_my_order'), DEFAULT_POLICY, '2026-03-10T18:00:00Z');
    expect(get(d.required, 'CARRIER_TRACE')).toMatchObject({ step: 'help_request', earliest: '2026-03-10' });
    expect(get(d.required, 'WAIT')).toMatchObject({ reason: 'carrier_trace', until: '2026-03-12' });
    expect(d.deadlines.carrierTraceFrom?.date).toBe('2026-03-19'); // Missing Mail search 7 business days later
  });

  it.each([
    ['6 days without a scan', '2026-03-11T18:00:00Z', false],
    ['7 days without a scan', '2026-03-12T18:00:00Z', true],
  ])('%s → lost %s', (_n, now, lost) => {
    const d = sut(inTransit('lost_in_transit'), DEFAULT_POLICY, now);
    if (lost) expect(kinds(d.customerChoice)).toEqual(['RESHIP', 'REFUND_FULL', 'STORE_CREDIT']);
    else expect(blockedKinds(d)).toEqual(expect.arrayContaining(['RESHIP:not_lost_yet', 'REFUND_FULL:not_lost_yet']));
  });

  it('treats the carrier\u2019s own "lost" exception as lost at once', () => {
    const d = sut(inTransit('where_is_my_order', { status: 'exception', exceptionReason: 'lost' }), DEFAULT_POLICY, '2026-03-06T18:00:00Z');
    expect(kinds(d.customerChoice)).toContain('RESHIP');
  });

  it.each([
    ['on the scheduled date', '2026-03-10T03:00:00Z', undefined],
    ['24 hours later', '2026-03-10T18:00:00Z', '2026-03-10'],
  ])('opens a UPS investigation only after the scheduled date: %s', (_n, now, earliest) => {
    const d = sut(inTransit('where_is_my_order', { carrier: 'ups', service: 'ground' }), DEFAULT_POLICY, now);
    const trace = d.required.find((a) => a.kind === 'CARRIER_TRACE');
    expect(trace && 'earliest' in trace ? trace.earliest : undefined).toBe(earliest);
    if (trace) expect(trace.ruleIds).toContain('US-UPS-TRACE-WAIT');
  });

  it('cannot ask USPS to search for perishables', () => {
    const facts = inTransit('where_is_my_order');
    facts.order.lines[0]!.flags.perishable = true;
    expect(blockedKinds(sut(facts, DEFAULT_POLICY, '2026-03-10T18:00:00Z'))).toContain('CARRIER_TRACE:carrier_cannot');
  });

  it('lets the merchant change when a parcel counts as lost', () => {
    const d = sut(inTransit('lost_in_transit'), { ...DEFAULT_POLICY, lost: { daysWithoutScan: 3 } }, '2026-03-08T18:00:00Z');
    expect(kinds(d.customerChoice)).toContain('RESHIP');
  });
});
