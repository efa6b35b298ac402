/**
 * fast-check generators of valid facts and policies across every problem kind, carrier,
 * state and payment method, for the engine's property tests.
 */
import fc from 'fast-check';
import type { Facts, LineQuantity, OrderLine, Problem, ShipmentEvent, ShipmentFacts } from '../facts/facts';
import { DEFAULT_POLICY } from '../policy/default-policy';
import type { MerchantPolicy } from '../policy/merchant-policy';
import { CARRIERS, PAYMENT_METHOD_KINDS, PROBLEM_KINDS, TRACKING_STATUSES } from '../vocabulary';

const BASE_MS = Date.parse('2026-01-05T15:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const STATES = ['CA', 'NY', 'FL', 'HI', 'NJ', 'RI', 'MN', 'MD', 'OH', 'UT', 'VA', 'TX', 'MA', 'DE', 'WA'];
const CATEGORIES = ['apparel', 'home', 'food', 'electronics', 'seeds', 'gift_card', 'wine'];

const lineArb = (i: number): fc.Arbitrary<OrderLine> =>
  fc.record({
    quantity: fc.integer({ min: 1, max: 3 }),
    unitPriceMinor: fc.integer({ min: 0, max: 60_000 }),
    taxMinor: fc.integer({ min: 0, max: 6_000 }),
    discountMinor: fc.integer({ min: 0, max: 500 }),
    category: fc.constantFrom(...CATEGORIES),
    flags: fc.record({
      perishable: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      alcohol: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      hazmat: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      personalized: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      finalSale: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }),
    lithium: fc.constantFrom(null, null, null, 'device' as const, 'battery' as const),
    condition: fc.constantFrom('new' as const, 'used' as const, 'as_is' as const, 'new' as const),
  }).map((l) => ({
    id: `l${i}`,
    sku: `SKU-${i}`,
    name: `Item ${i}`,
    ...l,
    discountMinor: Math.min(l.discountMinor, l.unitPriceMinor * l.quantity),
  }));

function shipmentArb(id: string, lines: LineQuantity[], placedMs: number): fc.Arbitrary<ShipmentFacts> {
  return fc
    .record({
      carrier: fc.constantFrom(...CARRIERS),
      service: fc.constantFrom('priority_mail', 'priority_mail_express', 'ground_advantage', 'first_class', 'ground', 'express'),
      tenderAfterH: fc.option(fc.integer({ min: 1, max: 24 * 10 }), { nil: null }),
      status: fc.constantFrom(...TRACKING_STATUSES),
      exceptionReason: fc.constantFrom(null, 'address_problem', 'lost', 'refused', 'recipient_unavailable', 'damaged'),
      eventKinds: fc.subarray(['accepted', 'in_transit', 'attempted_notice_left', 'ready_for_pickup', 'address_incorrect', 'returning_to_shipper', 'delivered_to_shipper', 'delivered'] as const),
      transitH: fc.integer({ min: 12, max: 24 * 20 }),
      coverage: fc.constantFrom('none', 'carrier_included', 'carrier_declared_value', 'third_party') as fc.Arbitrary<ShipmentFacts['coverage']['kind']>,
      coverageMinor: fc.integer({ min: 0, max: 100_000 }),
      signature: fc.constantFrom('none' as const, 'signature' as const, 'adult_signature' as const),
      signed: fc.boolean(),
      photo: fc.boolean(),
      international: fc.boolean(),
      commercial: fc.boolean(),
      restricted: fc.boolean(),
      claim: fc.option(fc.constantFrom('open' as const, 'paid' as const, 'denied' as const), { nil: null }),
      surcharge: fc.integer({ min: 0, max: 3_000 }),
      hold: fc.constantFrom('post_office', 'ups_access_point', 'ups_customer_center', 'fedex_retail', null),
    })
    .map((r) => {
      const tendered = r.tenderAfterH === null ? null : placedMs + r.tenderAfterH * HOUR;
      const start = tendered ?? placedMs;
      const events: ShipmentEvent[] = r.eventKinds.map((kind, i) => ({
        at: iso(start + ((i + 1) * r.transitH * HOUR) / (r.eventKinds.length + 1)),
        kind,
        ...(kind === 'ready_for_pickup' || kind === 'attempted_notice_left' ? { holdLocation: r.hold } : {}),
      }));
      const delivered = r.status === 'delivered' ? iso(start + r.transitH * HOUR) : null;
      return {
        id,
        carrier: r.carrier,
        service: r.service,
        international: r.international,
        lines,
        tenderedAt: tendered === null ? null : iso(tendered),
        coverage: { kind: r.coverage, amountMinor: r.coverage === 'none' ? 0 : r.coverageMinor },
        signatureOption: r.signature,
        signatureCaptured: r.signature !== 'none' && r.signed,
        photoProofOfDelivery: r.photo,
        status: r.status,
        exceptionReason: r.status === 'exception' ? r.exceptionReason : null,
        events,
        lastEventAt: events.length ? events[events.length - 1]!.at : null,
        estimatedDeliveryAt: iso(start + (r.transitH * HOUR) / 2),
        deliveredAt: delivered,
        surcharges: r.surcharge > 0 ? [{ kind: 'address_correction' as const, amountMinor: r.surcharge }] : [],
        postageMinor: 900,
        commercialAccount: r.commercial,
        deliveryChangesRestricted: r.restricted,
        claim: r.claim ? { kind: 'loss' as const, filedAt: iso(start), status: r.claim, paidMinor: 5_000 } : null,
      };
    });
}

/** Valid facts for any problem kind, plus an evaluation instant. */
export const caseArb: fc.Arbitrary<{ facts: Facts; now: string }> = fc
  .record({
    lineCount: fc.integer({ min: 1, max: 3 }),
    placedH: fc.integer({ min: 0, max: 24 * 340 }),
  })
  .chain(({ lineCount, placedH }) => {
    const placedMs = BASE_MS + placedH * HOUR;
    return fc
      .record({
        lines: fc.tuple(...Array.from({ length: lineCount }, (_, i) => lineArb(i + 1))),
        state: fc.constantFrom(...STATES),
        country: fc.constantFrom('US', 'US', 'US', 'US', 'CA', 'JP'),
        shippingMinor: fc.integer({ min: 0, max: 3_000 }),
        mode: fc.constantFrom('flat_per_order' as const, 'per_item' as const, 'calculated' as const, 'free' as const),
        discountBp: fc.integer({ min: 0, max: 3_000 }),
        totalShortfall: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }) }),
        refundedShare: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 100 }) }),
        promise: fc.constantFrom<Facts['order']['shippingPromise']>(
          { kind: 'none' },
          { kind: 'ships_within', amount: 2, unit: 'business_days' },
          { kind: 'ships_within', amount: 48, unit: 'hours' },
          { kind: 'ship_by', date: '2026-06-01' },
          { kind: 'deliver_by', date: '2026-06-10' },
        ),
        disclosed: fc.boolean(),
        placement: fc.constantFrom('checkout' as const, 'receipt_only' as const, null),
        disclosedFee: fc.constantFrom({ kind: 'none' as const }, { kind: 'percent' as const, basisPoints: 1500 }, { kind: 'flat' as const, amountMinor: 500 }),
        windowDays: fc.constantFrom(null, 7, 30, 60),
        method: fc.constantFrom(...PAYMENT_METHOD_KINDS),
        network: fc.constantFrom('visa' as const, 'mastercard' as const, 'amex' as const, null),
        dispute: fc.option(fc.constantFrom('not_received' as const, 'not_as_described' as const, 'credit_not_processed' as const), { nil: null }),
        shipmentCount: fc.integer({ min: 0, max: 2 }),
        kind: fc.constantFrom(...PROBLEM_KINDS),
        reportAfterH: fc.integer({ min: 0, max: 24 * 90 }),
        nowAfterReportH: fc.integer({ min: 0, max: 24 * 60 }),
        notices: fc.array(
          fc.record({ afterH: fc.integer({ min: 1, max: 24 * 40 }), revisedDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }), channel: fc.constantFrom('email' as const, 'order_status_page' as const) }),
          { maxLength: 2 },
        ),
        consent: fc.boolean(),
        cancelled: fc.boolean(),
        cannotShip: fc.boolean(),
        claims: fc.integer({ min: 0, max: 4 }),
        evidenceAll: fc.boolean(),
        incoterm: fc.constantFrom('DDU' as const, 'DDP' as const),
        requests: fc.subarray(['REFUND_FULL', 'RESHIP', 'KEEP_ITEM', 'STORE_CREDIT', 'CANCEL_ORDER']),
        tz: fc.constantFrom(null, 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Honolulu'),
      })
      .chain((r) => {
        const lines = r.lines as OrderLine[];
        const all = lines.map((l) => ({ lineId: l.id, quantity: l.quantity }));
        const shipmentLines = (i: number) => (r.shipmentCount === 2 ? all.filter((_, k) => k % 2 === i) : all);
        const shipments = fc.tuple(...Array.from({ length: Math.max(r.shipmentCount, 1) }, (_, i) => shipmentArb(`s${i + 1}`, shipmentLines(i).length ? shipmentLines(i) : all, placedMs)));
        return fc.tuple(fc.constant(r), shipments, fc.subarray(all, { minLength: 1 }));
      })
      .map(([r, shipmentsRaw, affected]) => {
        const lines = r.lines as OrderLine[];
        const shipments = r.shipmentCount === 0 && !needsShipment(r.kind) ? [] : (shipmentsRaw as ShipmentFacts[]);
        const subtotal = lines.reduce((n, l) => n + l.unitPriceMinor * l.quantity, 0);
        const lineDiscounts = lines.reduce((n, l) => n + (l.discountMinor ?? 0), 0);
        const tax = lines.reduce((n, l) => n + l.taxMinor, 0);
        const discount = Math.floor(((subtotal - lineDiscounts) * r.discountBp) / 10_000);
        const total = Math.max(0, subtotal - lineDiscounts - discount + r.shippingMinor + tax - r.totalShortfall);
        const reportedMs = placedMs + r.reportAfterH * HOUR;
        const s1 = shipments[0]?.id ?? null;
        const affectedLines = affected as LineQuantity[];
        const facts: Facts = {
          problem: problemFor(r.kind, s1, affectedLines, iso(reportedMs), r.evidenceAll, r.requests),
          order: {
            id: 'o1',
            channel: 'web',
            currency: 'USD',
            placedAt: iso(placedMs),
            lines,
            charges: { subtotalMinor: subtotal, shippingMinor: r.shippingMinor, shippingChargeMode: r.mode, taxMinor: tax, discountMinor: discount, dutiesMinor: r.country === 'US' ? 0 : 700, totalMinor: total },
            shipTo: { state: r.country === 'JP' ? '13' : r.country === 'CA' ? 'ON' : r.state, zip: '10001', country: r.country },
            shippingPromise: r.promise,
            refundPolicy: { disclosed: r.disclosed, placement: r.placement, restockingFee: r.disclosedFee, windowDays: r.windowDays },
            alreadyRefundedMinor: Math.floor((total * r.refundedShare) / 100),
          },
          payment: {
            methodKind: r.method,
            cardNetwork: r.network,
            sellerIsCreditor: r.method === 'seller_credit',
            dispute: r.dispute ? { network: r.network ?? 'visa', reasonCode: 'X', category: r.dispute, noticeAt: iso(reportedMs), status: 'open', amountMinor: total } : null,
          },
          preShipment: {
            delayNotices: r.notices.map((n) => ({
              sentAt: iso(placedMs + n.afterH * HOUR),
              revisedShipDate: n.revisedDays === null ? null : iso(placedMs + (n.afterH + n.revisedDays * 24) * HOUR).slice(0, 10),
              channel: n.channel,
            })),
            expressConsentAt: r.consent ? iso(reportedMs) : null,
            cancellationRequestedAt: r.cancelled ? iso(reportedMs) : null,
            cannotShip: r.cannotShip ? [{ lineId: lines[0]!.id, learnedAt: iso(placedMs + 24 * HOUR), reason: 'discontinued' }] : [],
          },
          shipments,
          returns: [],
          international:
            r.country === 'US' ? null : { incoterm: r.incoterm, originCountry: 'US', dutiesAndTaxesMinor: 700, dutiesCurrency: r.country === 'JP' ? 'JPY' : 'CAD', dutiesPaidBy: r.incoterm === 'DDP' ? 'merchant' : 'customer', importedAt: iso(placedMs + 72 * HOUR) },
          customerHistory: { claims: Array.from({ length: r.claims }, (_, i) => ({ at: iso(reportedMs - (i + 1) * 30 * 24 * HOUR), kind: 'not_received' as const, orderId: `p${i}` })) },
          timeZone: r.tz,
        };
        return { facts, now: iso(reportedMs + r.nowAfterReportH * HOUR) };
      });
  });

function needsShipment(kind: Problem['kind']): boolean {
  return ['not_received', 'lost_in_transit', 'undeliverable_address', 'not_picked_up', 'redirect_request'].includes(kind);
}

function problemFor(kind: Problem['kind'], maybeShipment: string | null, lines: LineQuantity[], reportedAt: string, evidenceAll: boolean, requests: string[]): Problem {
  const base = { reportedAt, evidence: evidenceAll ? (['photo_item', 'photo_packaging', 'photo_label'] as Problem['evidence']) : [], customerRequests: requests };
  const address = { street1: '1 Main St', city: 'X', state: 'CA', zip: '94107', country: 'US' };
  // Kinds that need a shipment always get one (see needsShipment); the others may have none.
  const shipmentId = maybeShipment ?? 's1';
  const optionalShipment = maybeShipment;
  switch (kind) {
    case 'where_is_my_order':
      return { ...base, kind };
    case 'cancel_request':
      return { ...base, kind, lineIds: lines.map((l) => l.lineId) };
    case 'not_received':
    case 'lost_in_transit':
    case 'not_picked_up':
      return { ...base, kind, shipmentId };
    case 'damaged':
      return { ...base, kind, shipmentId: optionalShipment, lines, extent: 'partial', batteryHazard: false };
    case 'defective':
      return { ...base, kind, shipmentId: optionalShipment, lines };
    case 'perishable_spoiled':
      return { ...base, kind, shipmentId: optionalShipment, lines };
    case 'wrong_item':
      return { ...base, kind, shipmentId: optionalShipment, lines, received: { description: 'other', valueMinor: 3_000, quantity: 1 } };
    case 'missing_item':
      return { ...base, kind, shipmentId: optionalShipment, lines, packageTampered: true };
    case 'change_of_mind':
      return { ...base, kind, lines, returnFrom: 'domestic' };
    case 'undeliverable_address':
      return { ...base, kind, shipmentId, entered: address, correct: address, suppliedBy: 'customer' };
    case 'redirect_request':
      return { ...base, kind, shipmentId, to: 'new_address', newAddress: address, requestedBy: 'customer' };
  }
}

/** Policies around the default: every switch that changes the shape of a decision. */
export const policyArb: fc.Arbitrary<MerchantPolicy> = fc
  .record({
    preferredRemedy: fc.constantFrom('reship' as const, 'refund' as const),
    restockingFee: fc.constantFrom({ kind: 'none' as const }, { kind: 'percent' as const, basisPoints: 2000 }, { kind: 'flat' as const, amountMinor: 1500 }),
    damagedGoods: fc.constantFrom('return' as const, 'keep_until_claim_closed' as const),
    defectiveMode: fc.constantFrom('before_remedy' as const, 'after_remedy' as const, 'not_required' as const, 'above_threshold' as const),
    rts: fc.constantFrom('refund_without_shipping' as const, 'reship_at_customer_cost' as const, 'customer_choice' as const),
    storeCredit: fc.boolean(),
    feePayer: fc.constantFrom('merchant' as const, 'customer' as const, 'by_cause' as const),
    netTax: fc.boolean(),
    hawaii: fc.boolean(),
    holdAll: fc.boolean(),
    shippingFault: fc.constantFrom('whole_order_only' as const, 'proportional' as const, 'never' as const),
    changeOfMind: fc.constantFrom('never' as const, 'proportional' as const),
    returnsTiming: fc.constantFrom('first_scan' as const, 'receipt' as const),
    autoApprove: fc.integer({ min: 0, max: 5_000 }),
  })
  .map((r) => ({
    ...DEFAULT_POLICY,
    preferredRemedy: r.preferredRemedy,
    restockingFee: r.restockingFee,
    damagedGoods: r.damagedGoods,
    defectiveReturn: { ...DEFAULT_POLICY.defectiveReturn, mode: r.defectiveMode },
    returnToSender: { customerCaused: r.rts },
    storeCredit: { ...DEFAULT_POLICY.storeCredit, offer: r.storeCredit },
    carrierFees: { intercept: r.feePayer, addressCorrection: r.feePayer },
    salesTax: { refundTaxOnRestockedAmount: !r.netTax },
    jurisdiction: { hawaiiGetLicense: r.hawaii },
    disputes: { holdRemediesWhileOpen: r.holdAll },
    shippingRefund: { merchantFault: r.shippingFault, changeOfMind: r.changeOfMind },
    refundTiming: { ...DEFAULT_POLICY.refundTiming, returns: r.returnsTiming },
    approval: { ...DEFAULT_POLICY.approval, autoApproveUpToMinor: r.autoApprove },
  }));
