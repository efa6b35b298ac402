import { DEFAULT_POLICY } from '../policy/default-policy';
import { anOrder, aPayment, aShipmentInTransit, problem, unshippedFacts } from '../testing/facts.factory';
import { blockedKinds, get, kinds } from '../testing/decision.helper';
import type { Facts, PreShipmentFacts } from '../facts/facts';
import { decide } from './decide';

const sut = decide;
const wismo = (pre: Partial<PreShipmentFacts> = {}, overrides: Partial<Facts> = {}) =>
  unshippedFacts(problem('where_is_my_order', { reportedAt: '2026-03-03T19:00:00Z' }), {
    preShipment: { delayNotices: [], cannotShip: [], ...pre },
    ...overrides,
  });

// Order placed Monday 2026-03-02 07:00 in Los Angeles; "ships within 2 business days" → ship by 2026-03-04.
describe('FTC Mail Order Rule (16 CFR 435)', () => {
  describe('applicable ship date and NO-NOTICE-CANCEL', () => {
    it.each([
      ['on the ship date (local)', '2026-03-05T07:59:59Z', false],
      ['the next local day', '2026-03-05T08:00:00Z', true],
    ])('%s → vested %s', (_name, now, vested) => {
      const d = sut(wismo(), DEFAULT_POLICY, now);
      if (!vested) {
        expect(kinds(d.required)).toEqual(['WAIT']);
        expect(d.deadlines.delayNoticeDueBy?.date).toBe('2026-03-04');
        return;
      }
      expect(kinds(d.required)).toEqual(['CANCEL_ORDER', 'REFUND_FULL']);
      const refund = get(d.required, 'REFUND_FULL');
      expect(refund.amountMinor).toBe(9520); // everything paid, shipping included
      expect(refund.dueBy).toBe('2026-03-16'); // vest 03-05 + 7 working days
      expect(refund.ruleIds).toEqual(expect.arrayContaining(['US-FTC-435-NO-NOTICE-CANCEL', 'US-FTC-435-REFUND-7WD', 'US-FTC-435-REFUND-AMOUNT']));
      expect(blockedKinds(d)).toContain('DELAY_NOTICE:notice_too_late');
      expect(kinds(d.allowed)).toContain('STORE_CREDIT');
    });

    it.each([
      [{ kind: 'none' } as const, '2026-04-01', 'US-FTC-435-SHIP-30'],
      [{ kind: 'ships_within', amount: 10, unit: 'calendar_days' } as const, '2026-03-12', 'US-FTC-435-SHIP-STATED'],
      [{ kind: 'ships_within', amount: 48, unit: 'hours' } as const, '2026-03-04', 'US-FTC-435-SHIP-STATED'],
      [{ kind: 'ship_by', date: '2026-03-09' } as const, '2026-03-09', 'US-FTC-435-SHIP-STATED'],
      [{ kind: 'deliver_by', date: '2026-03-12' } as const, '2026-03-09', 'POLICY-IMPLIED-SHIP-DATE'],
    ])('promise %j → ship by %s', (shippingPromise, shipBy, rule) => {
      const d = sut(wismo({}, { order: anOrder({ shippingPromise }) }), DEFAULT_POLICY, '2026-03-03T00:00:00Z');
      expect(d.deadlines.delayNoticeDueBy?.date).toBe(shipBy);
      expect(d.required[0]!.ruleIds).toContain(rule);
    });

    it.each([
      ['day 30', '2026-04-02T06:59:00Z', false],
      ['day 31', '2026-04-02T07:00:00Z', true],
    ])('no stated time: %s → vested %s', (_n, now, vested) => {
      const d = sut(wismo({}, { order: anOrder({ shippingPromise: { kind: 'none' } }) }), DEFAULT_POLICY, now);
      expect(kinds(d.required).includes('CANCEL_ORDER')).toBe(vested);
    });

    it('gives 50 days when the buyer applied for seller credit', () => {
      const d = sut(wismo({}, { order: anOrder({ shippingPromise: { kind: 'none' } }), payment: aPayment({ appliedForSellerCredit: true }) }), DEFAULT_POLICY, '2026-03-03T00:00:00Z');
      expect(d.deadlines.delayNoticeDueBy?.date).toBe('2026-04-21');
    });

    it('restarts the clock when dishonored payment is made good', () => {
      const d = sut(
        wismo({}, { payment: aPayment({ dishonoredAt: '2026-03-02T16:00:00Z', goodPaymentAt: '2026-03-05T17:00:00Z' }) }),
        DEFAULT_POLICY,
        '2026-03-06T00:00:00Z',
      );
      expect(d.deadlines.delayNoticeDueBy?.date).toBe('2026-03-09');
    });

    it('counts the clock in the ship-to zone: 23:30 in Los Angeles is still that day', () => {
      const facts = wismo({}, { order: anOrder({ placedAt: '2026-03-03T07:30:00Z' }) }); // Mon 23:30 PST
      expect(sut(facts, DEFAULT_POLICY, '2026-03-03T08:00:00Z').deadlines.delayNoticeDueBy?.date).toBe('2026-03-04');
      const tokyo = { ...facts, timeZone: 'Asia/Tokyo' }; // Tue 16:30 JST
      expect(sut(tokyo, DEFAULT_POLICY, '2026-03-03T08:00:00Z').deadlines.delayNoticeDueBy?.date).toBe('2026-03-05');
    });
  });

  describe('delay option notices', () => {
    it('requires a notice by the ship date once the delay is known', () => {
      const d = sut(wismo({ delayKnownAt: '2026-03-03T16:00:00Z', expectedShipDate: '2026-03-20' }), DEFAULT_POLICY, '2026-03-03T20:00:00Z');
      const notice = get(d.required, 'DELAY_NOTICE');
      expect(notice).toMatchObject({ dueBy: '2026-03-04', notice: 'first', revisedShipDate: '2026-03-20', offerCancel: true });
    });

    it.each([
      ['revised within 30 days → deemed consent', '2026-04-03', 'deemed'],
      ['revised 31 days later → express consent needed', '2026-04-04', 'needed'],
    ])('%s', (_n, revised, consent) => {
      const d = sut(wismo({ delayNotices: [{ sentAt: '2026-03-03T18:00:00Z', revisedShipDate: revised, channel: 'email' }] }), DEFAULT_POLICY, '2026-03-10T18:00:00Z');
      if (consent === 'deemed') {
        expect(get(d.required, 'WAIT')).toMatchObject({ reason: 'revised_ship_date', until: revised });
        expect(kinds(d.allowed)).toContain('CANCEL_ORDER');
      } else {
        expect(kinds(d.customerChoice)).toEqual(['CANCEL_ORDER', 'WAIT']);
        expect(d.deadlines.autoCancelOn?.date).toBe('2026-04-04');
        expect(d.scheduled[0]).toMatchObject({ from: '2026-04-04', trigger: 'no_express_consent' });
      }
    });

    it.each([
      ['the day before auto-cancel', '2026-04-04T06:00:00Z', false],
      ['the auto-cancel day', '2026-04-04T08:00:00Z', true],
    ])('indefinite delay without consent: %s → vested %s', (_n, now, vested) => {
      const d = sut(wismo({ delayNotices: [{ sentAt: '2026-03-03T18:00:00Z', revisedShipDate: null, channel: 'email', reason: 'supplier' }] }), DEFAULT_POLICY, now);
      expect(kinds(d.required).includes('REFUND_FULL')).toBe(vested);
      if (vested) expect(get(d.required, 'REFUND_FULL').dueBy).toBe('2026-04-14'); // Sat 04-04 + 7 wd
    });

    it('keeps waiting after the buyer expressly consents in time', () => {
      const d = sut(
        wismo({ delayNotices: [{ sentAt: '2026-03-03T18:00:00Z', revisedShipDate: '2026-04-20', channel: 'email' }], expressConsentAt: '2026-03-05T10:00:00Z' }),
        DEFAULT_POLICY,
        '2026-04-10T18:00:00Z',
      );
      expect(get(d.required, 'WAIT')).toMatchObject({ until: '2026-04-20' });
    });

    it('cancels when a consented revised date passes without a renewed notice', () => {
      const d = sut(
        wismo({ delayNotices: [{ sentAt: '2026-03-03T18:00:00Z', revisedShipDate: '2026-03-20', channel: 'email' }] }),
        DEFAULT_POLICY,
        '2026-03-21T18:00:00Z',
      );
      expect(kinds(d.required)).toEqual(['CANCEL_ORDER', 'REFUND_FULL']);
      expect(d.required[0]!.ruleIds).toContain('US-FTC-435-RENEWED-NOTICE');
    });

    it.each([
      ['before the first period ends', '2026-03-20T18:00:00Z', false],
      ['the day after it ends', '2026-03-21T18:00:00Z', true],
    ])('a renewed notice needs express consent: %s → vested %s', (_n, now, vested) => {
      const notices = [
        { sentAt: '2026-03-03T18:00:00Z', revisedShipDate: '2026-03-20', channel: 'email' as const },
        { sentAt: '2026-03-19T18:00:00Z', revisedShipDate: '2026-04-10', channel: 'email' as const },
      ];
      const d = sut(wismo({ delayNotices: notices }), DEFAULT_POLICY, now);
      expect(kinds(d.required).includes('CANCEL_ORDER')).toBe(vested);
      if (!vested) expect(d.deadlines.autoCancelOn?.date).toBe('2026-03-21');
    });

    it.each([
      ['posted only on the order-status page', { sentAt: '2026-03-03T18:00:00Z', revisedShipDate: '2026-03-20', channel: 'order_status_page' as const }],
      ['sent after the ship date', { sentAt: '2026-03-05T18:00:00Z', revisedShipDate: '2026-03-20', channel: 'email' as const }],
    ])('a notice %s does not cure a missed ship date', (_n, notice) => {
      const d = sut(wismo({ delayNotices: [notice] }), DEFAULT_POLICY, '2026-03-06T18:00:00Z');
      expect(kinds(d.required)).toEqual(['CANCEL_ORDER', 'REFUND_FULL']);
      expect(d.required[0]!.ruleIds).toContain('US-FTC-435-NO-NOTICE-CANCEL');
    });
  });

  describe('refunds', () => {
    it('is due within one billing cycle when the seller is the creditor', () => {
      const d = sut(wismo({}, { payment: aPayment({ methodKind: 'seller_credit', sellerIsCreditor: true, billingCycleDays: 30 }) }), DEFAULT_POLICY, '2026-03-05T18:00:00Z');
      const refund = get(d.required, 'REFUND_FULL');
      expect(refund).toMatchObject({ dueBy: '2026-04-04', method: 'seller_credit_account' });
      expect(refund.ruleIds).toContain('US-FTC-435-REFUND-CYCLE');
    });

    it('refunds by check when the card can no longer take it', () => {
      const d = sut(wismo({}, { payment: aPayment({ originalMethodUnavailable: true }) }), DEFAULT_POLICY, '2026-03-05T18:00:00Z');
      expect(get(d.required, 'REFUND_FULL')).toMatchObject({ method: 'check_or_cash' });
      expect(d.rules.map((r) => r.id)).toContain('US-FTC-435-REFUND-METHOD');
    });

    it('cancels only the line the seller cannot ship, without the flat shipping fee', () => {
      const d = sut(wismo({ cannotShip: [{ lineId: 'l2', learnedAt: '2026-03-03T17:00:00Z', reason: 'discontinued' }] }), DEFAULT_POLICY, '2026-03-03T20:00:00Z');
      expect(get(d.required, 'CANCEL_ORDER').lines).toEqual([{ lineId: 'l2', quantity: 2 }]);
      expect(get(d.required, 'REFUND_PARTIAL')).toMatchObject({ amountMinor: 2180, dueBy: '2026-03-12' });
    });

    it('refunds the unshipped items only once part of the order shipped', () => {
      const facts = wismo({}, { shipments: [aShipmentInTransit({ lines: [{ lineId: 'l1', quantity: 1 }] })] });
      const d = sut(facts, DEFAULT_POLICY, '2026-03-05T18:00:00Z');
      expect(get(d.required, 'CANCEL_ORDER').lines).toEqual([{ lineId: 'l2', quantity: 2 }]);
      expect(d.amounts).toMatchObject({ itemsMinor: 2000, shippingMinor: 0, taxMinor: 180, refundTotalMinor: 2180 });
    });
  });

  describe('cancellation requests', () => {
    const cancel = (pre: Partial<PreShipmentFacts> = {}) =>
      unshippedFacts(problem('cancel_request', { reportedAt: '2026-03-06T18:00:00Z' }), { preShipment: { delayNotices: [], cannotShip: [], ...pre } });

    it('vests on the buyer\u2019s cancellation after a delay notice', () => {
      const d = sut(cancel({ delayNotices: [{ sentAt: '2026-03-03T18:00:00Z', revisedShipDate: '2026-03-20', channel: 'email' }] }), DEFAULT_POLICY, '2026-03-06T19:00:00Z');
      expect(get(d.required, 'REFUND_FULL')).toMatchObject({ dueBy: '2026-03-17' });
      expect(get(d.required, 'CANCEL_ORDER').ruleIds).toContain('US-FTC-435-OPTION-NOTICE');
    });

    it('cancels under the store policy while on time', () => {
      const d = sut(
        unshippedFacts(problem('cancel_request', { reportedAt: '2026-03-02T18:00:00Z' }), { preShipment: { delayNotices: [], cannotShip: [] } }),
        DEFAULT_POLICY,
        '2026-03-02T19:00:00Z',
      );
      expect(kinds(d.required)).toEqual(['CANCEL_ORDER', 'REFUND_FULL']);
      expect(get(d.required, 'REFUND_FULL').ruleIds).toContain('POLICY-CANCEL-UNSHIPPED');
    });

    it('offers a USPS intercept for the part already in transit', () => {
      const facts = unshippedFacts(problem('cancel_request', { reportedAt: '2026-03-04T18:00:00Z' }), {
        shipments: [aShipmentInTransit({ lines: [{ lineId: 'l1', quantity: 1 }] })],
      });
      const d = sut(facts, DEFAULT_POLICY, '2026-03-04T19:00:00Z');
      expect(get(d.customerChoice, 'CARRIER_INTERCEPT')).toMatchObject({ mode: 'return_to_sender', feePaidBy: 'customer', feeOnlyOnSuccess: true });
      expect(get(d.required, 'CANCEL_ORDER').lines).toEqual([{ lineId: 'l2', quantity: 2 }]);
    });
  });

  describe('exemptions', () => {
    it.each([
      ['cash on delivery', { payment: aPayment({ methodKind: 'cash_on_delivery' }) }],
      ['seeds and plants', { order: anOrder({ lines: [{ ...anOrder().lines[0]!, category: 'seeds' }] }) }],
    ])('%s is outside the Rule', (_n, overrides) => {
      const d = sut(wismo({}, overrides as Partial<Facts>), DEFAULT_POLICY, '2026-03-10T18:00:00Z');
      expect(kinds(d.required)).toEqual(['WAIT']);
      expect(d.rules.map((r) => r.id)).toContain('US-FTC-435-EXEMPT');
    });
  });
});
