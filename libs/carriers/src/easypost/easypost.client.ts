import EasyPost from '@easypost/api';
import { CarrierError } from '../carrier.error';
import type { CallOptions } from '../carrier.port';
import { carrierErrorFromHttp, classifyTransportError, parseRetryAfter } from '../shared/http-error';
import { EasyPostMapper } from './easypost.mapper';
import type { EpAddressParams, EpClaimParams, EpErrorBody, EpPickupParams, EpShipmentParams } from './easypost.types';

export interface EasyPostClientOptions {
  apiKey: string;
  /** Default `https://api.easypost.com/v2/`. Tests point it at the fake; a missing trailing `/` is added. */
  baseUrl?: string;
  /** Time allowed until the first response byte. Default 10 s. */
  responseTimeoutMs?: number;
  /** Time allowed for the whole request. Default 30 s; `CallOptions.timeoutMs` overrides it per call. */
  deadlineMs?: number;
  /** Used to read `Retry-After` dates; injectable for tests. */
  now?: () => Date;
}

/** `create_and_verify` answers 422 for an address it cannot verify; that is a result, not a failure. */
export type AddressVerifyOutcome = { verified: true; address: unknown } | { verified: false; error: EpErrorBody };

interface ResponseMeta {
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
}

interface ThrownByClient {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  rawResponse?: unknown;
}

const DEFAULT_BASE_URL = 'https://api.easypost.com/v2/';

type EasyPostLib = InstanceType<typeof EasyPost>;

/**
 * A thin wrapper over `@easypost/api`: base URL, key, real timeouts, and every failure turned into a
 * `CarrierError`. It returns EasyPost's JSON as plain objects (the library's `_params` stripped) and
 * leaves all meaning to {@link EasyPostMapper}.
 *
 * The library ignores its own `timeout` option and throws undocumented error classes, so timeouts are
 * set through `requestMiddleware`, and errors are classified by `statusCode` / `code`, with the HTTP
 * status captured from the response for bodies the library cannot read.
 *
 * @example
 * ```ts
 * const client = new EasyPostApiClient({ apiKey: process.env.EASYPOST_API_KEY!, responseTimeoutMs: 5_000 });
 * const trackerJson = await client.createTracker({ tracking_code: 'EZ4000000004' });
 * ```
 */
export class EasyPostApiClient {
  private readonly baseUrl: string;

  constructor(
    private readonly options: EasyPostClientOptions,
    private readonly mapper: EasyPostMapper = new EasyPostMapper(),
  ) {
    const base = options.baseUrl ?? DEFAULT_BASE_URL;
    // The library concatenates `baseUrl + 'trackers'`: without the slash requests go to `/v2trackers`.
    this.baseUrl = base.endsWith('/') ? base : `${base}/`;
  }

  createTracker(params: { tracking_code: string; carrier?: string }, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Tracker.create({ ...params }), call);
  }

  retrieveTracker(id: string, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Tracker.retrieve(id), call);
  }

  createShipment(params: EpShipmentParams, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Shipment.create(structuredClone(params)), call);
  }

  retrieveShipment(id: string, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Shipment.retrieve(id), call);
  }

  buyShipment(id: string, rateId: string, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Shipment.buy(id, rateId), call);
  }

  createPickup(params: EpPickupParams, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Pickup.create(structuredClone(params)), call);
  }

  retrievePickup(id: string, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Pickup.retrieve(id), call);
  }

  buyPickup(id: string, carrier: string, service: string, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Pickup.buy(id, carrier, service), call);
  }

  cancelPickup(id: string, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Pickup.cancel(id), call);
  }

  /** `POST addresses/create_and_verify`; a 422 with an address-verification code comes back as `verified: false`. */
  async createAndVerifyAddress(params: EpAddressParams, call?: CallOptions): Promise<AddressVerifyOutcome> {
    const meta: ResponseMeta = {};
    try {
      // The library deletes keys from the object it is given, hence the copy.
      const address = await this.raw((ep) => ep.Address.createAndVerify({ ...params }), meta, call);
      return { verified: true, address };
    } catch (err) {
      const e = err as ThrownByClient;
      if (e.statusCode === 422 && typeof e.code === 'string' && this.mapper.isAddressVerdictError(e.code)) {
        return { verified: false, error: { code: e.code, message: String(e.message ?? ''), errors: Array.isArray(e.errors) ? e.errors : [] } };
      }
      throw this.toCarrierError(err, meta, call);
    }
  }

  createClaim(params: EpClaimParams, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Claim.create(structuredClone(params)), call);
  }

  retrieveClaim(id: string, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Claim.retrieve(id), call);
  }

  listClaims(params: { page_size?: number; before_id?: string }, call?: CallOptions): Promise<unknown> {
    return this.call((ep) => ep.Claim.all({ ...params }), call);
  }

  private async call(fn: (ep: EasyPostLib) => Promise<unknown>, call?: CallOptions): Promise<unknown> {
    const meta: ResponseMeta = {};
    try {
      return await this.raw(fn, meta, call);
    } catch (err) {
      throw this.toCarrierError(err, meta, call);
    }
  }

  /**
   * One library instance per call: `requestMiddleware` is the only per-request hook, and it is where
   * the timeout goes and where the status and `Retry-After` of an error answer are captured (the
   * library's error objects drop the headers).
   */
  private async raw(fn: (ep: EasyPostLib) => Promise<unknown>, meta: ResponseMeta, call?: CallOptions): Promise<unknown> {
    const { response, deadline } = this.timeouts(call);
    const ep = new EasyPost(this.options.apiKey, {
      baseUrl: this.baseUrl,
      requestMiddleware: (request: SuperagentRequest) => {
        request.on('response', (res: { status: number; headers: ResponseMeta['headers'] }) => {
          meta.status = res.status;
          meta.headers = res.headers;
        });
        return request.timeout({ response, deadline });
      },
    });
    return toPlain(await fn(ep));
  }

  private timeouts(call?: CallOptions): { response: number; deadline: number } {
    const deadline = call?.timeoutMs ?? this.options.deadlineMs ?? 30_000;
    const response = Math.min(this.options.responseTimeoutMs ?? 10_000, deadline);
    return { response, deadline };
  }

  private toCarrierError(err: unknown, meta: ResponseMeta, call?: CallOptions): CarrierError {
    if (err instanceof CarrierError) return err;
    const e = (err ?? {}) as ThrownByClient;
    const retryAfterMs = parseRetryAfter(meta.headers?.['retry-after'], this.options.now?.() ?? new Date());
    const httpStatus = typeof e.statusCode === 'number' ? e.statusCode : meta.status;
    const withCause = (ce: CarrierError) => {
      ce.cause = err;
      return ce;
    };

    // A proper EasyPost error envelope: the library copied code, message and errors onto the error.
    if (typeof e.statusCode === 'number' && typeof e.code === 'string' && e.rawResponse === undefined) {
      const body: EpErrorBody = { code: e.code, message: String(e.message ?? ''), errors: Array.isArray(e.errors) ? e.errors : [] };
      return withCause(this.mapper.toCarrierError(e.statusCode, body, retryAfterMs));
    }

    const transport = classifyTransportError(err);
    if (transport && e.rawResponse === undefined) {
      const message =
        transport.code === 'timeout'
          ? `EasyPost did not answer within ${this.timeouts(call).deadline} ms`
          : `Could not reach EasyPost (${String(e.code)})`;
      return withCause(new CarrierError('easypost', transport.code, message, transport.retryable, { httpStatus: httpStatus ?? null }));
    }

    // An error status whose body was not an EasyPost envelope (proxy HTML, `{}`, bad JSON): the
    // status still says what happened; the library itself threw a bare TypeError here.
    if (typeof httpStatus === 'number' && httpStatus >= 300) {
      return withCause(
        carrierErrorFromHttp('easypost', httpStatus, `EasyPost answered HTTP ${httpStatus} without a readable error body`, { retryAfterMs }),
      );
    }

    // A 2xx we could not read (bad JSON, gzip header on a plain body, truncated stream).
    if (typeof httpStatus === 'number' || e.rawResponse !== undefined || err instanceof SyntaxError || e.code === 'Z_DATA_ERROR') {
      return withCause(
        new CarrierError('easypost', 'malformed_response', 'EasyPost sent a response that is not valid JSON', true, { httpStatus: httpStatus ?? null }),
      );
    }

    // Unclassifiable: treat as transient, the retry budget bounds the cost of being wrong.
    return withCause(new CarrierError('easypost', 'unknown', `EasyPost call failed: ${String(e.message ?? err)}`, true));
  }
}

interface SuperagentRequest {
  on(event: 'response', fn: (res: { status: number; headers: ResponseMeta['headers'] }) => void): SuperagentRequest;
  timeout(t: { response: number; deadline: number }): SuperagentRequest;
}

/** The library's model instances carry `_params` (the request) on every nested object; drop them. */
function toPlain(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === '_params' ? undefined : v)));
}
