/**
 * Validation of facts read from JSON (the CLI's case files, or a platform pushing a case).
 * The service builds facts from its own typed rows and may skip this.
 */
import { z } from 'zod';
import { isLocalDate } from '../calendar/local-date';
import { isValidTimeZone } from '../calendar/time-zone';
import { ValidationError, restockingFeeSchema, toValidationIssues } from '../policy/merchant-policy.schema';
import {
  CARD_NETWORKS,
  CARRIERS,
  COVERAGE_KINDS,
  EVIDENCE_KINDS,
  EXCEPTION_REASONS,
  HOLD_LOCATION_KINDS,
  INCOTERMS,
  ORDER_CHANNELS,
  PAYMENT_METHOD_KINDS,
  RETURN_REASONS,
  SHIPMENT_EVENT_KINDS,
  SIGNATURE_OPTIONS,
  TRACKING_STATUSES,
} from '../vocabulary';
import type { Facts } from './facts';

const instant = z.iso.datetime({ offset: true });
const localDate = z.string().refine(isLocalDate, 'expected a YYYY-MM-DD date');
const minor = z.int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const qty = z.int().positive();
const lineQuantity = z.strictObject({ lineId: z.string().min(1), quantity: qty });
const evidence = z.array(z.enum(EVIDENCE_KINDS));

const lineSchema = z.strictObject({
  id: z.string().min(1),
  sku: z.string(),
  name: z.string(),
  quantity: qty,
  unitPriceMinor: minor,
  taxMinor: minor,
  discountMinor: minor.optional(),
  category: z.string(),
  flags: z.strictObject({
    perishable: z.boolean(),
    alcohol: z.boolean(),
    hazmat: z.boolean(),
    personalized: z.boolean(),
    finalSale: z.boolean(),
  }),
  condition: z.enum(['new', 'refurbished', 'used', 'as_is']).optional(),
  lithium: z.enum(['device', 'battery']).nullable().optional(),
  customOrderAcknowledged: z.boolean().optional(),
});

const promiseSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('ships_within'), amount: z.int().nonnegative(), unit: z.enum(['business_days', 'calendar_days', 'hours']) }),
  z.strictObject({ kind: z.literal('ship_by'), date: localDate }),
  z.strictObject({ kind: z.literal('deliver_by'), date: localDate }),
]);

const orderSchema = z.strictObject({
  id: z.string().min(1),
  channel: z.enum(ORDER_CHANNELS),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
  placedAt: instant,
  properlyCompletedAt: instant.nullable().optional(),
  lines: z.array(lineSchema).min(1),
  charges: z.strictObject({
    subtotalMinor: minor,
    shippingMinor: minor,
    shippingChargeMode: z.enum(['flat_per_order', 'per_item', 'calculated', 'free']),
    handlingMinor: minor.optional(),
    taxMinor: minor,
    shippingTaxMinor: minor.optional(),
    discountMinor: minor,
    dutiesMinor: minor.optional(),
    totalMinor: minor,
  }),
  shipTo: z.strictObject({ state: z.string(), zip: z.string(), country: z.string().length(2), poBox: z.boolean().optional() }),
  giftOrder: z.boolean().optional(),
  shippingPromise: promiseSchema,
  refundPolicy: z.strictObject({
    disclosed: z.boolean(),
    placement: z.enum(['checkout', 'product_page', 'site_footer', 'receipt_only']).nullable().optional(),
    text: z.string().nullable().optional(),
    offers: z.enum(['refund', 'refund_or_credit', 'exchange_or_credit', 'none']).nullable().optional(),
    windowDays: z.int().nonnegative().nullable().optional(),
    restockingFee: restockingFeeSchema.nullable().optional(),
    finalSaleNotice: z.boolean().optional(),
  }),
  alreadyRefundedMinor: minor.optional(),
  priorRemedies: z
    .array(
      z.strictObject({
        kind: z.enum(['refund', 'reship', 'store_credit', 'carrier_payout', 'chargeback']),
        at: instant,
        amountMinor: minor,
        lines: z.array(lineQuantity).optional(),
      }),
    )
    .optional(),
  ftcExemptReason: z.enum(['magazine_subscription', 'negative_option', 'photofinishing']).nullable().optional(),
});

const paymentSchema = z.strictObject({
  methodKind: z.enum(PAYMENT_METHOD_KINDS),
  cardNetwork: z.enum(CARD_NETWORKS).nullable().optional(),
  sellerIsCreditor: z.boolean().optional(),
  billingCycleDays: z.int().positive().max(62).nullable().optional(),
  appliedForSellerCredit: z.boolean().optional(),
  chargedBeforeShipment: z.boolean().optional(),
  dishonoredAt: instant.nullable().optional(),
  goodPaymentAt: instant.nullable().optional(),
  originalMethodUnavailable: z.boolean().optional(),
  dispute: z
    .strictObject({
      network: z.enum(CARD_NETWORKS),
      reasonCode: z.string(),
      category: z.enum(['not_received', 'not_as_described', 'credit_not_processed', 'cancelled', 'fraud', 'other']),
      noticeAt: instant,
      status: z.enum(['open', 'won', 'lost', 'accepted']),
      amountMinor: minor,
      respondBy: localDate.nullable().optional(),
    })
    .nullable()
    .optional(),
});

const preShipmentSchema = z.strictObject({
  delayNotices: z.array(
    z.strictObject({
      sentAt: instant,
      revisedShipDate: localDate.nullable(),
      channel: z.enum(['email', 'phone', 'mail', 'sms', 'order_status_page']),
      reason: z.string().nullable().optional(),
    }),
  ),
  delayKnownAt: instant.nullable().optional(),
  expectedShipDate: localDate.nullable().optional(),
  expressConsentAt: instant.nullable().optional(),
  expressConsentIndefinite: z.boolean().optional(),
  cancellationRequestedAt: instant.nullable().optional(),
  cancelledLineIds: z.array(z.string()).nullable().optional(),
  cannotShip: z.array(
    z.strictObject({
      lineId: z.string(),
      learnedAt: instant,
      reason: z.enum(['discontinued', 'out_of_stock', 'restricted_destination', 'other']),
    }),
  ),
});

const shipmentSchema = z.strictObject({
  id: z.string().min(1),
  carrier: z.enum(CARRIERS),
  service: z.string(),
  international: z.boolean().optional(),
  trackingCode: z.string().nullable().optional(),
  lines: z.array(lineQuantity),
  tenderedAt: instant.nullable(),
  coverage: z.strictObject({ kind: z.enum(COVERAGE_KINDS), amountMinor: minor }),
  signatureOption: z.enum(SIGNATURE_OPTIONS),
  signatureCaptured: z.boolean().optional(),
  signedBy: z.string().nullable().optional(),
  photoProofOfDelivery: z.boolean().optional(),
  status: z.enum(TRACKING_STATUSES),
  exceptionReason: z.enum(EXCEPTION_REASONS).nullable().optional(),
  events: z.array(z.strictObject({ at: instant, kind: z.enum(SHIPMENT_EVENT_KINDS), holdLocation: z.enum(HOLD_LOCATION_KINDS).nullable().optional() })),
  lastEventAt: instant.nullable().optional(),
  estimatedDeliveryAt: z.union([instant, localDate]).nullable().optional(),
  deliveredAt: instant.nullable().optional(),
  surcharges: z
    .array(z.strictObject({ kind: z.enum(['address_correction', 'intercept', 'redirect', 'return_to_sender', 'other']), amountMinor: minor }))
    .optional(),
  postageMinor: minor.nullable().optional(),
  commercialAccount: z.boolean().optional(),
  lengthPlusGirthInches: z.number().nonnegative().nullable().optional(),
  deliveryChangesRestricted: z.boolean().optional(),
  claim: z
    .strictObject({
      kind: z.enum(['loss', 'damage', 'missing_contents']),
      filedAt: instant,
      status: z.enum(['open', 'paid', 'denied']),
      paidMinor: minor.optional(),
    })
    .nullable()
    .optional(),
});

const returnSchema = z.strictObject({
  id: z.string().min(1),
  reason: z.enum(RETURN_REASONS),
  lines: z.array(lineQuantity).min(1),
  requestedAt: instant,
  labelIssuedAt: instant.nullable().optional(),
  labelPaidBy: z.enum(['merchant', 'customer']).nullable().optional(),
  labelCostMinor: minor.nullable().optional(),
  shippedAt: instant.nullable().optional(),
  acceptanceScanAt: instant.nullable().optional(),
  receivedAt: instant.nullable().optional(),
  received: z
    .array(lineQuantity.extend({ condition: z.enum(['as_sent', 'used', 'damaged', 'missing_parts', 'different_item']) }))
    .nullable()
    .optional(),
});

const addressSchema = z.strictObject({
  street1: z.string(),
  street2: z.string().nullable().optional(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string().length(2),
  poBox: z.boolean().optional(),
});

const base = { reportedAt: instant, evidence, customerRequests: z.array(z.string()).optional() };
const problemSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('where_is_my_order'), shipmentId: z.string().nullable().optional() }),
  z.strictObject({ ...base, kind: z.literal('cancel_request'), lineIds: z.array(z.string()).nullable().optional() }),
  z.strictObject({ ...base, kind: z.literal('not_received'), shipmentId: z.string() }),
  z.strictObject({ ...base, kind: z.literal('lost_in_transit'), shipmentId: z.string() }),
  z.strictObject({
    ...base,
    kind: z.literal('damaged'),
    shipmentId: z.string().nullable().optional(),
    lines: z.array(lineQuantity).min(1),
    extent: z.enum(['whole', 'partial']),
    batteryHazard: z.boolean().optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('defective'),
    shipmentId: z.string().nullable().optional(),
    lines: z.array(lineQuantity).min(1),
    batteryHazard: z.boolean().optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('perishable_spoiled'),
    shipmentId: z.string().nullable().optional(),
    lines: z.array(lineQuantity).min(1),
    customerCause: z.enum(['not_refrigerated', 'absent']).nullable().optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('wrong_item'),
    shipmentId: z.string().nullable().optional(),
    lines: z.array(lineQuantity).min(1),
    received: z.strictObject({
      description: z.string(),
      sku: z.string().nullable().optional(),
      valueMinor: minor,
      quantity: qty,
      perishable: z.boolean().optional(),
      hazmat: z.boolean().optional(),
      alcohol: z.boolean().optional(),
    }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('missing_item'),
    shipmentId: z.string().nullable().optional(),
    lines: z.array(lineQuantity).min(1),
    packageTampered: z.boolean().optional(),
  }),
  z.strictObject({ ...base, kind: z.literal('change_of_mind'), lines: z.array(lineQuantity).min(1), returnFrom: z.enum(['domestic', 'international']) }),
  z.strictObject({
    ...base,
    kind: z.literal('undeliverable_address'),
    shipmentId: z.string(),
    entered: addressSchema,
    correct: addressSchema.nullable().optional(),
    suppliedBy: z.enum(['customer', 'merchant', 'platform']),
  }),
  z.strictObject({ ...base, kind: z.literal('not_picked_up'), shipmentId: z.string() }),
  z.strictObject({
    ...base,
    kind: z.literal('redirect_request'),
    shipmentId: z.string(),
    to: z.enum(['new_address', 'hold_location', 'return_to_sender']),
    newAddress: addressSchema.nullable().optional(),
    requestedBy: z.enum(['customer', 'merchant']),
  }),
]);

/** The zod schema of {@link Facts}, with cross-reference checks (lines and shipments exist). */
export const factsSchema = z
  .strictObject({
    problem: problemSchema,
    order: orderSchema,
    payment: paymentSchema,
    preShipment: preShipmentSchema.nullable().optional(),
    shipments: z.array(shipmentSchema),
    returns: z.array(returnSchema),
    international: z
      .strictObject({
        incoterm: z.enum(INCOTERMS),
        originCountry: z.string().length(2),
        dutiesAndTaxesMinor: minor,
        dutiesCurrency: z.string().regex(/^[A-Z]{3}$/),
        dutiesPaidBy: z.enum(['customer', 'merchant']),
        importedAt: instant.nullable().optional(),
        usOriginGoods: z.boolean().optional(),
      })
      .nullable()
      .optional(),
    customerHistory: z.strictObject({
      claims: z.array(
        z.strictObject({
          at: instant,
          kind: z.enum(['not_received', 'lost', 'damaged', 'missing_item', 'wrong_item', 'other']),
          orderId: z.string(),
        }),
      ),
    }),
    timeZone: z.string().refine(isValidTimeZone, 'unknown IANA time zone').nullable().optional(),
  })
  .superRefine((facts, ctx) => {
    const lineQty = new Map(facts.order.lines.map((l) => [l.id, l.quantity]));
    const shipmentIds = new Set(facts.shipments.map((s) => s.id));
    const checkLines = (lines: Array<{ lineId: string; quantity: number }>, path: PropertyKey[]) =>
      lines.forEach((l, i) => {
        const q = lineQty.get(l.lineId);
        if (q === undefined) ctx.addIssue({ code: 'custom', path: [...path, i, 'lineId'], message: `no order line ${l.lineId}` });
        else if (l.quantity > q) ctx.addIssue({ code: 'custom', path: [...path, i, 'quantity'], message: `more than the ${q} ordered` });
      });
    const p = facts.problem;
    if ('lines' in p && Array.isArray(p.lines)) checkLines(p.lines, ['problem', 'lines']);
    if ('shipmentId' in p && p.shipmentId && !shipmentIds.has(p.shipmentId)) {
      ctx.addIssue({ code: 'custom', path: ['problem', 'shipmentId'], message: `no shipment ${p.shipmentId}` });
    }
    facts.shipments.forEach((s, i) => checkLines(s.lines, ['shipments', i, 'lines']));
    facts.returns.forEach((r, i) => checkLines(r.lines, ['returns', i, 'lines']));
  });

// Mutual assignability (the Problem union is written with intersections, so strict identity is too strict).
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: SameShape<z.output<typeof factsSchema>, Facts> = true;
void schemaMatchesInterface;

/**
 * Validates facts (already JSON-parsed). Throws a `ValidationError` with field paths
 * such as `shipments.0.tenderedAt`.
 */
export function parseFacts(json: unknown): Facts {
  const result = factsSchema.safeParse(json);
  if (!result.success) throw new ValidationError('facts', toValidationIssues(result.error));
  return result.data;
}
