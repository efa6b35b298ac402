import { DEFAULT_POLICY } from '../policy/default-policy';
import { aFacts, anOrder, aLine, aShipment, problem } from '../testing/facts.factory';
import { blockedKinds, get, kinds } from '../testing/decision.helper';
import type { Facts } from '../facts/facts';
import { decide } from './decide';

const sut = decide;
const dnr = (overrides: Partial<Facts> = {}) => aFacts(problem('not_received', { shipmentId: 's1' }), overrides);
const AFTER_WAIT = '2026-03-10T18:00:00Z';

// Delivered scan 2026-03-06T22:00Z; the default wait is 48 h.
describe('delivered but not received', () => {
  it.each([
    ['1 ms before the wait ends', '2026-03-08T21:59:59.999Z', true],
    ['when the wait ends', '2026-03-08T22:00:00.000Z', false],
  ])('%s → waiting %s', (_n, now, waiting) => {
    const d = sut(dnr(), DEFAULT_POLICY, now);
    expect(d.deadlines.dnrWaitUntil?.at).toBe('2026-03-08T22:00:00.000Z');
    if (waiting) {
      expect(get(d.required, 'WAIT')).toMatchObject({ reason: 'dnr_window', until: '2026-03-08T22:00:00.000Z' });
      expect(blockedKinds(d)).toEqual(expect.arrayContaining(['RESHIP:dnr_wait_window', 'REFUND_FULL:dnr_wait_window']));
      expect(d.customerChoice).toEqual([]);
    } else {
      expect(kinds(d.customerChoice)).toEqual(['RESHIP', 'REFUND_FULL', 'STORE_CREDIT']);
    }
  });

  it('offers the refund first when the merchant prefers refunds', () => {
    const d = sut(dnr(), { ...DEFAULT_POLICY, preferredRemedy: 'refund' }, AFTER_WAIT);
    expect(kinds(d.customerChoice)).toEqual(['REFUND_FULL', 'RESHIP', 'STORE_CREDIT']);
  });

  it('does not file a USPS claim for loss after a valid delivery', () => {
    expect(blockedKinds(sut(dnr(), DEFAULT_POLICY, AFTER_WAIT))).toContain('CARRIER_CLAIM:not_covered_after_delivery');
  });

  it('allows a UPS claim within the 60-day notice', () => {
    const d = sut(dnr({ shipments: [aShipment({ carrier: 'ups', service: 'ground' })] }), DEFAULT_POLICY, AFTER_WAIT);
    expect(get(d.allowed, 'CARRIER_CLAIM')).toMatchObject({ claimType: 'loss', fileBy: '2026-05-05' });
  });

  describe('review', () => {
    const claims = (n: number, firstAt = '2025-06-01T00:00:00Z') =>
      Array.from({ length: n }, (_, i) => ({ at: i === 0 ? firstAt : '2026-01-10T00:00:00Z', kind: 'not_received' as const, orderId: `o${i}` }));

    it.each([
      ['one earlier claim', claims(1), false],
      ['two earlier claims', claims(2), true],
      ['two claims, one outside the 365-day period', claims(2, '2025-03-09T17:00:00Z'), false],
    ])('%s → review %s', (_n, list, review) => {
      const d = sut(dnr({ customerHistory: { claims: list } }), DEFAULT_POLICY, AFTER_WAIT);
      expect(kinds(d.required).includes('ESCALATE')).toBe(review);
      if (review) {
        expect(d.customerChoice).toEqual([]);
        expect(get(d.allowed, 'RESHIP').approval).toBe('supervisor');
        expect(d.approval).toBe('supervisor');
      }
    });

    it.each([
      [50_000, false],
      [50_001, true],
    ])('order total %i → review %s', (total, review) => {
      const order = anOrder({ lines: [aLine({ unitPriceMinor: total - 800, taxMinor: 0 })] }); // + $8 shipping
      const d = sut(dnr({ order, shipments: [aShipment({ lines: [{ lineId: 'l1', quantity: 1 }] })] }), DEFAULT_POLICY, AFTER_WAIT);
      expect(d.required.some((a) => a.kind === 'ESCALATE' && a.reason === 'high_value')).toBe(review);
    });

    it('reviews when a signature was captured', () => {
      const d = sut(dnr({ shipments: [aShipment({ signatureOption: 'signature', signatureCaptured: true, signedBy: 'J SMITH' })] }), DEFAULT_POLICY, AFTER_WAIT);
      expect(get(d.required, 'ESCALATE')).toMatchObject({ to: 'supervisor', reason: 'signature_captured' });
    });
  });

  it('reships with a signature above the merchant threshold', () => {
    const order = anOrder({ lines: [aLine({ unitPriceMinor: 46_000, taxMinor: 4_000 })] });
    const policy = { ...DEFAULT_POLICY, notReceived: { ...DEFAULT_POLICY.notReceived, review: { ...DEFAULT_POLICY.notReceived.review, orderValueAboveMinor: 1_000_000 } } };
    const d = sut(dnr({ order, shipments: [aShipment({ lines: [{ lineId: 'l1', quantity: 1 }] })] }), policy, AFTER_WAIT);
    expect(get(d.customerChoice, 'RESHIP').signatureOption).toBe('signature');
    expect(d.explanation.en.join(' ')).toMatch(/without a signature/);
  });

  it('routes a where-is-my-order on a delivered parcel to the same playbook', () => {
    const d = sut(aFacts(problem('where_is_my_order', { shipmentId: 's1' })), DEFAULT_POLICY, '2026-03-07T18:00:00Z');
    expect(get(d.required, 'WAIT').reason).toBe('dnr_window');
  });
});
