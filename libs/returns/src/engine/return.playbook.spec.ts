import { DEFAULT_POLICY } from '../policy/default-policy';
import type { MerchantPolicy } from '../policy/merchant-policy';
import { aFacts, anOrder, aPayment, aShipment, problem } from '../testing/facts.factory';
import { blockedKinds, get, kinds } from '../testing/decision.helper';
import type { DisclosedRefundPolicy, Facts, LineQuantity, ReturnFacts } from '../facts/facts';
import { decide } from './decide';

const sut = decide;
const L1: LineQuantity[] = [{ lineId: 'l1', quantity: 1 }];
const UNDISCLOSED: DisclosedRefundPolicy = { disclosed: false };
const FEE15 = { kind: 'percent' as const, basisPoints: 1500 };

function ret(state: string, refundPolicy: Partial<DisclosedRefundPolicy> = {}, reportedAt = '2026-03-10T18:00:00Z', more: Partial<Facts> = {}): Facts {
  const base = anOrder();
  return aFacts(problem('change_of_mind', { lines: L1, returnFrom: 'domestic', reportedAt }), {
    order: anOrder({ shipTo: { state, zip: '00000', country: 'US' }, refundPolicy: { ...base.refundPolicy, ...refundPolicy } }),
    timeZone: 'America/Los_Angeles',
    ...more,
  });
}
const strict: MerchantPolicy = { ...DEFAULT_POLICY, returnWindow: { ...DEFAULT_POLICY.returnWindow, days: 5 } };
const withFee: MerchantPolicy = { ...DEFAULT_POLICY, restockingFee: FEE15 };
const canReturn = (f: Facts, p: MerchantPolicy = DEFAULT_POLICY) => kinds(sut(f, p, f.problem.reportedAt).customerChoice).includes('RETURN_LABEL');

// Purchased 2026-03-02, delivered 2026-03-06 (LA).
describe('change-of-mind returns', () => {
  describe('merchant window', () => {
    it.each([
      ['day 30 after delivery', '2026-04-05T18:00:00Z', true],
      ['day 31', '2026-04-06T18:00:00Z', false],
    ])('%s → returnable %s', (_n, at, ok) => {
      expect(canReturn(ret('TX', {}, at))).toBe(ok);
    });

    it.each([
      ['bought Nov 15, returned Jan 31', '2026-11-15T18:00:00Z', '2027-01-31T18:00:00Z', true],
      ['bought Nov 15, returned Feb 1', '2026-11-15T18:00:00Z', '2027-02-01T18:00:00Z', false],
      ['bought Oct 31, returned Jan 31', '2026-10-31T18:00:00Z', '2027-01-31T18:00:00Z', false],
    ])('holiday extension: %s → %s', (_n, placedAt, at, ok) => {
      const f = ret('TX', {}, at);
      f.order.placedAt = placedAt;
      f.shipments = [aShipment({ tenderedAt: placedAt, deliveredAt: placedAt, events: [] })];
      expect(canReturn(f)).toBe(ok);
    });

    it('blocks non-returnable lines and returns the rest', () => {
      const f = ret('TX');
      f.problem = problem('change_of_mind', { lines: [...L1, { lineId: 'l2', quantity: 2 }], returnFrom: 'domestic' });
      f.order.lines[1]!.flags.finalSale = true;
      const d = sut(f, DEFAULT_POLICY, '2026-03-10T18:00:00Z');
      expect(d.blocked).toContainEqual(expect.objectContaining({ kind: 'RETURN_LABEL', reason: 'non_returnable', lines: [{ lineId: 'l2', quantity: 2 }] }));
      expect(get(d.customerChoice, 'RETURN_LABEL').lines).toEqual(L1);
    });
  });

  describe('state default-refund laws when the policy was not disclosed', () => {
    it.each([
      ['CA: 30 days from purchase', 'CA', '2026-04-01T18:00:00Z', '2026-04-02T18:00:00Z', 'US-CA-CIV1723-DEFAULT-30'],
      ['NY: 30 days from purchase', 'NY', '2026-04-01T18:00:00Z', '2026-04-02T18:00:00Z', 'US-NY-GBL218A-DEFAULT-30'],
      ['NJ: 20 days from purchase', 'NJ', '2026-03-22T18:00:00Z', '2026-03-23T18:00:00Z', 'US-NJ-568218-DEFAULT-20'],
      ['MN: reasonable time (30 days, configurable)', 'MN', '2026-04-01T18:00:00Z', '2026-04-02T18:00:00Z', 'US-MN-325F80-CASH-REFUND'],
      ['OH: refund on request (30 days, configurable)', 'OH', '2026-04-01T18:00:00Z', '2026-04-02T18:00:00Z', 'US-OH-CSPA-POLICY-POSTED'],
    ])('%s', (_n, state, lastOk, firstLate, rule) => {
      expect(canReturn(ret(state, UNDISCLOSED, lastOk), strict)).toBe(true);
      expect(canReturn(ret(state, UNDISCLOSED, firstLate), strict)).toBe(false);
      expect(sut(ret(state, UNDISCLOSED, lastOk), strict, lastOk).rules.map((r) => r.id)).toContain(rule);
    });

    it('gives nothing extra where the policy was disclosed', () => {
      expect(canReturn(ret('CA', { windowDays: 5 }, '2026-03-20T18:00:00Z'), strict)).toBe(false);
      // The window disclosed to this buyer is honored when longer than today's policy.
      expect(canReturn(ret('CA', { windowDays: 30 }, '2026-03-20T18:00:00Z'), strict)).toBe(true);
    });

    it('gives nothing extra in states without such a law', () => {
      expect(canReturn(ret('TX', UNDISCLOSED, '2026-03-20T18:00:00Z'), strict)).toBe(false);
    });

    it.each([
      ['day 7', '2026-03-09T18:00:00Z', true],
      ['day 8', '2026-03-10T18:00:00Z', false],
    ])('FL: a store offering no returns without a sign owes a refund within 7 days — %s', (_n, at, ok) => {
      const noReturns: MerchantPolicy = { ...DEFAULT_POLICY, nonReturnable: { ...DEFAULT_POLICY.nonReturnable, categories: ['apparel'] } };
      expect(canReturn(ret('FL', UNDISCLOSED, at), noReturns)).toBe(ok);
    });

    it('CA exempts perishables and customized goods', () => {
      const f = ret('CA', UNDISCLOSED, '2026-03-20T18:00:00Z');
      f.order.lines[0]!.flags.personalized = true;
      const d = sut(f, strict, '2026-03-20T18:00:00Z');
      expect(blockedKinds(d)).toContain('RETURN_LABEL:non_returnable');
      expect(d.rules.map((r) => r.id)).toContain('US-CA-CIV1723-EXEMPT');
    });

    it('HI applies only when the merchant holds a GET license', () => {
      const late = '2026-04-20T18:00:00Z'; // day 49 from purchase
      expect(canReturn(ret('HI', UNDISCLOSED, late), strict)).toBe(false);
      const licensed = { ...strict, jurisdiction: { hawaiiGetLicense: true } };
      expect(canReturn(ret('HI', UNDISCLOSED, late), licensed)).toBe(true);
    });

    it('RI does not reach card-paid online orders', () => {
      const d = sut(ret('RI', UNDISCLOSED, '2026-03-20T18:00:00Z'), strict, '2026-03-20T18:00:00Z');
      expect(kinds(d.customerChoice)).not.toContain('RETURN_LABEL');
      expect(d.rules.map((r) => r.id)).toContain('US-RI-6279-CARD-NA');
    });

    it('VA suggests a compliance check (unverified rule)', () => {
      const d = sut(ret('VA', UNDISCLOSED), DEFAULT_POLICY, '2026-03-10T18:00:00Z');
      expect(get(d.allowed, 'ESCALATE').to).toBe('compliance');
      expect(d.explanation.en.join(' ')).toMatch(/unverified.*US-VA-VCPA-REFUND/);
    });
  });

  describe('restocking fee and tax', () => {
    const refundOf = (state: string, rp: Partial<DisclosedRefundPolicy>, policy: MerchantPolicy) => sut(ret(state, rp), policy, '2026-03-10T18:00:00Z').amounts;

    it('charges a disclosed fee and refunds the full tax in California', () => {
      expect(refundOf('CA', { restockingFee: FEE15 }, withFee)).toMatchObject({ itemsMinor: 6000, taxMinor: 540, feesMinor: 900 + 795, refundTotalMinor: 6000 + 540 - 900 - 795 });
    });

    it('refunds tax on the net only where the merchant chose so (not California)', () => {
      const policy = { ...withFee, salesTax: { refundTaxOnRestockedAmount: false } };
      expect(refundOf('TX', { restockingFee: FEE15 }, policy).taxMinor).toBe(459);
      expect(refundOf('CA', { restockingFee: FEE15 }, policy).taxMinor).toBe(540);
    });

    it.each([
      ['NY without the amount disclosed', 'NY', {}, 0],
      ['OH disclosed on the receipt only', 'OH', { placement: 'receipt_only' as const, restockingFee: FEE15 }, 0],
      ['NY with the amount disclosed', 'NY', { restockingFee: FEE15 }, 900],
      ['the lower of disclosed and current fee', 'TX', { restockingFee: { kind: 'percent' as const, basisPoints: 1000 } }, 600],
    ])('%s → fee %i', (_n, state, rp, fee) => {
      const fees = refundOf(state, rp, withFee).fees.filter((f) => f.kind === 'restocking');
      expect(fees.reduce((n, f) => n + f.amountMinor, 0)).toBe(fee);
    });

    it('never deducts a restocking fee in Hawaii (with a GET license)', () => {
      const policy = { ...withFee, jurisdiction: { hawaiiGetLicense: true } };
      const a = refundOf('HI', { restockingFee: FEE15 }, policy);
      expect(a.fees.filter((f) => f.kind === 'restocking')).toEqual([]);
      expect(a.taxMinor).toBe(540);
    });
  });

  describe('refund timing', () => {
    const inProgress = (r: Partial<ReturnFacts>, state = 'TX', payment = aPayment()) =>
      ret(state, {}, '2026-03-10T18:00:00Z', {
        payment,
        returns: [{ id: 'r1', reason: 'change_of_mind', lines: L1, requestedAt: '2026-03-10T18:00:00Z', labelIssuedAt: '2026-03-10T18:05:00Z', labelPaidBy: 'customer', labelCostMinor: 795, ...r }],
      });

    it('schedules the refund on the first scan until it happens', () => {
      const d = sut(inProgress({}), DEFAULT_POLICY, '2026-03-11T18:00:00Z');
      expect(d.scheduled[0]).toMatchObject({ trigger: 'return_first_scan' });
      expect(d.approval).toBe('agent');
    });

    it('requires the refund within 5 working days of the first scan', () => {
      const d = sut(inProgress({ acceptanceScanAt: '2026-03-12T20:00:00Z' }), DEFAULT_POLICY, '2026-03-13T18:00:00Z');
      expect(get(d.required, 'REFUND_PARTIAL')).toMatchObject({ dueBy: '2026-03-19', amountMinor: 6000 + 540 - 795 });
    });

    it('caps card refunds at 5 banking days in Hawaii', () => {
      const policy = { ...DEFAULT_POLICY, refundTiming: { returns: 'receipt' as const, withinWorkingDays: 10 }, jurisdiction: { hawaiiGetLicense: true } };
      const d = sut(inProgress({ receivedAt: '2026-07-01T20:00:00Z' }, 'HI'), policy, '2026-07-02T18:00:00Z');
      // July 3 counts: banks open on the Friday before a Saturday holiday (working days would give 07-09).
      expect(get(d.required, 'REFUND_PARTIAL').dueBy).toBe('2026-07-08');
    });

    it('sends items that came back used to review', () => {
      const d = sut(inProgress({ receivedAt: '2026-03-14T20:00:00Z', received: [{ lineId: 'l1', quantity: 1, condition: 'used' }] }), DEFAULT_POLICY, '2026-03-15T18:00:00Z');
      expect(get(d.required, 'ESCALATE').reason).toBe('return_inspection');
      expect(kinds(d.required)).not.toContain('REFUND_PARTIAL');
    });
  });

  describe('international', () => {
    const intl = (country: string, international: Facts['international'], state = 'ON') => {
      const f = ret(state, {}, '2026-03-10T18:00:00Z', { international });
      f.order.shipTo = { state, zip: 'M5V', country };
      f.timeZone = null;
      f.problem = problem('change_of_mind', { lines: L1, returnFrom: 'international' });
      return f;
    };

    it('needs a US customs entry and leaves Canadian DDU duties to Form B2G', () => {
      const d = sut(intl('CA', { incoterm: 'DDU', originCountry: 'US', dutiesAndTaxesMinor: 1_300, dutiesCurrency: 'CAD', dutiesPaidBy: 'customer' }), DEFAULT_POLICY, '2026-03-10T18:00:00Z');
      expect(get(d.customerChoice, 'RETURN_LABEL')).toMatchObject({ paidBy: 'customer', customsEntry: 'formal_entry' });
      expect(d.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['CA-CBSA-CASUAL-REFUND', 'US-CBP-DEMINIMIS-SUSPENDED']));
      expect(d.amounts.dutiesMinor).toBe(0);
    });

    it('sets the Japanese bonded-area deadline 6 months after import', () => {
      const d = sut(
        intl('JP', { incoterm: 'DDP', originCountry: 'US', dutiesAndTaxesMinor: 900, dutiesCurrency: 'JPY', dutiesPaidBy: 'merchant', importedAt: '2026-03-04T01:00:00Z' }, '13'),
        DEFAULT_POLICY,
        '2026-03-10T18:00:00Z',
      );
      expect(d.timeZone).toBe('Asia/Tokyo');
      expect(d.deadlines.customsRefundLastDay?.date).toBe('2026-09-04');
    });

    it('refuses lithium devices from abroad, and all returns when the store takes none', () => {
      const f = intl('CA', null);
      f.order.lines[0]!.lithium = 'device';
      expect(blockedKinds(sut(f, DEFAULT_POLICY, '2026-03-10T18:00:00Z'))).toContain('RETURN_LABEL:lithium_no_international');
      const closed = { ...DEFAULT_POLICY, international: { ...DEFAULT_POLICY.international, acceptReturns: false } };
      expect(get(sut(intl('CA', null), closed, '2026-03-10T18:00:00Z').required, 'DENY').reason).toBe('international_returns_not_accepted');
    });
  });

  it('brings alcohol back only by the merchant\u2019s licensed pickup', () => {
    const f = ret('CA', UNDISCLOSED, '2026-03-10T18:00:00Z');
    f.order.lines[0]!.flags.alcohol = true;
    const d = sut(f, DEFAULT_POLICY, '2026-03-10T18:00:00Z');
    expect(blockedKinds(d)).toContain('RETURN_LABEL:alcohol_no_consumer_shipping');
    expect(get(d.allowed, 'CARRIER_PICKUP').paidBy).toBe('merchant');
  });
});
