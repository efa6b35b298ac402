import { createHash, randomBytes } from 'node:crypto';
import { easypostFixture } from '../../fixtures/easypost/easypost-fixture';

/**
 * Builds EasyPost response bodies from the recorded ones (test/fixtures/easypost): the recording is the
 * template, and only ids, times and the caller's own values are replaced. Where EasyPost's behaviour
 * is not recorded, the comment says where the value comes from.
 */

export type Json = Record<string, any>;

export function epId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}

/** `2024-07-30T16:06:32Z`: what most objects use. */
export function epTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2024-07-30T16:13:07+00:00`: Address objects. */
export function epAddressTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** `2024-08-02T19:26:52.000Z`: Event objects. */
export function epEventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

/** `2024-07-30T16:10:57`: how claims were timestamped in 2024 (no zone). */
export function epNaiveTime(ms: number): string {
  return epTime(ms).slice(0, -1);
}

function publicUrl(trackerId: string): string {
  return `https://track.easypost.com/${Buffer.from(`v1:${trackerId}`).toString('base64url')}`;
}

export const EZ_CODES = ['EZ1000000001', 'EZ2000000002', 'EZ3000000003', 'EZ4000000004', 'EZ5000000005', 'EZ6000000006', 'EZ7000000007'];

/**
 * A test-mode tracker. EZ codes replay the 2020 recording of that code with every time shifted so the
 * tracker is created `now` (the recorded scans lie 30 days before creation); any other code gets the
 * recorded "error" tracker.
 */
export function buildTracker(trackingCode: string, carrier: string | undefined, now: number, shipmentId: string | null = null): Json {
  const id = epId('trk');
  if (EZ_CODES.includes(trackingCode)) {
    const t = easypostFixture(`tracker/tracker-${trackingCode.toLowerCase()}.json`);
    const shift = now - Date.parse(t.created_at);
    const moved = (v: string | null) => (v === null ? null : epTime(Date.parse(v) + shift));
    delete t.user_id; // 2020 bodies had it; EasyPost no longer sends it
    return {
      ...t,
      id,
      carrier: carrier ?? t.carrier,
      created_at: epTime(now),
      updated_at: epTime(now),
      est_delivery_date: moved(t.est_delivery_date),
      shipment_id: shipmentId,
      tracking_details: t.tracking_details.map((d: Json) => ({ ...d, datetime: moved(d.datetime) })),
      carrier_detail: t.carrier_detail && { ...t.carrier_detail, initial_delivery_attempt: moved(t.carrier_detail.initial_delivery_attempt) },
      public_url: publicUrl(id),
    };
  }
  const t = easypostFixture('tracker/tracker-error-invalid-test-code.json');
  return {
    ...t,
    id,
    tracking_code: trackingCode,
    carrier: carrier ?? t.carrier,
    created_at: epTime(now),
    updated_at: epTime(now),
    shipment_id: shipmentId,
    tracking_details: t.tracking_details.map((d: Json) => ({ ...d, datetime: epTime(now) })),
    public_url: publicUrl(id),
  };
}

/** The tracker a freshly bought label gets (recorded in shipments-buy.json: `unknown`, no scans). */
export function buildLabelTracker(trackingCode: string, shipmentId: string, now: number): Json {
  const t = easypostFixture('shipment/shipment-bought.json').tracker;
  const id = epId('trk');
  return { ...t, id, tracking_code: trackingCode, shipment_id: shipmentId, created_at: epTime(now), updated_at: epTime(now), public_url: publicUrl(id) };
}

const ADDRESS_KEYS = ['name', 'company', 'street1', 'street2', 'city', 'state', 'zip', 'country', 'phone', 'email'] as const;

/** An Address object as EasyPost echoes one it did not verify (`verifications: {}`, nulls for what was not sent). */
export function buildAddress(params: Json, now: number): Json {
  const out: Json = { id: epId('adr'), object: 'Address', created_at: epAddressTime(now), updated_at: epAddressTime(now) };
  for (const key of ADDRESS_KEYS) out[key] = params[key] ?? null;
  out.country = params.country ?? 'US';
  return { ...out, mode: 'test', carrier_facility: null, residential: params.residential ?? null, federal_tax_id: null, state_tax_id: null, verifications: {} };
}

const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP AA AE AP'.split(' '),
);

/**
 * The fake's stand-in for EasyPost's verifier (not recorded as a rule, only as outcomes): a street
 * without a house number, house number 0, an unknown state or a bad ZIP cannot be verified, with the
 * recorded error items; anything else verifies, upper-cased, abbreviated and with a ZIP+4.
 */
export function verifyAddress(params: Json): { ok: true; verified: Json } | { ok: false; errors: Json[] } {
  const street1 = String(params.street1 ?? '');
  const house = /^\s*(\d+)\b/.exec(street1);
  const errors: Json[] = [];
  const bad =
    !house ||
    Number(house[1]) === 0 ||
    !US_STATES.has(String(params.state ?? '').toUpperCase()) ||
    !/^\d{5}(-\d{4})?$/.test(String(params.zip ?? ''));
  if (bad) errors.push({ code: 'E.ADDRESS.NOT_FOUND', field: 'address', message: 'Address not found', suggestion: null });
  if (!house) errors.push({ code: 'E.HOUSE_NUMBER.MISSING', field: 'street1', message: 'House number is missing', suggestion: null });
  if (errors.length) return { ok: false, errors };
  const upper = (v: unknown) => (v === null || v === undefined ? v : abbreviate(String(v).toUpperCase()));
  const zip5 = String(params.zip).slice(0, 5);
  const plus4 = String(params.zip).length > 5 ? String(params.zip).slice(6) : String(1000 + (parseInt(createHash('sha256').update(street1 + zip5).digest('hex').slice(0, 6), 16) % 9000));
  return {
    ok: true,
    verified: {
      ...params,
      name: params.name ? String(params.name).toUpperCase() : params.name,
      company: params.company ? String(params.company).toUpperCase() : params.company,
      street1: upper(params.street1),
      street2: params.street2 ? upper(params.street2) : '',
      city: upper(params.city),
      state: upper(params.state),
      zip: `${zip5}-${plus4}`,
      residential: !params.company,
    },
  };
}

function abbreviate(line: string): string {
  return line
    .replace(/[.,]/g, '')
    .replace(/\bSTREET\b/g, 'ST')
    .replace(/\bAVENUE\b/g, 'AVE')
    .replace(/\bROAD\b/g, 'RD')
    .replace(/\bDRIVE\b/g, 'DR')
    .replace(/\bBOULEVARD\b/g, 'BLVD')
    .replace(/\bFLOOR\b/g, 'FL')
    .replace(/\bSUITE\b/g, 'STE')
    .replace(/\bNORTH\b/g, 'N');
}

/** Verifications as recorded for a success (addresses-verify.json) and a failure (verify param, 201). */
export function verifications(result: ReturnType<typeof verifyAddress>): Json {
  if (result.ok) {
    return {
      zip4: { success: true, errors: [], details: null },
      delivery: { success: true, errors: [], details: { latitude: 37.79342, longitude: -122.40288, time_zone: 'America/Los_Angeles' } },
    };
  }
  return { zip4: { success: false, errors: result.errors, details: null }, delivery: { success: false, errors: result.errors, details: {} } };
}

/** A shipment with rates, shaped like returns-create.json (rates: USPS Express, Priority, GroundAdvantage). */
export function buildShipment(params: Json, now: number): Json {
  const t = easypostFixture('shipment/shipment-return-created.json');
  const id = epId('shp');
  const to = buildAddress(params.to_address, now);
  const from = buildAddress(params.from_address, now);
  const p = params.parcel ?? {};
  return {
    ...t,
    id,
    created_at: epTime(now),
    updated_at: epTime(now),
    is_return: params.is_return === true,
    reference: params.reference ?? null,
    // EasyPost echoes both pairs; on a return it also switches which one the label ships to.
    to_address: to,
    from_address: from,
    return_address: from,
    buyer_address: to,
    parcel: {
      ...t.parcel,
      id: epId('prcl'),
      created_at: epTime(now),
      updated_at: epTime(now),
      length: p.length ?? null,
      width: p.width ?? null,
      height: p.height ?? null,
      weight: p.weight ?? null,
    },
    rates: t.rates.map((r: Json) => ({ ...r, id: epId('rate'), shipment_id: id, created_at: epTime(now), updated_at: epTime(now) })),
  };
}

let labelSequence = 0;

/** Buys `rate` on `shipment` in place, as shipments-buy.json shows a bought shipment. */
export function buyShipment(shipment: Json, rate: Json, insurance: string | null, now: number): Json {
  const t = easypostFixture('shipment/shipment-bought.json');
  const trackingCode = `9434600208303${String(109000000 + ++labelSequence).padStart(9, '0')}`;
  const fees = [{ object: 'Fee', type: 'PostageFee', amount: Number(rate.rate).toFixed(5), charged: true, refunded: false }];
  if (insurance) fees.push({ object: 'Fee', type: 'InsuranceFee', amount: (Number(insurance) * 0.0125).toFixed(5), charged: true, refunded: false });
  Object.assign(shipment, {
    updated_at: epTime(now),
    tracking_code: trackingCode,
    selected_rate: { ...rate, updated_at: epTime(now) },
    postage_label: {
      ...t.postage_label,
      id: epId('pl'),
      created_at: epTime(now),
      updated_at: epTime(now),
      label_date: epTime(now),
      label_url: `https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/${epTime(now).slice(0, 10).replace(/-/g, '')}/${randomBytes(17).toString('hex')}.png`,
    },
    tracker: buildLabelTracker(trackingCode, shipment.id, now),
    insurance: insurance ? Number(insurance).toFixed(2) : null,
    fees,
  });
  return shipment;
}

/** A pickup with its rates fetched (status `unknown`), as pickup-created.json. */
export function buildPickup(params: Json, now: number): Json {
  const t = easypostFixture('pickup/pickup-created.json');
  const id = epId('pickup');
  const rate = { ...t.pickup_rates[0], id: epId('pickuprate'), pickup_id: id, created_at: epTime(now), updated_at: epTime(now) };
  return {
    ...t,
    id,
    created_at: epTime(now),
    updated_at: epTime(now),
    status: 'unknown',
    reference: params.reference ?? null,
    // Recorded: "2024-08-01" in the request comes back as "2024-08-01T00:00:00Z".
    min_datetime: epTime(Date.parse(params.min_datetime)),
    max_datetime: epTime(Date.parse(params.max_datetime)),
    is_account_address: params.is_account_address ?? false,
    instructions: params.instructions ?? null,
    messages: [],
    confirmation: null,
    address: buildAddress(params.address, now),
    carrier_accounts: [],
    pickup_rates: [rate],
  };
}

/** A claim as claim-submitted-2025.json (or with the zone-less 2024 timestamps). */
export function buildClaim(params: Json, insured: { amount: string; insuranceId: string; shipmentId: string | null }, now: number, naiveTimes: boolean): Json {
  const t = easypostFixture('claim/claim-submitted-2025.json');
  const ts = naiveTimes ? epNaiveTime(now) : epTime(now);
  const day = epTime(now).slice(0, 10).replace(/-/g, '');
  const files = [...(params.email_evidence_attachments ?? []), ...(params.invoice_attachments ?? []), ...(params.supporting_documentation_attachments ?? [])];
  return {
    ...t,
    id: epId('clm'),
    attachments: files.map(() => `https://easypost-files.s3-us-west-2.amazonaws.com/insurance/${day}/${randomBytes(16).toString('hex')}.png`),
    contact_email: params.contact_email ?? null,
    created_at: ts,
    updated_at: ts,
    description: params.description,
    history: [{ status: 'submitted', status_detail: 'Claim was created.', timestamp: ts }],
    insurance_amount: insured.amount,
    insurance_id: insured.insuranceId,
    requested_amount: Number(params.amount).toFixed(2),
    shipment_id: insured.shipmentId,
    status: 'submitted',
    status_detail: 'Claim was created.',
    status_timestamp: ts,
    tracking_code: params.tracking_code,
    type: params.type,
  };
}

/** A webhook Event, keys in the order of EasyPost's official fixture. */
export function buildEvent(description: string, result: Json, previousAttributes: Json, url: string, now: number): Json {
  return {
    description,
    mode: 'test',
    previous_attributes: previousAttributes,
    created_at: epEventTime(now),
    pending_urls: [url],
    completed_urls: [],
    updated_at: epEventTime(now),
    id: epId('evt'),
    user_id: epId('user'),
    status: 'pending',
    object: 'Event',
    result,
  };
}

export function errorBody(code: string, message: string, errors: unknown[] = []): Json {
  return { error: { code, message, errors } };
}
