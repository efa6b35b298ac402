import { backoffDelayMs, classifyStatus, decideRetry, parseRetryAfter, RetryDecisionInput } from './platform-retry.policy';

describe(classifyStatus.name, () => {
  it.each([
    [200, 'success'],
    [204, 'success'],
    [301, 'permanent'],
    [400, 'permanent'],
    [401, 'permanent'],
    [404, 'permanent'],
    [408, 'transient'],
    [409, 'permanent'],
    [429, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
  ])('%i is %s', (status, outcome) => {
    expect(classifyStatus(status)).toBe(outcome);
  });
});

describe(parseRetryAfter.name, () => {
  const now = new Date('2026-11-02T10:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 02 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
  });
  it('treats a past date as now and garbage as absent', () => {
    expect(parseRetryAfter('Mon, 02 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe(backoffDelayMs.name, () => {
  const opts = { baseDelayMs: 1000, maxDelayMs: 10_000 };
  it('doubles per retry, between half and all of the nominal delay', () => {
    expect([1, 2, 3].map((n) => backoffDelayMs(n, opts, () => 0))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((n) => backoffDelayMs(n, opts, () => 1))).toEqual([1000, 2000, 4000]);
  });
  it('stops growing at the cap, even after very many retries', () => {
    expect(backoffDelayMs(5, opts, () => 1)).toBe(10_000);
    expect(backoffDelayMs(500, opts, () => 1)).toBe(10_000);
  });
});

describe(decideRetry.name, () => {
  const base: RetryDecisionInput = {
    outcome: 'transient',
    attemptsInDispatch: 1,
    maxAttempts: 3,
    retryAfterMs: null,
    backoff: { baseDelayMs: 1000, maxDelayMs: 60_000 },
    maxRetryAfterMs: 30_000,
  };
  it('is done on success and gives up at once on a permanent refusal', () => {
    expect(decideRetry({ ...base, outcome: 'success' })).toEqual({ kind: 'done' });
    expect(decideRetry({ ...base, outcome: 'permanent' })).toEqual({ kind: 'give_up', why: 'permanent' });
  });
  it('retries a transient failure with backoff until the attempts run out', () => {
    expect(decideRetry({ ...base, attemptsInDispatch: 2 }, () => 1)).toEqual({ kind: 'retry', delayMs: 2000 });
    expect(decideRetry({ ...base, attemptsInDispatch: 3 })).toEqual({ kind: 'give_up', why: 'exhausted' });
  });
  it("prefers the platform's Retry-After, within the cap", () => {
    expect(decideRetry({ ...base, retryAfterMs: 7000 })).toEqual({ kind: 'retry', delayMs: 7000 });
    expect(decideRetry({ ...base, retryAfterMs: 3_600_000 })).toEqual({ kind: 'retry', delayMs: 30_000 });
  });
});
