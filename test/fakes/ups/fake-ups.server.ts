import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

/**
 * A fake UPS on 127.0.0.1, speaking the documented contract (UPS-API/api-documentation specs; see
 * `test/fixtures/ups/README.md`) and no kinder than the real one: it demands the headers UPS marks
 * required, expires tokens, answers an unknown tracking number with HTTP 200 + `TW0001` like production
 * does, and puts HTML behind 502/503/504 like a gateway would.
 *
 * Scripted data:
 * - Track API: `1Z204W4R0308071865` delivered (photo, receivedBy), `1ZABCXYZ0112346789` in transit,
 *   `1Z023E2X0214323462` address exception, `1ZA82D672031716786` returned to shipper,
 *   `1ZDDUNKN0000000001` codes no table knows; any other well-formed number → `TW0001`.
 * - Delivery Intercept: delivered or returned numbers are refused (`success: false`); others accepted.
 * - XAV by postal code: `92656` valid, `10001` ambiguous (2 candidates), `00000` no candidates,
 *   anything else valid as sent.
 */

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'ups');

function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

export type FakeUpsRoute =
  | 'token'
  | 'track'
  | 'trackAlert.subscribe'
  | 'pickup.create'
  | 'pickup.cancel'
  | 'address'
  | 'intercept.willcall'
  | 'intercept.return'
  | 'intercept.reschedule'
  | 'intercept.redirect'
  | 'intercept.cancel'
  | 'intercept.charges'
  | 'ship';

/**
 * What to do instead of answering normally:
 * - `{ status, retryAfter? }` an error status with UPS's envelope (HTML for 502/503/504), `Retry-After` if given;
 * - `'hang'` accept the request and never answer (until the client gives up or the fake closes);
 * - `'malformed'` HTTP 200 with a truncated JSON body;
 * - `'expire-token'` treat the presented bearer token as expired (401, `251004`);
 * - `'reset'` drop the connection without an answer.
 */
export type FakeUpsFault = { status: number; retryAfter?: number | string } | 'hang' | 'malformed' | 'expire-token' | 'reset';

export interface FakeUpsRequest {
  route: FakeUpsRoute | null;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  at: number;
}

export interface FakeUpsOptions {
  /** OAuth clients the token endpoint accepts: client id → secret. */
  clients?: Record<string, string>;
  /** `expires_in` of issued tokens. UPS issues 14399 s. */
  tokenTtlSeconds?: number;
}

export interface FakeUps {
  url: string;
  close(): Promise<void>;
  /** Apply `fault` to the next `times` calls of `route` (or of any route with `'*'`). */
  inject(route: FakeUpsRoute | '*', fault: FakeUpsFault, times?: number): void;
  clearFaults(): void;
  /** Every request received, in order (faulted ones included). */
  requests: FakeUpsRequest[];
  /** Make every issued token expired, as if hours had passed. */
  expireTokens(): void;
  /** Pickups by PRN. */
  pickups: Map<string, { status: 'scheduled' | 'canceled'; pickupDate: string }>;
  /** Track Alert subscriptions by tracking number. */
  subscriptions: Map<string, { url: string; credential: string; credentialType: string; enhanced: boolean }>;
  /**
   * Push a Track Alert event to the subscriber of `trackingNumber` as UPS does (`credential` and
   * `User-Agent: UPSPubSubTrackingService` headers). Standard subscriptions get no photo or receivedBy.
   */
  pushTrackAlert(trackingNumber: string, event: Record<string, unknown>): Promise<{ status: number }>;
}

const DEFAULT_CLIENTS: Record<string, string> = { 'test-client-id': 'test-client-secret' };
const TRACK_SCRIPT: Record<string, string> = {
  '1Z204W4R0308071865': 'track-delivered.json',
  '1ZABCXYZ0112346789': 'track-in-transit.json',
  '1Z023E2X0214323462': 'track-exception-address.json',
  '1ZA82D672031716786': 'track-returned.json',
  '1ZDDUNKN0000000001': 'track-unknown-code.json',
};
const NOT_INTERCEPTABLE = new Set(['1Z204W4R0308071865', '1ZA82D672031716786']);
const ONE_Z = /^1Z[0-9A-Z]{16}$/;
const RETURN_REASONS = new Set(['AM', 'AN', 'AQ', 'AR', 'FA', 'KR', 'KS', 'KV']);

class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

function upsError(status: number, code: string, message: string): Reply {
  return new Reply(status, { response: { errors: [{ code, message }] } });
}

/** Delivery Intercept's own envelope (`ErrorResponse` with transactionId/statusCode). */
function interceptError(code: string, message: string): Reply {
  return new Reply(400, { response: { transactionId: 'FAKE', statusCode: '0006', errors: [{ code, message }] } });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function get(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

function str(value: unknown, path: string): string | undefined {
  const v = get(value, path);
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function todayYyyymmdd(): string {
  return new Date().toISOString().slice(0, 10).replace(/-/g, '');
}

function randomAlnum(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Starts the fake on a random loopback port.
 *
 * @example
 * ```ts
 * const ups = await startFakeUps();
 * ups.inject('track', { status: 429, retryAfter: 1 }, 2);
 * const adapter = new UpsAdapter({ client: { baseUrl: ups.url, clientId: 'test-client-id', clientSecret: 'test-client-secret' }, ... });
 * await ups.close();
 * ```
 */
export async function startFakeUps(options: FakeUpsOptions = {}): Promise<FakeUps> {
  const clients: Record<string, string> = options.clients ?? DEFAULT_CLIENTS;
  const ttlSeconds = options.tokenTtlSeconds ?? 14399;
  const tokens = new Map<string, { clientId: string; expiresAt: number }>();
  const faults = new Map<string, { fault: FakeUpsFault; remaining: number }[]>();
  const requests: FakeUpsRequest[] = [];
  const pickups: FakeUps['pickups'] = new Map();
  const subscriptions: FakeUps['subscriptions'] = new Map();
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();

  function takeFault(route: FakeUpsRoute | null): FakeUpsFault | null {
    for (const key of [route ?? '', '*']) {
      const queue = faults.get(key);
      const head = queue?.[0];
      if (!queue || !head) continue;
      head.remaining -= 1;
      if (head.remaining <= 0) queue.shift();
      return head.fault;
    }
    return null;
  }

  function routeOf(method: string, path: string): { route: FakeUpsRoute; params: string[] } | { wrongMethod: true } | null {
    const table: [string, RegExp, FakeUpsRoute][] = [
      ['POST', /^\/security\/v1\/oauth\/token$/, 'token'],
      ['GET', /^\/api\/track\/v1\/details\/([^/]+)$/, 'track'],
      ['POST', /^\/api\/track\/v1\/subscription\/(standard|enhanced)\/package$/, 'trackAlert.subscribe'],
      ['POST', /^\/api\/pickupcreation\/v2409\/pickup$/, 'pickup.create'],
      ['DELETE', /^\/api\/shipments\/v2409\/pickup\/([^/]+)$/, 'pickup.cancel'],
      ['POST', /^\/api\/addressvalidation\/(v1|v2)\/([^/]+)$/, 'address'],
      ['POST', /^\/api\/deliveryintercept\/v2\/willcall\/([^/]+)$/, 'intercept.willcall'],
      ['POST', /^\/api\/deliveryintercept\/v2\/return\/([^/]+)$/, 'intercept.return'],
      ['POST', /^\/api\/deliveryintercept\/v2\/reschedule\/([^/]+)$/, 'intercept.reschedule'],
      ['POST', /^\/api\/deliveryintercept\/v2\/redirect\/address\/([^/]+)$/, 'intercept.redirect'],
      ['POST', /^\/api\/deliveryintercept\/v2\/cancel\/([^/]+)$/, 'intercept.cancel'],
      ['POST', /^\/api\/deliverychange\/v2\/charges\/([^/]+)$/, 'intercept.charges'],
      ['POST', /^\/api\/shipments\/v2409\/ship$/, 'ship'],
    ];
    let pathMatched = false;
    for (const [m, re, route] of table) {
      const match = re.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (m === method) return { route, params: match.slice(1).map(decodeURIComponent) };
    }
    return pathMatched ? { wrongMethod: true } : null;
  }

  function authenticate(req: IncomingMessage): Reply | null {
    const auth = header(req, 'authorization') ?? '';
    const match = /^Bearer (.+)$/.exec(auth);
    // UJ0001 / 250002 / 251004: DeliveryIntercept.yaml headers example and the Track Alert error table.
    if (!match) return upsError(401, 'UJ0001', 'Invalid token or token is not present.');
    const token = tokens.get(match[1]!);
    if (!token) return upsError(401, '250002', 'Invalid Authentication Information');
    if (token.expiresAt <= Date.now()) return upsError(401, '251004', 'Bearer Token expired (oauth)');
    return null;
  }

  function issueToken(req: IncomingMessage, rawBody: string): Reply {
    const basic = /^Basic (.+)$/.exec(header(req, 'authorization') ?? '');
    const [id, ...rest] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
    if (!id || clients[id] === undefined || clients[id] !== rest.join(':')) {
      return new Reply(401, fixture('oauth-invalid-client.json'));
    }
    // The grant check's error code is not documented; FAKE_GRANT_TYPE is ours.
    if (!(header(req, 'content-type') ?? '').includes('application/x-www-form-urlencoded') || new URLSearchParams(rawBody).get('grant_type') !== 'client_credentials') {
      return upsError(400, 'FAKE_GRANT_TYPE', 'grant_type=client_credentials form body required');
    }
    const accessToken = randomBytes(24).toString('base64url');
    tokens.set(accessToken, { clientId: id, expiresAt: Date.now() + ttlSeconds * 1000 });
    return new Reply(200, {
      ...fixture<Record<string, unknown>>('oauth-token.json'),
      issued_at: String(Date.now()),
      client_id: id,
      access_token: accessToken,
      expires_in: String(ttlSeconds),
    });
  }

  function track(req: IncomingMessage, inquiry: string): Reply {
    // Tracking.yaml marks both headers required; the Track Alert table (same /api/track gateway) has the codes.
    if (!header(req, 'transid')) return upsError(400, 'VSS002', 'Missing transId.');
    if (!header(req, 'transactionsrc')) return upsError(400, 'VSS004', 'Missing transactionSrc.');
    const number = inquiry.toUpperCase();
    if (!/^[0-9A-Z]{7,34}$/.test(number)) return new Reply(400, fixture('track-invalid-number.json'));
    const script = TRACK_SCRIPT[number];
    if (script) return new Reply(200, fixture(script));
    const notFound = fixture<{ trackResponse: { shipment: { inquiryNumber: string }[] } }>('track-not-found.json');
    notFound.trackResponse.shipment[0]!.inquiryNumber = number;
    return new Reply(200, notFound);
  }

  function subscribe(req: IncomingMessage, kind: string, body: unknown): Reply {
    if (!header(req, 'transid')) return upsError(400, 'VSS002', 'Missing transId.');
    if (!header(req, 'transactionsrc')) return upsError(400, 'VSS004', 'Missing transactionSrc.');
    if (!body || typeof body !== 'object') return upsError(400, 'VSS110', 'Subscription request is empty or not present. The Subscription request has been rejected.');
    const locale = str(body, 'locale');
    if (!locale) return upsError(400, 'VSS300', 'Locale is required. The Subscription request has been rejected.');
    if (!/^[a-z]{2}_[A-Z]{2}$/.test(locale)) return upsError(400, 'VSS310', 'Please enter a valid locale. The Subscription request has been rejected.');
    if (!str(body, 'countryCode')) return upsError(400, 'VSS400', 'Please enter a valid country code. The Subscription request has been rejected.');
    const list = get(body, 'trackingNumberList');
    if (!Array.isArray(list) || list.length === 0) return upsError(400, 'VSS200', 'Tracking Number List is required. The Subscription request has been rejected.');
    if (list.length > 100) return upsError(400, 'VSS220', 'You have submitted over 100 1Z numbers which is not allowed.');
    if (!get(body, 'destination')) return upsError(400, 'VSS500', 'Destination is required. The Subscription request has been rejected');
    const url = str(body, 'destination.url');
    if (!url) return upsError(400, 'VSS600', 'URL is empty or not present. The Subscription request has been rejected.');
    const credential = str(body, 'destination.credential');
    if (!credential) return upsError(400, 'VSS700', 'Credential is empty or not present. The Subscription request has been rejected.');
    const credentialType = str(body, 'destination.credentialType');
    if (!credentialType) return upsError(400, 'VSS800', 'CredentialType is empty or not present. The Subscription request has been rejected.');
    const valid = list.filter((n): n is string => typeof n === 'string' && ONE_Z.test(n));
    const invalid = list.filter((n) => !(typeof n === 'string' && ONE_Z.test(n))).map(String);
    if (valid.length === 0) {
      return new Reply(400, {
        invalidTrackingNumbers: invalid,
        response: { errors: [{ code: 'VSS210', message: 'The Subscription request should have at least one valid tracking number. The Subscription request has been rejected.' }] },
      });
    }
    for (const n of valid) subscriptions.set(n, { url, credential, credentialType, enhanced: kind === 'enhanced' });
    return new Reply(200, invalid.length > 0 ? { validTrackingNumbers: valid, invalidTrackingNumbers: invalid } : { validTrackingNumbers: valid });
  }

  function createPickup(body: unknown): Reply {
    const r = get(body, 'PickupCreationRequest');
    const missing = [
      'Request',
      'RatePickupIndicator',
      'PickupDateInfo.PickupDate',
      'PickupDateInfo.ReadyTime',
      'PickupDateInfo.CloseTime',
      'PickupAddress.CompanyName',
      'PickupAddress.ContactName',
      'PickupAddress.AddressLine',
      'PickupAddress.City',
      'PickupAddress.CountryCode',
      'PickupAddress.ResidentialIndicator',
      'PickupAddress.Phone.Number',
      'AlternateAddressIndicator',
      'PickupPiece',
      'PaymentMethod',
    ].filter((p) => get(r, p) === undefined || get(r, p) === '');
    // Pickup.yaml lists what is required but not the error codes for each; FAKE_MISSING_FIELD is ours.
    if (!r || missing.length > 0) return upsError(400, 'FAKE_MISSING_FIELD', `Missing required element(s): ${missing.join(', ') || 'PickupCreationRequest'}`);
    if (str(r, 'PaymentMethod') === '01' && !(str(r, 'Shipper.Account.AccountNumber') && str(r, 'Shipper.Account.AccountCountryCode'))) {
      return upsError(400, 'FAKE_MISSING_FIELD', 'Shipper account number and country are required for PaymentMethod 01');
    }
    const date = str(r, 'PickupDateInfo.PickupDate') ?? '';
    if (!/^\d{8}$/.test(date) || date < todayYyyymmdd()) return new Reply(400, fixture('pickup-error-invalid-date.json'));
    const ready = str(r, 'PickupDateInfo.ReadyTime') ?? '';
    const close = str(r, 'PickupDateInfo.CloseTime') ?? '';
    if (!/^\d{4}$/.test(ready) || !/^\d{4}$/.test(close) || close <= ready) {
      return upsError(400, 'FAKE_PICKUP_WINDOW', 'CloseTime must be a later HHmm than ReadyTime');
    }
    const prn = randomAlnum(11); // PRN is 11 characters in Pickup.yaml
    pickups.set(prn, { status: 'scheduled', pickupDate: date });
    const response = fixture<{ PickupCreationResponse: Record<string, unknown> }>('pickup-create-response.json');
    response.PickupCreationResponse.PRN = prn;
    if (str(r, 'RatePickupIndicator') !== 'Y') {
      delete response.PickupCreationResponse.RateResult;
      delete response.PickupCreationResponse.RateStatus;
    }
    return new Reply(200, response);
  }

  function cancelPickup(req: IncomingMessage, cancelBy: string): Reply {
    if (cancelBy !== '02') return upsError(400, 'FAKE_CANCEL_BY', 'Only CancelBy 02 (PRN) is supported by the fake');
    const prn = header(req, 'prn');
    const pickup = prn ? pickups.get(prn) : undefined;
    // Not-found and already-canceled codes are not documented; the FAKE_ codes are ours.
    if (!prn || !pickup) return upsError(400, 'FAKE_PRN_NOT_FOUND', 'The pickup request number was not found');
    if (pickup.status === 'canceled') return upsError(400, 'FAKE_ALREADY_CANCELED', 'The pickup has already been canceled');
    pickup.status = 'canceled';
    return new Reply(200, fixture('pickup-cancel-response.json'));
  }

  function validateAddress(option: string, body: unknown): Reply {
    if (!['1', '2', '3'].includes(option)) return upsError(400, 'FAKE_REQUEST_OPTION', 'Invalid request option');
    const key = get(body, 'XAVRequest.AddressKeyFormat');
    if (!key || !str(key, 'CountryCode')) return upsError(400, 'FAKE_MISSING_FIELD', 'AddressKeyFormat.CountryCode is required');
    const postal = str(key, 'PostcodePrimaryLow');
    if (postal === '92656') return new Reply(200, fixture('xav-valid.json'));
    if (postal === '10001') return new Reply(200, fixture('xav-ambiguous.json'));
    if (postal === '00000') return new Reply(200, fixture('xav-no-candidates.json'));
    const lines = get(key, 'AddressLine');
    return new Reply(200, {
      XAVResponse: {
        Response: { ResponseStatus: { Code: '1', Description: 'Success' } },
        ValidAddressIndicator: '',
        AddressClassification: { Code: '0', Description: 'UnClassified' },
        Candidate: [
          {
            AddressClassification: { Code: '0', Description: 'UnClassified' },
            AddressKeyFormat: {
              AddressLine: (Array.isArray(lines) ? lines : [lines]).filter(Boolean).map((l) => String(l).toUpperCase()),
              PoliticalDivision2: str(key, 'PoliticalDivision2')?.toUpperCase(),
              PoliticalDivision1: str(key, 'PoliticalDivision1')?.toUpperCase(),
              PostcodePrimaryLow: postal,
              PostcodeExtendedLow: str(key, 'PostcodeExtendedLow'),
              CountryCode: str(key, 'CountryCode'),
            },
          },
        ],
      },
    });
  }

  function intercept(req: IncomingMessage, route: FakeUpsRoute, trackingNumber: string, body: unknown): Reply {
    const transId = header(req, 'transid');
    // DeliveryIntercept.yaml: transId and transactionSrc required, transId at most 14 characters.
    if (!transId || transId.length > 14 || !header(req, 'transactionsrc')) return new Reply(400, fixture('intercept-validation-error.json'));
    if (!ONE_Z.test(trackingNumber)) return new Reply(400, fixture('intercept-validation-error.json'));
    const requester = route === 'intercept.willcall' || route === 'intercept.return' || route === 'intercept.redirect';
    const invalid =
      !str(body, 'clientIP') ||
      !str(body, 'transactionId') ||
      (str(body, 'transactionId') ?? '').length > 14 ||
      (requester && (!str(body, 'requesterContactInfo.name') || !/^\+[0-9]{1,13}$/.test(str(body, 'requesterContactInfo.telephone') ?? ''))) ||
      (route === 'intercept.reschedule' && !/^\d{8}$/.test(str(body, 'deliveryDate') ?? '')) ||
      (route === 'intercept.return' && !RETURN_REASONS.has(str(body, 'reasonForReturn') ?? '')) ||
      // The schema leaves newDeliveryAddress optional, but a redirect without an address cannot be done.
      (route === 'intercept.redirect' && !(str(body, 'newDeliveryAddress.addressInfo.city') && str(body, 'newDeliveryAddress.addressInfo.countryCode')));
    if (invalid) return interceptError('710', 'Failure due to input validation error');
    if (NOT_INTERCEPTABLE.has(trackingNumber) && route !== 'intercept.charges') return new Reply(200, fixture('intercept-refused.json'));
    const name = {
      'intercept.willcall': 'intercept-willcall-response.json',
      'intercept.return': 'intercept-return-response.json',
      'intercept.reschedule': 'intercept-reschedule-response.json',
      'intercept.redirect': 'intercept-redirect-response.json',
      'intercept.cancel': 'intercept-return-response.json',
      'intercept.charges': 'intercept-return-response.json',
    }[route as string]!;
    const response = fixture<Record<string, unknown> & { chargeInfo?: Record<string, unknown>[] }>(name);
    response.transactionId = str(body, 'transactionId');
    for (const charge of response.chargeInfo ?? []) charge.trackingNumber = trackingNumber;
    if (route === 'intercept.cancel') delete response.chargeInfo;
    return new Reply(200, response);
  }

  function ship(body: unknown): Reply {
    const s = get(body, 'ShipmentRequest.Shipment');
    const returnService = str(s, 'ReturnService.Code');
    const missing = [
      'Description',
      'Shipper.Name',
      'Shipper.ShipperNumber',
      'Shipper.Address.City',
      'Shipper.Address.CountryCode',
      'ShipTo.Name',
      'ShipTo.Address.City',
      'ShipTo.Address.CountryCode',
      'Service.Code',
      'Package.Packaging.Code',
      'Package.PackageWeight.Weight',
      'PaymentInformation.ShipmentCharge',
      // Return shipments: ShipFrom and a package description are mandatory.
      ...(returnService ? ['ShipFrom.Name', 'ShipFrom.Address.City', 'ShipFrom.Address.CountryCode', 'Package.Description'] : []),
    ].filter((p) => get(s, p) === undefined || get(s, p) === '');
    // The Shipping API's per-field error codes are not in the spec we read; FAKE_MISSING_FIELD is ours.
    if (!s || missing.length > 0) return upsError(400, 'FAKE_MISSING_FIELD', `Missing required element(s): ${missing.join(', ') || 'Shipment'}`);
    if (returnService && !['2', '3', '5', '8', '9', '10'].includes(returnService)) return upsError(400, 'FAKE_RETURN_SERVICE', 'Invalid ReturnService code');
    const billed = get(s, 'PaymentInformation.ShipmentCharge');
    const account = Array.isArray(billed) ? str(billed[0], 'BillShipper.AccountNumber') : str(billed, 'BillShipper.AccountNumber');
    if (!account || account !== str(s, 'Shipper.ShipperNumber')) return upsError(400, 'FAKE_BILLING', 'BillShipper account must be the shipper number');
    const format = (str(body, 'ShipmentRequest.LabelSpecification.LabelImageFormat.Code') ?? '').toUpperCase();
    if (!['GIF', 'PNG'].includes(format)) return upsError(400, 'FAKE_LABEL_FORMAT', 'LabelImageFormat must be GIF or PNG in the fake');
    const tracking = `1Z${randomAlnum(16)}`;
    const response = fixture<{ ShipmentResponse: { ShipmentResults: Record<string, unknown> & { PackageResults: Record<string, unknown>[] } } }>('ship-return-response.json');
    const results = response.ShipmentResponse.ShipmentResults;
    results.ShipmentIdentificationNumber = tracking;
    const pkg = results.PackageResults[0]!;
    pkg.TrackingNumber = tracking;
    if (format === 'PNG') {
      pkg.ShippingLabel = {
        ImageFormat: { Code: 'PNG', Description: 'PNG' },
        GraphicImage: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC',
      };
    }
    return new Reply(200, response);
  }

  function send(res: ServerResponse, reply: Reply): void {
    const isHtml = typeof reply.body === 'string';
    res.writeHead(reply.status, {
      'Content-Type': isHtml ? 'text/html' : 'application/json',
      ...reply.headers,
    });
    res.end(isHtml ? reply.body : JSON.stringify(reply.body));
  }

  function faultReply(fault: { status: number; retryAfter?: number | string }, route: FakeUpsRoute | null): Reply {
    const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
    if ([502, 503, 504].includes(fault.status)) {
      return new Reply(fault.status, `<html><body><h1>${fault.status} Service Unavailable</h1></body></html>`, headers);
    }
    if (fault.status >= 500) return new Reply(fault.status, fixture('error-server.json'), headers);
    // UPS documents 429 "Rate Limit Exceeded" with its error envelope but no code; FAKE_RATE_LIMIT is ours.
    if (fault.status === 429) return new Reply(429, { response: { errors: [{ code: 'FAKE_RATE_LIMIT', message: 'Rate Limit Exceeded' }] } }, headers);
    return new Reply(fault.status, { response: { errors: [{ code: String(fault.status), message: `Injected ${fault.status} on ${route}` }] } }, headers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const contentType = header(req, 'content-type') ?? '';
    let body: unknown = rawBody === '' ? undefined : rawBody;
    let badJson = false;
    if (rawBody !== '' && contentType.includes('application/json')) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        badJson = true;
      }
    }
    const found = routeOf(req.method ?? 'GET', url.pathname);
    const route = found && 'route' in found ? found.route : null;
    requests.push({
      route,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body,
      at: Date.now(),
    });

    const fault = takeFault(route);
    if (fault === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'malformed') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"response": {"status": "ok", "data": [');
      return;
    }
    if (fault === 'expire-token') {
      const token = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
      const entry = token ? tokens.get(token) : undefined;
      if (entry) entry.expiresAt = 0;
    } else if (fault) {
      send(res, faultReply(fault, route));
      return;
    }

    if (!found) return send(res, upsError(404, '404', 'The requested resource was not found.'));
    if ('wrongMethod' in found) return send(res, upsError(405, '405', 'The requested method is not allowed for this resource.'));
    if (found.route === 'token') return send(res, issueToken(req, rawBody));

    const denied = authenticate(req);
    if (denied) return send(res, denied);
    if ((req.method === 'POST' && !contentType.includes('application/json')) || badJson) {
      return send(res, upsError(400, '10007', 'Requested Content Type is not supported'));
    }
    const [p0, p1] = found.params;
    switch (found.route) {
      case 'track':
        return send(res, track(req, p0!));
      case 'trackAlert.subscribe':
        return send(res, subscribe(req, p0!, body));
      case 'pickup.create':
        return send(res, createPickup(body));
      case 'pickup.cancel':
        return send(res, cancelPickup(req, p0!));
      case 'address':
        return send(res, validateAddress(p1!, body));
      case 'ship':
        return send(res, ship(body));
      default:
        return send(res, intercept(req, found.route, p0!, body));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, upsError(500, '10004', `Fake failure: ${String(error)}`));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    pickups,
    subscriptions,
    inject(route, fault, times = 1) {
      const queue = faults.get(route) ?? [];
      queue.push({ fault, remaining: times });
      faults.set(route, queue);
    },
    clearFaults() {
      faults.clear();
    },
    expireTokens() {
      for (const token of tokens.values()) token.expiresAt = 0;
    },
    async pushTrackAlert(trackingNumber, event) {
      const subscription = subscriptions.get(trackingNumber);
      if (!subscription) throw new Error(`No Track Alert subscription for ${trackingNumber}`);
      const payload: Record<string, unknown> = { ...event, trackingNumber };
      if (!subscription.enhanced) {
        delete payload.deliveryPhoto;
        delete payload.receivedBy;
      }
      const response = await fetch(subscription.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', credential: subscription.credential, 'User-Agent': 'UPSPubSubTrackingService' },
        body: JSON.stringify(payload),
      });
      await response.arrayBuffer();
      return { status: response.status };
    },
    async close() {
      for (const res of hanging) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
