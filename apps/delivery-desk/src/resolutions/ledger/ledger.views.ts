import type { CompensationFlagEntity } from './compensation-flag.entity';
import type { LedgerEntryEntity } from './ledger-entry.entity';
import type { OrderLedger } from './ledger.service';

/** One ledger entry as the APIs show it. */
export function ledgerEntryView(e: LedgerEntryEntity) {
  return {
    id: e.id,
    kind: e.kind,
    beneficiary: e.beneficiary,
    lossKey: e.lossKey,
    amountMinor: e.amountMinor,
    currency: e.currency,
    status: e.status,
    resolutionId: e.resolutionId,
    reversesEntryId: e.reversesEntryId,
    externalRef: e.externalRef,
    note: e.note,
    createdAt: e.createdAt.toISOString(),
    confirmedAt: e.confirmedAt?.toISOString() ?? null,
    releasedAt: e.releasedAt?.toISOString() ?? null,
  };
}

export function compensationFlagView(f: CompensationFlagEntity) {
  return {
    id: f.id,
    lossKey: f.lossKey,
    reason: f.reason,
    details: f.details,
    entries: f.entries,
    raisedAt: f.raisedAt.toISOString(),
  };
}

/**
 * An order's money: what was paid, handed back, reserved and still refundable; each loss with its
 * two halves (customer, merchant) and its entries; carrier payouts, chargebacks and open flags.
 */
export function orderLedgerView(ledger: OrderLedger, order: { id: string; externalId: string }) {
  const entries = ledger.entries.map(ledgerEntryView);
  const live = (kind: string) => entries.filter((e) => e.kind === kind && e.status !== 'released');
  return {
    orderId: order.id,
    orderExternalId: order.externalId,
    currency: ledger.currency,
    paidMinor: ledger.paidMinor,
    refundedMinor: ledger.refundedMinor,
    reservedMinor: ledger.reservedMinor,
    remainingRefundableMinor: ledger.remainingRefundableMinor,
    losses: ledger.losses.map((l) => ({ ...l, entries: entries.filter((e) => e.lossKey === l.lossKey) })),
    carrierPayouts: live('carrier_payout'),
    carrierPayoutMinor: live('carrier_payout').filter((e) => e.status === 'confirmed').reduce((s, e) => s + e.amountMinor, 0),
    chargebacks: live('chargeback'),
    chargebackMinor: live('chargeback').filter((e) => e.status !== 'reserved').reduce((s, e) => s + e.amountMinor, 0),
    openFlags: ledger.openFlags.map(compensationFlagView),
    entries,
  };
}
