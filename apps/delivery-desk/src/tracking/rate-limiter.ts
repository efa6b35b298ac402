/**
 * A token bucket per key: at most `perSecond` calls per second, bursts up to `perSecond`. Carriers
 * rate-limit per account; staying under their limit is cheaper than being told 429.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async take(key: string): Promise<void> {
    for (;;) {
      const t = this.now();
      const b = this.buckets.get(key) ?? { tokens: this.perSecond, at: t };
      b.tokens = Math.min(this.perSecond, b.tokens + ((t - b.at) / 1000) * this.perSecond);
      b.at = t;
      this.buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - b.tokens) / this.perSecond) * 1000));
    }
  }
}
