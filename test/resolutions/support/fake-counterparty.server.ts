import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * How the next calls of one idempotency key fail, asked for by the caller in `x-fake-fault` (the
 * sandbox's magic value, so a fault survives a process restart with the plan that carries it):
 * - `503x2`: the first 2 calls answer 503, then it works; `422`: every call answers 422;
 * - `hang-once`: the first call does its effect and never answers (the caller crashes or times out);
 *   later calls answer as usual.
 */
export type FakeFault = string;

export interface FakeCall {
  route: string;
  key: string;
  at: number;
  status: number | 'hung';
  body: Record<string, unknown>;
}

export interface FakeEffect {
  route: string;
  key: string;
  result: Record<string, unknown>;
  at: number;
}

/**
 * A fake of the outside world a resolution talks to (a carrier's claims API, the merchant's platform,
 * a notification service) on 127.0.0.1. Every write is idempotent by `idempotency-key`: the first
 * successful call does the effect, repeats answer the same result. Tests count effects to prove a
 * resolution's external effects happened once.
 */
export interface FakeCounterparty {
  url: string;
  calls: FakeCall[];
  effects: FakeEffect[];
  /** Turn every injected fault off (a person fixed the outside problem). */
  faultsEnabled: boolean;
  effectsOf(route: string): FakeEffect[];
  callsOf(route: string): FakeCall[];
  /** Resolves at the next call that hangs. */
  nextHang(): Promise<FakeCall>;
  close(): Promise<void>;
}

/** The platform command id the fake answers for a refund request with this idempotency key. */
export const commandIdFor = (idempotencyKey: string) => `cmd_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;

const ROUTES: [RegExp, string, (key: string, m: RegExpMatchArray) => Record<string, unknown>][] = [
  [/^POST \/carrier\/claims$/, 'POST /carrier/claims', (key) => ({ claimId: `clm_${createHash('sha256').update(key).digest('hex').slice(0, 12)}` })],
  [/^POST \/carrier\/claims\/([\w-]+)\/cancel$/, 'POST /carrier/claims/:id/cancel', (_k, m) => ({ cancelled: m[1] })],
  [/^POST \/platform\/refunds$/, 'POST /platform/refunds', (key) => ({ commandId: commandIdFor(key) })],
  [/^POST \/platform\/refunds\/([\w-]+)\/reverse$/, 'POST /platform/refunds/:id/reverse', (_k, m) => ({ reversed: m[1] })],
  [/^POST \/notify$/, 'POST /notify', (key) => ({ messageId: `msg_${key.slice(0, 8)}` })],
];

export async function startFakeCounterparty(): Promise<FakeCounterparty> {
  const calls: FakeCall[] = [];
  const effects: FakeEffect[] = [];
  const sockets = new Set<Socket>();
  const hangWaiters: ((c: FakeCall) => void)[] = [];
  const fake = {
    url: '',
    calls,
    effects,
    faultsEnabled: true,
    effectsOf: (route: string) => effects.filter((e) => e.route === route),
    callsOf: (route: string) => calls.filter((c) => c.route === route),
    nextHang: () => new Promise<FakeCall>((r) => hangWaiters.push(r)),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  } satisfies FakeCounterparty;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : {};
    const signature = `${req.method} ${req.url}`;
    const match = ROUTES.map(([re, route, effect]) => ({ m: signature.match(re), route, effect })).find((r) => r.m);
    const key = String(req.headers['idempotency-key'] ?? '');
    const answer = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (!match || !key) return answer(404, { error: 'no such route or no idempotency key' });
    const call: FakeCall = { route: match.route, key, at: Date.now(), status: 200, body };
    calls.push(call);
    const nth = calls.filter((c) => c.route === match.route && c.key === key).length;
    const fault = fake.faultsEnabled ? String(req.headers['x-fake-fault'] ?? '') : '';
    const failing = /^(\d{3})(?:x(\d+))?$/.exec(fault);
    if (failing && (!failing[2] || nth <= Number(failing[2]))) {
      call.status = Number(failing[1]);
      return answer(call.status, { error: 'injected fault' });
    }
    let done = effects.find((e) => e.route === match.route && e.key === key);
    if (!done) effects.push((done = { route: match.route, key, result: match.effect(key, match.m!), at: Date.now() }));
    if (fault === 'hang-once' && nth === 1) {
      call.status = 'hung';
      for (const w of hangWaiters.splice(0)) w(call);
      return; // the effect happened; the caller never learns it
    }
    answer(200, { ...done.result, replayed: nth > 1 });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
