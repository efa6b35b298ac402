import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CarrierError } from '../../libs/carriers/src/carrier.error';
import type { PostalAddress } from '../../libs/carriers/src/carrier.model';
import { EasyPostAdapter } from '../../libs/carriers/src/easypost/easypost.adapter';
import { EasyPostSignatureError } from '../../libs/carriers/src/easypost/easypost.webhook';
import type { RetryOptions } from '../../libs/carriers/src/shared/retry';
import { startFakeEasyPost, type FakeEasyPost } from '../fakes/easypost/fake-easypost.server';

const customer: PostalAddress = { name: 'Ana Ruiz', street1: '179 N Harbor Dr', city: 'Redondo Beach', state: 'CA', zip: '90277', country: 'US', phone: '3105550100' };
const merchant: PostalAddress = { company: 'Kumo Tea', street1: '388 Townsend St', street2: 'Apt 20', city: 'San Francisco', state: 'CA', zip: '94107', country: 'US' };

describe(EasyPostAdapter.name, () => {
  let fake: FakeEasyPost;
  let onUnmappedCode: jest.Mock;
  let sleeps: number[];
  let sut: EasyPostAdapter;

  const build = (retry: Partial<RetryOptions> | false = {}, client: Partial<{ apiKey: string; baseUrl: string; responseTimeoutMs: number; deadlineMs: number }> = {}) =>
    new EasyPostAdapter({
      client: { apiKey: fake.apiKey, baseUrl: fake.url, responseTimeoutMs: 300, deadlineMs: 1_000, ...client },
      onUnmappedCode,
      retry:
        retry === false
          ? false
          : {
              retries: 3,
              baseMs: 100,
              maxMs: 5_000,
              jitter: 'none',
              // Record the backoff instead of waiting it out.
              sleep: async (ms) => {
                sleeps.push(ms);
              },
              ...retry,
            },
    });

  const calls = (route: string) => fake.requests.filter((r) => r.route === route).length;

  beforeEach(async () => {
    fake = await startFakeEasyPost();
    onUnmappedCode = jest.fn();
    sleeps = [];
    sut = build();
  });

  afterEach(async () => {
    await fake.close();
  });

  it('declares no intercept or hold, and says so when asked', async () => {
    expect(sut.capabilities).toEqual({ track: true, webhook: true, returnLabel: true, pickup: true, addressVerify: true, claim: true, intercept: false, hold: false });
    await expect(sut.intercept({ trackingCode: 'EZ3000000003', kind: 'return_to_sender' })).rejects.toMatchObject({ code: 'unsupported', retryable: false });
    await expect(sut.holdAtLocation({ trackingCode: 'EZ3000000003' })).rejects.toMatchObject({ code: 'unsupported', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  describe('track', () => {
    it('creates a tracker with Basic auth and the wrapped body, and maps it', async () => {
      const snapshot = await sut.track({ trackingCode: 'EZ4000000004' });

      expect(snapshot).toMatchObject({ carrier: 'easypost', status: 'delivered', signedBy: 'John Tester', underlyingCarrier: 'USPS' });
      expect(snapshot.events).toHaveLength(8);
      const [request] = fake.requests;
      expect(request).toMatchObject({ method: 'POST', path: '/v2/trackers', body: { tracker: { tracking_code: 'EZ4000000004' } } });
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${fake.apiKey}:`).toString('base64')}`);
      expect(request.headers['user-agent']).toMatch(/^EasyPost\/v2 NodejsClient\/8\.9\.0/);
    });

    it('refreshes by tracker id, and a repeated create returns the same tracker', async () => {
      const created = await sut.track({ trackingCode: 'EZ2000000002', carrierHint: 'USPS' });
      const again = await sut.track({ trackingCode: 'EZ2000000002', carrierHint: 'USPS' });
      const refreshed = await sut.track({ trackingCode: 'EZ2000000002', trackerId: created.trackerId });

      expect(again.trackerId).toBe(created.trackerId);
      expect(refreshed).toEqual(created);
      expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v2/trackers', 'POST /v2/trackers', `GET /v2/trackers/${created.trackerId}`]);
      expect(fake.requests[0].body).toEqual({ tracker: { tracking_code: 'EZ2000000002', carrier: 'USPS' } });
    });

    it('creates the tracker again when EasyPost no longer knows the tracker id', async () => {
      await expect(sut.track({ trackingCode: 'EZ3000000003', trackerId: 'trk_gone' })).resolves.toMatchObject({ status: 'out_for_delivery' });
      expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v2/trackers/trk_gone', 'POST /v2/trackers']);
    });

    it('maps a non-test code to unknown, as test mode answers it', async () => {
      await expect(sut.track({ trackingCode: '9400100110368068952177' })).resolves.toMatchObject({ status: 'unknown' });
    });

    it('reports a status it does not know and maps it to unknown', async () => {
      const { trackerId } = await sut.track({ trackingCode: 'EZ3000000003' });
      fake.state.trackers.get(trackerId!)!.status = 'teleported';

      await expect(sut.track({ trackingCode: 'EZ3000000003', trackerId })).resolves.toMatchObject({ status: 'unknown' });
      expect(onUnmappedCode).toHaveBeenCalledWith({ carrier: 'easypost', field: 'tracker.status', value: 'teleported' });
    });
  });

  describe('createReturnLabel', () => {
    it('creates an is_return shipment with the outbound addresses and buys the cheapest rate', async () => {
      const label = await sut.createReturnLabel({ from: customer, to: merchant, parcel: { weightOz: 15.4, lengthIn: 10, widthIn: 8, heightIn: 4 } }, { idempotencyKey: 'rma-77' });

      expect(label).toMatchObject({ carrier: 'USPS', service: 'GroundAdvantage', cost: { amountMinor: 820, currency: 'USD' }, trackingCode: expect.stringMatching(/^9434/) });
      const [create, buy] = fake.requests;
      expect(create.body).toMatchObject({
        shipment: { is_return: true, reference: 'rma-77', to_address: { name: 'Ana Ruiz' }, from_address: { company: 'Kumo Tea' }, parcel: { weight: 15.4, length: 10 } },
      });
      const shipment = fake.state.shipments.get(label.shipmentId)!;
      expect(buy).toMatchObject({ path: `/v2/shipments/${label.shipmentId}/buy`, body: { rate: { id: shipment.selected_rate.id } } });
      expect(label.labelUrl).toBe(shipment.postage_label.label_url);
    });

    it('buys the named service', async () => {
      await expect(sut.createReturnLabel({ from: customer, to: merchant, parcel: { weightOz: 12 }, service: 'Priority' })).resolves.toMatchObject({
        service: 'Priority',
        cost: { amountMinor: 1101, currency: 'USD' },
      });
    });

    it('does not buy twice for the same idempotency key', async () => {
      const req = { from: customer, to: merchant, parcel: { weightOz: 12 } };

      const [a, b] = await Promise.all([sut.createReturnLabel(req, { idempotencyKey: 'k1' }), sut.createReturnLabel(req, { idempotencyKey: 'k1' })]);
      const c = await sut.createReturnLabel(req, { idempotencyKey: 'k1' });

      expect(b).toEqual(a);
      expect(c).toEqual(a);
      expect(calls('POST /v2/shipments/:id/buy')).toBe(1);
    });

    it('surfaces a 422 as not retryable, after one request', async () => {
      fake.inject('POST /v2/shipments', { kind: 'status', status: 422, body: { error: { code: 'PARAMETER.REQUIRED', message: 'Missing required parameter.', errors: [{ field: 'shipment', message: 'cannot be blank' }] } } });

      await expect(sut.createReturnLabel({ from: customer, to: merchant, parcel: { weightOz: 12 } })).rejects.toMatchObject({
        code: 'invalid_request',
        retryable: false,
        details: { httpStatus: 422, carrierCode: 'PARAMETER.REQUIRED', fieldErrors: [{ field: 'shipment', message: 'cannot be blank' }] },
      });
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe('pickups', () => {
    const window = { windowStart: '2026-08-04T13:00:00Z', windowEnd: '2026-08-04T17:00:00Z' };

    async function labelledShipment() {
      return sut.createReturnLabel({ from: customer, to: merchant, parcel: { weightOz: 12 } });
    }

    it('books: creates the pickup for the shipment, then buys its rate', async () => {
      const { shipmentId } = await labelledShipment();

      const pickup = await sut.bookPickup({ address: customer, shipmentId, ...window, instructions: 'Front desk' }, { idempotencyKey: 'pk-1' });

      expect(pickup).toMatchObject({ status: 'scheduled', confirmation: expect.stringMatching(/^WTC\d+$/), cost: { amountMinor: 0, currency: 'USD' }, carrier: 'USPS', service: 'NextDay' });
      expect(pickup.windowStart).toBe('2026-08-04T13:00:00.000Z');
      const create = fake.requests.find((r) => r.route === 'POST /v2/pickups')!;
      expect(create.body).toMatchObject({ pickup: { shipment: { id: shipmentId }, min_datetime: window.windowStart, instructions: 'Front desk', reference: 'pk-1' } });
      expect(fake.requests.find((r) => r.route === 'POST /v2/pickups/:id/buy')?.body).toEqual({ carrier: 'USPS', service: 'NextDay' });
    });

    it('needs the shipment id, and asks nothing of EasyPost without it', async () => {
      await expect(sut.bookPickup({ address: customer, ...window })).rejects.toMatchObject({ code: 'invalid_request' });
      expect(fake.requests).toHaveLength(0);
    });

    it('cancels, and cancelling again answers canceled instead of failing', async () => {
      const { shipmentId } = await labelledShipment();
      const { pickupId } = await sut.bookPickup({ address: customer, shipmentId, ...window });

      await expect(sut.cancelPickup(pickupId)).resolves.toMatchObject({ status: 'canceled' });
      await expect(sut.cancelPickup(pickupId)).resolves.toMatchObject({ status: 'canceled' });
    });

    it('reschedules by booking the new window, then cancelling the old pickup', async () => {
      const { shipmentId } = await labelledShipment();
      const old = await sut.bookPickup({ address: customer, shipmentId, ...window });

      const moved = await sut.reschedulePickup(old.pickupId, { address: customer, shipmentId, windowStart: '2026-08-05T13:00:00Z', windowEnd: '2026-08-05T17:00:00Z' }, { idempotencyKey: 'rs-1' });

      expect(moved).toMatchObject({ status: 'scheduled', windowStart: '2026-08-05T13:00:00.000Z' });
      expect(fake.state.pickups.get(old.pickupId)?.status).toBe('canceled');
      expect(fake.state.pickups.get(moved.pickupId)?.status).toBe('scheduled');
    });

    it('keeps the new booking when the old cancel fails, so a retry books nothing more', async () => {
      const { shipmentId } = await labelledShipment();
      const old = await sut.bookPickup({ address: customer, shipmentId, ...window });
      fake.inject('POST /v2/pickups/:id/cancel', { kind: 'status', status: 503 }, 4);
      const req = { address: customer, shipmentId, windowStart: '2026-08-05T13:00:00Z', windowEnd: '2026-08-05T17:00:00Z' };

      await expect(sut.reschedulePickup(old.pickupId, req, { idempotencyKey: 'rs-2' })).rejects.toMatchObject({ code: 'server_error', retryable: true });
      const moved = await sut.reschedulePickup(old.pickupId, req, { idempotencyKey: 'rs-2' });

      expect(calls('POST /v2/pickups/:id/buy')).toBe(2);
      expect(fake.state.pickups.get(old.pickupId)?.status).toBe('canceled');
      expect(moved.status).toBe('scheduled');
    });
  });

  describe('verifyAddress', () => {
    it('accepts an address EasyPost verifies without changes', async () => {
      await expect(sut.verifyAddress(customer)).resolves.toMatchObject({ verdict: 'valid', address: { name: 'Ana Ruiz', phone: '3105550100', zip: expect.stringMatching(/^90277-\d{4}$/) } });
      expect(fake.requests[0]).toMatchObject({ path: '/v2/addresses/create_and_verify', body: { address: { street1: '179 N Harbor Dr' } } });
    });

    it('calls a standardised street a correction', async () => {
      await expect(sut.verifyAddress({ ...merchant, street1: '388 Townsend Street' })).resolves.toMatchObject({ verdict: 'corrected', changes: ['street1'] });
    });

    it('turns the 422 for an unverifiable address into an invalid verdict', async () => {
      const verdict = await sut.verifyAddress({ ...merchant, street1: 'invalid', state: 'ZZ' });

      expect(verdict).toEqual({
        verdict: 'invalid',
        reasons: [
          { code: 'E.ADDRESS.NOT_FOUND', field: 'address', message: 'Address not found' },
          { code: 'E.HOUSE_NUMBER.MISSING', field: 'street1', message: 'House number is missing' },
        ],
      });
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe('claims', () => {
    const claim = { type: 'damage' as const, amount: { amountMinor: 4500, currency: 'USD' }, description: 'Crushed box', evidence: [{ kind: 'photo' as const, url: 'data:image/png;base64,iVBORw0KGgo=' }] };

    it('surfaces EasyPost\'s 404 for an uninsured parcel, not retryable', async () => {
      await expect(sut.fileClaim({ ...claim, trackingCode: '9400100110368068952177' })).rejects.toMatchObject({
        code: 'not_found',
        retryable: false,
        message: 'The requested resource could not be found. (No eligible insurance found with provided tracking code.)',
      });
      expect(fake.requests).toHaveLength(1);
    });

    it('files an unwrapped claim and follows it to approval', async () => {
      fake.insure('9400100110368068952177');

      const filed = await sut.fileClaim({ ...claim, trackingCode: '9400100110368068952177', contactEmail: 'ops@kumo.example' });
      fake.setClaimStatus(filed.claimId, 'approved', 'Claim approved.', '45.00');
      const later = await sut.getClaim(filed.claimId);

      expect(fake.requests[0].body).toEqual({
        type: 'damage',
        tracking_code: '9400100110368068952177',
        amount: '45.00',
        description: 'Crushed box',
        contact_email: 'ops@kumo.example',
        supporting_documentation_attachments: ['data:image/png;base64,iVBORw0KGgo='],
      });
      expect(filed).toMatchObject({ status: 'submitted', requestedAmount: { amountMinor: 4500, currency: 'USD' } });
      expect(later).toMatchObject({ status: 'approved', approvedAmount: { amountMinor: 4500, currency: 'USD' } });
    });

    it('reads claims stamped the 2024 way, without a zone', async () => {
      await fake.close();
      fake = await startFakeEasyPost({ naiveClaimTimes: true, now: () => new Date('2024-07-30T16:10:57Z') });
      sut = build();
      fake.insure('9400100110368068952177');

      const filed = await sut.fileClaim({ ...claim, trackingCode: '9400100110368068952177' });

      expect(fake.state.claims.get(filed.claimId)?.created_at).toBe('2024-07-30T16:10:57');
      expect(filed.submittedAt).toBe('2024-07-30T16:10:57.000Z');
    });
  });

  describe('retries', () => {
    it('waits out Retry-After on 429 and then succeeds', async () => {
      fake.inject('POST /v2/trackers', { kind: 'status', status: 429, retryAfter: 2 }, 2);

      await expect(sut.track({ trackingCode: 'EZ1000000001' })).resolves.toMatchObject({ status: 'pre_transit' });
      expect(calls('POST /v2/trackers')).toBe(3);
      expect(sleeps).toEqual([2000, 2000]);
    });

    it.each([
      ['500', { kind: 'status', status: 500 }],
      ['502 with an envelope', { kind: 'status', status: 502 }],
      ['503', { kind: 'status', status: 503 }],
      ['a proxy\'s HTML 502', { kind: 'html' }],
      ['a malformed 200 body', { kind: 'malformed' }],
      ['a dropped connection', { kind: 'reset' }],
      ['a hang past the timeout', { kind: 'hang' }],
    ] as const)('retries %s with exponential backoff and loses nothing', async (_label, fault) => {
      fake.inject('POST /v2/trackers', fault, 2);

      const snapshot = await sut.track({ trackingCode: 'EZ4000000004' });

      expect(snapshot.status).toBe('delivered');
      expect(sleeps).toEqual([100, 200]);
      expect(calls('POST /v2/trackers')).toBe(3);
      expect(fake.state.trackers.size).toBe(1);
    });

    it.each([
      ['a 503', { kind: 'status', status: 503 }, { code: 'server_error', details: { httpStatus: 503, carrierCode: 'INTERNAL_SERVER_ERROR' } }],
      ['an HTML 502', { kind: 'html' }, { code: 'server_error', details: { httpStatus: 502 } }],
      ['a malformed body', { kind: 'malformed' }, { code: 'malformed_response', details: { httpStatus: 200 } }],
      ['a hang', { kind: 'hang' }, { code: 'timeout' }],
      ['a reset', { kind: 'reset' }, { code: 'network' }],
    ] as const)('classifies %s as retryable when retries run out', async (_label, fault, expected) => {
      fake.inject('POST /v2/trackers', fault, 4);

      const failure = sut.track({ trackingCode: 'EZ4000000004' });

      await expect(failure).rejects.toBeInstanceOf(CarrierError);
      await expect(failure).rejects.toMatchObject({ carrier: 'easypost', retryable: true, ...expected });
      expect(calls('POST /v2/trackers')).toBe(4);
    });

    it('gives up at once when Retry-After is longer than it will wait, and passes the wait on', async () => {
      fake.inject('POST /v2/trackers', { kind: 'status', status: 429, retryAfter: 120 });

      await expect(sut.track({ trackingCode: 'EZ1000000001' })).rejects.toMatchObject({ code: 'rate_limited', retryable: true, details: { retryAfterMs: 120_000 } });
      expect(calls('POST /v2/trackers')).toBe(1);
    });

    it('does not retry when told not to', async () => {
      sut = build(false);
      fake.inject('POST /v2/trackers', { kind: 'status', status: 503 });

      await expect(sut.track({ trackingCode: 'EZ1000000001' })).rejects.toMatchObject({ code: 'server_error', retryable: true });
      expect(calls('POST /v2/trackers')).toBe(1);
    });

    it('honours a per-call timeout', async () => {
      sut = build(false, { responseTimeoutMs: 5_000, deadlineMs: 5_000 });
      fake.inject('POST /v2/trackers', { kind: 'hang', ms: 2_000 });
      const started = Date.now();

      await expect(sut.track({ trackingCode: 'EZ1000000001' }, { timeoutMs: 150 })).rejects.toMatchObject({ code: 'timeout', retryable: true });
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('surfaces a wrong API key as unauthorized, without retrying', async () => {
      sut = build({}, { apiKey: 'EZTKwrong' });

      await expect(sut.track({ trackingCode: 'EZ1000000001' })).rejects.toMatchObject({ code: 'unauthorized', retryable: false, details: { httpStatus: 401 } });
      expect(fake.requests).toHaveLength(1);
    });

    it('treats a refused connection as a retryable network error', async () => {
      const url = fake.url;
      await fake.close();
      sut = new EasyPostAdapter({ client: { apiKey: 'k', baseUrl: url }, retry: false });
      fake = await startFakeEasyPost();

      await expect(sut.track({ trackingCode: 'EZ1000000001' })).rejects.toMatchObject({ code: 'network', retryable: true });
    });
  });

  describe('ambiguous failures do not double-charge', () => {
    it.each([
      ['a 500 after the label was bought', { kind: 'status', status: 500, after: true }],
      ['a timeout after the label was bought', { kind: 'hang', ms: 2_000, after: true }],
    ] as const)('finds the label after %s instead of buying again', async (_label, fault) => {
      fake.inject('POST /v2/shipments/:id/buy', fault);

      const label = await sut.createReturnLabel({ from: customer, to: merchant, parcel: { weightOz: 12 } });

      expect(calls('POST /v2/shipments/:id/buy')).toBe(1);
      expect(calls('GET /v2/shipments/:id')).toBe(1);
      expect(label.trackingCode).toBe(fake.state.shipments.get(label.shipmentId)?.tracking_code);
    });

    it('repeats a buy that was rate limited, without asking first', async () => {
      fake.inject('POST /v2/shipments/:id/buy', { kind: 'status', status: 429, retryAfter: 1 });

      await sut.createReturnLabel({ from: customer, to: merchant, parcel: { weightOz: 12 } });

      expect(calls('POST /v2/shipments/:id/buy')).toBe(2);
      expect(calls('GET /v2/shipments/:id')).toBe(0);
    });

    it('finds the scheduled pickup after a lost answer', async () => {
      const { shipmentId } = await sut.createReturnLabel({ from: customer, to: merchant, parcel: { weightOz: 12 } });
      fake.inject('POST /v2/pickups/:id/buy', { kind: 'reset', after: true });

      const pickup = await sut.bookPickup({ address: customer, shipmentId, windowStart: '2026-08-04T13:00:00Z', windowEnd: '2026-08-04T17:00:00Z' });

      expect(pickup.status).toBe('scheduled');
      expect(calls('POST /v2/pickups/:id/buy')).toBe(1);
    });

    it('finds the claim after a lost answer instead of filing a second one', async () => {
      fake.insure('9400100110368068952177');
      fake.inject('POST /v2/claims', { kind: 'status', status: 502, after: true });

      const filed = await sut.fileClaim({ type: 'loss', trackingCode: '9400100110368068952177', amount: { amountMinor: 10000, currency: 'USD' }, description: 'Never arrived' });

      expect(fake.state.claims.size).toBe(1);
      expect(filed.claimId).toBe([...fake.state.claims.keys()][0]);
      expect(calls('GET /v2/claims')).toBe(1);
    });
  });

  describe('webhooks from the fake', () => {
    let receiver: Server;
    let receiverUrl: string;
    const secret = 'sécret';

    beforeEach(async () => {
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          try {
            const event = sut.parseWebhook(Buffer.concat(chunks), req.headers, secret);
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(event));
          } catch (err) {
            res.writeHead(err instanceof EasyPostSignatureError ? 401 : 500).end(err instanceof EasyPostSignatureError ? err.reason : String(err));
          }
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/easypost`;
    });

    afterEach(async () => {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    });

    it('delivers a signed tracker.updated that verifies and maps', async () => {
      const { trackerId } = await sut.track({ trackingCode: 'EZ4000000004' });

      const sent = await fake.sendWebhook({ url: receiverUrl, secret, trackerId: trackerId!, previousAttributes: { status: 'out_for_delivery' } });
      const mapped = JSON.parse(sent.body);

      expect(sent.status).toBe(200);
      expect(sent.signature).toMatch(/^hmac-sha256-hex=[0-9a-f]{64}$/);
      expect(mapped).toMatchObject({ eventId: sent.event.id, description: 'tracker.updated', snapshot: { trackerId, status: 'delivered', signedBy: 'John Tester' } });
    });

    it.each([
      ['a wrong secret', { secret: 'other' }, 'signature_mismatch'],
      ['no signature header', { signatureOverride: null }, 'missing_signature'],
      ['a bare hex signature', { signatureOverride: 'ab'.repeat(32) }, 'malformed_signature'],
    ])('is refused with %s', async (_label, override, reason) => {
      const { trackerId } = await sut.track({ trackingCode: 'EZ2000000002' });

      const sent = await fake.sendWebhook({ url: receiverUrl, secret, trackerId: trackerId!, ...override });

      expect(sent).toMatchObject({ status: 401, body: reason });
    });
  });
});
