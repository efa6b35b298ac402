import type { Claim, ClaimStatus } from '@app/carriers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Carrier claim statuses after which nothing changes any more. */
export const FINAL_CLAIM_STATUSES: readonly string[] = ['paid', 'rejected', 'cancelled'];

/**
 * When to ask the carrier about a claim again: often while it is young (most move within days), less
 * as it ages; after a failed call, back off (doubling, at most a day) or wait what the carrier asked.
 *
 * @example
 * nextClaimCheck({ filedAt, now, failures: 0 }); // now + 6 h for a claim filed today
 */
export function nextClaimCheck(args: { filedAt: Date; now: Date; failures: number; retryAfterMs?: number | null }): Date {
  const now = args.now.getTime();
  if (args.failures > 0) {
    const backoff = Math.min(DAY, 15 * 60_000 * 2 ** Math.min(args.failures - 1, 7));
    return new Date(now + Math.max(backoff, args.retryAfterMs ?? 0));
  }
  const age = now - args.filedAt.getTime();
  const every = age < 3 * DAY ? 6 * HOUR : age < 14 * DAY ? 12 * HOUR : age < 60 * DAY ? DAY : 3 * DAY;
  return new Date(now + every);
}

/**
 * What the carrier paid on a claim, or null while it has paid nothing. Carriers that report payment
 * say `paid`; EasyPost has no such status: it pays the approved amount (to the wallet or by check)
 * when it approves, so an approval with an amount is the payout.
 */
export function paidAmountMinor(claim: Pick<Claim, 'status' | 'approvedAmount' | 'requestedAmount'>): number | null {
  if (claim.status === 'paid') return (claim.approvedAmount ?? claim.requestedAmount).amountMinor;
  if (claim.status === 'approved' && claim.approvedAmount && claim.approvedAmount.amountMinor > 0) return claim.approvedAmount.amountMinor;
  return null;
}

/** Whether the claim needs no more polling: a final status, or an approval that already paid. */
export function isSettled(status: ClaimStatus | string, paidMinor: number | null): boolean {
  return FINAL_CLAIM_STATUSES.includes(status) || paidMinor !== null;
}
