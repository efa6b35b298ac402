import { signPlatformWebhook, verifyPlatformWebhook } from './platform-signature';

// Computed outside this code: printf '%s' '<id>.<ts>.<body>' | openssl dgst -sha256 -hmac '<secret>'
const VECTOR = {
  secret: 'whsec_test_0123456789abcdef',
  eventId: 'evt_00112233445566778899aabb',
  timestamp: 1767225600,
  body: '{"id":"evt_00112233445566778899aabb","type":"command.refund"}',
  signature: 'v1=a1428d364a1517bcdef7158f1af4c8f4b29e5bc0573fe9334d9e2fc03c21cc8e',
};

const headersOf = (signature: string, timestamp = VECTOR.timestamp, eventId = VECTOR.eventId) => ({
  'x-deliverydesk-event-id': eventId,
  'x-deliverydesk-timestamp': String(timestamp),
  'x-deliverydesk-signature': signature,
});

describe(verifyPlatformWebhook.name, () => {
  it('matches the published test vector', () => {
    expect(signPlatformWebhook(VECTOR.secret, VECTOR.eventId, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(signPlatformWebhook(VECTOR.secret, VECTOR.eventId, VECTOR.timestamp, Buffer.from(VECTOR.body))).toBe(VECTOR.signature);
  });

  it('verifies a fresh, untouched delivery', () => {
    const sut = verifyPlatformWebhook({ secret: VECTOR.secret, headers: headersOf(VECTOR.signature), rawBody: VECTOR.body, nowSeconds: VECTOR.timestamp + 299 });
    expect(sut).toEqual({ ok: true, eventId: VECTOR.eventId, timestamp: VECTOR.timestamp });
  });

  it.each([
    ['a changed body', { rawBody: VECTOR.body.replace('refund', 'reship') }, 'bad_signature'],
    ['another event id', { headers: headersOf(VECTOR.signature, VECTOR.timestamp, 'evt_ffffffffffffffffffffffff') }, 'bad_signature'],
    ['another timestamp', { headers: headersOf(VECTOR.signature, VECTOR.timestamp + 1) }, 'bad_signature'],
    ['another secret', { secret: 'whsec_other_0123456789abcdef' }, 'bad_signature'],
    ['a stale timestamp', { nowSeconds: VECTOR.timestamp + 301 }, 'stale_timestamp'],
    ['a timestamp from the future', { nowSeconds: VECTOR.timestamp - 301 }, 'stale_timestamp'],
    ['a missing signature', { headers: { 'x-deliverydesk-event-id': VECTOR.eventId, 'x-deliverydesk-timestamp': String(VECTOR.timestamp) } }, 'missing_header'],
    ['a non-numeric timestamp', { headers: headersOf(VECTOR.signature, 'yesterday' as unknown as number) }, 'malformed_header'],
    ['a truncated signature', { headers: headersOf(VECTOR.signature.slice(0, 40)) }, 'bad_signature'],
  ])('refuses %s', (_name, change, reason) => {
    const sut = verifyPlatformWebhook({ secret: VECTOR.secret, headers: headersOf(VECTOR.signature), rawBody: VECTOR.body, nowSeconds: VECTOR.timestamp, ...change });
    expect(sut).toEqual({ ok: false, reason });
  });

  it('accepts any one of several v1 signatures (secret rotation)', () => {
    const header = `v1=${'0'.repeat(64)}, ${VECTOR.signature}`;
    expect(verifyPlatformWebhook({ secret: VECTOR.secret, headers: headersOf(header), rawBody: VECTOR.body, nowSeconds: VECTOR.timestamp }).ok).toBe(true);
  });
});
