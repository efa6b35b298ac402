import { easypostFixture } from '../../../../test/fixtures/easypost/easypost-fixture';
import { CarrierError } from '../carrier.error';
import type { PostalAddress } from '../carrier.model';
import { EasyPostMapper, parseEasyPostTime } from './easypost.mapper';

describe(EasyPostMapper.name, () => {
  let onUnmappedCode: jest.Mock;
  let sut: EasyPostMapper;

  beforeEach(() => {
    onUnmappedCode = jest.fn();
    sut = new EasyPostMapper(onUnmappedCode);
  });

  describe('toTrackingSnapshot on the seven recorded test tracking codes', () => {
    it.each([
      ['ez1000000001', 'pre_transit', 2, 'Shipping label created', null],
      ['ez2000000002', 'in_transit', 6, 'Arrived at Distribution Center', null],
      ['ez3000000003', 'out_for_delivery', 7, 'Out For Delivery', null],
      ['ez4000000004', 'delivered', 8, 'Delivered', null],
      ['ez5000000005', 'return_to_sender', 8, 'Address Does Not Exist - Returning to Sender', 'other'],
      ['ez6000000006', 'exception', 4, 'Prohibited articles - Item not delivered - Item seized or destroyed', 'other'],
      ['ez7000000007', 'unknown', 1, 'Shipment Information Unavailable', null],
    ])('%s → %s', (code, status, eventCount, lastMessage, reason) => {
      const json = easypostFixture(`tracker/tracker-${code}.json`);

      const snapshot = sut.toTrackingSnapshot(json);

      expect(snapshot).toMatchObject({
        carrier: 'easypost',
        underlyingCarrier: 'USPS',
        trackingCode: code.toUpperCase(),
        trackerId: json.id,
        status,
        exceptionReason: reason,
        publicUrl: json.public_url,
        updatedAt: new Date(json.updated_at).toISOString(),
      });
      expect(snapshot.events).toHaveLength(eventCount);
      expect(snapshot.events.at(-1)?.message).toBe(lastMessage);
      // "unknown" is a known status_detail value: nothing here is unmapped.
      expect(onUnmappedCode).not.toHaveBeenCalled();
    });

    it('reads signature, delivery time and the delivered scan of EZ4000000004', () => {
      const snapshot = sut.toTrackingSnapshot(easypostFixture('tracker/tracker-ez4000000004.json'));

      expect(snapshot.signedBy).toBe('John Tester');
      expect(snapshot.proofOfDelivery).toEqual({ signedBy: 'John Tester' });
      expect(snapshot.deliveredAt).toBe('2020-04-12T06:10:22.000Z');
      expect(snapshot.estimatedDeliveryAt).toBe('2020-05-08T05:01:22.000Z');
      expect(snapshot.events.at(-1)).toMatchObject({
        status: 'delivered',
        carrierStatus: 'delivered',
        carrierStatusDetail: null,
        location: { city: 'Radnor', state: 'PA', zip: '19087', country: 'US' },
      });
    });

    it('places the time-less detail of EZ7000000007 at the tracker creation and keeps null estimates', () => {
      const snapshot = sut.toTrackingSnapshot(easypostFixture('tracker/tracker-ez7000000007.json'));

      expect(snapshot.events[0]).toMatchObject({ occurredAt: '2020-05-08T05:01:22.000Z', status: 'unknown', location: null });
      expect(snapshot.estimatedDeliveryAt).toBeNull();
      expect(snapshot.deliveredAt).toBeNull();
      expect(snapshot.signedBy).toBeNull();
      expect(snapshot.proofOfDelivery).toBeNull();
    });

    it('marks the failing scan of EZ6000000006 as an exception and the earlier ones as not', () => {
      const snapshot = sut.toTrackingSnapshot(easypostFixture('tracker/tracker-ez6000000006.json'));

      expect(snapshot.events.map((e) => [e.status, e.exceptionReason])).toEqual([
        ['pre_transit', null],
        ['pre_transit', null],
        ['in_transit', null],
        ['exception', 'other'],
      ]);
    });
  });

  describe('toTrackingSnapshot on other recordings', () => {
    it('maps the 2024 EZ1000000001 body with status_update details and a carrier_detail', () => {
      const snapshot = sut.toTrackingSnapshot(easypostFixture('tracker/tracker-ez1000000001-2024.json'));

      expect(snapshot.status).toBe('pre_transit');
      expect(snapshot.events.map((e) => e.carrierStatusDetail)).toEqual(['status_update', 'status_update']);
      expect(snapshot.events[0].location).toBeNull();
      expect(snapshot.events[1].location).toEqual({ city: 'HOUSTON', state: 'TX', zip: '77063', country: null });
      expect(onUnmappedCode).not.toHaveBeenCalled();
    });

    it('maps an "error" tracker (not a test code) to unknown and keeps EasyPost\'s explanation', () => {
      const snapshot = sut.toTrackingSnapshot(easypostFixture('tracker/tracker-error-invalid-test-code.json'));

      expect(snapshot.status).toBe('unknown');
      expect(snapshot.events).toHaveLength(1);
      expect(snapshot.events[0].message).toMatch(/^In test mode, only test tracking numbers are valid/);
      expect(onUnmappedCode).not.toHaveBeenCalled();
    });
  });

  describe('sourceEventId', () => {
    it('is stable across mappings and unique within a tracker', () => {
      const json = easypostFixture('tracker/tracker-ez4000000004.json');

      const first = sut.toTrackingSnapshot(json).events.map((e) => e.sourceEventId);
      const second = sut.toTrackingSnapshot(easypostFixture('tracker/tracker-ez4000000004.json')).events.map((e) => e.sourceEventId);

      expect(second).toEqual(first);
      expect(new Set(first).size).toBe(first.length);
      expect(first[0]).toMatch(/^ep_[0-9a-f]{32}$/);
    });

    it('ignores description ("" or null for the same scan) but not the message', () => {
      const json = easypostFixture('tracker/tracker-ez2000000002.json');
      const base = sut.toTrackingSnapshot(json).events[2].sourceEventId;

      json.tracking_details[2].description = '';
      expect(sut.toTrackingSnapshot(json).events[2].sourceEventId).toBe(base);
      json.tracking_details[2].message = 'Picked Up by the mail carrier';
      expect(sut.toTrackingSnapshot(json).events[2].sourceEventId).not.toBe(base);
    });

    it('suffixes an identical repeated detail instead of colliding', () => {
      const json = easypostFixture('tracker/tracker-ez7000000007.json');
      json.tracking_details.push({ ...json.tracking_details[0] });

      const ids = sut.toTrackingSnapshot(json).events.map((e) => e.sourceEventId);

      expect(ids[1]).toBe(`${ids[0]}~1`);
    });
  });

  describe('unmapped codes', () => {
    it('maps an unknown tracker status to unknown and reports it', () => {
      const json = easypostFixture('tracker/tracker-ez2000000002.json');
      json.status = 'teleported';

      expect(sut.toTrackingSnapshot(json).status).toBe('unknown');
      expect(onUnmappedCode).toHaveBeenCalledWith({ carrier: 'easypost', field: 'tracker.status', value: 'teleported' });
    });

    it('reports an unknown status_detail and gives no reason for a parcel in transit', () => {
      const json = easypostFixture('tracker/tracker-ez2000000002.json');
      json.status_detail = 'abducted_by_gulls';

      expect(sut.toTrackingSnapshot(json).exceptionReason).toBeNull();
      expect(onUnmappedCode).toHaveBeenCalledWith({ carrier: 'easypost', field: 'tracker.status_detail', value: 'abducted_by_gulls' });
    });

    it('falls back to "other" for a failed parcel whose detail is unknown', () => {
      const json = easypostFixture('tracker/tracker-ez6000000006.json');
      json.status_detail = 'abducted_by_gulls';

      expect(sut.toTrackingSnapshot(json).exceptionReason).toBe('other');
    });

    it('uses the explicit table for known details', () => {
      const json = easypostFixture('tracker/tracker-ez2000000002.json');
      json.status_detail = 'weather_delay';
      expect(sut.toTrackingSnapshot(json).exceptionReason).toBe('delayed');

      json.status = 'failure';
      json.status_detail = 'address_correction';
      expect(sut.toTrackingSnapshot(json).exceptionReason).toBe('address_problem');
      expect(onUnmappedCode).not.toHaveBeenCalled();
    });
  });

  describe('malformed bodies', () => {
    it.each([
      ['an empty object', {}],
      ['a non-object', 'oops'],
      ['another object type', { ...easypostFixture('pickup/pickup-created.json') }],
      ['a broken timestamp', { ...easypostFixture('tracker/tracker-ez1000000001.json'), updated_at: 'yesterday' }],
    ])('rejects %s as a retryable malformed_response', (_label, json) => {
      expect(() => sut.toTrackingSnapshot(json)).toThrow(expect.objectContaining({ code: 'malformed_response', retryable: true }));
    });
  });

  describe('toWebhookEvent', () => {
    it('maps the official tracker.updated event', () => {
      const event = sut.toWebhookEvent(easypostFixture('official/event-body.json'));

      expect(event).toMatchObject({
        carrier: 'easypost',
        eventId: 'evt_1',
        description: 'tracker.updated',
        occurredAt: '2024-08-02T19:26:52.000Z',
        claim: null,
      });
      expect(event.snapshot).toMatchObject({
        trackerId: 'trk_1',
        underlyingCarrier: 'FedEx',
        status: 'in_transit',
        exceptionReason: null,
        estimatedDeliveryAt: '2024-08-05T00:00:00.000Z',
      });
      expect(event.snapshot?.events).toHaveLength(7);
      expect(event.snapshot?.events[0]).toMatchObject({ status: 'pre_transit', carrierStatusDetail: 'label_created' });
    });

    it('has no snapshot for an event retrieved without its result', () => {
      const event = sut.toWebhookEvent(easypostFixture('event/event-retrieved-without-result.json'));

      expect(event).toMatchObject({ description: 'tracker.created', snapshot: null, claim: null });
    });

    it('maps a claim event (both documented prefixes) to a claim', () => {
      const claim = easypostFixture('claim/claim-submitted-2025.json');
      for (const description of ['claim.submitted', 'claims.submitted']) {
        const event = sut.toWebhookEvent({ ...easypostFixture('official/event-body.json'), description, result: claim });
        expect(event.claim).toMatchObject({ claimId: claim.id, status: 'submitted' });
        expect(event.snapshot).toBeNull();
      }
      expect(onUnmappedCode).not.toHaveBeenCalled();
    });

    it('reports an event type EasyPost does not document', () => {
      sut.toWebhookEvent({ ...easypostFixture('event/event-retrieved-without-result.json'), description: 'parcel.teleported' });

      expect(onUnmappedCode).toHaveBeenCalledWith({ carrier: 'easypost', field: 'event.description', value: 'parcel.teleported' });
    });
  });

  describe('pickups', () => {
    it('maps a created pickup (rates fetched, nothing bought yet)', () => {
      const json = easypostFixture('pickup/pickup-created.json');

      expect(sut.toPickup(json)).toEqual({
        pickupId: 'pickup_95cb01894a1c495f927525b7039767f1',
        status: 'unknown',
        confirmation: null,
        windowStart: '2024-08-01T00:00:00.000Z',
        windowEnd: '2024-08-01T00:00:00.000Z',
        cost: null,
        carrier: null,
        service: null,
      });
      expect(sut.choosePickupRate(json)).toMatchObject({ carrier: 'USPS', service: 'NextDay', rate: '0.00' });
    });

    it('maps a scheduled pickup with the rate that was bought', () => {
      const pickup = sut.toPickup(easypostFixture('pickup/pickup-scheduled.json'), { carrier: 'USPS', service: 'NextDay' });

      expect(pickup).toMatchObject({
        status: 'scheduled',
        confirmation: 'WTC64740636',
        cost: { amountMinor: 0, currency: 'USD' },
        carrier: 'USPS',
        service: 'NextDay',
      });
    });

    it('maps a canceled pickup (one L at EasyPost)', () => {
      expect(sut.toPickup(easypostFixture('pickup/pickup-canceled.json'))).toMatchObject({ status: 'canceled', confirmation: 'WTC64740636' });
    });

    it('reports an unknown pickup status', () => {
      const json = { ...easypostFixture('pickup/pickup-scheduled.json'), status: 'en_route' };

      expect(sut.toPickup(json).status).toBe('unknown');
      expect(onUnmappedCode).toHaveBeenCalledWith({ carrier: 'easypost', field: 'pickup.status', value: 'en_route' });
    });

    it('refuses a pickup nobody offered to do', () => {
      const json = { ...easypostFixture('pickup/pickup-created.json'), pickup_rates: [], messages: [{ carrier: 'USPS', message: 'No pickups on Sunday', type: 'rate_error' }] };

      expect(() => sut.choosePickupRate(json)).toThrow(expect.objectContaining({ code: 'refused', message: expect.stringContaining('No pickups on Sunday') }));
    });

    it('needs the shipment id to book', () => {
      const req = { address: customer, windowStart: '2024-08-01', windowEnd: '2024-08-01' };

      expect(() => sut.toPickupParams(req)).toThrow(expect.objectContaining({ code: 'invalid_request', retryable: false }));
      expect(sut.toPickupParams({ ...req, shipmentId: 'shp_1' }, 'key-1')).toMatchObject({ shipment: { id: 'shp_1' }, reference: 'key-1', min_datetime: '2024-08-01' });
    });
  });

  describe('claims', () => {
    it('reads the zone-less 2024 timestamps as UTC', () => {
      const claim = sut.toClaim(easypostFixture('claim/claim-submitted-2024.json'));

      expect(claim).toEqual({
        claimId: 'clm_097fa3b9123a47be97ed25550552fe3e',
        type: 'damage',
        status: 'submitted',
        statusDetail: 'Claim was created.',
        requestedAmount: { amountMinor: 10000, currency: 'USD' },
        approvedAmount: null,
        submittedAt: '2024-07-30T16:10:57.000Z',
        updatedAt: '2024-07-30T16:10:57.000Z',
      });
    });

    it('reads the 2025 timestamps with Z', () => {
      const claim = sut.toClaim(easypostFixture('claim/claim-submitted-2025.json'));

      expect(claim.submittedAt).toBe('2025-03-06T19:47:58.000Z');
      expect(claim.updatedAt).toBe('2025-03-06T19:47:58.000Z');
    });

    it('maps a cancelled claim, keeping the submission time from the history', () => {
      const claim = sut.toClaim(easypostFixture('claim/claim-cancelled-2024.json'));

      expect(claim).toMatchObject({ status: 'cancelled', statusDetail: 'Claim cancellation was requested.', submittedAt: '2024-07-30T16:10:57.000Z', updatedAt: '2024-07-30T16:10:59.000Z' });
    });

    it('maps claims from a list page', () => {
      const page = easypostFixture('claim/claim-list-2024.json');

      expect(page.claims.map((c: unknown) => sut.toClaim(c).status)).toEqual(['submitted', 'cancelled']);
    });

    it('treats a partial approval as an approval with the smaller amount', () => {
      const json = { ...easypostFixture('claim/claim-submitted-2025.json'), status: 'approved_partial', approved_amount: '62.50' };

      expect(sut.toClaim(json)).toMatchObject({ status: 'approved', approvedAmount: { amountMinor: 6250, currency: 'USD' } });
    });

    it('reports an unknown status and refuses to invent a claim type', () => {
      expect(sut.toClaim({ ...easypostFixture('claim/claim-submitted-2025.json'), status: 'escalated' }).status).toBe('unknown');
      expect(() => sut.toClaim({ ...easypostFixture('claim/claim-submitted-2025.json'), type: 'delay' })).toThrow(CarrierError);
      expect(onUnmappedCode.mock.calls.map(([u]) => u.field)).toEqual(['claim.status', 'claim.type']);
    });

    it('builds the unwrapped claim body with a decimal USD amount and sorted evidence', () => {
      const params = sut.toClaimParams({
        type: 'damage',
        trackingCode: '9400100110368068952177',
        amount: { amountMinor: 10000, currency: 'USD' },
        description: 'Box crushed',
        contactEmail: 'ops@example.com',
        evidence: [
          { kind: 'photo', url: 'https://files.example/photo.png' },
          { kind: 'invoice', url: 'https://files.example/invoice.pdf' },
        ],
      });

      expect(params).toEqual({
        type: 'damage',
        tracking_code: '9400100110368068952177',
        amount: '100.00',
        description: 'Box crushed',
        contact_email: 'ops@example.com',
        invoice_attachments: ['https://files.example/invoice.pdf'],
        supporting_documentation_attachments: ['https://files.example/photo.png'],
      });
    });

    it('refuses a claim in another currency', () => {
      expect(() =>
        sut.toClaimParams({ type: 'loss', trackingCode: 'x', amount: { amountMinor: 100, currency: 'JPY' }, description: 'lost' }),
      ).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    });
  });

  describe('return shipments', () => {
    it('sends the outbound addresses and lets EasyPost swap them', () => {
      const params = sut.toReturnShipmentParams({ from: customer, to: merchant, parcel: { weightOz: 15.4, lengthIn: 10 } }, 'rma-1');

      expect(params).toMatchObject({
        is_return: true,
        to_address: { name: customer.name, street1: customer.street1 },
        from_address: { company: merchant.company, street1: merchant.street1 },
        parcel: { weight: 15.4, length: 10 },
        reference: 'rma-1',
      });
    });

    it('chooses the cheapest rate of the recorded return, or the named service', () => {
      const json = easypostFixture('shipment/shipment-return-created.json');

      expect(sut.chooseRate(json)).toMatchObject({ service: 'GroundAdvantage', rate: '8.20' });
      expect(sut.chooseRate(json, 'priority')).toMatchObject({ service: 'Priority', rate: '11.01' });
      expect(() => sut.chooseRate(json, 'Teleport')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    });

    it('does not turn an unbought return into a label', () => {
      expect(() => sut.toReturnLabel(easypostFixture('shipment/shipment-return-created.json'))).toThrow(
        expect.objectContaining({ code: 'malformed_response' }),
      );
    });

    it('maps a bought shipment to a label', () => {
      expect(sut.toReturnLabel(easypostFixture('shipment/shipment-bought.json'))).toEqual({
        shipmentId: 'shp_40b6f049f00348b18de3804a26f7fd62',
        trackingCode: '9434600208303109842228',
        labelUrl: 'https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/20250509/e8bbb027b8222f4578ab4250487ed98fc6.png',
        carrier: 'USPS',
        service: 'GroundAdvantage',
        cost: { amountMinor: 820, currency: 'USD' },
      });
    });

    it('refuses when EasyPost offers no rates', () => {
      const json = { ...easypostFixture('shipment/shipment-return-created.json'), rates: [] };

      expect(() => sut.chooseRate(json)).toThrow(expect.objectContaining({ code: 'refused', retryable: false }));
    });
  });

  describe('address verification', () => {
    it('accepts a verified address, keeping contact fields from the input', () => {
      const input: PostalAddress = { name: 'Elizabeth Swan', street1: '179 N Harbor Dr', city: 'Redondo Beach', state: 'CA', zip: '90277', country: 'US', phone: '5555555555', email: 'test@example.com' };

      const verdict = sut.toAddressVerdict(input, easypostFixture('address/address-create-and-verify.json').address);

      expect(verdict).toEqual({
        verdict: 'valid',
        address: { name: 'Elizabeth Swan', street1: '179 N HARBOR DR', city: 'REDONDO BEACH', state: 'CA', zip: '90277-2506', country: 'US', phone: '5555555555', email: 'test@example.com', residential: false },
      });
    });

    it('calls a standardised street a correction and names the changed lines', () => {
      const input: PostalAddress = { company: 'EasyPost', street1: '417 Montgomery Street', street2: 'Floor 5', city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' };

      const verdict = sut.toAddressVerdict(input, easypostFixture('address/address-verify-standardised.json').address);

      expect(verdict).toMatchObject({ verdict: 'corrected', changes: ['street1', 'street2'], address: { street1: '417 MONTGOMERY ST FL 5', zip: '94104-1129' } });
      expect(verdict.verdict === 'corrected' && verdict.suggestions).toHaveLength(1);
    });

    it('reads a failed verification on a 201 Address (verify param) as invalid', () => {
      const verdict = sut.toAddressVerdict(
        { company: 'EasyPost', street1: '000 unknown street', city: 'Not A City', state: 'ZZ', zip: '00001', country: 'US' },
        easypostFixture('address/address-create-verify-param-failed.json'),
      );

      expect(verdict).toEqual({ verdict: 'invalid', reasons: [{ code: 'E.ADDRESS.NOT_FOUND', field: 'address', message: 'Address not found' }] });
    });

    it.each([
      ['error/error-address-verify-failure.json', ['E.ADDRESS.NOT_FOUND', 'E.HOUSE_NUMBER.MISSING']],
      ['error/error-address-create-and-verify-failure.json', ['E.ADDRESS.NOT_FOUND']],
    ])('reads the 422 envelope %s as an invalid verdict', (file, codes) => {
      const verdict = sut.addressVerdictFromError(easypostFixture(file).error);

      expect(verdict?.verdict).toBe('invalid');
      expect(verdict?.verdict === 'invalid' && verdict.reasons.map((r) => r.code)).toEqual(codes);
    });

    it('leaves other errors to be errors', () => {
      expect(sut.addressVerdictFromError(easypostFixture('error/error-parameter-required.json').error)).toBeNull();
    });

    it('refuses an address that was never verified', () => {
      const json = { ...easypostFixture('address/address-create-verify-param-failed.json'), verifications: {} };

      expect(() => sut.toAddressVerdict(customer, json)).toThrow(expect.objectContaining({ code: 'malformed_response' }));
    });
  });

  describe('toCarrierError on recorded envelopes', () => {
    it.each([
      ['error/error-parameter-required.json', 422, 'invalid_request', false],
      ['error/error-claim-no-insurance.json', 404, 'not_found', false],
      ['error/error-apikey-inactive.json', 403, 'unauthorized', false],
      ['error/error-payload-not-found.json', 404, 'not_found', false],
      ['error/error-address-verify-failure.json', 422, 'address_invalid', false],
    ])('%s (HTTP %i) → %s', (file, status, code, retryable) => {
      const body = easypostFixture(file).error;

      const err = sut.toCarrierError(status, body);

      expect(err).toBeInstanceOf(CarrierError);
      expect(err).toMatchObject({ carrier: 'easypost', code, retryable, details: { httpStatus: status, carrierCode: body.code } });
    });

    it('keeps both kinds of errors items: field objects and plain strings', () => {
      const fields = sut.toCarrierError(422, easypostFixture('error/error-parameter-required.json').error);
      const strings = sut.toCarrierError(404, easypostFixture('error/error-claim-no-insurance.json').error);

      expect(fields.details.fieldErrors).toEqual([{ field: 'shipment', message: 'cannot be blank' }]);
      expect(strings.details.fieldErrors).toEqual([{ field: '', message: 'No eligible insurance found with provided tracking code.' }]);
      expect(strings.message).toBe('The requested resource could not be found. (No eligible insurance found with provided tracking code.)');
    });

    it('makes 429 and 5xx retryable and carries Retry-After', () => {
      const limited = sut.toCarrierError(429, { code: 'RATE_LIMITED', message: 'slow down', errors: [] }, 2000);
      const down = sut.toCarrierError(503, { code: 'ADDRESS.VERIFY.FAILURE', message: 'down', errors: [] });

      expect(limited).toMatchObject({ code: 'rate_limited', retryable: true, details: { retryAfterMs: 2000 } });
      expect(down).toMatchObject({ code: 'server_error', retryable: true });
    });

    it('lets a known EasyPost code refine a 4xx', () => {
      expect(sut.toCarrierError(422, { code: 'ADDRESS.VERIFY.UPSTREAM_UNAVAILABLE', message: 'try later' })).toMatchObject({ code: 'server_error', retryable: true });
      expect(sut.toCarrierError(422, { code: 'ADDRESS.VERIFY.ONLY_US', message: 'US only' })).toMatchObject({ code: 'unsupported', retryable: false });
    });
  });

  describe(parseEasyPostTime.name, () => {
    it.each([
      ['2024-07-30T16:06:32Z', '2024-07-30T16:06:32.000Z'],
      ['2024-07-30T16:13:07+00:00', '2024-07-30T16:13:07.000Z'],
      ['2024-07-30T16:11:02.000Z', '2024-07-30T16:11:02.000Z'],
      ['2024-07-30T16:10:57', '2024-07-30T16:10:57.000Z'],
      ['2024-08-05', '2024-08-05T00:00:00.000Z'],
    ])('%s → %s', (input, expected) => {
      expect(parseEasyPostTime(input, 'x')).toBe(expected);
    });

    it('rejects what is not a time', () => {
      expect(() => parseEasyPostTime('soon', 'x')).toThrow(expect.objectContaining({ code: 'malformed_response' }));
    });
  });
});

const customer: PostalAddress = { name: 'Dr. Steve Brule', street1: '179 N Harbor Dr', city: 'Redondo Beach', state: 'CA', zip: '90277', country: 'US' };
const merchant: PostalAddress = { company: 'EasyPost', street1: '417 Montgomery Street', street2: '5th Floor', city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' };
