import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EpEvent } from './easypost.types';

/** The one header EasyPost signs with (docs.easypost.com/docs/webhooks); Node lower-cases it. */
export const EASYPOST_SIGNATURE_HEADER = 'x-hmac-signature';
const PREFIX = 'hmac-sha256-hex=';
const SIGNATURE_FORMAT = /^hmac-sha256-hex=[0-9a-f]{64}$/;

export type EasyPostSignatureRejection = 'missing_secret' | 'missing_signature' | 'malformed_signature' | 'signature_mismatch' | 'invalid_body';

/** Why a webhook was refused. Answer 401 and do not process it. */
export class EasyPostSignatureError extends Error {
  override readonly name = 'EasyPostSignatureError';
  constructor(
    readonly reason: EasyPostSignatureRejection,
    message: string,
  ) {
    super(message);
  }
}

export type EasyPostWebhookHeaders = Record<string, string | string[] | undefined>;

function hmacHex(secret: string, body: Buffer): Buffer {
  // NFKD, as all EasyPost client libraries do: "sécret" typed as NFC or NFD must give the same key.
  const key = Buffer.from(secret.normalize('NFKD'), 'utf8');
  return createHmac('sha256', key).update(body).digest();
}

/**
 * The `X-Hmac-Signature` value EasyPost would send for `rawBody`. Used by the fake server and tests.
 *
 * @example
 * ```ts
 * const header = signEasyPostWebhook(Buffer.from(body), 'sécret'); // "hmac-sha256-hex=38f3…"
 * ```
 */
export function signEasyPostWebhook(rawBody: Buffer | string, secret: string): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return PREFIX + hmacHex(secret, body).toString('hex');
}

/**
 * Verifies an EasyPost webhook exactly as EasyPost signs it: HMAC-SHA256 over the raw request bytes,
 * keyed with the webhook secret normalised to NFKD, sent as `X-Hmac-Signature: hmac-sha256-hex=<hex>`,
 * compared in constant time. Returns the parsed Event; throws {@link EasyPostSignatureError}.
 *
 * Pass the body exactly as received (Nest: `rawBody: true`, then `req.rawBody`); a re-serialised
 * object will not verify. EasyPost signs no timestamp, so there is no replay window to check: the
 * caller de-duplicates on the event id.
 *
 * The official Node client also accepts a body whose integer `"weight": 136` it rewrote to `136.0`
 * before hashing (it expects frameworks to have re-serialised the JSON); that variant is accepted
 * too, so a signature the official client accepts is never refused here.
 *
 * @example
 * ```ts
 * const event = verifyEasyPostWebhook(req.rawBody, req.headers, config.easypostWebhookSecret);
 * const mapped = new EasyPostMapper(onUnmapped).toWebhookEvent(event);
 * ```
 */
export function verifyEasyPostWebhook(rawBody: Buffer | string, headers: EasyPostWebhookHeaders, secret: string): EpEvent {
  if (!secret) throw new EasyPostSignatureError('missing_secret', 'No EasyPost webhook secret is configured');
  if (!Buffer.isBuffer(rawBody) && typeof rawBody !== 'string') {
    throw new EasyPostSignatureError('invalid_body', 'The webhook body must be the raw bytes received, not a parsed object');
  }
  const header = findHeader(headers, EASYPOST_SIGNATURE_HEADER);
  if (header === undefined) throw new EasyPostSignatureError('missing_signature', 'The webhook has no X-Hmac-Signature header');
  if (!SIGNATURE_FORMAT.test(header)) {
    throw new EasyPostSignatureError('malformed_signature', 'X-Hmac-Signature is not "hmac-sha256-hex=<64 lowercase hex>"');
  }
  const given = Buffer.from(header.slice(PREFIX.length), 'hex');
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;

  let ok = timingSafeEqual(given, hmacHex(secret, body));
  if (!ok) {
    const text = body.toString('utf8');
    const rewritten = text.replace(/("weight":\s*)(\d+)(\s*)(?=,|\})/g, '$1$2.0');
    if (rewritten !== text) ok = timingSafeEqual(given, hmacHex(secret, Buffer.from(rewritten, 'utf8')));
  }
  if (!ok) {
    throw new EasyPostSignatureError('signature_mismatch', 'The webhook did not come from EasyPost, or the webhook secret differs');
  }
  try {
    return JSON.parse(body.toString('utf8')) as EpEvent;
  } catch {
    throw new EasyPostSignatureError('invalid_body', 'The signed webhook body is not JSON');
  }
}

function findHeader(headers: EasyPostWebhookHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() !== name) continue;
    if (Array.isArray(value)) {
      // Two signature headers cannot both be EasyPost's; refuse rather than pick one.
      if (value.length !== 1) return value.length === 0 ? undefined : '';
      return value[0];
    }
    return value;
  }
  return undefined;
}
