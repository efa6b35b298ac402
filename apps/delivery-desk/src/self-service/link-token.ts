import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token says, signed: the link row and its merchant (the row holds everything else). */
export interface LinkTokenPayload {
  /** Customer link id. */
  l: string;
  /** Merchant id: the row is only ever looked up under it. */
  m: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Payload layout: one version byte, then the link id and the merchant id as 16 raw bytes each (short URLs). */
const VERSION = 1;

function uuidBytes(id: string): Buffer {
  if (!UUID.test(id)) throw new Error('link token ids must be UUIDs');
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidOf(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`dd-link.v1.${body}`).digest();
}

/**
 * `base64url(payload) + '.' + base64url(HMAC-SHA256)`, about 88 characters. The prefix in the MAC input keeps these
 * signatures from being valid for any other use of the same secret.
 *
 * @example
 * ```ts
 * const token = signLinkToken(secret, { l: linkId, m: merchantId });
 * verifyLinkToken(secret, token); // { l: linkId, m: merchantId }
 * verifyLinkToken(secret, token.slice(0, -2) + 'xx'); // null
 * ```
 */
export function signLinkToken(secret: string, payload: LinkTokenPayload): string {
  const body = Buffer.concat([Buffer.from([VERSION]), uuidBytes(payload.l), uuidBytes(payload.m)]).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/** The payload of a genuine token, or null for anything forged, altered or malformed (checked in constant time). */
export function verifyLinkToken(secret: string, token: string): LinkTokenPayload | null {
  if (typeof token !== 'string' || token.length > 512) return null;
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!m) return null;
  const given = Buffer.from(m[2], 'base64url');
  const expected = mac(secret, m[1]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  // Only canonical base64url decodes back to the signed bytes; anything else was not made here.
  if (Buffer.from(given).toString('base64url') !== m[2]) return null;
  const bytes = Buffer.from(m[1], 'base64url');
  if (bytes.length !== 33 || bytes[0] !== VERSION || bytes.toString('base64url') !== m[1]) return null;
  return { l: uuidOf(bytes.subarray(1, 17)), m: uuidOf(bytes.subarray(17, 33)) };
}
