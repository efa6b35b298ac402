import type { ShipmentFacts } from '@app/returns';
import type { ShipmentEntity } from '../orders/shipment.entity';

/** Carrier claim statuses as the policy engine counts them: a refused claim may be filed again. */
const CLAIM_STATUS: Record<string, NonNullable<ShipmentFacts['claim']>['status']> = { paid: 'paid', rejected: 'denied', cancelled: 'denied' };

/**
 * What the desk itself has established about a parcel, on top of the carrier's tracking: that we
 * declared it lost after a trace found nothing (the engine then treats it as a carrier-reported
 * loss until it scans as delivered or returned), and the carrier claim already filed for it.
 *
 * @example
 * const facts = { ...trackingFacts, ...shipmentOutcomeFacts(shipment) };
 */
export function shipmentOutcomeFacts(
  s: Pick<ShipmentEntity, 'status' | 'declaredLostAt' | 'claimId' | 'claimKind' | 'claimStatus' | 'claimFiledAt'> & Partial<Pick<ShipmentEntity, 'claimPaidMinor'>>,
): Partial<Pick<ShipmentFacts, 'status' | 'exceptionReason' | 'claim'>> {
  const out: Partial<Pick<ShipmentFacts, 'status' | 'exceptionReason' | 'claim'>> = {};
  // A parcel found after we called it lost follows its real status (the ledger flags the double compensation).
  if (s.declaredLostAt && s.status !== 'delivered' && s.status !== 'return_to_sender') {
    out.status = 'exception';
    out.exceptionReason = 'lost';
  }
  if (s.claimId && s.claimKind && s.claimFiledAt) {
    // EasyPost pays on approval (no `paid` status): a recorded payout makes the claim paid.
    const paid = s.claimPaidMinor !== null && s.claimPaidMinor !== undefined;
    out.claim = {
      kind: s.claimKind,
      filedAt: s.claimFiledAt.toISOString(),
      status: paid ? 'paid' : (CLAIM_STATUS[s.claimStatus ?? ''] ?? 'open'),
      ...(paid ? { paidMinor: s.claimPaidMinor! } : {}),
    };
  }
  return out;
}
