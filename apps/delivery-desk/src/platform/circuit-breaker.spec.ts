import { CircuitBreaker, CircuitBreakerOptions } from './circuit-breaker';

describe(CircuitBreaker.name, () => {
  const options: CircuitBreakerOptions = { failureThreshold: 3, openMs: 1000, maxOpenMs: 3000, trialTimeoutMs: 500 };
  let sut: CircuitBreaker;
  beforeEach(() => {
    sut = new CircuitBreaker(() => options);
  });

  const fail = (key: string, at: number, times = 1) => {
    for (let i = 0; i < times; i++) sut.record(key, 'failure', at);
  };

  it('stays closed below the threshold, and a success resets the count', () => {
    fail('m1', 0, 2);
    sut.record('m1', 'success', 0);
    fail('m1', 0, 2);
    expect(sut.check('m1', 0)).toEqual({ allowed: true });
    expect(sut.state('m1', 0)).toBe('closed');
  });

  it('opens after the threshold and refuses until the pause is over', () => {
    fail('m1', 100, 3);
    expect(sut.state('m1', 100)).toBe('open');
    expect(sut.check('m1', 600)).toEqual({ allowed: false, retryAtMs: 1100 });
  });

  it('keeps each key apart', () => {
    fail('m1', 0, 3);
    expect(sut.check('m2', 0)).toEqual({ allowed: true });
  });

  it('lets one trial through when half-open; its success closes the circuit', () => {
    fail('m1', 0, 3);
    expect(sut.check('m1', 1000)).toEqual({ allowed: true });
    expect(sut.check('m1', 1001)).toEqual({ allowed: false, retryAtMs: 1500 });
    sut.record('m1', 'success', 1200);
    expect(sut.state('m1', 1200)).toBe('closed');
    expect(sut.check('m1', 1200)).toEqual({ allowed: true });
  });

  it('reopens for twice as long when the trial fails, up to the maximum', () => {
    fail('m1', 0, 3);
    sut.check('m1', 1000);
    fail('m1', 1100);
    expect(sut.check('m1', 2000)).toEqual({ allowed: false, retryAtMs: 3100 });
    sut.check('m1', 3100);
    fail('m1', 3100);
    expect(sut.check('m1', 3200)).toEqual({ allowed: false, retryAtMs: 6100 });
    sut.check('m1', 6100);
    fail('m1', 6100);
    expect(sut.check('m1', 6200)).toEqual({ allowed: false, retryAtMs: 9100 });
  });

  it('ignores late failures of calls that started before the circuit opened', () => {
    fail('m1', 0, 3);
    fail('m1', 10, 2);
    expect(sut.check('m1', 1000)).toEqual({ allowed: true });
  });

  it('allows another trial when one never reports back', () => {
    fail('m1', 0, 3);
    expect(sut.check('m1', 1000).allowed).toBe(true);
    expect(sut.check('m1', 1500).allowed).toBe(true);
  });
});
