import { Injectable } from '@nestjs/common';
import { PLATFORM_WEBHOOK_HEADERS, signPlatformWebhook } from './platform-signature';

/** What came of one POST: an HTTP answer (any status), or no answer at all. */
export type WebhookCallResult =
  | { kind: 'answer'; status: number; bodyExcerpt: string; retryAfter: string | null; durationMs: number }
  | { kind: 'no_answer'; code: 'timeout' | 'network_error'; message: string; durationMs: number };

export interface WebhookCall {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Bytes of the answer's body to keep; the rest is not read. */
  excerptBytes: number;
}

/**
 * The thin HTTP edge of platform delivery: one POST, a deadline that covers the answer's body too,
 * no redirects (a signed POST must not wander), and never a throw for anything the network does.
 *
 * @example
 * const r = await client.post({ url, body, headers, timeoutMs: 10_000, excerptBytes: 2000 });
 * if (r.kind === 'answer' && r.status < 300) markDelivered();
 */
@Injectable()
export class PlatformWebhookClient {
  /**
   * One signed delivery: the event id, the timestamp `sentAt` (wall time: the platform checks it
   * against its own clock) and the HMAC over both and the body, as every platform webhook carries them.
   */
  async postSigned(call: { url: string; secret: string; eventId: string; body: string; timeoutMs: number; excerptBytes: number }, sentAt = new Date()): Promise<WebhookCallResult> {
    const timestamp = Math.floor(sentAt.getTime() / 1000);
    return this.post({
      url: call.url,
      body: call.body,
      headers: {
        [PLATFORM_WEBHOOK_HEADERS.eventId]: call.eventId,
        [PLATFORM_WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [PLATFORM_WEBHOOK_HEADERS.signature]: signPlatformWebhook(call.secret, call.eventId, timestamp, call.body),
      },
      timeoutMs: call.timeoutMs,
      excerptBytes: call.excerptBytes,
    });
  }

  async post(call: WebhookCall): Promise<WebhookCallResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const signal = AbortSignal.timeout(call.timeoutMs);
    try {
      const res = await fetch(call.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'DeliveryDesk-Webhooks/1', ...call.headers },
        body: call.body,
        redirect: 'manual',
        signal,
      });
      const bodyExcerpt = await readExcerpt(res, call.excerptBytes);
      return { kind: 'answer', status: res.status, bodyExcerpt, retryAfter: res.headers.get('retry-after'), durationMs: elapsed() };
    } catch (err) {
      if (signal.aborted) return { kind: 'no_answer', code: 'timeout', message: `no answer within ${call.timeoutMs} ms`, durationMs: elapsed() };
      return { kind: 'no_answer', code: 'network_error', message: describeNetworkError(err), durationMs: elapsed() };
    }
  }
}

/** Reads at most `max` bytes of the body, then lets the rest go (a platform may answer with megabytes). */
async function readExcerpt(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  // Cutting bytes may split a UTF-8 sequence; the decoder replaces the stub.
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max));
}

function describeNetworkError(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return (cause ? `${e?.message ?? 'fetch failed'} (${cause})` : (e?.message ?? String(err))).slice(0, 500);
}
