export interface CircuitBreakerOptions {
  /** Transient failures in a row that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open the first time; doubled each time a trial fails. */
  openMs: number;
  /** The longest the circuit stays open. */
  maxOpenMs: number;
  /** How long a half-open trial may take before another one is allowed (a lost outcome must not wedge the circuit). */
  trialTimeoutMs: number;
}

export type BreakerGate = { allowed: true } | { allowed: false; retryAtMs: number };

interface Circuit {
  failures: number;
  /** 0 while closed. */
  openUntil: number;
  openMs: number;
  trialStartedAt: number | null;
}

/**
 * One circuit per key (a merchant): after `failureThreshold` transient failures in a row, calls are
 * refused for `openMs`; then one trial call is let through (half-open); its success closes the
 * circuit, its failure opens it again for twice as long. Keeps a platform that is down from being
 * hammered by every queued command at once, and keeps our workers for merchants that are up.
 *
 * In memory, per process: each replica learns on its own, which costs a few extra calls per replica
 * and needs no coordination.
 *
 * @example
 * const breaker = new CircuitBreaker(() => ({ failureThreshold: 5, openMs: 30_000, maxOpenMs: 600_000, trialTimeoutMs: 60_000 }));
 * const gate = breaker.check(merchantId, Date.now());
 * if (!gate.allowed) return postponeUntil(gate.retryAtMs);
 * breaker.record(merchantId, await call() === 'transient' ? 'failure' : 'success', Date.now());
 */
export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();

  /** Options are read on every call, so they can be tuned while running. */
  constructor(private readonly options: () => CircuitBreakerOptions) {}

  check(key: string, now: number): BreakerGate {
    const c = this.circuits.get(key);
    if (!c || c.openUntil === 0) return { allowed: true };
    if (now < c.openUntil) return { allowed: false, retryAtMs: c.openUntil };
    const { trialTimeoutMs } = this.options();
    if (c.trialStartedAt !== null && now - c.trialStartedAt < trialTimeoutMs) return { allowed: false, retryAtMs: c.trialStartedAt + trialTimeoutMs };
    c.trialStartedAt = now;
    return { allowed: true };
  }

  /** `success` is any answer that shows the other side is up (a 2xx, and also a 4xx). */
  record(key: string, result: 'success' | 'failure', now: number): void {
    const o = this.options();
    const c = this.circuits.get(key);
    if (result === 'success') {
      this.circuits.delete(key);
      return;
    }
    const circuit = c ?? { failures: 0, openUntil: 0, openMs: o.openMs, trialStartedAt: null };
    this.circuits.set(key, circuit);
    if (circuit.openUntil !== 0) {
      // A call already in flight when the circuit opened tells nothing new; a failed trial does.
      if (circuit.trialStartedAt === null) return;
      circuit.openMs = Math.min(o.maxOpenMs, circuit.openMs * 2);
      circuit.openUntil = now + circuit.openMs;
      circuit.trialStartedAt = null;
      return;
    }
    circuit.failures += 1;
    if (circuit.failures >= o.failureThreshold) {
      circuit.openMs = o.openMs;
      circuit.openUntil = now + o.openMs;
    }
  }

  /** For operators and tests: `closed`, `open` or `half_open`. */
  state(key: string, now: number): 'closed' | 'open' | 'half_open' {
    const c = this.circuits.get(key);
    if (!c || c.openUntil === 0) return 'closed';
    return now < c.openUntil ? 'open' : 'half_open';
  }
}
