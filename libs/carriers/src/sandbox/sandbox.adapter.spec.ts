import { easypostFixture } from '../../../../test/fixtures/easypost/easypost-fixture';
import { CarrierError } from '../carrier.error';
import type { PostalAddress, TrackingSnapshot } from '../carrier.model';
import type { PickupRequest } from '../carrier.port';
import { EasyPostMapper } from '../easypost/easypost.mapper';
import { withRetry } from '../shared/retry';
import { SandboxAdapter } from './sandbox.adapter';
import { EASYPOST_TEST_CODES } from './sandbox.story';

const H = 3_600_000;
const D = 24 * H;
const T0 = new Date('2026-07-01T12:00:00.000Z');

function fakeClock(start: Date = T0) {
  let now = start.getTime();
  return {
    clock: () => new Date(now),
    set: (at: Date) => (now = at.getTime()),
    at: (offsetMs: number) => (now = start.getTime() + offsetMs),
  };
}

const customer: PostalAddress = { name: 'Ana Ruiz', street1: '12 N Elm St', city: 'Radnor', state: 'PA', zip: '19087', country: 'US' };
const merchant: PostalAddress = { company: 'Kumo Tea', street1: '388 Townsend St', city: 'San Francisco', state: 'CA', zip: '94107', country: 'US' };

describe(SandboxAdapter.name, () => {
  let time: ReturnType<typeof fakeClock>;
  let sut: SandboxAdapter;

  beforeEach(() => {
    time = fakeClock();
    sut = new SandboxAdapter({ clock: time.clock });
  });

  it('declares every capability', () => {
    expect(Object.values(sut.capabilities).every(Boolean)).toBe(true);
    expect(sut.code).toBe('sandbox');
  });

  describe('EasyPost test tracking codes', () => {
    /** What both the sandbox and the recording say, ignoring ids and the carrier name. */
    const project = (s: TrackingSnapshot) => ({
      status: s.status,
      exceptionReason: s.exceptionReason,
      signedBy: s.signedBy,
      deliveredAt: s.deliveredAt,
      estimatedDeliveryAt: s.estimatedDeliveryAt,
      events: s.events.map((e) => ({
        occurredAt: e.occurredAt,
        status: e.status,
        carrierStatus: e.carrierStatus,
        exceptionReason: e.exceptionReason,
        message: e.message,
        location: e.location,
      })),
    });

    it.each(EASYPOST_TEST_CODES.map((c) => [c]))('%s plays what EasyPost recorded in test mode', async (code) => {
      const recorded = easypostFixture(`tracker/tracker-${code.toLowerCase()}.json`);
      const expected = new EasyPostMapper(jest.fn()).toTrackingSnapshot(recorded);
      time.set(new Date(recorded.created_at));
      sut.register(code, recorded.created_at);

      const snapshot = await sut.track({ trackingCode: code });

      expect(project(snapshot)).toEqual(project(expected));
      expect(snapshot.underlyingCarrier).toBe('USPS');
    });

    it('treats any other code as EasyPost test mode does: an error tracker', async () => {
      const snapshot = await sut.track({ trackingCode: 'EZ1000000002' });

      expect(snapshot.status).toBe('unknown');
      expect(snapshot.events.map((e) => [e.carrierStatus, e.message])).toEqual([
        ['error', 'In test mode, only test tracking numbers are valid. Test tracking numbers are EZ1000000001, EZ2000000002, ... , EZ7000000007'],
      ]);
    });
  });

  describe('scripted stories over the clock', () => {
    const status = async (code: string, offset: number) => {
      time.at(offset);
      const s = await sut.track({ trackingCode: code });
      return [s.status, s.exceptionReason];
    };

    it.each<[string, [number, string, string | null][]]>([
      [
        'OK',
        [
          [0, 'pre_transit', null],
          [5 * H, 'in_transit', null],
          [57 * H, 'out_for_delivery', null],
          [62 * H, 'delivered', null],
          [30 * D, 'delivered', null],
        ],
      ],
      [
        'DNR',
        [
          [61 * H, 'out_for_delivery', null],
          [62 * H, 'delivered', null],
          [20 * D, 'delivered', null],
        ],
      ],
      [
        'ADDR',
        [
          [59 * H, 'out_for_delivery', null],
          [60 * H, 'exception', 'address_problem'],
          [66 * H, 'available_for_pickup', 'address_problem'],
          [66 * H + 5 * D - 1, 'available_for_pickup', 'address_problem'],
          [66 * H + 5 * D, 'return_to_sender', 'address_problem'],
          [30 * D, 'return_to_sender', 'address_problem'],
        ],
      ],
      [
        'DAMAGED',
        [
          [20 * H, 'exception', 'damaged'],
          [26 * H, 'in_transit', null],
          [62 * H, 'delivered', null],
        ],
      ],
      [
        'STALL',
        [
          [30 * H, 'in_transit', null],
          [4 * D, 'in_transit', null],
          [60 * D, 'in_transit', null],
        ],
      ],
    ])('SBX-%s plays its story end to end', async (story, timeline) => {
      const code = `SBX-${story}-order-1001`;
      sut.register(code, T0);

      for (const [offset, expectedStatus, expectedReason] of timeline) {
        await expect(status(code, offset)).resolves.toEqual([expectedStatus, expectedReason]);
      }
    });

    it('shows the proof of delivery once delivered, and keeps the damage scan in the history', async () => {
      const code = 'SBX-DAMAGED-7';
      sut.register(code, T0);
      time.at(63 * H);

      const snapshot = await sut.track({ trackingCode: code });

      expect(snapshot).toMatchObject({ deliveredAt: '2026-07-04T02:00:00.000Z', proofOfDelivery: { signedBy: null, leftAt: 'Front Door/Porch' } });
      expect(snapshot.events.filter((e) => e.exceptionReason === 'damaged').map((e) => e.message)).toEqual(['Package damaged in handling']);
    });

    it('leaves a stalled parcel past its estimate with no new scan', async () => {
      sut.register('SBX-STALL-9', T0);
      time.at(10 * D);

      const snapshot = await sut.track({ trackingCode: 'SBX-STALL-9' });

      expect(snapshot.events.at(-1)?.occurredAt).toBe(new Date(T0.getTime() + 30 * H).toISOString());
      expect(Date.parse(snapshot.estimatedDeliveryAt!)).toBeLessThan(time.clock().getTime());
    });

    it('starts a stamped code at its stamp, the same on every instance', async () => {
      const code = SandboxAdapter.storyTrackingCode('DNR', T0, 'A');
      const other = new SandboxAdapter({ clock: () => new Date(T0.getTime() + 70 * H) });
      time.at(70 * H);

      const [a, b] = await Promise.all([sut.track({ trackingCode: code }), other.track({ trackingCode: code })]);

      expect(code).toBe('SBX-DNR-202607011200-A');
      expect(a).toEqual(b);
      expect(a.status).toBe('delivered');
    });

    it('starts an unstamped code when first seen, or at storyStartedAt', async () => {
      time.at(3 * D);
      await expect(sut.track({ trackingCode: 'SBX-OK-x' })).resolves.toMatchObject({ status: 'pre_transit' });

      const pinned = new SandboxAdapter({ clock: time.clock, storyStartedAt: T0 });
      await expect(pinned.track({ trackingCode: 'SBX-OK-x' })).resolves.toMatchObject({ status: 'delivered' });
    });

    it('describes the cues the demo should play', () => {
      sut.register('SBX-DNR-1', T0);

      expect(sut.describeStory('SBX-DNR-1')).toEqual({
        story: 'DNR',
        startedAt: T0.toISOString(),
        cues: [{ at: '2026-07-05T02:00:00.000Z', cue: 'customer_reports_missing', note: 'The customer says the parcel never arrived.' }],
      });
    });
  });

  describe('eventsBetween', () => {
    it('emits one event per scan that became due, with the snapshot as of that scan', () => {
      sut.register('SBX-DNR-1', T0);

      const events = sut.eventsBetween(new Date(T0.getTime() - 1), new Date(T0.getTime() + 3 * D));

      expect(events.map((e) => e.snapshot?.status)).toEqual(['pre_transit', 'in_transit', 'in_transit', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered']);
      expect(events.every((e) => e.description === 'tracker.updated' && e.carrier === 'sandbox')).toBe(true);
      expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
      expect(events.map((e) => e.occurredAt)).toEqual([...events.map((e) => e.occurredAt)].sort());
    });

    it('gives the same ids for the same scans, whatever the polling windows', () => {
      sut.register('SBX-OK-1', T0);
      const whole = sut.eventsBetween(T0, new Date(T0.getTime() + 3 * D)).map((e) => e.eventId);

      const first = sut.eventsBetween(T0, new Date(T0.getTime() + 1 * D)).map((e) => e.eventId);
      const second = sut.eventsBetween(new Date(T0.getTime() + 1 * D), new Date(T0.getTime() + 3 * D)).map((e) => e.eventId);

      expect([...first, ...second]).toEqual(whole);
    });

    it('includes claim status changes', async () => {
      const claim = await sut.fileClaim(damageClaim('SBX-DAMAGED-1'));

      const events = sut.eventsBetween(new Date(T0.getTime() - 1), new Date(T0.getTime() + 6 * D));

      expect(events.map((e) => [e.description, e.claim?.status])).toEqual([
        ['claim.submitted', 'submitted'],
        ['claim.updated', 'in_review'],
        ['claim.approved', 'approved'],
        ['claim.updated', 'paid'],
      ]);
      expect(events[0].claim?.claimId).toBe(claim.claimId);
    });
  });

  describe('intercept and hold', () => {
    it('redirects a parcel in transit and delivers it to the new address', async () => {
      sut.register('SBX-STALL-1', T0);
      time.at(2 * D);

      const result = await sut.intercept({ trackingCode: 'SBX-STALL-1', kind: 'redirect', newAddress: { ...customer, city: 'Wayne', zip: '19087' } });
      time.at(2 * D + 28 * H);
      const snapshot = await sut.track({ trackingCode: 'SBX-STALL-1' });

      expect(result).toMatchObject({ outcome: 'accepted', fee: { amountMinor: 1795, currency: 'USD' } });
      expect(snapshot).toMatchObject({ status: 'delivered', estimatedDeliveryAt: snapshot.deliveredAt });
      expect(snapshot.events.at(-1)?.location?.city).toBe('Wayne');
    });

    it('returns a parcel to the sender on request', async () => {
      sut.register('SBX-OK-2', T0);
      time.at(20 * H);

      await expect(sut.intercept({ trackingCode: 'SBX-OK-2', kind: 'return_to_sender' })).resolves.toMatchObject({ outcome: 'accepted' });
      time.at(80 * H);
      await expect(sut.track({ trackingCode: 'SBX-OK-2' })).resolves.toMatchObject({ status: 'return_to_sender' });
    });

    it('holds a parcel after an address exception, then returns it when the hold expires', async () => {
      sut.register('SBX-ADDR-1', T0);
      time.at(61 * H);

      const result = await sut.holdAtLocation({ trackingCode: 'SBX-ADDR-1', locationId: 'Wayne Post Office' });
      time.at(66 * H);
      const held = await sut.track({ trackingCode: 'SBX-ADDR-1' });

      expect(result).toEqual({
        outcome: 'accepted',
        reference: expect.stringMatching(/^SBX-HOLD-/),
        fee: { amountMinor: 0, currency: 'USD' },
        holdUntil: new Date(T0.getTime() + 65 * H + 5 * D).toISOString(),
        location: 'Wayne Post Office',
      });
      expect(held).toMatchObject({ status: 'available_for_pickup' });
      expect(held.events.at(-1)?.message).toBe('Held for pickup at Wayne Post Office');
      time.at(65 * H + 5 * D);
      await expect(sut.track({ trackingCode: 'SBX-ADDR-1' })).resolves.toMatchObject({ status: 'return_to_sender' });
    });

    it.each([
      ['a delivered parcel', 'SBX-DNR-1', 70 * H, 'SBX.TOO_LATE'],
      ['a parcel already returning', 'SBX-ADDR-1', 10 * D, 'SBX.TOO_LATE'],
      ['a code the carrier does not know', 'NOT-A-CODE', 0, 'SBX.NOT_IN_NETWORK'],
      ['a REFUSE tracking code', 'SBX-OK-REFUSE-1', 5 * H, 'SANDBOX.REFUSED'],
    ])('refuses %s', async (_label, code, offset, reasonCode) => {
      sut.register(code, T0);
      time.at(offset);

      const result = await sut.intercept({ trackingCode: code, kind: 'return_to_sender' });

      expect(result).toMatchObject({ outcome: 'refused', code: reasonCode.replace('SBX.', 'SANDBOX.') });
    });

    it('refuses a second request for the same parcel', async () => {
      sut.register('SBX-STALL-2', T0);
      time.at(1 * D);
      await sut.holdAtLocation({ trackingCode: 'SBX-STALL-2' });

      await expect(sut.intercept({ trackingCode: 'SBX-STALL-2', kind: 'return_to_sender' })).resolves.toMatchObject({
        outcome: 'refused',
        code: 'SANDBOX.ALREADY_REQUESTED',
      });
    });

    it('needs an address to redirect and a future date to reschedule', async () => {
      sut.register('SBX-STALL-3', T0);
      time.at(1 * D);

      await expect(sut.intercept({ trackingCode: 'SBX-STALL-3', kind: 'redirect' })).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(sut.intercept({ trackingCode: 'SBX-STALL-3', kind: 'reschedule', deliveryDate: '2026-06-01' })).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(sut.intercept({ trackingCode: 'SBX-STALL-3', kind: 'reschedule', deliveryDate: '2026-07-06' })).resolves.toMatchObject({ outcome: 'accepted' });
      time.set(new Date('2026-07-06T14:00:00Z'));
      await expect(sut.track({ trackingCode: 'SBX-STALL-3' })).resolves.toMatchObject({ status: 'delivered', deliveredAt: '2026-07-06T14:00:00.000Z' });
    });
  });

  describe('failure injection', () => {
    it.each([
      ['FAIL-TIMEOUT', { code: 'timeout', retryable: true }],
      ['FAIL-5XX', { code: 'server_error', retryable: true, details: { httpStatus: 503 } }],
      ['FAIL-429', { code: 'rate_limited', retryable: true, details: { httpStatus: 429, retryAfterMs: 1000 } }],
    ])('%s in a tracking code fails every call', async (magic, expected) => {
      const code = `SBX-OK-${magic}-1x`;

      await expect(sut.track({ trackingCode: code })).rejects.toMatchObject({ carrier: 'sandbox', ...expected });
      await expect(sut.track({ trackingCode: code })).rejects.toBeInstanceOf(CarrierError);
    });

    it('FAIL-5XX-2 fails the first two calls, so a retrying caller succeeds on the third', async () => {
      const calls: number[] = [];

      const snapshot = await withRetry(
        (attempt) => {
          calls.push(attempt);
          return sut.track({ trackingCode: 'SBX-OK-FAIL-5XX-2' });
        },
        { retries: 3, baseMs: 10, maxMs: 100, jitter: 'none', sleep: async () => undefined },
      );

      expect(calls).toEqual([1, 2, 3]);
      expect(snapshot.status).toBe('pre_transit');
    });

    it('a simulated timeout waits before failing', async () => {
      const sleep = jest.fn(async () => undefined);
      sut = new SandboxAdapter({ clock: time.clock, simulatedTimeoutMs: 5_000, sleep });

      await expect(sut.verifyAddress({ ...customer, name: 'FAIL-TIMEOUT' })).rejects.toMatchObject({ code: 'timeout' });
      expect(sleep).toHaveBeenCalledWith(5_000);
    });

    it('REFUSE in an address name refuses the pickup, not retryable', async () => {
      await expect(sut.bookPickup(pickupReq({ address: { ...customer, name: 'REFUSE Ruiz' } }))).rejects.toMatchObject({
        code: 'refused',
        retryable: false,
      });
    });

    it('failNext() fails the next calls of one method, or of any', async () => {
      sut.failNext('getClaim', '429');
      sut.failNext('*', '5xx', 2);

      await expect(sut.getClaim('sbx_clm_nope')).rejects.toMatchObject({ code: 'rate_limited' });
      await expect(sut.track({ trackingCode: 'SBX-OK-1' })).rejects.toMatchObject({ code: 'server_error' });
      await expect(sut.verifyAddress(customer)).rejects.toMatchObject({ code: 'server_error' });
      await expect(sut.track({ trackingCode: 'SBX-OK-1' })).resolves.toMatchObject({ status: 'pre_transit' });
    });
  });

  describe('return labels', () => {
    it('makes a label whose parcel plays the OK story from now', async () => {
      const label = await sut.createReturnLabel({ from: customer, to: merchant, parcel: { weightOz: 12 } });

      expect(label).toEqual({
        shipmentId: 'sbx_shp_000001',
        trackingCode: 'SBX-OK-202607011200-R000001',
        labelUrl: 'https://sandbox.delivery-desk.invalid/labels/sbx_shp_000001.pdf',
        carrier: 'USPS',
        service: 'GroundAdvantage',
        cost: { amountMinor: 820, currency: 'USD' },
      });
      time.at(5 * H);
      await expect(sut.track({ trackingCode: label.trackingCode })).resolves.toMatchObject({ status: 'in_transit' });
    });

    it('replays the first result for the same idempotency key and refuses the key for another request', async () => {
      const req = { from: customer, to: merchant, parcel: { weightOz: 12 }, service: 'Priority' };

      const first = await sut.createReturnLabel(req, { idempotencyKey: 'rma-1' });
      const again = await sut.createReturnLabel(req, { idempotencyKey: 'rma-1' });

      expect(again).toEqual(first);
      expect(first.cost.amountMinor).toBe(1101);
      await expect(sut.createReturnLabel({ ...req, parcel: { weightOz: 40 } }, { idempotencyKey: 'rma-1' })).rejects.toMatchObject({ code: 'invalid_request' });
    });

    it('rejects a service it does not offer', async () => {
      await expect(sut.createReturnLabel({ from: customer, to: merchant, parcel: { weightOz: 12 }, service: 'Teleport' })).rejects.toMatchObject({
        code: 'invalid_request',
      });
    });
  });

  describe('pickups', () => {
    it('books, reschedules and cancels', async () => {
      const booked = await sut.bookPickup(pickupReq());
      const moved = await sut.reschedulePickup(booked.pickupId, pickupReq({ windowStart: '2026-07-03T13:00:00Z', windowEnd: '2026-07-03T17:00:00Z' }));
      const canceled = await sut.cancelPickup(moved.pickupId);

      expect(booked).toMatchObject({ status: 'scheduled', confirmation: 'SBX00000001', cost: { amountMinor: 0, currency: 'USD' }, windowStart: '2026-07-02T13:00:00.000Z' });
      expect(moved).toMatchObject({ status: 'scheduled', windowStart: '2026-07-03T13:00:00.000Z' });
      expect(moved.pickupId).not.toBe(booked.pickupId);
      await expect(sut.cancelPickup(booked.pickupId)).resolves.toMatchObject({ status: 'canceled' });
      expect(canceled.status).toBe('canceled');
      await expect(sut.cancelPickup(moved.pickupId)).resolves.toMatchObject({ status: 'canceled' });
    });

    it.each([
      ['a window in the past', { windowStart: '2026-06-30T13:00:00Z', windowEnd: '2026-06-30T17:00:00Z' }, 'invalid_request'],
      ['a window that ends before it starts', { windowStart: '2026-07-02T17:00:00Z', windowEnd: '2026-07-02T13:00:00Z' }, 'invalid_request'],
      ['a Sunday', { windowStart: '2026-07-05T13:00:00Z', windowEnd: '2026-07-05T17:00:00Z' }, 'refused'],
    ])('rejects %s', async (_label, window, code) => {
      await expect(sut.bookPickup(pickupReq(window))).rejects.toMatchObject({ code });
    });

    it('cannot cancel a pickup whose window has passed, nor one it never booked', async () => {
      const booked = await sut.bookPickup(pickupReq());
      time.at(3 * D);

      await expect(sut.cancelPickup(booked.pickupId)).rejects.toMatchObject({ code: 'refused' });
      await expect(sut.cancelPickup('sbx_pickup_999')).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('address verification', () => {
    it('accepts a standard address, adding ZIP+4', async () => {
      const verdict = await sut.verifyAddress({ ...customer, street1: '12 N ELM ST', city: 'RADNOR' });

      expect(verdict).toMatchObject({ verdict: 'valid', address: { name: 'Ana Ruiz', street1: '12 N ELM ST', zip: expect.stringMatching(/^19087-\d{4}$/) } });
    });

    it('standardises the street like EasyPost and calls it a correction', async () => {
      const verdict = await sut.verifyAddress({ ...merchant, street1: '417 Montgomery Street', street2: 'Floor 5', zip: '94104' });

      expect(verdict).toMatchObject({ verdict: 'corrected', changes: ['street1', 'street2'], address: { street1: '417 MONTGOMERY ST', street2: 'FL 5', residential: false } });
    });

    it('rejects the address EasyPost\'s recordings reject', async () => {
      const verdict = await sut.verifyAddress({ company: 'EasyPost', street1: '000 unknown street', city: 'Not A City', state: 'ZZ', zip: '00001', country: 'US' });

      expect(verdict).toEqual({ verdict: 'invalid', reasons: [{ code: 'E.ADDRESS.NOT_FOUND', field: 'address', message: 'Address not found' }] });
    });

    it('names a missing house number', async () => {
      const verdict = await sut.verifyAddress({ ...customer, street1: 'invalid' });

      expect(verdict.verdict === 'invalid' && verdict.reasons.map((r) => r.code)).toEqual(['E.ADDRESS.NOT_FOUND', 'E.HOUSE_NUMBER.MISSING']);
    });

    it('verifies US addresses only', async () => {
      await expect(sut.verifyAddress({ ...customer, country: 'JP' })).rejects.toMatchObject({ code: 'unsupported', retryable: false });
    });
  });

  describe('claims', () => {
    it('moves a claim through review to payment as the clock runs', async () => {
      const filed = await sut.fileClaim(damageClaim('SBX-DAMAGED-1'));
      const at = async (offset: number) => {
        time.at(offset);
        return (await sut.getClaim(filed.claimId)).status;
      };

      expect(filed).toMatchObject({ status: 'submitted', requestedAmount: { amountMinor: 4500, currency: 'USD' }, approvedAmount: null, submittedAt: T0.toISOString() });
      await expect(at(1 * D)).resolves.toBe('in_review');
      await expect(at(3 * D)).resolves.toBe('approved');
      await expect(at(5 * D)).resolves.toBe('paid');
      await expect(sut.getClaim(filed.claimId)).resolves.toMatchObject({ approvedAmount: { amountMinor: 4500, currency: 'USD' } });
    });

    it('rejects a claim whose description says REJECT', async () => {
      const filed = await sut.fileClaim({ ...damageClaim('SBX-DAMAGED-2'), description: 'REJECT: box was fine' });
      time.at(3 * D);

      await expect(sut.getClaim(filed.claimId)).resolves.toMatchObject({ status: 'rejected', approvedAmount: null });
    });

    it('requires photos for damage, and one open claim per parcel', async () => {
      await expect(sut.fileClaim({ ...damageClaim('SBX-DAMAGED-3'), evidence: [] })).rejects.toMatchObject({ code: 'invalid_request' });
      await sut.fileClaim(damageClaim('SBX-DAMAGED-3'));
      await expect(sut.fileClaim({ ...damageClaim('SBX-DAMAGED-3'), type: 'loss' })).rejects.toMatchObject({ code: 'invalid_request' });
    });

    it('does not know claims it never filed', async () => {
      await expect(sut.getClaim('sbx_clm_404')).rejects.toMatchObject({ code: 'not_found' });
    });
  });
});

function pickupReq(overrides: Partial<PickupRequest> = {}): PickupRequest {
  return { address: customer, windowStart: '2026-07-02T13:00:00Z', windowEnd: '2026-07-02T17:00:00Z', shipmentId: 'sbx_shp_000001', ...overrides };
}

function damageClaim(trackingCode: string) {
  return {
    type: 'damage' as const,
    trackingCode,
    amount: { amountMinor: 4500, currency: 'USD' },
    description: 'Crushed box, broken mug',
    evidence: [{ kind: 'photo' as const, url: 'https://files.example/box.jpg' }],
  };
}
