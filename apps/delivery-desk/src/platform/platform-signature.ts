import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers every platform webhook carries (lower case, as Node exposes them). */
export const PLATFORM_WEBHOOK_HEADERS = {
  eventId: 'x-deliverydesk-event-id',
  timestamp: 'x-deliverydesk-timestamp',
  signature: 'x-deliverydesk-signature',
} as const;

/** How old a signed timestamp may be before a receiver should refuse it (replay protection). */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** The exact bytes that are signed: `<event id>.<unix seconds>.<raw body>`. */
export const signedContent = (eventId: string, timestamp: number, body: string | Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${eventId}.${timestamp}.`, 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);

/**
 * Signs one delivery attempt, Stripe-style but with the event id inside the signed content, so a
 * captured body cannot be replayed under another event id.
 *
 * @example
 * const header = signPlatformWebhook('whsec_...', 'evt_0f3a...', 1767225600, '{"id":"evt_0f3a..."}');
 * // 'v1=5d4c...' → sent as X-DeliveryDesk-Signature
 */
export function signPlatformWebhook(secret: string, eventId: string, timestamp: number, body: string | Buffer): string {
  return `v1=${createHmac('sha256', secret).update(signedContent(eventId, timestamp, body)).digest('hex')}`;
}

export type SignatureVerdict = { ok: true; eventId: string; timestamp: number } | { ok: false; reason: 'missing_header' | 'malformed_header' | 'stale_timestamp' | 'bad_signature' };

/**
 * What a platform does with a delivery: checks the timestamp is fresh and that one of the `v1=`
 * signatures matches (several may be sent while a secret is rotated), in constant time.
 *
 * @example
 * const verdict = verifyPlatformWebhook({ secret, headers: req.headers, rawBody, nowSeconds: Math.floor(Date.now() / 1000) });
 * if (!verdict.ok) return reply.code(401).send();
 */
export function verifyPlatformWebhook(input: {
  secret: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string | Buffer;
  nowSeconds: number;
  toleranceSeconds?: number;
}): SignatureVerdict {
  const one = (name: string) => {
    const v = input.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const eventId = one(PLATFORM_WEBHOOK_HEADERS.eventId);
  const ts = one(PLATFORM_WEBHOOK_HEADERS.timestamp);
  const sig = one(PLATFORM_WEBHOOK_HEADERS.signature);
  if (!eventId || !ts || !sig) return { ok: false, reason: 'missing_header' };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'malformed_header' };
  const timestamp = Number(ts);
  if (Math.abs(input.nowSeconds - timestamp) > (input.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(signPlatformWebhook(input.secret, eventId, timestamp, input.rawBody).slice(3), 'hex');
  const candidates = sig
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .map((s) => s.slice(3));
  const match = candidates.some((hex) => /^[0-9a-f]{64}$/i.test(hex) && timingSafeEqual(Buffer.from(hex, 'hex'), expected));
  return match ? { ok: true, eventId, timestamp } : { ok: false, reason: 'bad_signature' };
}
