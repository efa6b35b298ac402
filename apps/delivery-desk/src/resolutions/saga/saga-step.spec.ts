import { CarrierError } from '@app/carriers';
import { describeError, isTransient, TransientError, waitFor, WaitRequest } from './saga-step';

describe(isTransient.name, () => {
  it('retries our transient errors and retryable carrier errors, nothing else', () => {
    expect(isTransient(new TransientError('503'))).toBe(true);
    expect(isTransient(new CarrierError('easypost', 'server_error', 'down', true))).toBe(true);
    expect(isTransient(new CarrierError('easypost', 'unauthorized', 'bad key', false))).toBe(false);
    expect(isTransient(new Error('boom'))).toBe(false);
    expect(isTransient('retryable')).toBe(false);
    expect(isTransient(null)).toBe(false);
  });
});

describe(describeError.name, () => {
  it('names the code when there is one, and stays short', () => {
    expect(describeError(new CarrierError('ups', 'rate_limited', 'slow down', true))).toBe('rate_limited: slow down');
    expect(describeError(new TransientError('timeout'))).toBe('TransientError: timeout');
    expect(describeError(new Error('x'.repeat(5000))).length).toBe(2000);
  });
});

describe(waitFor.name, () => {
  it('builds a wait request the runner can tell from any output', () => {
    const w = waitFor({ kind: 'platform-command', ref: 'cmd_1' }, { commandId: 'cmd_1' });
    expect(w).toBeInstanceOf(WaitRequest);
    expect(w).toEqual({ wait: { kind: 'platform-command', ref: 'cmd_1' }, output: { commandId: 'cmd_1' } });
  });
});
