import { isSettled, nextClaimCheck, paidAmountMinor } from './claim-follow-up';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

describe(nextClaimCheck.name, () => {
  const filedAt = new Date('2026-03-02T12:00:00Z');
  const at = (days: number) => new Date(filedAt.getTime() + days * 86_400_000);
  const hoursUntil = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 3_600_000;

  it('asks less often as the claim ages', () => {
    const gaps = [0, 5, 30, 90].map((d) => hoursUntil(at(d), nextClaimCheck({ filedAt, now: at(d), failures: 0 })));
    expect(gaps).toEqual([6, 12, 24, 72]);
  });

  it('backs off after failures, at most a day, and honours the carrier asking for more', () => {
    const now = at(1);
    const gaps = [1, 2, 3, 20].map((f) => hoursUntil(now, nextClaimCheck({ filedAt, now, failures: f })));
    expect(gaps).toEqual([0.25, 0.5, 1, 24]);
    expect(hoursUntil(now, nextClaimCheck({ filedAt, now, failures: 1, retryAfterMs: 2 * 3_600_000 }))).toBe(2);
  });
});

describe(paidAmountMinor.name, () => {
  it('counts a paid claim, and an approval with an amount (EasyPost pays on approval), never an open one', () => {
    expect(paidAmountMinor({ status: 'paid', approvedAmount: null, requestedAmount: usd(8000) })).toBe(8000);
    expect(paidAmountMinor({ status: 'approved', approvedAmount: usd(6000), requestedAmount: usd(8000) })).toBe(6000);
    expect(paidAmountMinor({ status: 'approved', approvedAmount: null, requestedAmount: usd(8000) })).toBeNull();
    expect(paidAmountMinor({ status: 'in_review', approvedAmount: usd(6000), requestedAmount: usd(8000) })).toBeNull();
  });

  it('stops polling at a final state or once paid', () => {
    expect(isSettled('rejected', null)).toBe(true);
    expect(isSettled('approved', 6000)).toBe(true);
    expect(isSettled('approved', null)).toBe(false);
    expect(isSettled('submitted', null)).toBe(false);
  });
});
