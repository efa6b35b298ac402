import { DEFAULT_POLICY } from '../policy/default-policy';
import { aFacts, anOrder, aLine, aShipment, aShipmentInTransit, problem } from '../testing/facts.factory';
import { blockedKinds, get, kinds } from '../testing/decision.helper';
import type { Facts, LineQuantity, Problem } from '../facts/facts';
import { decide } from './decide';

const sut = decide;
const PHOTOS = ['photo_item', 'photo_packaging', 'photo_label'] as Problem['evidence'];
const L1: LineQuantity[] = [{ lineId: 'l1', quantity: 1 }];
const NOW = '2026-03-10T18:00:00Z';

// Delivered 2026-03-06 14:00 in Los Angeles; report windows count from that day.
describe('wrong, missing, damaged, defective, spoiled items', () => {
  describe('report window', () => {
    it.each([
      ['on day 30 (23:00 local)', '2026-04-06T06:00:00Z', false],
      ['on day 31 (00:00 local)', '2026-04-06T07:00:00Z', true],
    ])('a damage report %s → denied %s', (_n, reportedAt, denied) => {
      const d = sut(aFacts(problem('damaged', { lines: L1, extent: 'partial', evidence: PHOTOS, reportedAt })), DEFAULT_POLICY, '2026-04-07T18:00:00Z');
      expect(d.deadlines.reportWindowEndsOn?.date).toBe('2026-04-05');
      expect(kinds(d.required).includes('DENY')).toBe(denied);
      if (denied) {
        expect(get(d.allowed, 'ESCALATE').reason).toBe('goodwill_exception');
        expect(d.customerChoice).toEqual([]);
      }
    });

    it.each([
      ['exactly 48 h after delivery', '2026-03-08T22:00:00Z', false],
      ['48 h and 1 s after', '2026-03-08T22:00:01Z', true],
    ])('a perishable report %s → denied %s', (_n, reportedAt, denied) => {
      const facts = aFacts(problem('perishable_spoiled', { lines: L1, evidence: PHOTOS, reportedAt }));
      facts.order.lines[0]!.flags.perishable = true;
      const d = sut(facts, DEFAULT_POLICY, '2026-03-09T18:00:00Z');
      expect(kinds(d.required).includes('DENY')).toBe(denied);
      if (!denied) {
        expect(get(d.required, 'KEEP_ITEM').mode).toBe('dispose');
        expect(blockedKinds(d)).toContain('RETURN_LABEL:perishable_no_return');
      }
    });

    it('does not deny a late defect report in Utah; it goes to compliance', () => {
      const facts = aFacts(problem('defective', { lines: L1, evidence: PHOTOS, reportedAt: '2026-05-01T18:00:00Z' }), {
        order: anOrder({ shipTo: { state: 'UT', zip: '84101', country: 'US' } }),
      });
      const d = sut(facts, DEFAULT_POLICY, '2026-05-01T19:00:00Z');
      expect(kinds(d.required)).not.toContain('DENY');
      expect(get(d.required, 'ESCALATE').to).toBe('compliance');
    });
  });

  it('waits for the evidence the policy requires', () => {
    const d = sut(aFacts(problem('damaged', { lines: L1, extent: 'partial', evidence: ['photo_item'] })), DEFAULT_POLICY, NOW);
    expect(get(d.required, 'WAIT')).toMatchObject({ reason: 'awaiting_evidence', evidenceNeeded: ['photo_packaging', 'photo_label'] });
    expect(blockedKinds(d)).toEqual(expect.arrayContaining(['RESHIP:awaiting_evidence', 'REFUND_PARTIAL:awaiting_evidence']));
    expect(d.customerChoice).toEqual([]);
  });

  describe('damaged', () => {
    it('remedies only the damaged line and keeps it for the carrier claim', () => {
      const d = sut(aFacts(problem('damaged', { lines: L1, extent: 'partial', evidence: PHOTOS })), DEFAULT_POLICY, NOW);
      expect(kinds(d.customerChoice)).toEqual(['RESHIP', 'REFUND_PARTIAL', 'STORE_CREDIT']);
      expect(get(d.customerChoice, 'REFUND_PARTIAL')).toMatchObject({ amountMinor: 6540, lines: L1 });
      expect(get(d.required, 'KEEP_ITEM')).toMatchObject({ mode: 'until_claim_closed', retainPackaging: true });
      expect(get(d.required, 'CARRIER_CLAIM')).toMatchObject({ claimType: 'damage', amountMinor: 6000 });
      expect(d.scheduled[0]).toMatchObject({ trigger: 'carrier_claim_closed' });
    });

    it('collects the item after the claim when the policy wants damaged goods back', () => {
      const d = sut(aFacts(problem('damaged', { lines: L1, extent: 'partial', evidence: PHOTOS })), { ...DEFAULT_POLICY, damagedGoods: 'return' }, NOW);
      expect(d.scheduled[0]!.action.kind).toBe('CARRIER_PICKUP');
      expect(kinds(d.allowed)).toContain('CARRIER_CLAIM'); // the merchant's recovery, not an obligation
    });

    it('never asks for alcohol back', () => {
      const facts = aFacts(problem('damaged', { lines: L1, extent: 'partial', evidence: PHOTOS }), { shipments: [aShipment({ carrier: 'ups', service: 'ground' })] });
      facts.order.lines[0]!.flags.alcohol = true;
      const d = sut(facts, DEFAULT_POLICY, NOW);
      expect(blockedKinds(d)).toContain('RETURN_LABEL:alcohol_no_consumer_shipping');
      expect(get(d.customerChoice, 'RESHIP').signatureOption).toBe('adult_signature');
    });
  });

  describe('defective', () => {
    const defective = (price: number, extra: Partial<Problem> = {}, lithium: 'device' | null = null) => {
      const order = anOrder({ lines: [aLine({ unitPriceMinor: price, lithium })] });
      return aFacts({ ...problem('defective', { lines: L1, evidence: PHOTOS }), ...extra } as Problem, { order, shipments: [aShipment({ lines: L1 })] });
    };

    it.each([
      [5_000, 'KEEP_ITEM'],
      [5_001, 'RETURN_LABEL'],
    ])('at %i the item comes back: %s', (price, required) => {
      const d = sut(defective(price), DEFAULT_POLICY, NOW);
      expect(kinds(d.required)).toContain(required);
    });

    it('returns a lithium device by surface only', () => {
      const d = sut(defective(20_000, {}, 'device'), DEFAULT_POLICY, NOW);
      expect(get(d.required, 'RETURN_LABEL')).toMatchObject({ surfaceOnly: true, paidBy: 'merchant' });
      expect(get(d.required, 'RETURN_LABEL').ruleIds).toContain('US-USPS-LITHIUM-USED-SURFACE');
    });

    it('does not mail a swollen battery', () => {
      const d = sut(defective(20_000, { batteryHazard: true } as Partial<Problem>, 'device'), DEFAULT_POLICY, NOW);
      expect(blockedKinds(d)).toContain('RETURN_LABEL:battery_not_mailable');
      expect(get(d.required, 'ESCALATE').reason).toBe('battery_hazard');
    });
  });

  describe('wrong item', () => {
    const wrong = (valueMinor: number, more: Record<string, unknown> = {}) =>
      aFacts(problem('wrong_item', { lines: L1, evidence: ['photo_item'], received: { description: 'red scarf', valueMinor, quantity: 1, ...more } }));

    it.each([
      [2_500, 'keep'],
      [2_501, 'ask back'],
    ])('received item worth %i → %s', (value, outcome) => {
      const d = sut(wrong(value), DEFAULT_POLICY, NOW);
      if (outcome === 'keep') expect(get(d.required, 'KEEP_ITEM').ruleIds).toContain('POLICY-KEEP-ITEM');
      else {
        expect(get(d.allowed, 'CARRIER_PICKUP')).toMatchObject({ paidBy: 'merchant', windowTo: '2026-04-09' });
        expect(d.deadlines.pickupWindowEndsOn?.date).toBe('2026-04-09');
        expect(d.scheduled[0]).toMatchObject({ from: '2026-04-10', trigger: 'pickup_window_ended' });
      }
      // The remedy never waits for the return.
      expect(kinds(d.customerChoice)).toEqual(['RESHIP', 'REFUND_PARTIAL', 'STORE_CREDIT']);
    });

    it('cites the unordered-merchandise rules for the carrier used', () => {
      const usps = sut(wrong(9_000), DEFAULT_POLICY, NOW).rules.map((r) => r.id);
      expect(usps).toEqual(expect.arrayContaining(['US-USC-3009-GIFT', 'US-USC-3009-NO-BILL', 'US-FTC-UNORDERED-HONEST-ERROR']));
      const ma = aFacts(wrong(9_000).problem, { order: anOrder({ shipTo: { state: 'MA', zip: '02110', country: 'US' } }), shipments: [aShipment({ carrier: 'ups', service: 'ground' })] });
      expect(sut(ma, DEFAULT_POLICY, NOW).rules.map((r) => r.id)).toEqual(expect.arrayContaining(['US-USC-3009-SCOPE', 'US-MA-UNORDERED-ANY-CARRIER']));
    });

    it('never asks for perishables back', () => {
      expect(get(sut(wrong(9_000, { perishable: true }), DEFAULT_POLICY, NOW).required, 'KEEP_ITEM').mode).toBe('dispose');
    });
  });

  describe('missing item', () => {
    const split = (s2: Partial<Facts['shipments'][number]>): Facts =>
      aFacts(problem('missing_item', { shipmentId: 's1', lines: [{ lineId: 'l2', quantity: 2 }] }), {
        shipments: [aShipment({ lines: L1 }), aShipmentInTransit({ id: 's2', lines: [{ lineId: 'l2', quantity: 2 }], estimatedDeliveryAt: '2026-03-12', ...s2 })],
      });

    it('waits for a line still travelling in another shipment', () => {
      const d = sut(split({}), DEFAULT_POLICY, NOW);
      expect(get(d.required, 'WAIT')).toMatchObject({ reason: 'line_in_other_shipment', until: '2026-03-12' });
      expect(blockedKinds(d)).toContain('RESHIP:line_in_other_shipment');
      expect(d.customerChoice).toEqual([]);
    });

    it('applies the FTC Rule to a line that never shipped', () => {
      const facts = aFacts(problem('missing_item', { shipmentId: 's1', lines: [{ lineId: 'l2', quantity: 2 }] }), { shipments: [aShipment({ lines: L1 })] });
      const d = sut(facts, DEFAULT_POLICY, NOW);
      expect(kinds(d.required)).toEqual(['CANCEL_ORDER', 'REFUND_PARTIAL']);
      expect(get(d.required, 'REFUND_PARTIAL').amountMinor).toBe(2180);
    });

    it('replaces a line missing from a delivered box, with a claim when it was tampered with', () => {
      const facts = aFacts(problem('missing_item', { shipmentId: 's1', lines: [{ lineId: 'l2', quantity: 1 }], packageTampered: true }));
      const d = sut(facts, DEFAULT_POLICY, NOW);
      expect(get(d.customerChoice, 'RESHIP').lines).toEqual([{ lineId: 'l2', quantity: 1 }]);
      expect(get(d.allowed, 'CARRIER_CLAIM').claimType).toBe('missing_contents');
    });
  });

  it('excludes perishable spoilage when the parcel sat uncollected', () => {
    const facts = aFacts(problem('perishable_spoiled', { lines: L1, evidence: PHOTOS, reportedAt: '2026-03-07T18:00:00Z' }));
    facts.order.lines[0]!.flags.perishable = true;
    facts.shipments[0]!.events.push({ at: '2026-03-05T20:00:00Z', kind: 'attempted_notice_left' });
    const d = sut(facts, DEFAULT_POLICY, '2026-03-07T19:00:00Z');
    expect(get(d.required, 'DENY').reason).toBe('customer_caused');
  });
});
