import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { PostalAddress } from '../../libs/carriers/src/carrier.model';
import type { UnmappedCode } from '../../libs/carriers/src/shared/unmapped-code';
import { UpsAdapter, parseUpsTrackAlertWebhook, type UpsTrackAlertUpdate } from '../../libs/carriers/src/ups';
import { startFakeUps, type FakeUps } from '../fakes/ups/fake-ups.server';

const DELIVERED = '1Z204W4R0308071865';
const IN_TRANSIT = '1ZABCXYZ0112346789';
const EXCEPTION = '1Z023E2X0214323462';
const RETURNED = '1ZA82D672031716786';
const UNKNOWN_CODES = '1ZDDUNKN0000000001';
const INTERCEPTABLE = '1Z4096YY0316914058'; // UPS's CIE number for every intercept endpoint

const customer: PostalAddress = {
  name: 'Hanako Sato',
  street1: '26601 Aliso Creek Road',
  street2: 'Ste D',
  city: 'Aliso Viejo',
  state: 'CA',
  zip: '92656',
  country: 'US',
  phone: '949-555-0100',
};
const merchant: PostalAddress = {
  company: 'Acme Returns',
  name: 'Returns Desk',
  street1: '315 Saddle Bridge Drive',
  city: 'Allendale',
  state: 'NJ',
  zip: '07401',
  country: 'US',
  phone: '201-555-0199',
};

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(__dirname, '../fixtures/ups', name), 'utf8'));

function futureDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function pickupRequest(day = futureDay(30)) {
  return {
    address: customer,
    windowStart: `${day}T09:00:00-07:00`,
    windowEnd: `${day}T17:00:00-07:00`,
    trackingCodes: [INTERCEPTABLE],
    reference: 'RMA-1001',
  };
}

describe(UpsAdapter.name, () => {
  let fake: FakeUps;
  let sut: UpsAdapter;
  let unmapped: UnmappedCode[];

  beforeEach(async () => {
    fake = await startFakeUps();
    unmapped = [];
    sut = new UpsAdapter({
      client: { baseUrl: fake.url, clientId: 'test-client-id', clientSecret: 'test-client-secret', timeoutMs: 1_000, retry: { baseMs: 1, maxMs: 10 } },
      accountNumber: 'A1B2C3',
      interceptRequester: { name: 'Acme Support', telephone: '+12125550100', emailAddress: 'support@acme.test' },
      clientIp: '203.0.113.10',
      onUnmappedCode: (u) => unmapped.push(u),
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  const calls = (route: string) => fake.requests.filter((r) => r.route === route);

  it('declares what UPS can do, and no claims', () => {
    expect(sut.capabilities).toEqual({ track: true, webhook: true, returnLabel: true, pickup: true, addressVerify: true, claim: false, intercept: true, hold: true });
  });

  describe('track', () => {
    it('returns a delivered snapshot with photo and receivedBy', async () => {
      const snapshot = await sut.track({ trackingCode: DELIVERED });

      expect(snapshot).toMatchObject({ carrier: 'ups', trackingCode: DELIVERED, status: 'delivered', signedBy: 'JOHN', proofOfDelivery: { leftAt: 'Front Door' } });
      expect(snapshot.proofOfDelivery?.photoUrl).toMatch(/^data:image\/jpeg;base64,/);
    });

    it('sends the bearer token and UPS transaction headers', async () => {
      await sut.track({ trackingCode: IN_TRANSIT });

      const [call] = calls('track');
      expect(call!.headers.authorization).toMatch(/^Bearer .+/);
      expect(call!.headers.transid).toMatch(/^[0-9a-f]{14}$/);
      expect(call!.headers.transactionsrc).toBe('delivery-desk');
      expect(call!.query).toMatchObject({ locale: 'en_US' });
    });

    it.each([
      [IN_TRANSIT, 'in_transit', null],
      [EXCEPTION, 'exception', 'address_problem'],
      [RETURNED, 'return_to_sender', null],
    ])('maps %s to %s', async (trackingCode, status, reason) => {
      const snapshot = await sut.track({ trackingCode });

      expect(snapshot.status).toBe(status);
      expect(snapshot.exceptionReason ?? null).toBe(reason);
    });

    it('reports codes it cannot map and returns unknown', async () => {
      const snapshot = await sut.track({ trackingCode: UNKNOWN_CODES });

      expect(snapshot.status).toBe('unknown');
      expect(unmapped).toContainEqual({ carrier: 'ups', field: 'status.statusCode', value: '999' });
    });

    it('surfaces an unknown number as a non-retryable not_found', async () => {
      await expect(sut.track({ trackingCode: '1Z5629230309413682' })).rejects.toMatchObject({ code: 'not_found', retryable: false });
    });

    it('surfaces a malformed number as a non-retryable invalid_request', async () => {
      await expect(sut.track({ trackingCode: 'ABC' })).rejects.toMatchObject({ code: 'invalid_request', retryable: false, details: { carrierCode: 'TV1002' } });
      expect(calls('track')).toHaveLength(1);
    });
  });

  describe('Track Alert', () => {
    let receiver: Server;
    let receiverUrl: string;
    let received: (UpsTrackAlertUpdate | { rejected: number })[];
    const webhookToken = 'whk_merchant42_7Hq1';

    beforeEach(async () => {
      received = [];
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          try {
            received.push(parseUpsTrackAlertWebhook({ headers: req.headers, body: Buffer.concat(chunks), expectedCredential: webhookToken }));
            res.writeHead(200).end();
          } catch {
            received.push({ rejected: 401 });
            res.writeHead(401).end();
          }
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/ups/m_42`;
    });

    afterEach(async () => {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    });

    it('subscribes with the merchant\'s credential and receives verified pushes with the photo', async () => {
      const result = await sut.subscribeTrackAlert([DELIVERED, 'not-a-1z'], { url: receiverUrl, credential: webhookToken });

      expect(result).toEqual({ subscribed: [DELIVERED], rejected: ['NOT-A-1Z'] });
      expect(calls('trackAlert.subscribe')[0]!.path).toBe('/api/track/v1/subscription/enhanced/package');
      const push = await fake.pushTrackAlert(DELIVERED, fixture('track-alert-delivered-photo.json'));
      expect(push.status).toBe(200);
      expect(received[0]).toMatchObject({ trackingCode: DELIVERED, status: 'delivered', proofOfDelivery: { signedBy: 'John' } });
    });

    it('lets the receiver reject pushes carrying another credential', async () => {
      await sut.subscribeTrackAlert([IN_TRANSIT], { url: receiverUrl, credential: 'someone-elses-token' });

      const push = await fake.pushTrackAlert(IN_TRANSIT, fixture('track-alert-out-for-delivery.json'));

      expect(push.status).toBe(401);
      expect(received).toEqual([{ rejected: 401 }]);
    });

    it('splits more than 100 numbers into several subscriptions', async () => {
      const numbers = Array.from({ length: 150 }, (_, i) => `1Z${String(i).padStart(16, '0')}`);

      const result = await sut.subscribeTrackAlert(numbers, { url: receiverUrl, credential: webhookToken });

      expect(result.subscribed).toHaveLength(150);
      expect(calls('trackAlert.subscribe').map((r) => (r.body as { trackingNumberList: string[] }).trackingNumberList.length)).toEqual([100, 50]);
    });
  });

  describe('pickups', () => {
    it('books a pickup and returns the PRN and charge', async () => {
      const request = pickupRequest();

      const pickup = await sut.bookPickup(request);

      expect(pickup).toMatchObject({ status: 'scheduled', cost: { amountMinor: 650, currency: 'USD' }, windowStart: request.windowStart });
      expect(fake.pickups.get(pickup.pickupId)).toEqual({ status: 'scheduled', pickupDate: request.windowStart.slice(0, 10).replace(/-/g, '') });
    });

    it('surfaces UPS\'s refusal of a past date as non-retryable', async () => {
      await expect(sut.bookPickup(pickupRequest(futureDay(-3)))).rejects.toMatchObject({
        code: 'invalid_request',
        retryable: false,
        details: { httpStatus: 400, carrierCode: '9560131' },
      });
    });

    it('cancels a pickup by PRN', async () => {
      const { pickupId } = await sut.bookPickup(pickupRequest());

      const canceled = await sut.cancelPickup(pickupId);

      expect(canceled).toMatchObject({ pickupId, status: 'canceled' });
      expect(fake.pickups.get(pickupId)?.status).toBe('canceled');
      expect(calls('pickup.cancel')[0]!.headers.prn).toBe(pickupId);
    });

    it('reschedules by booking the new pickup before cancelling the old one', async () => {
      const old = await sut.bookPickup(pickupRequest(futureDay(10)));

      const moved = await sut.reschedulePickup(old.pickupId, pickupRequest(futureDay(11)));

      expect(moved.pickupId).not.toBe(old.pickupId);
      expect(fake.pickups.get(old.pickupId)?.status).toBe('canceled');
      expect(fake.pickups.get(moved.pickupId)?.status).toBe('scheduled');
      expect(fake.requests.filter((r) => r.route?.startsWith('pickup')).map((r) => r.route)).toEqual(['pickup.create', 'pickup.create', 'pickup.cancel']);
    });

    it('cancels the new pickup again when the old one cannot be cancelled', async () => {
      await expect(sut.reschedulePickup('NOSUCHPRN00', pickupRequest())).rejects.toMatchObject({ code: 'invalid_request' });

      expect([...fake.pickups.values()].map((p) => p.status)).toEqual(['canceled']);
    });

    it('books once per idempotency key', async () => {
      const request = pickupRequest();

      const [a, b] = await Promise.all([sut.bookPickup(request, { idempotencyKey: 'k-1' }), sut.bookPickup(request, { idempotencyKey: 'k-1' })]);

      expect(a).toEqual(b);
      expect(calls('pickup.create')).toHaveLength(1);
    });
  });

  describe('verifyAddress', () => {
    it('returns valid with UPS\'s standardised address', async () => {
      const verdict = await sut.verifyAddress(customer);

      expect(verdict).toMatchObject({ verdict: 'valid', address: { street1: '26601 ALISO CREEK RD STE D', zip: '92656-1521', residential: false } });
      expect(calls('address')[0]!.path).toBe('/api/addressvalidation/v2/3');
    });

    it('returns corrected with candidates for an ambiguous address', async () => {
      const verdict = await sut.verifyAddress({ street1: '100 Main', city: 'New York', state: 'NY', zip: '10001', country: 'US' });

      expect(verdict.verdict).toBe('corrected');
      expect(verdict.verdict === 'corrected' && verdict.suggestions).toHaveLength(2);
    });

    it('returns invalid when UPS has no candidate', async () => {
      await expect(sut.verifyAddress({ ...customer, zip: '00000' })).resolves.toMatchObject({ verdict: 'invalid', reasons: [{ code: 'no_candidates' }] });
    });
  });

  describe('intercept and hold', () => {
    it('redirects to a new address and reports the fee', async () => {
      const result = await sut.intercept({ trackingCode: INTERCEPTABLE, kind: 'redirect', newAddress: merchant });

      expect(result).toMatchObject({ outcome: 'accepted', fee: { amountMinor: 1225, currency: 'USD' } });
      const [call] = calls('intercept.redirect');
      expect(call!.path).toBe(`/api/deliveryintercept/v2/redirect/address/${INTERCEPTABLE}`);
      expect(call!.body).toMatchObject({ clientIP: '203.0.113.10', requestType: 'AA', newDeliveryAddress: { addressInfo: { city: 'Allendale' } } });
    });

    it('returns to sender with the configured reason', async () => {
      await expect(sut.intercept({ trackingCode: INTERCEPTABLE, kind: 'return_to_sender' })).resolves.toMatchObject({ outcome: 'accepted', fee: { amountMinor: 500 } });
      expect(calls('intercept.return')[0]!.body).toMatchObject({ reasonForReturn: 'KV', requestType: 'RS' });
    });

    it('reschedules delivery to a later date', async () => {
      await expect(sut.intercept({ trackingCode: INTERCEPTABLE, kind: 'reschedule', deliveryDate: futureDay(3) })).resolves.toMatchObject({ outcome: 'accepted' });
      expect(calls('intercept.reschedule')[0]!.body).toMatchObject({ deliveryDate: futureDay(3).replace(/-/g, '') });
    });

    it('comes back refused, with UPS\'s reason, for a parcel already delivered', async () => {
      const result = await sut.intercept({ trackingCode: DELIVERED, kind: 'return_to_sender' });

      expect(result).toEqual({ outcome: 'refused', reason: expect.stringContaining('delivered'), code: '9001' });
    });

    it('holds for will-call and says where', async () => {
      const result = await sut.holdAtLocation({ trackingCode: INTERCEPTABLE });

      expect(result).toMatchObject({ outcome: 'accepted', location: expect.stringContaining('SALISBURY'), fee: { amountMinor: 500 } });
      expect(calls('intercept.willcall')).toHaveLength(1);
    });

    it('refuses a chosen hold location instead of dropping it', async () => {
      await expect(sut.holdAtLocation({ trackingCode: INTERCEPTABLE, locationId: 'U12345678' })).rejects.toMatchObject({ code: 'unsupported', retryable: false });
      expect(fake.requests).toHaveLength(0);
    });

    it('surfaces UPS\'s input validation error as non-retryable', async () => {
      await expect(sut.intercept({ trackingCode: 'NOT1Z', kind: 'return_to_sender' })).rejects.toMatchObject({
        code: 'invalid_request',
        retryable: false,
        details: { carrierCode: '710' },
      });
    });
  });

  describe('createReturnLabel', () => {
    it('buys a UPS Print Return Label and returns it as a data URI', async () => {
      const label = await sut.createReturnLabel({ from: customer, to: merchant, parcel: { weightOz: 20 }, reference: 'RMA-1001' });

      expect(label).toMatchObject({ carrier: 'UPS', service: '03', cost: { amountMinor: 2500, currency: 'USD' } });
      expect(label.trackingCode).toMatch(/^1Z[0-9A-Z]{16}$/);
      expect(label.labelUrl).toMatch(/^data:image\/gif;base64,R0lGOD/);
      expect(calls('ship')[0]!.body).toMatchObject({ ShipmentRequest: { Shipment: { ReturnService: { Code: '9' }, Shipper: { ShipperNumber: 'A1B2C3' } } } });
    });
  });

  describe('claims', () => {
    it('throws unsupported for both claim methods without calling UPS', async () => {
      await expect(sut.fileClaim({ type: 'loss', trackingCode: DELIVERED, amount: { amountMinor: 100, currency: 'USD' }, description: 'lost' })).rejects.toMatchObject({
        code: 'unsupported',
        retryable: false,
      });
      await expect(sut.getClaim('clm_1')).rejects.toMatchObject({ code: 'unsupported' });
      expect(fake.requests).toHaveLength(0);
    });
  });
});
