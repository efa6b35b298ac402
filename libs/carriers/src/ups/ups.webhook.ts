import { timingSafeEqual, createHash } from 'node:crypto';
import { CarrierError } from '../carrier.error';
import type { UnmappedCodeReporter } from '../shared/unmapped-code';
import { mapUpsTrackAlertEvent, type UpsTrackAlertUpdate } from './ups.mapper';

/** The header Track Alert v1 uses to echo the subscription's `destination.credential`. */
export const UPS_TRACK_ALERT_CREDENTIAL_HEADER = 'credential';
/** UPS documents `User-Agent: UPSPubSubTrackingService` on every push; it is not a secret, so it is not checked. */
export const UPS_TRACK_ALERT_USER_AGENT = 'UPSPubSubTrackingService';

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | null {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  if (Array.isArray(value)) return value.length === 1 ? (value[0] ?? null) : null;
  return value ?? null;
}

/**
 * Checks a Track Alert push. UPS signs nothing: the only proof is the opaque `credential` string we gave
 * UPS when subscribing, echoed in the `credential` header. So each merchant gets its own random webhook
 * token (stored encrypted with its UPS credentials), the callback URL names the merchant
 * (`/webhooks/ups/{merchantId}`) so the right token is looked up before comparing, and the comparison is
 * constant-time over SHA-256 digests so neither content nor length leaks. Serve the endpoint over HTTPS only.
 *
 * @example
 * ```ts
 * if (!verifyUpsTrackAlertCredential(req.headers, merchant.ups.webhookToken)) throw new UnauthorizedException();
 * ```
 */
export function verifyUpsTrackAlertCredential(headers: HeaderBag, expectedCredential: string): boolean {
  if (!expectedCredential) return false;
  const presented = header(headers, UPS_TRACK_ALERT_CREDENTIAL_HEADER);
  if (!presented) return false;
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expectedCredential, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * Verifies and maps one Track Alert push in one step: `unauthorized` when the credential does not match,
 * `invalid_request` when the body is not a Track Alert event.
 *
 * @example
 * ```ts
 * const update = parseUpsTrackAlertWebhook({ headers: req.headers, body: req.body, expectedCredential: token });
 * await tracking.apply(update.trackingCode, update.event);
 * ```
 */
export function parseUpsTrackAlertWebhook(input: {
  headers: HeaderBag;
  body: unknown;
  expectedCredential: string;
  onUnmappedCode?: UnmappedCodeReporter;
}): UpsTrackAlertUpdate {
  if (!verifyUpsTrackAlertCredential(input.headers, input.expectedCredential)) {
    throw new CarrierError('ups', 'unauthorized', 'Track Alert push without the expected credential', false);
  }
  const body = typeof input.body === 'string' || Buffer.isBuffer(input.body) ? safeJson(input.body.toString()) : input.body;
  return mapUpsTrackAlertEvent(body, input.onUnmappedCode);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CarrierError('ups', 'invalid_request', 'Track Alert body is not JSON', false);
  }
}
