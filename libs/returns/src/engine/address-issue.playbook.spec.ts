import { DEFAULT_POLICY } from '../policy/default-policy';
import type { MerchantPolicy } from '../policy/merchant-policy';
import { aFacts, aShipment, aShipmentInTransit, problem } from '../testing/facts.factory';
import { blockedKinds, get, kinds } from '../testing/decision.helper';
import type { AddressFacts, Facts, ShipmentFacts } from '../facts/facts';
import { decide } from './decide';

const sut = decide;
const NOW = '2026-03-05T18:00:00Z';
const ADDR: AddressFacts = { street1: '1 Main St', city: 'Oakland', state: 'CA', zip: '94607', country: 'US' };

const undeliverable = (s: Partial<ShipmentFacts>, suppliedBy: 'customer' | 'merchant', correct: AddressFacts | null = ADDR): Facts =>
  aFacts(problem('undeliverable_address', { shipmentId: 's1', entered: { ...ADDR, street1: '1 Mian St' }, correct, suppliedBy }), {
    shipments: [aShipmentInTransit({ status: 'exception', exceptionReason: 'address_problem', ...s })],
  });

describe('undeliverable address', () => {
  it.each([
    ['customer-supplied', 'customer' as const, 'customer'],
    ['merchant-supplied', 'merchant' as const, 'merchant'],
  ])('UPS address correction, %s: fee paid by the %s', (_n, suppliedBy, payer) => {
    const d = sut(undeliverable({ carrier: 'ups', service: 'ground' }, suppliedBy), DEFAULT_POLICY, NOW);
    expect(get(d.required, 'UPDATE_SHIP_TO')).toMatchObject({ addressKnown: true, feeMinor: 2350, feePaidBy: payer });
  });

  it('redirects by USPS intercept only for commercial accounts, otherwise holds it', () => {
    const commercial = sut(undeliverable({ commercialAccount: true }, 'customer'), DEFAULT_POLICY, NOW);
    expect(get(commercial.required, 'CARRIER_INTERCEPT')).toMatchObject({ mode: 'redirect', feeMinor: 1945, feeOnlyOnSuccess: true, feePaidBy: 'customer' });
    const retail = sut(undeliverable({ commercialAccount: false }, 'customer'), DEFAULT_POLICY, NOW);
    expect(get(retail.required, 'CARRIER_INTERCEPT').mode).toBe('hold');
    expect(kinds(retail.required)).toContain('UPDATE_SHIP_TO');
  });

  it('asks the customer to confirm an unknown address and schedules the remedy on return to sender', () => {
    const d = sut(undeliverable({ carrier: 'ups', service: 'ground' }, 'customer', null), DEFAULT_POLICY, NOW);
    expect(get(d.required, 'UPDATE_SHIP_TO').addressKnown).toBe(false);
    expect(d.scheduled.map((s) => s.trigger)).toContain('returned_to_sender');
  });

  it('lets the policy pay every fee itself', () => {
    const policy: MerchantPolicy = { ...DEFAULT_POLICY, carrierFees: { intercept: 'merchant', addressCorrection: 'merchant' } };
    expect(get(sut(undeliverable({ carrier: 'ups', service: 'ground' }, 'customer'), policy, NOW).required, 'UPDATE_SHIP_TO').feePaidBy).toBe('merchant');
  });
});

describe('redirect request', () => {
  const redirect = (s: Partial<ShipmentFacts>, to: 'new_address' | 'hold_location' | 'return_to_sender' = 'hold_location') =>
    aFacts(problem('redirect_request', { shipmentId: 's1', to, newAddress: ADDR, requestedBy: 'customer' }), { shipments: [aShipmentInTransit(s)] });

  it.each([
    ['in transit', { status: 'in_transit' }, true],
    ['out for delivery', { status: 'out_for_delivery' }, false],
    ['hazmat', { status: 'in_transit' }, false],
    ['too big', { status: 'in_transit', lengthPlusGirthInches: 109 }, false],
  ] as const)('USPS intercept when %s → %s', (name, s, ok) => {
    const facts = redirect(s as Partial<ShipmentFacts>);
    if (name === 'hazmat') facts.order.lines[0]!.flags.hazmat = true;
    const d = sut(facts, DEFAULT_POLICY, NOW);
    expect(kinds(d.customerChoice).includes('CARRIER_INTERCEPT')).toBe(ok);
    if (!ok) expect(d.blocked.map((b) => b.kind)).toContain('CARRIER_INTERCEPT');
  });

  it('refuses UPS recipient changes the shipper restricts', () => {
    const d = sut(redirect({ carrier: 'ups', service: 'ground', signatureOption: 'signature' }), DEFAULT_POLICY, NOW);
    expect(blockedKinds(d)).toContain('CARRIER_INTERCEPT:carrier_cannot');
  });

  it('cannot redirect a delivered parcel', () => {
    expect(blockedKinds(sut(redirect({ status: 'delivered' }), DEFAULT_POLICY, NOW))).toContain('CARRIER_INTERCEPT:already_shipped');
  });
});

describe('return to sender', () => {
  const rts = (suppliedBy: 'customer' | 'merchant', extra: Partial<ShipmentFacts> = {}) =>
    aFacts(problem('undeliverable_address', { shipmentId: 's1', entered: ADDR, suppliedBy }), {
      shipments: [
        aShipment({
          status: 'return_to_sender',
          deliveredAt: null,
          events: [
            { at: '2026-03-04T18:00:00Z', kind: 'address_incorrect' },
            { at: '2026-03-08T18:00:00Z', kind: 'delivered_to_shipper' },
          ],
          surcharges: [{ kind: 'address_correction', amountMinor: 2350 }],
          ...extra,
        }),
      ],
    });

  it.each([
    ['customer_choice', ['REFUND_PARTIAL', 'RESHIP']],
    ['refund_without_shipping', []],
    ['reship_at_customer_cost', ['RESHIP']],
  ] as const)('customer-caused, policy %s', (mode, choice) => {
    const policy: MerchantPolicy = { ...DEFAULT_POLICY, returnToSender: { customerCaused: mode } };
    const d = sut(rts('customer'), policy, '2026-03-09T18:00:00Z');
    expect(kinds(d.customerChoice)).toEqual(choice);
    if (mode === 'refund_without_shipping') expect(kinds(d.required)).toEqual(['REFUND_PARTIAL']);
    // No shipping back, and the correction fee the customer caused comes off.
    expect(d.amounts).toMatchObject({ shippingMinor: 0, feesMinor: 2350, refundTotalMinor: 8000 + 720 - 2350 });
    if (choice.includes('RESHIP' as never)) expect(get(d.customerChoice, 'RESHIP')).toMatchObject({ paidBy: 'customer', customerChargeMinor: 800 });
  });

  it('merchant-caused: free reship or full refund', () => {
    const d = sut(rts('merchant'), DEFAULT_POLICY, '2026-03-09T18:00:00Z');
    expect(kinds(d.customerChoice)).toEqual(['RESHIP', 'REFUND_FULL', 'STORE_CREDIT']);
    expect(get(d.customerChoice, 'REFUND_FULL')).toMatchObject({ amountMinor: 9520, dueBy: '2026-03-13' });
  });
});
