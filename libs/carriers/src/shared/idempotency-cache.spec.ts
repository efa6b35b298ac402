import { CarrierError } from '../carrier.error';
import { IdempotencyCache, stableJson } from './idempotency-cache';

describe(IdempotencyCache.name, () => {
  let now: number;
  let sut: IdempotencyCache;

  beforeEach(() => {
    now = 0;
    sut = new IdempotencyCache('easypost', { ttlMs: 1000, now: () => now });
  });

  it('runs once for concurrent and later calls with the same key', async () => {
    const fn = jest.fn(async () => ({ id: 'shp_1' }));

    const results = await Promise.all([sut.run('label', 'k', { a: 1 }, fn), sut.run('label', 'k', { a: 1 }, fn)]);
    const later = await sut.run('label', 'k', { a: 1 }, fn);

    expect(fn).toHaveBeenCalledTimes(1);
    expect(results[1]).toBe(results[0]);
    expect(later).toBe(results[0]);
  });

  it('forgets a failure so the caller can retry', async () => {
    const fn = jest.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValue('ok');

    await expect(sut.run('label', 'k', {}, fn)).rejects.toThrow('boom');
    await expect(sut.run('label', 'k', {}, fn)).resolves.toBe('ok');
  });

  it('refuses a key reused for a different request', async () => {
    await sut.run('label', 'k', { weight: 1 }, async () => 'ok');

    await expect(sut.run('label', 'k', { weight: 2 }, async () => 'other')).rejects.toBeInstanceOf(CarrierError);
    await expect(sut.run('label', 'k', { weight: 2 }, async () => 'other')).rejects.toMatchObject({ code: 'invalid_request', retryable: false });
  });

  it('keeps operations apart, and runs every call without a key', async () => {
    const fn = jest.fn(async () => 'x');

    await sut.run('label', 'k', {}, fn);
    await sut.run('pickup', 'k', {}, fn);
    await sut.run('pickup', undefined, {}, fn);
    await sut.run('pickup', undefined, {}, fn);

    expect(fn).toHaveBeenCalledTimes(4);
  });

  it('expires results after the TTL', async () => {
    const fn = jest.fn(async () => 'x');
    await sut.run('label', 'k', {}, fn);

    now = 1001;
    await sut.run('label', 'k', {}, fn);

    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('fingerprints objects regardless of key order', () => {
    expect(stableJson({ b: 1, a: { d: 2, c: 3 } })).toBe(stableJson({ a: { c: 3, d: 2 }, b: 1 }));
  });
});
