import { CarrierError } from '../../libs/carriers/src/carrier.error';
import { UpsAdapter, UpsClient, type UpsClientConfig } from '../../libs/carriers/src/ups';
import { startFakeUps, type FakeUps } from '../fakes/ups/fake-ups.server';

const IN_TRANSIT = '1ZABCXYZ0112346789';

function pickupRequest() {
  const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  return {
    address: { name: 'Hanako Sato', street1: '1 Main St', city: 'Aliso Viejo', state: 'CA', zip: '92656', country: 'US', phone: '9495550100' },
    windowStart: `${day}T09:00:00-07:00`,
    windowEnd: `${day}T17:00:00-07:00`,
  };
}

describe(UpsClient.name, () => {
  let fake: FakeUps;
  let now: number;
  let warnings: { message: string; context?: Record<string, unknown> }[];

  beforeEach(async () => {
    fake = await startFakeUps();
    now = Date.now();
    warnings = [];
  });

  afterEach(async () => {
    await fake.close();
  });

  function makeSut(config: Partial<UpsClientConfig> = {}): { client: UpsClient; adapter: UpsAdapter } {
    const client = new UpsClient({
      baseUrl: fake.url,
      clientId: 'test-client-id',
      clientSecret: 'test-client-secret',
      timeoutMs: 300,
      retry: { baseMs: 5, maxMs: 20 },
      clock: () => now,
      logger: { warn: (message, context) => warnings.push({ message, context }) },
      ...config,
    });
    const adapter = new UpsAdapter({
      client,
      accountNumber: 'A1B2C3',
      interceptRequester: { name: 'Acme Support', telephone: '+12125550100' },
      clientIp: '203.0.113.10',
      onUnmappedCode: () => undefined,
    });
    return { client, adapter };
  }

  const calls = (route: string) => fake.requests.filter((r) => r.route === route);

  describe('OAuth token', () => {
    it('posts client credentials with basic auth and the merchant id', async () => {
      const { client } = makeSut({ merchantId: 'A1B2C3' });

      await client.getToken();

      const [call] = calls('token');
      expect(call!.headers.authorization).toBe(`Basic ${Buffer.from('test-client-id:test-client-secret').toString('base64')}`);
      expect(call!.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(call!.headers['x-merchant-id']).toBe('A1B2C3');
      expect(call!.body).toBe('grant_type=client_credentials');
    });

    it('caches the token across calls', async () => {
      const { adapter } = makeSut();

      await adapter.track({ trackingCode: IN_TRANSIT });
      await adapter.track({ trackingCode: IN_TRANSIT });
      await adapter.track({ trackingCode: IN_TRANSIT });

      expect(calls('token')).toHaveLength(1);
      expect(new Set(calls('track').map((r) => r.headers.authorization)).size).toBe(1);
    });

    it('shares one token fetch between concurrent calls', async () => {
      const { adapter } = makeSut();

      await Promise.all(Array.from({ length: 5 }, () => adapter.track({ trackingCode: IN_TRANSIT })));

      expect(calls('token')).toHaveLength(1);
    });

    it('fetches a new token shortly before the old one expires', async () => {
      const { adapter } = makeSut({ tokenRefreshMarginMs: 5 * 60_000 });
      await adapter.track({ trackingCode: IN_TRANSIT });

      now += (14_399 - 5 * 60 - 1) * 1000; // one second before the refresh point
      await adapter.track({ trackingCode: IN_TRANSIT });
      expect(calls('token')).toHaveLength(1);

      now += 2_000;
      await adapter.track({ trackingCode: IN_TRANSIT });
      expect(calls('token')).toHaveLength(2);
    });

    it('refreshes once on 401 and succeeds with the new token', async () => {
      const { adapter } = makeSut();
      await adapter.track({ trackingCode: IN_TRANSIT });
      fake.expireTokens();

      await expect(adapter.track({ trackingCode: IN_TRANSIT })).resolves.toMatchObject({ status: 'in_transit' });

      expect(calls('token')).toHaveLength(2);
      expect(calls('track')).toHaveLength(3);
      const [first, rejected, retried] = calls('track');
      expect(rejected!.headers.authorization).toBe(first!.headers.authorization);
      expect(retried!.headers.authorization).not.toBe(first!.headers.authorization);
    });

    it('resends a write after a 401, since UPS did nothing with it', async () => {
      const { adapter } = makeSut();
      await adapter.track({ trackingCode: IN_TRANSIT });
      fake.expireTokens();

      await expect(adapter.bookPickup(pickupRequest())).resolves.toMatchObject({ status: 'scheduled' });

      expect(calls('pickup.create')).toHaveLength(2);
      expect(fake.pickups.size).toBe(1);
    });

    it('gives up as unauthorized when the fresh token is refused too', async () => {
      const { adapter } = makeSut();
      fake.inject('track', 'expire-token', 2);

      await expect(adapter.track({ trackingCode: IN_TRANSIT })).rejects.toMatchObject({
        code: 'unauthorized',
        retryable: false,
        details: { httpStatus: 401, carrierCode: '251004' },
      });
      expect(calls('token')).toHaveLength(2);
      expect(calls('track')).toHaveLength(2);
    });

    it('surfaces bad client credentials as unauthorized, without retrying', async () => {
      const { adapter } = makeSut({ clientSecret: 'wrong' });

      await expect(adapter.track({ trackingCode: IN_TRANSIT })).rejects.toMatchObject({
        code: 'unauthorized',
        retryable: false,
        details: { carrierCode: '10401' },
      });
      expect(calls('token')).toHaveLength(1);
      expect(calls('track')).toHaveLength(0);
    });
  });

  describe('transient failures on reads', () => {
    it('waits as long as Retry-After says on 429, then succeeds', async () => {
      const { adapter } = makeSut();
      fake.inject('track', { status: 429, retryAfter: 1 });

      const started = Date.now();
      await expect(adapter.track({ trackingCode: IN_TRANSIT })).resolves.toMatchObject({ status: 'in_transit' });

      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(calls('track')).toHaveLength(2);
      expect(warnings[0]).toMatchObject({ context: { operation: 'track', code: 'rate_limited', delayMs: 1000 } });
    });

    it.each([
      ['a 500', { status: 500 }],
      ['a 503 gateway page', { status: 503 }],
      ['a hang past the deadline', 'hang' as const],
      ['a truncated body', 'malformed' as const],
      ['a dropped connection', 'reset' as const],
    ])('retries %s with backoff and succeeds', async (_label, fault) => {
      const { adapter } = makeSut();
      fake.inject('track', fault, 2);

      await expect(adapter.track({ trackingCode: IN_TRANSIT })).resolves.toMatchObject({ status: 'in_transit' });

      expect(calls('track')).toHaveLength(3);
      expect(warnings).toHaveLength(2);
    });

    it('stops after the configured attempts with a retryable error', async () => {
      const { adapter } = makeSut();
      fake.inject('track', { status: 500 }, 10);

      const error = await adapter.track({ trackingCode: IN_TRANSIT }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(CarrierError);
      expect(error).toMatchObject({ code: 'server_error', retryable: true, details: { httpStatus: 500, carrierCode: '10004' } });
      expect(calls('track')).toHaveLength(4);
    });

    it('times out a hung call within the deadline', async () => {
      const { adapter } = makeSut({ retry: false });
      fake.inject('track', 'hang');

      const started = Date.now();
      await expect(adapter.track({ trackingCode: IN_TRANSIT }, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'timeout', retryable: true });

      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('hands a long Retry-After to the caller instead of sleeping on it', async () => {
      const { adapter } = makeSut();
      fake.inject('track', { status: 429, retryAfter: 120 });

      await expect(adapter.track({ trackingCode: IN_TRANSIT })).rejects.toMatchObject({ code: 'rate_limited', retryable: true, details: { retryAfterMs: 120_000 } });
      expect(calls('track')).toHaveLength(1);
    });

    it('retries a failed token fetch like any read', async () => {
      const { adapter } = makeSut();
      fake.inject('token', { status: 503 });

      await expect(adapter.track({ trackingCode: IN_TRANSIT })).resolves.toMatchObject({ status: 'in_transit' });
      expect(calls('token')).toHaveLength(2);
    });
  });

  describe('transient failures on writes', () => {
    it('retries a 429, which UPS did not act on', async () => {
      const { adapter } = makeSut();
      fake.inject('pickup.create', { status: 429, retryAfter: 0 });

      await expect(adapter.bookPickup(pickupRequest())).resolves.toMatchObject({ status: 'scheduled' });
      expect(calls('pickup.create')).toHaveLength(2);
      expect(fake.pickups.size).toBe(1);
    });

    it('retries when the token endpoint fails, since the write was never sent', async () => {
      const { adapter } = makeSut();
      fake.inject('token', { status: 500 });

      await expect(adapter.bookPickup(pickupRequest())).resolves.toMatchObject({ status: 'scheduled' });
      expect(calls('pickup.create')).toHaveLength(1);
    });

    it.each([
      ['a 500', { status: 500 }, 'server_error'],
      ['a hang', 'hang' as const, 'timeout'],
      ['a truncated body', 'malformed' as const, 'malformed_response'],
    ])('does not resend a pickup after %s, which UPS may have booked', async (_label, fault, code) => {
      const { adapter } = makeSut();
      fake.inject('pickup.create', fault);

      await expect(adapter.bookPickup(pickupRequest())).rejects.toMatchObject({ code, retryable: true });
      expect(calls('pickup.create')).toHaveLength(1);
    });

    it('surfaces a 4xx at once as non-retryable', async () => {
      const { adapter } = makeSut();

      await expect(adapter.intercept({ trackingCode: 'BAD', kind: 'return_to_sender' })).rejects.toMatchObject({ code: 'invalid_request', retryable: false });
      expect(calls('intercept.return')).toHaveLength(1);
    });
  });
});
