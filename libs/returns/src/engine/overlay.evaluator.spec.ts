import { DEFAULT_POLICY } from '../policy/default-policy';
import { aFacts, anOrder, aPayment, aShipment, problem, unshippedFacts } from '../testing/facts.factory';
import { blockedKinds, get, kinds } from '../testing/decision.helper';
import type { CardDispute } from '../facts/facts';
import { decide } from './decide';

const sut = decide;
const AFTER_WAIT = '2026-03-10T18:00:00Z';
const dispute = (d: Partial<CardDispute> = {}): CardDispute => ({
  network: 'visa',
  reasonCode: '13.1',
  category: 'not_received',
  noticeAt: '2026-03-09T12:00:00Z',
  status: 'open',
  amountMinor: 9520,
  ...d,
});

describe('open card dispute', () => {
  it('blocks every money remedy and contests with the proof of delivery', () => {
    const facts = aFacts(problem('not_received', { shipmentId: 's1' }), {
      payment: aPayment({ dispute: dispute() }),
      shipments: [aShipment({ photoProofOfDelivery: true })],
    });
    const d = sut(facts, DEFAULT_POLICY, AFTER_WAIT);
    expect(d.customerChoice).toEqual([]);
    expect(blockedKinds(d)).toEqual(expect.arrayContaining(['RESHIP:dispute_open', 'REFUND_FULL:dispute_open', 'STORE_CREDIT:dispute_open']));
    expect(get(d.required, 'DISPUTE_RESPONSE')).toMatchObject({ stance: 'contest' });
    expect(get(d.required, 'DISPUTE_RESPONSE').evidence).toEqual(expect.arrayContaining(['proof_of_delivery', 'delivery_photo']));
  });

  it('accepts the dispute when the FTC Rule requires the refund anyway', () => {
    const facts = unshippedFacts(problem('where_is_my_order', {}), { payment: aPayment({ dispute: dispute({ network: 'mastercard', reasonCode: '4853' }) }) });
    const d = sut(facts, DEFAULT_POLICY, '2026-03-10T18:00:00Z');
    expect(kinds(d.required)).toEqual(['CANCEL_ORDER', 'DISPUTE_RESPONSE']);
    expect(get(d.required, 'DISPUTE_RESPONSE')).toMatchObject({ stance: 'accept', respondBy: '2026-04-23' });
    expect(d.deadlines.disputeResponseDueBy?.date).toBe('2026-04-23');
  });

  it('only stops refunds (not reships) when the merchant does not hold remedies', () => {
    const facts = aFacts(problem('not_received', { shipmentId: 's1' }), { payment: aPayment({ dispute: dispute() }) });
    const d = sut(facts, { ...DEFAULT_POLICY, disputes: { holdRemediesWhileOpen: false } }, AFTER_WAIT);
    expect(kinds(d.customerChoice)).toEqual(['RESHIP']);
  });

  it('ignores a closed dispute', () => {
    const facts = aFacts(problem('not_received', { shipmentId: 's1' }), { payment: aPayment({ dispute: dispute({ status: 'won' }) }) });
    expect(kinds(sut(facts, DEFAULT_POLICY, AFTER_WAIT).customerChoice)).toContain('REFUND_FULL');
  });
});

describe('alcohol reship', () => {
  const wine = (state: string) => {
    const facts = aFacts(problem('not_received', { shipmentId: 's1' }), {
      order: anOrder({ shipTo: { state, zip: '00000', country: 'US' } }),
      shipments: [aShipment({ carrier: 'fedex', service: 'ground', signatureOption: 'adult_signature' })],
    });
    facts.order.lines[0]!.flags.alcohol = true;
    return facts;
  };

  it.each([
    ['UT', 'US-ALC-DTC-UT'],
    ['DE', 'US-ALC-DTC-DE'],
  ])('blocks a reship of wine to %s', (state, rule) => {
    const d = sut(wine(state), DEFAULT_POLICY, AFTER_WAIT);
    expect(d.blocked).toContainEqual(expect.objectContaining({ kind: 'RESHIP', reason: 'alcohol_dtc_prohibited', ruleIds: [rule] }));
  });

  it('lets the merchant switch off the Delaware ban once the law is in force', () => {
    const policy = { ...DEFAULT_POLICY, ruleSettings: { 'US-ALC-DTC-DE': { enabled: false } } };
    expect(kinds(sut(wine('DE'), policy, AFTER_WAIT).customerChoice)).toContain('RESHIP');
  });

  it('never reships alcohol by USPS', () => {
    const facts = wine('CA');
    facts.shipments[0]!.carrier = 'usps';
    expect(sut(facts, DEFAULT_POLICY, AFTER_WAIT).blocked).toContainEqual(expect.objectContaining({ kind: 'RESHIP', reason: 'alcohol_no_consumer_shipping' }));
  });

  it('reships elsewhere with an adult signature and a compliance check', () => {
    const d = sut(wine('CA'), DEFAULT_POLICY, AFTER_WAIT);
    expect(get(d.customerChoice, 'RESHIP').signatureOption).toBe('adult_signature');
    expect(get(d.allowed, 'ESCALATE').to).toBe('compliance');
  });
});

describe('one loss, one compensation', () => {
  it('does not compensate lines already refunded', () => {
    const facts = aFacts(problem('damaged', { lines: [{ lineId: 'l1', quantity: 1 }], extent: 'partial', evidence: ['photo_item', 'photo_packaging', 'photo_label'] }), {
      order: anOrder({ priorRemedies: [{ kind: 'refund', at: '2026-03-08T00:00:00Z', amountMinor: 6540, lines: [{ lineId: 'l1', quantity: 1 }] }], alreadyRefundedMinor: 6540 }),
    });
    const d = sut(facts, DEFAULT_POLICY, AFTER_WAIT);
    expect(blockedKinds(d)).toEqual(expect.arrayContaining(['RESHIP:already_compensated', 'REFUND_PARTIAL:already_compensated']));
    expect(d.customerChoice).toEqual([]);
  });

  it('caps a refund at what is left of the payment', () => {
    const facts = aFacts(problem('not_received', { shipmentId: 's1' }), { order: anOrder({ alreadyRefundedMinor: 9000 }) });
    const d = sut(facts, DEFAULT_POLICY, AFTER_WAIT);
    expect(d.amounts).toMatchObject({ capAdjustmentMinor: 9000, refundTotalMinor: 520 });
    expect(get(d.customerChoice, 'REFUND_FULL').amountMinor).toBe(520);
  });

  it('reopens a case when a parcel paid as lost turns up', () => {
    const facts = aFacts(problem('not_received', { shipmentId: 's1' }), {
      shipments: [aShipment({ claim: { kind: 'loss', filedAt: '2026-03-01T00:00:00Z', status: 'paid', paidMinor: 9050 } })],
    });
    const d = sut(facts, DEFAULT_POLICY, AFTER_WAIT);
    expect(get(d.required, 'ESCALATE').reason).toBe('carrier_claim_repay');
    expect(d.rules.map((r) => r.id)).toContain('US-USPS-CLAIM-REPAY');
  });
});

describe('what else the customer asked for', () => {
  it('records an unavailable request as blocked', () => {
    const facts = aFacts(problem('not_received', { shipmentId: 's1', customerRequests: ['REFUND_FULL', 'KEEP_ITEM', 'NOT_AN_ACTION'] }));
    const d = sut(facts, DEFAULT_POLICY, '2026-03-07T18:00:00Z');
    expect(blockedKinds(d)).toContain('KEEP_ITEM:not_available');
    expect(blockedKinds(d)).toContain('REFUND_FULL:dnr_wait_window');
    expect(blockedKinds(d).filter((b) => b.startsWith('REFUND_FULL'))).toHaveLength(1);
  });
});

describe('card dispute exposure', () => {
  it('runs 120 days from the expected delivery for Visa', () => {
    const d = sut(aFacts(problem('not_received', { shipmentId: 's1' })), DEFAULT_POLICY, AFTER_WAIT);
    expect(d.deadlines.cardDisputeWindowEndsOn?.date).toBe('2026-07-04');
  });
});
