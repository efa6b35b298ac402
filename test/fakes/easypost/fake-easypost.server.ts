import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { signEasyPostWebhook } from '../../../libs/carriers/src/easypost/easypost.webhook';
import {
  buildAddress,
  buildClaim,
  buildEvent,
  buildPickup,
  buildShipment,
  buildTracker,
  buyShipment,
  epAddressTime,
  epId,
  epNaiveTime,
  epTime,
  errorBody,
  verifications,
  verifyAddress,
  type Json,
} from './fake-easypost.builder';

/**
 * A fake EasyPost API on 127.0.0.1, faithful to the recorded contract (test/fixtures/easypost): the
 * endpoints the adapter uses, the recorded shapes and statuses, the error envelope, Basic auth with
 * the key as user name, and no replayed `content-encoding` / `transfer-encoding` headers.
 *
 * Faults are injected per route for the next N requests; see {@link FakeFault}.
 *
 * @example
 * ```ts
 * const fake = await startFakeEasyPost();
 * const adapter = new EasyPostAdapter({ client: { apiKey: fake.apiKey, baseUrl: fake.url } });
 * fake.inject('POST /v2/trackers', { kind: 'status', status: 429, retryAfter: 1 }, 2);
 * await adapter.track({ trackingCode: 'EZ4000000004' });
 * await fake.close();
 * ```
 */
export interface FakeEasyPost {
  /** Base URL for the client, ending in `/v2/`. */
  url: string;
  /** The key the fake accepts. */
  apiKey: string;
  /** Every request received, in order (faulted ones included). */
  requests: RecordedRequest[];
  /** Objects the fake holds, by id; tests may read and change them. */
  state: FakeState;
  /** Fail the next `times` requests to `route` (`'POST /v2/pickups/:id/buy'`, or `'*'`). */
  inject(route: string, fault: FakeFault, times?: number): void;
  /** Give a tracking code insurance, so a claim on it is accepted instead of the recorded 404. */
  insure(trackingCode: string, amount?: string): void;
  /** Move a claim on, as EasyPost's claims team would. */
  setClaimStatus(claimId: string, status: string, detail: string, approvedAmount?: string | null): Json;
  /** POST a signed Event to `url`, exactly as EasyPost would; returns the answer and what was sent. */
  sendWebhook(options: SendWebhookOptions): Promise<{ status: number; body: string; rawBody: string; signature: string; event: Json }>;
  close(): Promise<void>;
}

export interface FakeEasyPostOptions {
  apiKey?: string;
  /** The fake's clock (timestamps in bodies, tracker shifting). */
  now?: () => Date;
  /** Claims timestamped without a zone, as EasyPost did in 2024 (default: with `Z`, as in 2025). */
  naiveClaimTimes?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** The route pattern matched, e.g. `POST /v2/trackers/:id`, or `null`. */
  route: string | null;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  rawBody: string;
}

/**
 * - `status`: an EasyPost error envelope with this status (429 gets `Retry-After`); 5xx bodies and the
 *   429 code are not recorded and follow the standard envelope (easypost.md §0.4, §8).
 * - `hang`: no answer for `ms` (default: never), then the normal answer.
 * - `malformed`: a truncated JSON body (default status 200).
 * - `html`: a proxy's HTML error page, no envelope (default status 502).
 * - `reset`: the connection is dropped.
 *
 * `after: true` lets the request take effect first (the buy happens, the answer is lost).
 */
export type FakeFault = (
  | { kind: 'status'; status: number; retryAfter?: string | number; body?: Json }
  | { kind: 'hang'; ms?: number }
  | { kind: 'malformed'; status?: number }
  | { kind: 'html'; status?: number }
  | { kind: 'reset' }
) & { after?: boolean };

export interface SendWebhookOptions {
  url: string;
  secret: string;
  /** Default `tracker.updated`. */
  description?: string;
  /** The Event's `result`; or give `trackerId` to send a tracker the fake holds. */
  result?: Json;
  trackerId?: string;
  previousAttributes?: Json;
  /** Send this signature instead of the right one. */
  signatureOverride?: string | null;
}

export interface FakeState {
  trackers: Map<string, Json>;
  shipments: Map<string, Json>;
  pickups: Map<string, Json>;
  claims: Map<string, Json>;
  addresses: Map<string, Json>;
  insured: Map<string, { amount: string; insuranceId: string; shipmentId: string | null }>;
}

type Handler = (ctx: { params: Record<string, string>; body: Json | null; query: Record<string, string> }) => { status: number; body: Json; location?: string };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(JSON.stringify(body));
  }
}

const notFound = () => new HttpError(404, errorBody('NOT_FOUND', 'The requested resource could not be found.'));
const required = (field: string) => new HttpError(422, errorBody('PARAMETER.REQUIRED', 'Missing required parameter.', [{ field, message: 'cannot be blank' }]));

export async function startFakeEasyPost(options: FakeEasyPostOptions = {}): Promise<FakeEasyPost> {
  const apiKey = options.apiKey ?? `EZTKfake${randomBytes(8).toString('hex')}`;
  const now = () => (options.now?.() ?? new Date()).getTime();
  const state: FakeState = { trackers: new Map(), shipments: new Map(), pickups: new Map(), claims: new Map(), addresses: new Map(), insured: new Map() };
  const requests: RecordedRequest[] = [];
  const faults: { route: string; fault: FakeFault; remaining: number }[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let confirmation = 64740636;

  const get = (map: Map<string, Json>, id: string) => {
    const found = map.get(id);
    if (!found) throw notFound();
    return found;
  };

  const routes: [string, Handler][] = [
    [
      'POST /v2/trackers',
      ({ body }) => {
        const params = body?.tracker;
        if (!params?.tracking_code) throw required('tracker.tracking_code');
        // A repeat within 3 months returns the original (docs); 200 for it, 201 for a new one (easypost.md §4.1).
        const existing = [...state.trackers.values()].find((t) => t.tracking_code === params.tracking_code && (!params.carrier || t.carrier === params.carrier));
        if (existing) return { status: 200, body: existing, location: `/api/v2/trackers/${existing.id}` };
        const tracker = buildTracker(params.tracking_code, params.carrier, now());
        state.trackers.set(tracker.id, tracker);
        return { status: 201, body: tracker, location: `/api/v2/trackers/${tracker.id}` };
      },
    ],
    ['GET /v2/trackers/:id', ({ params }) => ({ status: 200, body: get(state.trackers, params.id) })],
    [
      'POST /v2/shipments',
      ({ body }) => {
        const params = body?.shipment;
        if (!params) throw required('shipment');
        for (const field of ['to_address', 'from_address', 'parcel']) if (!params[field]) throw required(`shipment.${field}`);
        const shipment = buildShipment(params, now());
        state.shipments.set(shipment.id, shipment);
        return { status: 201, body: shipment };
      },
    ],
    ['GET /v2/shipments/:id', ({ params }) => ({ status: 200, body: get(state.shipments, params.id) })],
    [
      'POST /v2/shipments/:id/buy',
      ({ params, body }) => {
        const shipment = get(state.shipments, params.id);
        const rateId = body?.rate?.id;
        if (!rateId) throw required('rate');
        // Codes from the client's TErrorCode list; these answers are not recorded.
        if (shipment.postage_label) throw new HttpError(422, errorBody('SHIPMENT.POSTAGE.EXISTS', 'Postage already exists for this shipment.'));
        const rate = shipment.rates.find((r: Json) => r.id === rateId);
        if (!rate) throw notFound();
        const insurance = body?.insurance === undefined || body.insurance === null ? null : String(body.insurance);
        buyShipment(shipment, rate, insurance, now());
        state.trackers.set(shipment.tracker.id, shipment.tracker);
        if (insurance) state.insured.set(shipment.tracking_code, { amount: Number(insurance).toFixed(2), insuranceId: epId('ins'), shipmentId: shipment.id });
        return { status: 200, body: shipment };
      },
    ],
    [
      'POST /v2/pickups',
      ({ body }) => {
        const params = body?.pickup;
        if (!params) throw required('pickup');
        if (!params.address) throw new HttpError(422, errorBody('PICKUP.ADDRESS.REQUIRED', 'Address is required.'));
        if (!params.min_datetime) throw new HttpError(422, errorBody('PICKUP.MIN_DATETIME.REQUIRED', 'min_datetime is required.'));
        if (!params.max_datetime) throw new HttpError(422, errorBody('PICKUP.MAX_DATETIME.REQUIRED', 'max_datetime is required.'));
        if (!params.shipment && !params.batch) throw required('pickup.shipment');
        if (params.shipment?.id && !state.shipments.has(params.shipment.id)) throw notFound();
        const pickup = buildPickup(params, now());
        state.pickups.set(pickup.id, pickup);
        // Recorded: pickup create answers 200, not 201.
        return { status: 200, body: pickup };
      },
    ],
    ['GET /v2/pickups/:id', ({ params }) => ({ status: 200, body: get(state.pickups, params.id) })],
    [
      'POST /v2/pickups/:id/buy',
      ({ params, body }) => {
        const pickup = get(state.pickups, params.id);
        if (pickup.status !== 'unknown') throw new HttpError(422, errorBody('PICKUP.STATUS.INVALID', `Pickup is already ${pickup.status}.`));
        const rate = pickup.pickup_rates.find((r: Json) => r.carrier === body?.carrier && r.service === body?.service);
        if (!rate) throw new HttpError(422, errorBody('PICKUP.BUY.NO_MATCHING_RATES', 'No rates match the requested carrier and service.'));
        Object.assign(pickup, { status: 'scheduled', confirmation: `WTC${++confirmation}`, updated_at: epTime(now()) });
        return { status: 200, body: pickup };
      },
    ],
    [
      'POST /v2/pickups/:id/cancel',
      ({ params }) => {
        const pickup = get(state.pickups, params.id);
        if (pickup.status !== 'scheduled') throw new HttpError(422, errorBody('PICKUP.STATUS.INVALID', `Pickup is ${pickup.status}; only a scheduled pickup can be canceled.`));
        Object.assign(pickup, { status: 'canceled', updated_at: epTime(now()) });
        return { status: 200, body: pickup };
      },
    ],
    [
      'POST /v2/addresses',
      ({ body }) => {
        const params = body?.address;
        if (!params) throw required('address');
        const address = buildAddress(params, now());
        if (body?.verify || body?.verify_strict) {
          const result = verifyAddress(params);
          // Recorded: verify_strict fails with 422; plain verify answers 201 and reports in `verifications`.
          if (!result.ok && body.verify_strict) throw new HttpError(422, errorBody('ADDRESS.VERIFY.FAILURE', 'Unable to verify address.', result.errors));
          Object.assign(address, result.ok ? { ...result.verified, id: address.id, object: 'Address' } : {}, { verifications: verifications(result) });
        }
        state.addresses.set(address.id, address);
        return { status: 201, body: address };
      },
    ],
    [
      'POST /v2/addresses/create_and_verify',
      ({ body }) => {
        const params = body?.address;
        if (!params) throw required('address');
        const result = verifyAddress(params);
        if (!result.ok) throw new HttpError(422, errorBody('ADDRESS.VERIFY.FAILURE', 'Unable to verify address.', result.errors));
        const address: Json = { ...buildAddress(result.verified, now()), verifications: verifications(result) };
        address.created_at = epTime(now()); // recorded 2025: this endpoint stamps with Z, not +00:00
        address.updated_at = epTime(now());
        state.addresses.set(address.id, address);
        return { status: 200, body: { address } };
      },
    ],
    [
      'GET /v2/addresses/:id/verify',
      ({ params }) => {
        const address = get(state.addresses, params.id);
        const result = verifyAddress(address);
        if (!result.ok) throw new HttpError(422, errorBody('ADDRESS.VERIFY.FAILURE', 'Unable to verify address.', result.errors));
        Object.assign(address, result.verified, { verifications: verifications(result), updated_at: epAddressTime(now()) });
        return { status: 200, body: { address } };
      },
    ],
    [
      'POST /v2/claims',
      ({ body }) => {
        // Claims are sent unwrapped.
        for (const field of ['type', 'tracking_code', 'amount', 'description']) if (body?.[field] === undefined || body[field] === '') throw required(field);
        if (!['damage', 'loss', 'theft'].includes(body!.type)) throw new HttpError(422, errorBody('PARAMETER.INVALID', 'Invalid parameter.', [{ field: 'type', message: 'is not included in the list' }]));
        const insured = state.insured.get(body!.tracking_code);
        if (!insured) {
          // Recorded verbatim (Error-Service, alternative format): string items in `errors`.
          throw new HttpError(404, { error: { code: 'NOT_FOUND', errors: ['No eligible insurance found with provided tracking code.'], message: 'The requested resource could not be found.' } });
        }
        const claim = buildClaim(body!, insured, now(), options.naiveClaimTimes === true);
        state.claims.set(claim.id, claim);
        return { status: 201, body: claim };
      },
    ],
    [
      'GET /v2/claims',
      ({ query }) => {
        const all = [...state.claims.values()].reverse();
        const from = query.before_id ? all.findIndex((c) => c.id === query.before_id) + 1 : 0;
        const size = Number(query.page_size ?? 20);
        const page = all.slice(from, from + size);
        return { status: 200, body: { claims: page, has_more: from + size < all.length } };
      },
    ],
    ['GET /v2/claims/:id', ({ params }) => ({ status: 200, body: get(state.claims, params.id) })],
    [
      'POST /v2/claims/:id/cancel',
      ({ params }) => ({ status: 200, body: moveClaim(get(state.claims, params.id), 'cancelled', 'Claim cancellation was requested.') }),
    ],
  ];

  function moveClaim(claim: Json, status: string, detail: string, approvedAmount?: string | null): Json {
    const ts = options.naiveClaimTimes ? epNaiveTime(now()) : epTime(now());
    // Recorded: history is newest first.
    claim.history = [{ status, status_detail: detail, timestamp: ts }, ...(claim.history ?? [])];
    Object.assign(claim, { status, status_detail: detail, status_timestamp: ts, updated_at: ts });
    if (approvedAmount !== undefined) claim.approved_amount = approvedAmount;
    return claim;
  }

  function match(method: string, path: string): { route: string; handler: Handler; params: Record<string, string> } | null {
    for (const [route, handler] of routes) {
      const [m, pattern] = route.split(' ');
      if (m !== method) continue;
      const want = pattern.split('/');
      const got = path.split('/');
      if (want.length !== got.length) continue;
      const params: Record<string, string> = {};
      if (want.every((seg, i) => (seg.startsWith(':') ? ((params[seg.slice(1)] = decodeURIComponent(got[i])), true) : seg === got[i]))) {
        return { route, handler, params };
      }
    }
    return null;
  }

  function takeFault(route: string | null): FakeFault | null {
    const entry = faults.find((f) => f.remaining > 0 && (f.route === '*' || f.route === route));
    if (!entry) return null;
    entry.remaining--;
    return entry.fault;
  }

  function send(res: ServerResponse, status: number, body: string, contentType = 'application/json; charset=utf-8', extra: Record<string, string> = {}) {
    if (res.destroyed || res.writableEnded) return;
    // Recorded headers worth keeping; never content-encoding or transfer-encoding (easypost.md §0.6).
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'private, no-cache, no-store',
      'x-ep-request-uuid': randomBytes(16).toString('hex'),
      ...extra,
    });
    res.end(body);
  }

  function sendFault(req: IncomingMessage, res: ServerResponse, fault: FakeFault, normal: () => void) {
    switch (fault.kind) {
      case 'status': {
        const extra: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
        const body =
          fault.body ??
          (fault.status === 429
            ? errorBody('RATE_LIMITED', 'You have exceeded the rate limit. Please try again later.')
            : fault.status >= 500
              ? errorBody('INTERNAL_SERVER_ERROR', 'We are experiencing a problem. Please try again later.')
              : errorBody('BAD_REQUEST', 'Bad request.'));
        return send(res, fault.status, JSON.stringify(body), undefined, extra);
      }
      case 'hang': {
        if (fault.ms === undefined) return; // never answers; close() drops the socket
        const timer = setTimeout(() => {
          timers.delete(timer);
          normal();
        }, fault.ms);
        timers.add(timer);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'malformed':
        return send(res, fault.status ?? 200, '{"id":"trk_', undefined);
      case 'html':
        return send(res, fault.status ?? 502, '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>', 'text/html');
      case 'reset':
        req.socket.destroy();
        return;
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const method = req.method ?? 'GET';
      const found = match(method, url.pathname);
      let body: Json | null = null;
      const recorded: RecordedRequest = {
        method,
        route: found?.route ?? null,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: null,
        rawBody,
      };
      requests.push(recorded);

      const answer = () => {
        try {
          if (!authorised(req.headers.authorization)) {
            throw new HttpError(401, errorBody(req.headers.authorization ? 'UNAUTHORIZED' : 'APIKEY.REQUIRED', 'The API key is missing or not valid.'));
          }
          if (rawBody) {
            try {
              body = JSON.parse(rawBody) as Json;
              recorded.body = body;
            } catch {
              throw new HttpError(400, errorBody('BAD_REQUEST', 'The request body is not valid JSON.'));
            }
          }
          if (!found) throw notFound();
          const out = found.handler({ params: found.params, body, query: recorded.query });
          return () => send(res, out.status, JSON.stringify(out.body), undefined, out.location ? { location: out.location } : {});
        } catch (err) {
          if (err instanceof HttpError) return () => send(res, err.status, JSON.stringify(err.body));
          return () => send(res, 500, JSON.stringify(errorBody('INTERNAL_SERVER_ERROR', String(err))));
        }
      };

      const fault = takeFault(found?.route ?? null);
      if (!fault) return answer()();
      // `after`: the request takes effect now; what the client sees is the fault (or, for a slow
      // `hang`, the real answer too late).
      const respond = fault.after ? answer() : () => answer()();
      sendFault(req, res, fault, respond);
    });
  });

  function authorised(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const [user] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    return user === apiKey;
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v2/`,
    apiKey,
    requests,
    state,
    inject(route, fault, times = 1) {
      faults.push({ route, fault, remaining: times });
    },
    insure(trackingCode, amount = '100.00') {
      state.insured.set(trackingCode, { amount, insuranceId: epId('ins'), shipmentId: null });
    },
    setClaimStatus(claimId, status, detail, approvedAmount) {
      return moveClaim(get(state.claims, claimId), status, detail, approvedAmount);
    },
    async sendWebhook(o) {
      const result = o.result ?? (o.trackerId ? get(state.trackers, o.trackerId) : undefined);
      if (!result) throw new Error('sendWebhook needs result or trackerId');
      const event = buildEvent(o.description ?? 'tracker.updated', result, o.previousAttributes ?? {}, o.url, now());
      const rawBody = JSON.stringify(event);
      const signature = o.signatureOverride === undefined ? signEasyPostWebhook(rawBody, o.secret) : o.signatureOverride;
      const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(rawBody)) };
      if (signature !== null) headers['x-hmac-signature'] = signature;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const r = httpRequest(o.url, { method: 'POST', headers }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
        });
        r.on('error', reject);
        r.end(rawBody);
      });
      return { ...answer, rawBody, signature: signature ?? '', event };
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
