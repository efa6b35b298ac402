import { carrierErrorFromHttp, classifyHttpStatus, classifyTransportError, parseRetryAfter } from './http-error';

describe(classifyHttpStatus.name, () => {
  it.each([
    [408, 'timeout', true],
    [429, 'rate_limited', true],
    [500, 'server_error', true],
    [502, 'server_error', true],
    [503, 'server_error', true],
    [504, 'server_error', true],
    [501, 'unsupported', false],
    [400, 'invalid_request', false],
    [422, 'invalid_request', false],
    [409, 'invalid_request', false],
    [401, 'unauthorized', false],
    [403, 'unauthorized', false],
    [404, 'not_found', false],
    [402, 'refused', false],
    [302, 'unknown', false],
  ])('%i → %s (retryable: %s)', (status, code, retryable) => {
    expect(classifyHttpStatus(status)).toEqual({ code, retryable });
  });
});

describe(classifyTransportError.name, () => {
  it.each([
    ['ECONNABORTED', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['ECONNRESET', 'network'],
    ['ECONNREFUSED', 'network'],
    ['EAI_AGAIN', 'network'],
  ])('%s → %s, retryable', (code, expected) => {
    expect(classifyTransportError(Object.assign(new Error('x'), { code }))).toEqual({ code: expected, retryable: true });
  });

  it('does not claim errors it does not know', () => {
    expect(classifyTransportError(new TypeError("Cannot destructure property 'code'"))).toBeNull();
    expect(classifyTransportError(Object.assign(new Error('x'), { code: 'Z_DATA_ERROR' }))).toBeNull();
  });
});

describe(parseRetryAfter.name, () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(['1.5'])).toBe(1500);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', new Date('2026-10-21T07:27:30Z'))).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', new Date('2026-10-21T08:00:00Z'))).toBe(0);
  });

  it('returns null for nothing or nonsense', () => {
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('')).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe(carrierErrorFromHttp.name, () => {
  it('builds a CarrierError from the status', () => {
    expect(carrierErrorFromHttp('ups', 503, 'down', { retryAfterMs: 1000 })).toMatchObject({
      carrier: 'ups',
      code: 'server_error',
      retryable: true,
      message: 'down',
      details: { httpStatus: 503, retryAfterMs: 1000 },
    });
  });
});
