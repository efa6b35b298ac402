import { createHash } from 'node:crypto';
import { CarrierError } from '../carrier.error';
import type { CarrierCode } from '../carrier.model';

interface Entry {
  fingerprint: string;
  promise: Promise<unknown>;
  settledAt: number | null;
}

/**
 * In-process de-duplication for carriers that take no idempotency key. Concurrent calls with the same
 * key share one promise; a success is replayed until `ttlMs`; a failure is forgotten so the caller may
 * retry. Reusing a key for a different request is a `CarrierError('invalid_request')`.
 *
 * It only protects one process: the service must still persist what a call returned.
 *
 * @example
 * ```ts
 * const cache = new IdempotencyCache('easypost');
 * const label = await cache.run('returnLabel', opts.idempotencyKey, req, () => buyLabel(req));
 * ```
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly carrier: CarrierCode,
    private readonly options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {},
  ) {}

  async run<T>(operation: string, key: string | undefined | null, request: unknown, fn: () => Promise<T>): Promise<T> {
    if (!key) return fn();
    const now = this.options.now ?? Date.now;
    const cacheKey = `${operation}:${key}`;
    const fingerprint = createHash('sha256').update(stableJson(request)).digest('hex');
    this.evict(now());
    const existing = this.entries.get(cacheKey);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new CarrierError(this.carrier, 'invalid_request', `Idempotency key "${key}" was already used for a different ${operation} request`, false);
      }
      return existing.promise as Promise<T>;
    }
    const entry: Entry = { fingerprint, promise: Promise.resolve(), settledAt: null };
    entry.promise = fn().then(
      (value) => {
        entry.settledAt = now();
        return value;
      },
      (error: unknown) => {
        this.entries.delete(cacheKey);
        throw error;
      },
    );
    this.entries.set(cacheKey, entry);
    return entry.promise as Promise<T>;
  }

  private evict(at: number): void {
    const ttlMs = this.options.ttlMs ?? 24 * 60 * 60 * 1000;
    const maxEntries = this.options.maxEntries ?? 10_000;
    for (const [key, entry] of this.entries) {
      if (entry.settledAt !== null && at - entry.settledAt > ttlMs) this.entries.delete(key);
    }
    // Map keeps insertion order, so the first keys are the oldest.
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= maxEntries) break;
      if (entry.settledAt !== null) this.entries.delete(key);
    }
  }
}

/** JSON with sorted keys, so `{a,b}` and `{b,a}` fingerprint alike. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  ) ?? 'undefined';
}
