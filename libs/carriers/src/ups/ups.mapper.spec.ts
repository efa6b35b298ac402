import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CarrierError } from '../carrier.error';
import type { PostalAddress } from '../carrier.model';
import type { UnmappedCode } from '../shared/unmapped-code';
import {
  mapUpsHttpError,
  mapUpsInterceptResponse,
  mapUpsPickupCancelled,
  mapUpsPickupCreated,
  mapUpsReturnShipment,
  mapUpsTrackAlertEvent,
  mapUpsTrackResponse,
  mapUpsXavResponse,
  toUpsInterceptRequest,
  toUpsPickupRequest,
  toUpsReturnShipmentRequest,
  toUpsXavRequest,
  upsActivityTimestamp,
  upsDecimalToMoney,
  upsInterceptPhone,
} from './ups.mapper';
import { resolveUpsStatus } from './ups.status-map';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/ups', name), 'utf8'));

function captured(): { report: (u: UnmappedCode) => void; codes: UnmappedCode[] } {
  const codes: UnmappedCode[] = [];
  return { report: (u) => codes.push(u), codes };
}

function thrown(fn: () => unknown): CarrierError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CarrierError) return error;
    throw error;
  }
  throw new Error('expected a CarrierError');
}

const customer: PostalAddress = {
  name: 'Hanako Sato',
  street1: '26601 Aliso Creek Road',
  street2: 'Ste D',
  city: 'Aliso Viejo',
  state: 'CA',
  zip: '92656',
  country: 'US',
  phone: '(949) 555-0100',
};

const merchant: PostalAddress = {
  company: 'Acme Returns',
  name: 'Returns Desk',
  street1: '315 Saddle Bridge Drive',
  city: 'Allendale',
  state: 'NJ',
  zip: '07401',
  country: 'US',
  phone: '2015550199',
};

describe('resolveUpsStatus', () => {
  it.each([
    [{ type: 'M', code: 'MP', descriptionCode: '003' }, 'pre_transit', null],
    [{ type: 'MV' }, 'cancelled', null],
    [{ type: 'P' }, 'in_transit', null],
    [{ type: 'I', code: 'OR', descriptionCode: '005' }, 'in_transit', null],
    [{ type: 'I', code: 'OT', descriptionCode: '021' }, 'out_for_delivery', null],
    [{ type: 'I', descriptionCode: '072' }, 'out_for_delivery', null],
    [{ type: 'D', code: 'FS', descriptionCode: '011' }, 'delivered', null],
    [{ type: 'I', descriptionCode: '040' }, 'available_for_pickup', null],
    [{ type: 'X', descriptionCode: '050' }, 'exception', 'address_problem'],
    [{ type: 'X', descriptionCode: '064' }, 'exception', 'refused'],
    [{ type: 'X', descriptionCode: '059' }, 'exception', 'damaged'],
    [{ type: 'X', descriptionCode: '068' }, 'exception', 'lost'],
    [{ type: 'X', descriptionCode: '058' }, 'exception', 'customs'],
    [{ type: 'X', descriptionCode: '060' }, 'exception', 'recipient_unavailable'],
    [{ type: 'X', descriptionCode: '046' }, 'exception', 'delayed'],
    [{ type: 'X', code: 'RS' }, 'return_to_sender', null],
    [{ type: 'RS' }, 'return_to_sender', null],
    [{ type: 'I', descriptionCode: '034' }, 'return_to_sender', null],
    [{ type: 'X' }, 'exception', 'other'],
  ])('maps %j to %s / %s', (input, status, reason) => {
    const result = resolveUpsStatus(input);

    expect(result).toEqual({ status, exceptionReason: reason, unmapped: null });
  });

  it('reads description codes without leading zeros and as numbers', () => {
    expect(resolveUpsStatus({ descriptionCode: 21 }).status).toBe('out_for_delivery');
    expect(resolveUpsStatus({ descriptionCode: '0011' }).status).toBe('delivered');
  });

  it('treats description code 0 ("Status Not Available") as absent and lets the type decide', () => {
    expect(resolveUpsStatus({ type: 'D', descriptionCode: '000' })).toEqual({ status: 'delivered', exceptionReason: null, unmapped: null });
  });

  it('falls back to the activity type for an unknown description code and says so', () => {
    const result = resolveUpsStatus({ type: 'I', code: 'AR', descriptionCode: '998' });

    expect(result.status).toBe('in_transit');
    expect(result.unmapped).toEqual({ type: 'I', code: 'AR', descriptionCode: '998', fellBackTo: 'type' });
  });

  it('maps what no table knows to unknown, never a guess', () => {
    const result = resolveUpsStatus({ type: 'W', code: 'ZZ', descriptionCode: '999' });

    expect(result).toEqual({ status: 'unknown', exceptionReason: null, unmapped: { type: 'W', code: 'ZZ', descriptionCode: '999', fellBackTo: 'none' } });
  });
});

describe('mapUpsTrackResponse', () => {
  it('maps a delivered parcel with photo, receivedBy and drop-off place', () => {
    const { report, codes } = captured();

    const sut = mapUpsTrackResponse(fixture('track-delivered.json'), '1Z204W4R0308071865', report);

    expect(sut).toMatchObject({
      carrier: 'ups',
      trackingCode: '1Z204W4R0308071865',
      status: 'delivered',
      exceptionReason: null,
      deliveredAt: '2024-04-23T13:50:04.000Z',
      signedBy: 'JOHN',
      publicUrl: 'https://www.ups.com/track?loc=en_US&tracknum=1Z204W4R0308071865',
      updatedAt: '2024-04-23T13:50:04.000Z',
    });
    expect(sut.proofOfDelivery).toEqual({ signedBy: 'JOHN', leftAt: 'Front Door', coordinates: null, photoUrl: expect.stringMatching(/^data:image\/jpeg;base64,\/9j\//) });
    expect(sut.events.map((e) => [e.status, e.carrierStatus])).toEqual([
      ['pre_transit', 'M:MP'],
      ['in_transit', 'I:OR'],
      ['in_transit', 'I:YP'],
      ['out_for_delivery', 'I:OT'],
      ['delivered', 'D:FS'],
    ]);
    expect(codes).toEqual([]);
  });

  it('reads GMT times UPS writes without the leading zero', () => {
    const sut = mapUpsTrackResponse(fixture('track-delivered.json'), '1Z204W4R0308071865');

    // activity OR: gmtDate 20240423, gmtTime '12901'
    expect(sut.events[1]!.occurredAt).toBe('2024-04-23T01:29:01.000Z');
  });

  it('maps an in-transit parcel with its scheduled date', () => {
    const sut = mapUpsTrackResponse(fixture('track-in-transit.json'), '1ZABCXYZ0112346789');

    expect(sut.status).toBe('in_transit');
    expect(sut.estimatedDeliveryAt).toBe('2024-04-25');
    expect(sut.deliveredAt).toBeNull();
    expect(sut.proofOfDelivery).toBeNull();
  });

  it('maps an address exception and prefers the rescheduled date', () => {
    const sut = mapUpsTrackResponse(fixture('track-exception-address.json'), '1Z023E2X0214323462');

    expect(sut.status).toBe('exception');
    expect(sut.exceptionReason).toBe('address_problem');
    expect(sut.estimatedDeliveryAt).toBe('2024-04-26');
    expect(sut.events.at(-1)).toMatchObject({ status: 'exception', exceptionReason: 'address_problem', carrierStatus: 'X', carrierStatusDetail: '050' });
  });

  it('maps a parcel returned to the shipper, keeping the refusal before it', () => {
    const sut = mapUpsTrackResponse(fixture('track-returned.json'), '1ZA82D672031716786');

    expect(sut.status).toBe('return_to_sender');
    expect(sut.events.map((e) => e.status)).toEqual(['pre_transit', 'exception', 'return_to_sender', 'return_to_sender']);
    expect(sut.events[1]!.exceptionReason).toBe('refused');
  });

  it('reports unmapped codes once each and maps them to unknown', () => {
    const { report, codes } = captured();

    const sut = mapUpsTrackResponse(fixture('track-unknown-code.json'), '1ZDDUNKN0000000001', report);

    expect(sut.status).toBe('unknown');
    expect(sut.events.map((e) => e.status)).toEqual(['in_transit', 'unknown']);
    expect(codes).toHaveLength(4);
    expect(codes).toEqual(
      expect.arrayContaining([
        { carrier: 'ups', field: 'status.statusCode', value: '998' },
        { carrier: 'ups', field: 'status.statusCode', value: '999' },
        { carrier: 'ups', field: 'status.type', value: 'W' },
        { carrier: 'ups', field: 'status.code', value: 'ZZ' },
      ]),
    );
  });

  it('turns UPS\'s 200 + TW0001 answer into not_found', () => {
    const error = thrown(() => mapUpsTrackResponse(fixture('track-not-found.json'), '1Z5629230309413682'));

    expect(error).toMatchObject({ code: 'not_found', retryable: false, details: { carrierCode: 'TW0001' } });
  });

  it('rejects a body that is not a track response', () => {
    expect(thrown(() => mapUpsTrackResponse({ hello: 'world' }, '1Z204W4R0308071865')).code).toBe('malformed_response');
  });

  it('gives the same event id as Track Alert for the same scan', () => {
    const snapshot = mapUpsTrackResponse(fixture('track-delivered.json'), '1Z204W4R0308071865');
    const push = mapUpsTrackAlertEvent(fixture('track-alert-delivered-photo.json'));

    expect(push.event.sourceEventId).toBe(snapshot.events.at(-1)!.sourceEventId);
  });
});

describe('upsActivityTimestamp', () => {
  it('uses the GMT offset when there is no GMT time, in either notation', () => {
    expect(upsActivityTimestamp({ date: '20240423', time: '095004', gmtOffset: '-04:00' })).toBe('2024-04-23T13:50:04.000Z');
    expect(upsActivityTimestamp({ date: '20240423', time: '095004', gmtOffset: '-04.00' })).toBe('2024-04-23T13:50:04.000Z');
  });

  it('returns null without a date', () => {
    expect(upsActivityTimestamp({ time: '095004' })).toBeNull();
  });
});

describe('mapUpsTrackAlertEvent', () => {
  it('maps a manifest push and trims the tracking number UPS pads', () => {
    const sut = mapUpsTrackAlertEvent(fixture('track-alert-manifest.json'));

    expect(sut).toMatchObject({ trackingCode: '1ZABCXYZ0112346789', status: 'pre_transit', proofOfDelivery: null, deliveredAt: null });
    expect(sut.event.occurredAt).toBe('2024-04-22T04:12:30.000Z');
  });

  it('maps an out-for-delivery push with its scheduled date', () => {
    const sut = mapUpsTrackAlertEvent(fixture('track-alert-out-for-delivery.json'));

    expect(sut).toMatchObject({ status: 'out_for_delivery', estimatedDeliveryAt: '2024-04-23' });
    expect(sut.event.location).toEqual({ city: 'Charlotte', state: 'NC', zip: null, country: 'US' });
  });

  it('maps a delivery push with photo and receivedBy to proof of delivery', () => {
    const sut = mapUpsTrackAlertEvent(fixture('track-alert-delivered-photo.json'));

    expect(sut.status).toBe('delivered');
    expect(sut.deliveredAt).toBe('2024-04-23T13:50:04.000Z');
    expect(sut.proofOfDelivery).toEqual({ signedBy: 'John', photoUrl: expect.stringMatching(/^data:image\/jpeg;base64,/), leftAt: null, coordinates: null });
  });

  it('reports an unknown push code under its Track Alert field name', () => {
    const { report, codes } = captured();

    const sut = mapUpsTrackAlertEvent({ trackingNumber: '1Z204W4R0308071865', gmtActivityDate: '20240423', gmtActivityTime: '101010', activityStatus: { type: 'Q', code: 'QQ', descriptionCode: '777' } }, report);

    expect(sut.status).toBe('unknown');
    expect(codes.map((c) => c.field)).toEqual(['activityStatus.descriptionCode', 'activityStatus.type', 'activityStatus.code']);
  });

  it.each([[{}], [{ trackingNumber: '1Z204W4R0308071865' }], [{ trackingNumber: '1Z204W4R0308071865', activityStatus: { type: 'I' } }], ['nope']])(
    'rejects %j as invalid_request',
    (body) => {
      expect(thrown(() => mapUpsTrackAlertEvent(body))).toMatchObject({ code: 'invalid_request', retryable: false });
    },
  );
});

describe('pickup mapping', () => {
  const request = {
    address: customer,
    windowStart: '2030-06-03T09:00:00-07:00',
    windowEnd: '2030-06-03T17:30:00-07:00',
    trackingCodes: ['1Z4096YY0316914058'],
    instructions: 'Ring the bell at the side door, parcel is in the lobby',
    reference: 'RMA-1001',
  };

  it('sends the wall-clock window and the required address fields', () => {
    const sut = toUpsPickupRequest(request, { accountNumber: 'A1B2C3', accountCountryCode: 'US', serviceCode: '003' });

    expect(sut.PickupCreationRequest).toMatchObject({
      PickupDateInfo: { PickupDate: '20300603', ReadyTime: '0900', CloseTime: '1730' },
      PickupAddress: { CompanyName: 'Hanako Sato', ContactName: 'Hanako Sato', AddressLine: ['26601 Aliso Creek Road Ste D'], ResidentialIndicator: 'Y', Phone: { Number: '(949) 555-0100' } },
      PickupPiece: [{ ServiceCode: '003', Quantity: '1', DestinationCountryCode: 'US', ContainerCode: '01' }],
      TrackingData: [{ TrackingNumber: '1Z4096YY0316914058' }],
      PaymentMethod: '01',
      Shipper: { Account: { AccountNumber: 'A1B2C3', AccountCountryCode: 'US' } },
    });
    expect(sut.PickupCreationRequest.SpecialInstruction!.length).toBeLessThanOrEqual(57);
  });

  it('refuses a window spanning two days', () => {
    const error = thrown(() => toUpsPickupRequest({ ...request, windowEnd: '2030-06-04T10:00:00-07:00' }, { accountNumber: 'A1B2C3', accountCountryCode: 'US', serviceCode: '003' }));

    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
  });

  it('refuses an address without a phone, naming the field', () => {
    const error = thrown(() => toUpsPickupRequest({ ...request, address: { ...customer, phone: undefined } }, { accountNumber: 'A1B2C3', accountCountryCode: 'US', serviceCode: '003' }));

    expect(error.details.fieldErrors).toEqual([{ field: 'address.phone', message: expect.any(String) }]);
  });

  it('maps the PRN and the rated charge', () => {
    const sut = mapUpsPickupCreated(fixture('pickup-create-response.json'), request);

    expect(sut).toEqual({
      pickupId: '2929AONCL02',
      status: 'scheduled',
      confirmation: '2929AONCL02',
      windowStart: request.windowStart,
      windowEnd: request.windowEnd,
      cost: { amountMinor: 650, currency: 'USD' },
      carrier: 'UPS',
      service: null,
    });
  });

  it('maps a cancel confirmation', () => {
    expect(mapUpsPickupCancelled(fixture('pickup-cancel-response.json'), '2929AONCL02')).toMatchObject({ pickupId: '2929AONCL02', status: 'canceled' });
  });

  it('rejects a creation answer without a PRN', () => {
    expect(thrown(() => mapUpsPickupCreated({ PickupCreationResponse: {} }, request)).code).toBe('malformed_response');
  });
});

describe('address validation mapping', () => {
  it('splits ZIP+4 and sends both street lines', () => {
    const sut = toUpsXavRequest({ ...customer, zip: '92656-1521' });

    expect(sut.XAVRequest.AddressKeyFormat).toMatchObject({
      AddressLine: ['26601 Aliso Creek Road', 'Ste D'],
      PoliticalDivision2: 'Aliso Viejo',
      PoliticalDivision1: 'CA',
      PostcodePrimaryLow: '92656',
      PostcodeExtendedLow: '1521',
      CountryCode: 'US',
    });
  });

  it('maps a valid address to the standardised candidate, keeping contact fields', () => {
    const sut = mapUpsXavResponse(fixture('xav-valid.json'), customer);

    expect(sut).toEqual({
      verdict: 'valid',
      address: { ...customer, street1: '26601 ALISO CREEK RD STE D', street2: undefined, city: 'ALISO VIEJO', zip: '92656-1521', residential: false },
    });
  });

  it('maps an ambiguous address to corrected with every candidate and the changed fields', () => {
    const input: PostalAddress = { street1: '100 Main', city: 'New York', state: 'NY', zip: '10001', country: 'US' };

    const sut = mapUpsXavResponse(fixture('xav-ambiguous.json'), input);

    expect(sut.verdict).toBe('corrected');
    if (sut.verdict !== 'corrected') return;
    expect(sut.suggestions.map((s) => s.street1)).toEqual(['100 MAIN ST', '100 W MAIN ST']);
    expect(sut.address.zip).toBe('10001-1001');
    expect(sut.changes).toEqual(['street1', 'zip']);
  });

  it('maps no candidates to invalid', () => {
    expect(mapUpsXavResponse(fixture('xav-no-candidates.json'), customer)).toEqual({
      verdict: 'invalid',
      reasons: [{ code: 'no_candidates', message: expect.any(String), field: null }],
    });
  });

  it('rejects an answer with none of the three indicators', () => {
    expect(thrown(() => mapUpsXavResponse({ XAVResponse: { Response: {} } }, customer)).code).toBe('malformed_response');
  });
});

describe('delivery intercept mapping', () => {
  const ctx = { transactionId: 'abc123', clientIp: '203.0.113.10', requester: { name: 'Acme Support', telephone: '212-555-0100' }, returnReason: 'KV', locale: 'en_US' };

  it('builds a redirect with the new address as an address book entry', () => {
    const sut = toUpsInterceptRequest('redirect', { trackingCode: '1z4096yy0316914058', newAddress: merchant }, ctx);

    expect(sut).toMatchObject({
      transactionId: 'abc123',
      clientIP: '203.0.113.10',
      trackingNumber: '1Z4096YY0316914058',
      requestType: 'AA',
      requesterContactInfo: { name: 'Acme Support', telephone: '+12125550100' },
      newDeliveryAddress: {
        addressInfo: { addressLine1: '315 Saddle Bridge Drive', city: 'Allendale', state: 'NJ', postalCode: '07401', countryCode: 'US', phoneNumber: '+12015550199' },
        nameOrCompanyName: 'Acme Returns',
      },
    });
  });

  it('builds a reschedule with a YYYYMMDD date and a return with its reason', () => {
    expect(toUpsInterceptRequest('reschedule', { trackingCode: '1Z4096YY0316914058', deliveryDate: '2030-01-28' }, ctx)).toMatchObject({ requestType: 'FD', deliveryDate: '20300128' });
    expect(toUpsInterceptRequest('return_to_sender', { trackingCode: '1Z4096YY0316914058' }, ctx)).toMatchObject({ requestType: 'RS', reasonForReturn: 'KV' });
  });

  it('refuses a redirect without an address and a reschedule without a date', () => {
    expect(thrown(() => toUpsInterceptRequest('redirect', { trackingCode: '1Z4096YY0316914058' }, ctx)).code).toBe('invalid_request');
    expect(thrown(() => toUpsInterceptRequest('reschedule', { trackingCode: '1Z4096YY0316914058', deliveryDate: '28/01/2030' }, ctx)).code).toBe('invalid_request');
  });

  it.each([
    ['+81 3-1234-5678', '+81312345678'],
    ['(212) 555-0100', '+12125550100'],
    ['1 212 555 0100', '+12125550100'],
    ['555-0100', null],
  ])('normalises phone %s to %s', (input, output) => {
    expect(upsInterceptPhone(input)).toBe(output);
  });

  it('maps an accepted will-call with its fee and UPS location', () => {
    expect(mapUpsInterceptResponse(fixture('intercept-willcall-response.json'))).toEqual({
      outcome: 'accepted',
      reference: 'ASR1212',
      fee: { amountMinor: 500, currency: 'USD' },
      holdUntil: null,
      location: 'UPS Customer Center, 1147 S Salisbury Blvd, Ste 8, SALISBURY, MD 21801',
    });
  });

  it('uses the total charge, transport included, for a redirect fee', () => {
    expect(mapUpsInterceptResponse(fixture('intercept-redirect-response.json'))).toMatchObject({ fee: { amountMinor: 1225, currency: 'USD' } });
  });

  it('maps success false to refused with UPS\'s reason and code', () => {
    expect(mapUpsInterceptResponse(fixture('intercept-refused.json'))).toEqual({
      outcome: 'refused',
      reason: 'Package is not eligible for Delivery Intercept: it has been delivered',
      code: '9001',
    });
  });

  it('rejects an answer without the success flag', () => {
    expect(thrown(() => mapUpsInterceptResponse({ statusCode: '000' })).code).toBe('malformed_response');
  });
});

describe('return label mapping', () => {
  const request = { from: customer, to: merchant, parcel: { weightOz: 20, lengthIn: 10, widthIn: 8, heightIn: 4.2 }, reference: 'RMA-1001' };

  it('builds a ReturnService shipment billed to the merchant', () => {
    const sut = toUpsReturnShipmentRequest(request, { accountNumber: 'A1B2C3', serviceCode: '03', returnServiceCode: '9', labelFormat: 'GIF' });

    expect(sut.ShipmentRequest.Shipment).toMatchObject({
      ReturnService: { Code: '9' },
      Shipper: { Name: 'Acme Returns', ShipperNumber: 'A1B2C3' },
      ShipTo: { Name: 'Acme Returns', Address: { City: 'Allendale' } },
      ShipFrom: { Name: 'Hanako Sato', Address: { AddressLine: ['26601 Aliso Creek Road', 'Ste D'], PostalCode: '92656' } },
      PaymentInformation: { ShipmentCharge: [{ Type: '01', BillShipper: { AccountNumber: 'A1B2C3' } }] },
      Service: { Code: '03' },
      Package: { Description: 'Return RMA-1001', PackageWeight: { UnitOfMeasurement: { Code: 'LBS' }, Weight: '1.3' }, Dimensions: { Height: '5' } },
    });
  });

  it('maps the label to a data URI with tracking number and charges', () => {
    expect(mapUpsReturnShipment(fixture('ship-return-response.json'), '03')).toEqual({
      shipmentId: '1ZXXXXXXXXXXXXXXXX',
      trackingCode: '1ZXXXXXXXXXXXXXXXX',
      labelUrl: 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==',
      carrier: 'UPS',
      service: '03',
      cost: { amountMinor: 2500, currency: 'USD' },
    });
  });

  it('rejects a shipment answer without a label', () => {
    expect(thrown(() => mapUpsReturnShipment({ ShipmentResponse: { ShipmentResults: { PackageResults: { TrackingNumber: '1Z' } } } }, '03')).code).toBe('malformed_response');
  });
});

describe('mapUpsHttpError', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('keeps UPS\'s code and honours Retry-After on 429', () => {
    expect(mapUpsHttpError(429, { response: { errors: [{ code: 'X1', message: 'slow down' }] } }, '3', now)).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      details: { httpStatus: 429, carrierCode: 'X1', retryAfterMs: 3000 },
    });
  });

  it('classifies a gateway page as a retryable server error', () => {
    expect(mapUpsHttpError(503, undefined, null, now)).toMatchObject({ code: 'server_error', retryable: true, details: { carrierCode: null } });
  });

  it.each([
    [400, fixture('track-invalid-number.json'), 'invalid_request', 'TV1002'],
    [401, fixture('error-invalid-token.json'), 'unauthorized', '250002'],
    [403, undefined, 'unauthorized', null],
    [404, undefined, 'not_found', null],
  ])('maps %i to a non-retryable %s', (status, body, code, carrierCode) => {
    expect(mapUpsHttpError(status, body, null, now)).toMatchObject({ code, retryable: false, details: { carrierCode } });
  });
});

describe('upsDecimalToMoney', () => {
  it.each([
    ['6.5', 'USD', 650],
    ['25.00', 'usd', 2500],
    [' 0.29 ', 'USD', 29],
    ['1200', 'JPY', 1200],
  ])('turns %j %s into %i minor units', (value, currency, minor) => {
    expect(upsDecimalToMoney(value, currency)?.amountMinor).toBe(minor);
  });

  it('returns null when UPS left the amount or currency out', () => {
    expect(upsDecimalToMoney(undefined, 'USD')).toBeNull();
    expect(upsDecimalToMoney('5.00', undefined)).toBeNull();
    expect(upsDecimalToMoney('n/a', 'USD')).toBeNull();
  });
});
