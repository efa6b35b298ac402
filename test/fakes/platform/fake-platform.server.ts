import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A fake e-commerce platform on 127.0.0.1 that takes Delivery Desk's command webhooks the way a
 * careful real one would. Its verification is written here from the documented scheme
 * (`apps/delivery-desk/src/platform/README.md`), not imported from the service, so a bug in our
 * signing cannot hide behind the same bug in the check:
 *
 * - `X-DeliveryDesk-Signature: v1=<hex HMAC-SHA256(secret, "<event id>.<timestamp>.<raw body>")>`;
 * - a timestamp more than 5 minutes from its clock, or a bad signature → 401;
 * - an event id it has already accepted → 200 without acting again (de-duplication).
 *
 * It can be told to misbehave for the next N deliveries (500, 503, 429 with Retry-After, 400, hang,
 * connection reset), and to call Delivery Desk back — confirm or fail — on its own after accepting
 * an event, or on demand, with the merchant's API key.
 */

export type FakePlatformFault = { status: number; retryAfter?: string | number; body?: string } | 'hang' | 'reset';

export type DeliveryVerdict = 'accepted' | 'duplicate' | 'faulted' | 'missing_header' | 'stale_timestamp' | 'bad_signature' | 'malformed_body';

export interface ReceivedDelivery {
  at: number;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  eventId: string | null;
  timestamp: number | null;
  /** Whether the signature checked out, faulted deliveries included. */
  signatureValid: boolean;
  verdict: DeliveryVerdict;
  status: number | null;
}

export interface ReceivedEvent {
  id: string;
  type: string;
  merchantId: string;
  command: { id: string; kind: string; payload: { amountMinor?: number; currency?: string; lines?: unknown[]; reason: string; note?: string }; confirmUrl: string; failUrl: string; expiresAt: string; resolutionId: string | null };
  order: { id: string; externalId: string; currency: string; totalMinor: number };
  ticket: unknown;
  createdAt: string;
}

export interface CallbackRecord {
  commandId: string;
  action: 'confirm' | 'fail';
  body: unknown;
  status: number;
  responseBody: unknown;
}

export type AutoResponse = { action: 'confirm'; reference?: (e: ReceivedEvent) => string } | { action: 'fail'; reason: string; retryable?: boolean } | null;

export interface FakePlatformOptions {
  secret: string;
  /** Allowed clock difference for the signed timestamp, in seconds. */
  toleranceSeconds?: number;
  /** The platform's clock (ms), for staleness checks. */
  now?: () => number;
}

export interface FakePlatform {
  /** The webhook URL to give Delivery Desk. */
  url: string;
  close(): Promise<void>;
  /** Answer the next `times` deliveries with `fault` instead of processing them. */
  inject(fault: FakePlatformFault, times?: number): void;
  clearFaults(): void;
  /** Every request received, in order, faulted and refused ones included. */
  deliveries: ReceivedDelivery[];
  /** Accepted events by id (each once). */
  events: Map<string, ReceivedEvent>;
  /** Where to call back and with which API key. */
  connect(deskBaseUrl: string, apiKey: string): void;
  /** After accepting an event, confirm or fail it on its own (null: do nothing). */
  autoRespond(response: AutoResponse): void;
  confirm(commandId: string, body: Record<string, unknown>, headers?: Record<string, string>): Promise<CallbackRecord>;
  fail(commandId: string, body: Record<string, unknown>, headers?: Record<string, string>): Promise<CallbackRecord>;
  callbacks: CallbackRecord[];
  /** Resolves when every automatic callback started so far has finished. */
  idle(): Promise<void>;
  /** Deliveries of one event id, in order. */
  deliveriesOf(eventId: string): ReceivedDelivery[];
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The scheme as a platform implements it from the README: constant-time, any of several v1 signatures. */
function verify(secret: string, eventId: string, timestamp: string, rawBody: Buffer, signatureHeader: string): boolean {
  const expected = createHmac('sha256', secret).update(`${eventId}.${timestamp}.`).update(rawBody).digest();
  return signatureHeader
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.startsWith('v1='))
    .some((p) => {
      const given = Buffer.from(p.slice(3), 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

export async function startFakePlatform(options: FakePlatformOptions): Promise<FakePlatform> {
  const now = options.now ?? Date.now;
  const tolerance = options.toleranceSeconds ?? 300;
  const faults: FakePlatformFault[] = [];
  const deliveries: ReceivedDelivery[] = [];
  const events = new Map<string, ReceivedEvent>();
  const callbacks: CallbackRecord[] = [];
  const pending = new Set<Promise<unknown>>();
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  let desk: { baseUrl: string; apiKey: string } | null = null;
  let auto: AutoResponse = null;
  let seq = 0;

  async function callBack(action: 'confirm' | 'fail', commandId: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<CallbackRecord> {
    if (!desk) throw new Error('fake platform: connect(deskBaseUrl, apiKey) first');
    const res = await fetch(`${desk.baseUrl}/v1/platform-commands/${commandId}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${desk.apiKey}`, ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let responseBody: unknown = text;
    try {
      responseBody = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    const record = { commandId, action, body, status: res.status, responseBody };
    callbacks.push(record);
    return record;
  }

  function respondAutomatically(e: ReceivedEvent): void {
    // Only commands are settled; other events (e.g. `message.created`) need no answer.
    if (!auto || !desk || !e.command) return;
    const body: Record<string, unknown> =
      auto.action === 'confirm'
        ? {
            platformReference: auto.reference?.(e) ?? `fake_${e.command.kind}_${++seq}`,
            ...(e.command.payload.amountMinor !== undefined ? { refundedMinor: e.command.payload.amountMinor } : {}),
          }
        : { reason: auto.reason, ...(auto.retryable !== undefined ? { retryable: auto.retryable } : {}) };
    // Like a real platform: answer the webhook first, act on it afterwards.
    const p = new Promise((r) => setImmediate(r)).then(() => callBack(auto!.action, e.command.id, body)).catch(() => undefined);
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const eventId = header(req, 'x-deliverydesk-event-id') ?? null;
      const ts = header(req, 'x-deliverydesk-timestamp') ?? null;
      const sig = header(req, 'x-deliverydesk-signature') ?? null;
      const signatureValid = !!(eventId && ts && sig && verify(options.secret, eventId, ts, rawBody, sig));
      const record: ReceivedDelivery = {
        at: now(),
        path: req.url ?? '/',
        headers: { ...req.headers },
        rawBody,
        eventId,
        timestamp: ts && /^\d+$/.test(ts) ? Number(ts) : null,
        signatureValid,
        verdict: 'accepted',
        status: null,
      };
      deliveries.push(record);
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        record.status = status;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };

      const fault = faults.shift();
      if (fault !== undefined) {
        record.verdict = 'faulted';
        if (fault === 'hang') {
          hanging.add(res);
          return;
        }
        if (fault === 'reset') {
          req.socket.destroy();
          return;
        }
        return answer(fault.status, fault.body ?? { error: `injected ${fault.status}` }, fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {});
      }
      if (!eventId || !ts || !sig) {
        record.verdict = 'missing_header';
        return answer(401, { error: 'missing signature headers' });
      }
      if (!/^\d+$/.test(ts) || Math.abs(Math.floor(now() / 1000) - Number(ts)) > tolerance) {
        record.verdict = 'stale_timestamp';
        return answer(401, { error: 'timestamp outside tolerance' });
      }
      if (!signatureValid) {
        record.verdict = 'bad_signature';
        return answer(401, { error: 'bad signature' });
      }
      if (events.has(eventId)) {
        record.verdict = 'duplicate';
        return answer(200, { received: true, duplicate: true });
      }
      let event: ReceivedEvent;
      try {
        event = JSON.parse(rawBody.toString('utf8'));
      } catch {
        record.verdict = 'malformed_body';
        return answer(400, { error: 'body is not JSON' });
      }
      if (event.id !== eventId) {
        record.verdict = 'malformed_body';
        return answer(400, { error: 'event id header and body differ' });
      }
      events.set(eventId, event);
      answer(200, { received: true });
      respondAutomatically(event);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hooks/delivery-desk`,
    deliveries,
    events,
    callbacks,
    inject(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    clearFaults() {
      faults.length = 0;
    },
    connect(deskBaseUrl, apiKey) {
      desk = { baseUrl: deskBaseUrl, apiKey };
    },
    autoRespond(response) {
      auto = response;
    },
    confirm: (commandId, body, headers) => callBack('confirm', commandId, body, headers),
    fail: (commandId, body, headers) => callBack('fail', commandId, body, headers),
    async idle() {
      while (pending.size) await Promise.all([...pending]);
    },
    deliveriesOf: (eventId) => deliveries.filter((d) => d.eventId === eventId),
    async close() {
      for (const res of hanging) res.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
