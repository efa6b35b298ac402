import { ApiError } from '../../common/api-error';

export const LEDGER_ENTRY_KINDS = ['refund', 'store_credit', 'reship', 'carrier_payout', 'chargeback', 'refund_reversal'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/**
 * - `reserved`: promised, not yet done (counts against what may still be refunded);
 * - `confirmed`: done (the platform refunded, the carrier paid);
 * - `released`: the reservation was given back (the resolution was compensated);
 * - `reversed`: confirmed, then wholly undone by `refund_reversal` entries.
 */
export const LEDGER_ENTRY_STATUSES = ['reserved', 'confirmed', 'released', 'reversed'] as const;
export type LedgerEntryStatus = (typeof LEDGER_ENTRY_STATUSES)[number];

export type Beneficiary = 'customer' | 'merchant';

export const LEDGER_ENTRY_TRANSITIONS: Readonly<Record<LedgerEntryStatus, readonly LedgerEntryStatus[]>> = {
  reserved: ['confirmed', 'released'],
  confirmed: ['reversed'],
  released: [],
  reversed: [],
};

/** Kinds that hand the customer's money back: together they may never exceed what the customer paid. */
export const MONEY_BACK_KINDS: readonly LedgerEntryKind[] = ['refund', 'store_credit', 'chargeback'];

/** Kinds that may be reserved (a reversal only comes from `LedgerService.reverse`). */
export const RESERVABLE_KINDS: readonly LedgerEntryKind[] = ['refund', 'store_credit', 'reship', 'carrier_payout', 'chargeback'];

/**
 * Who a kind compensates. One loss may be compensated once for the customer (refund, store credit,
 * reship or chargeback) and once for the merchant (the carrier's payout on a claim): the two halves
 * of one loss. A reversal gives money back to the merchant.
 */
export function beneficiaryOf(kind: LedgerEntryKind): Beneficiary {
  return kind === 'carrier_payout' || kind === 'refund_reversal' ? 'merchant' : 'customer';
}

/** Entries that still stand as a compensation of their loss. */
export const isLive = (e: { status: LedgerEntryStatus }) => e.status === 'reserved' || e.status === 'confirmed';

/** The part of an entry the rules look at. */
export interface LedgerFact {
  id: string;
  kind: LedgerEntryKind;
  beneficiary: Beneficiary;
  lossKey: string;
  amountMinor: number;
  status: LedgerEntryStatus;
  reversesEntryId: string | null;
  resolutionId: string | null;
}

export interface LossSummary {
  lossKey: string;
  /** The live compensation of the customer for this loss, if any. */
  customer: { entryId: string; kind: LedgerEntryKind; status: LedgerEntryStatus; amountMinor: number } | null;
  /** The live compensation of the merchant (carrier payout), if any. */
  merchant: { entryId: string; kind: LedgerEntryKind; status: LedgerEntryStatus; amountMinor: number } | null;
  /** Money handed back for this loss: confirmed money-back entries minus confirmed reversals. */
  refundedMinor: number;
  reservedMinor: number;
}

export interface LedgerSummary {
  currency: string;
  paidMinor: number;
  /** Money handed back and done (refunds, store credit, chargebacks), net of reversals. */
  refundedMinor: number;
  /** Money handed back but not yet confirmed. */
  reservedMinor: number;
  /** What may still be reserved: paid − refunded − reserved. */
  remainingRefundableMinor: number;
  losses: LossSummary[];
}

/** Adds up an order's entries. Pure: the service calls it under the order's lock. */
export function summarize(order: { totalMinor: number; currency: string }, entries: readonly LedgerFact[]): LedgerSummary {
  let refunded = 0;
  let reserved = 0;
  const losses = new Map<string, LossSummary>();
  const loss = (key: string) => {
    let l = losses.get(key);
    if (!l) losses.set(key, (l = { lossKey: key, customer: null, merchant: null, refundedMinor: 0, reservedMinor: 0 }));
    return l;
  };
  for (const e of entries) {
    const l = loss(e.lossKey);
    if (MONEY_BACK_KINDS.includes(e.kind)) {
      // A reversed entry still counts in full here; its reversal entries subtract what came back.
      if (e.status === 'confirmed' || e.status === 'reversed') {
        refunded += e.amountMinor;
        l.refundedMinor += e.amountMinor;
      } else if (e.status === 'reserved') {
        reserved += e.amountMinor;
        l.reservedMinor += e.amountMinor;
      }
    } else if (e.kind === 'refund_reversal' && e.status === 'confirmed') {
      refunded -= e.amountMinor;
      l.refundedMinor -= e.amountMinor;
    }
    if (isLive(e) && e.kind !== 'refund_reversal') {
      const view = { entryId: e.id, kind: e.kind, status: e.status, amountMinor: e.amountMinor };
      if (e.beneficiary === 'customer') l.customer = view;
      else l.merchant = view;
    }
  }
  return {
    currency: order.currency,
    paidMinor: order.totalMinor,
    refundedMinor: refunded,
    reservedMinor: reserved,
    remainingRefundableMinor: order.totalMinor - refunded - reserved,
    losses: [...losses.values()],
  };
}

/**
 * Why a new compensation may not be reserved, or null. (a) money handed back never exceeds what was
 * paid; (b) one loss is compensated once per side: a second customer compensation (refund, credit,
 * reship, chargeback) or a second carrier payout for the same loss is refused.
 */
export function reserveRefusal(summary: LedgerSummary, request: { kind: LedgerEntryKind; lossKey: string; amountMinor: number }): ApiError | null {
  const side = beneficiaryOf(request.kind);
  const existing = summary.losses.find((l) => l.lossKey === request.lossKey)?.[side];
  if (existing) {
    const hint = request.kind === 'chargeback' ? ' Contest the dispute: the customer was already compensated.' : '';
    return ApiError.conflict(
      'loss_already_compensated',
      `Loss ${request.lossKey} is already compensated for the ${side} (${existing.kind}, ${existing.status}).${hint}`,
      [{ path: 'lossKey', problem: `already compensated by entry ${existing.entryId}` }],
    );
  }
  if (MONEY_BACK_KINDS.includes(request.kind) && request.amountMinor > summary.remainingRefundableMinor) {
    return ApiError.unprocessable(
      'refund_exceeds_paid',
      `${request.amountMinor} would hand back more than was paid: ${summary.remainingRefundableMinor} of ${summary.paidMinor} remains.`,
      [{ path: 'amountMinor', problem: `must not exceed ${Math.max(0, summary.remainingRefundableMinor)}` }],
    );
  }
  return null;
}
