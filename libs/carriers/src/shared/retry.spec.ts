import { CarrierError } from '../carrier.error';
import { backoffDelay, withRetry } from './retry';

const transient = (retryAfterMs: number | null = null) => new CarrierError('ups', 'server_error', 'busy', true, { retryAfterMs });
const permanent = () => new CarrierError('ups', 'invalid_request', 'bad', false);

describe(withRetry.name, () => {
  let sleeps: number[];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };

  beforeEach(() => {
    sleeps = [];
  });

  it('retries retryable failures with doubling delays, then returns the result', async () => {
    const fn = jest.fn().mockRejectedValueOnce(transient()).mockRejectedValueOnce(transient()).mockResolvedValue('ok');

    await expect(withRetry(fn, { retries: 3, baseMs: 100, maxMs: 1000, jitter: 'none', sleep })).resolves.toBe('ok');
    expect(fn.mock.calls).toEqual([[1], [2], [3]]);
    expect(sleeps).toEqual([100, 200]);
  });

  it('caps each delay at maxMs', async () => {
    const fn = jest.fn().mockRejectedValue(transient());

    await expect(withRetry(fn, { retries: 5, baseMs: 100, maxMs: 300, jitter: 'none', sleep })).rejects.toBeInstanceOf(CarrierError);
    expect(sleeps).toEqual([100, 200, 300, 300, 300]);
    expect(fn).toHaveBeenCalledTimes(6);
  });

  it('rethrows a permanent failure at once, unchanged', async () => {
    const error = permanent();
    const fn = jest.fn().mockRejectedValue(error);

    await expect(withRetry(fn, { retries: 3, baseMs: 1, maxMs: 1, sleep })).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('never retries sooner than retryAfterMs', async () => {
    const fn = jest.fn().mockRejectedValueOnce(transient(1500)).mockResolvedValue('ok');

    await withRetry(fn, { retries: 2, baseMs: 100, maxMs: 2000, jitter: 'none', sleep });

    expect(sleeps).toEqual([1500]);
  });

  it('gives up when asked to wait longer than maxRetryAfterMs, so a job queue can reschedule', async () => {
    const error = transient(60_000);
    const fn = jest.fn().mockRejectedValue(error);

    await expect(withRetry(fn, { retries: 3, baseMs: 100, maxMs: 2000, sleep })).rejects.toBe(error);
    expect(sleeps).toEqual([]);
  });

  it('uses the caller\'s test of what is retryable', async () => {
    const fn = jest.fn().mockRejectedValueOnce(new Error('ECONNRESET')).mockResolvedValue('ok');

    await expect(withRetry(fn, { retries: 1, baseMs: 1, maxMs: 1, sleep, isRetryable: (e) => e instanceof Error })).resolves.toBe('ok');
  });

  it('reports each wait', async () => {
    const onRetry = jest.fn();
    const fn = jest.fn().mockRejectedValueOnce(transient()).mockResolvedValue('ok');

    await withRetry(fn, { retries: 1, baseMs: 50, maxMs: 50, jitter: 'none', sleep, onRetry });

    expect(onRetry).toHaveBeenCalledWith({ attempt: 1, delayMs: 50, error: expect.any(CarrierError) });
  });
});

describe(backoffDelay.name, () => {
  it.each([
    ['full', 0.5, 3, 200],
    ['equal', 0.5, 3, 300],
    ['none', 0.99, 3, 400],
    [true, 0.25, 1, 25],
    [false, 0.25, 1, 100],
  ] as const)('%s jitter with random %d on retry %d → %d ms', (jitter, r, retry, expected) => {
    expect(backoffDelay(retry, { baseMs: 100, maxMs: 10_000, jitter, random: () => r })).toBe(expected);
  });
});
