import { randomBytes } from 'node:crypto';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { CarrierError } from '../carrier.error';
import { classifyTransportError } from '../shared/http-error';
import { withRetry, type RetryOptions } from '../shared/retry';
import { mapUpsHttpError } from './ups.mapper';
import type { UpsTokenResponse } from './ups.types';

/** The logging the UPS code needs; pino, Nest's Logger or console all fit with a one-line wrapper. */
export interface UpsLogger {
  warn(message: string, context?: Record<string, unknown>): void;
}

export const silentUpsLogger: UpsLogger = { warn: () => undefined };

export interface UpsClientConfig {
  /** `https://onlinetools.ups.com` (production), `https://wwwcie.ups.com` (CIE) or a fake. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Sent as `x-merchant-id` on the token call; UPS documents it as the optional 6-digit account number. */
  merchantId?: string | null;
  /** `transactionSrc` header: identifies the calling application in UPS's logs. */
  transactionSrc?: string;
  /** Default per-call deadline in ms, for the whole exchange (connect, headers, body). */
  timeoutMs?: number;
  /** Refresh the token this long before UPS says it expires (capped at half the token's lifetime). */
  tokenRefreshMarginMs?: number;
  /** In-call retries (shared `withRetry`); `false` leaves all retrying to the caller's job queue. */
  retry?: Partial<RetryOptions> | false;
  logger?: UpsLogger;
  clock?: () => number;
}

export const DEFAULT_UPS_RETRY: RetryOptions = { retries: 3, baseMs: 250, maxMs: 5_000, maxRetryAfterMs: 30_000, jitter: 'full' };

export interface UpsRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under the base URL, e.g. `/api/track/v1/details/1Z...`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /**
   * Whether sending the call twice is harmless. UPS honours no idempotency key, so a write that timed
   * out or got a 5xx may have been done; such calls are retried inline only when UPS provably did not
   * act (429, refused connection, token failures) and otherwise surface as a retryable `CarrierError`.
   */
  idempotent: boolean;
  /** Short operation name for logs, e.g. `track`. */
  operation: string;
}

export interface UpsResponse<T = unknown> {
  status: number;
  body: T;
  /** The `transId` we sent, for correlating with UPS support. */
  transId: string;
}

/** Transport codes that prove the request never reached UPS. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

const UPS = 'ups';

/**
 * Thin axios client for UPS's REST APIs: OAuth client-credentials token (cached until shortly before
 * expiry, one fetch shared by concurrent callers, refreshed once on 401), `transId`/`transactionSrc`
 * headers, hard deadlines, and every failure turned into a `CarrierError`.
 *
 * @example
 * ```ts
 * const client = new UpsClient({ baseUrl: 'https://wwwcie.ups.com', clientId, clientSecret });
 * const { body } = await client.request({ method: 'GET', path: '/api/track/v1/details/1Z...', idempotent: true, operation: 'track' });
 * ```
 */
export class UpsClient {
  private readonly http: AxiosInstance;
  private readonly retry: RetryOptions;
  private readonly logger: UpsLogger;
  private readonly clock: () => number;
  private readonly timeoutMs: number;
  private readonly marginMs: number;
  private readonly transactionSrc: string;
  private cached: { token: string; refreshAt: number } | null = null;
  private inflight: Promise<string> | null = null;
  /** Errors raised before the main request left this process: safe to retry for any operation. */
  private readonly unsent = new WeakSet<CarrierError>();

  constructor(private readonly config: UpsClientConfig) {
    this.retry = config.retry === false ? { ...DEFAULT_UPS_RETRY, retries: 0 } : { ...DEFAULT_UPS_RETRY, ...config.retry };
    this.logger = config.logger ?? silentUpsLogger;
    this.clock = config.clock ?? Date.now;
    this.timeoutMs = config.timeoutMs ?? 10_000;
    this.marginMs = config.tokenRefreshMarginMs ?? 5 * 60_000;
    this.transactionSrc = config.transactionSrc ?? 'delivery-desk';
    this.http = axios.create({
      baseURL: config.baseUrl.replace(/\/+$/, ''),
      // We classify statuses and parse bodies ourselves: a malformed body must not become a generic throw.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
    });
  }

  /** Sends one UPS API call with token, headers, deadline and retry policy applied. */
  async request<T = unknown>(req: UpsRequest): Promise<UpsResponse<T>> {
    return withRetry(() => this.sendWithToken<T>(req), {
      ...this.retry,
      isRetryable: (error, attempt) =>
        error instanceof CarrierError &&
        error.retryable &&
        (req.idempotent || this.unsent.has(error) || error.code === 'rate_limited') &&
        (this.retry.isRetryable?.(error, attempt) ?? true),
      onRetry: (info) => {
        const error = info.error as CarrierError;
        this.logger.warn('UPS call failed, retrying', {
          operation: req.operation,
          attempt: info.attempt,
          delayMs: info.delayMs,
          code: error.code,
          httpStatus: error.details.httpStatus ?? null,
          carrierCode: error.details.carrierCode ?? null,
        });
        this.retry.onRetry?.(info);
      },
    });
  }

  /** Current bearer token, fetching one if none is cached or it is about to expire. */
  async getToken(): Promise<string> {
    if (this.cached && this.clock() < this.cached.refreshAt) return this.cached.token;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async sendWithToken<T>(req: UpsRequest): Promise<UpsResponse<T>> {
    let token: string;
    try {
      token = await this.getToken();
    } catch (error) {
      if (error instanceof CarrierError) this.unsent.add(error);
      throw error;
    }
    const first = await this.send<T>(req, token);
    if (first.kind === 'ok') return first.response;
    if (first.error.details.httpStatus !== 401) throw first.error;

    // A 401 means UPS acted on nothing, so one resend with a fresh token is safe even for writes.
    this.forget(token);
    let fresh: string;
    try {
      fresh = await this.getToken();
    } catch (error) {
      if (error instanceof CarrierError) this.unsent.add(error);
      throw error;
    }
    const second = await this.send<T>(req, fresh);
    if (second.kind === 'ok') return second.response;
    throw second.error;
  }

  private forget(token: string): void {
    if (this.cached?.token === token) this.cached = null;
  }

  private async send<T>(req: UpsRequest, token: string): Promise<{ kind: 'ok'; response: UpsResponse<T> } | { kind: 'error'; error: CarrierError }> {
    const transId = randomBytes(7).toString('hex'); // Delivery Intercept caps transId at 14 characters.
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    let response: AxiosResponse<string>;
    try {
      response = await this.http.request<string>({
        method: req.method,
        url: req.path,
        params: req.query,
        data: req.body === undefined ? undefined : JSON.stringify(req.body),
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(req.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          transId,
          transactionSrc: this.transactionSrc,
          ...req.headers,
        },
      });
    } catch (error) {
      const carrierError = this.transportError(error, timeoutMs);
      return { kind: 'error', error: carrierError };
    }
    if (response.status >= 200 && response.status < 300) {
      const body = parseJson(response.data);
      if (body === undefined) {
        return {
          kind: 'error',
          error: new CarrierError(UPS, 'malformed_response', `UPS ${req.operation} answered ${response.status} with a body that is not JSON`, true, {
            httpStatus: response.status,
          }),
        };
      }
      return { kind: 'ok', response: { status: response.status, body: body as T, transId } };
    }
    return {
      kind: 'error',
      error: mapUpsHttpError(response.status, parseJson(response.data), headerValue(response.headers['retry-after']), this.clock()),
    };
  }

  private transportError(error: unknown, timeoutMs: number): CarrierError {
    const code = (error as { code?: unknown } | null)?.code;
    // Our AbortSignal deadline surfaces as axios' ERR_CANCELED; it is a timeout like any other.
    if (axios.isCancel(error) || code === 'ERR_CANCELED') {
      return new CarrierError(UPS, 'timeout', `UPS did not answer within ${timeoutMs} ms`, true, { carrierCode: 'ERR_CANCELED' });
    }
    const known = classifyTransportError(error);
    if (!known) return new CarrierError(UPS, 'unknown', `Unexpected error talking to UPS: ${String((error as Error)?.message ?? error)}`, false);
    const message = known.code === 'timeout' ? `UPS did not answer within ${timeoutMs} ms` : `Network error talking to UPS: ${String(code)}`;
    const carrierError = new CarrierError(UPS, known.code, message, known.retryable, { carrierCode: typeof code === 'string' ? code : null });
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) this.unsent.add(carrierError);
    return carrierError;
  }

  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64');
    let response: AxiosResponse<string>;
    try {
      response = await this.http.request<string>({
        method: 'POST',
        url: '/security/v1/oauth/token',
        data: 'grant_type=client_credentials',
        timeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          ...(this.config.merchantId ? { 'x-merchant-id': this.config.merchantId } : {}),
        },
      });
    } catch (error) {
      throw this.transportError(error, this.timeoutMs);
    }
    const body = parseJson(response.data) as UpsTokenResponse | undefined;
    if (response.status < 200 || response.status >= 300) {
      throw mapUpsHttpError(response.status, body, headerValue(response.headers['retry-after']), this.clock());
    }
    const seconds = Number(body?.expires_in);
    if (!body?.access_token || !Number.isFinite(seconds) || seconds <= 0) {
      throw new CarrierError(UPS, 'malformed_response', 'UPS token response lacks access_token or expires_in', true, { httpStatus: response.status });
    }
    // Our own clock, not `issued_at`: a skewed UPS clock must not make us hold a dead token.
    const lifetimeMs = seconds * 1000;
    const now = this.clock();
    this.cached = { token: body.access_token, refreshAt: now + lifetimeMs - Math.min(this.marginMs, lifetimeMs / 2) };
    return body.access_token;
  }
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data ?? undefined;
  if (data.trim() === '') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function headerValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}
