/**
 * Opening a ticket (facts gathered, the policy engine decides, decision and audit stored) and reading
 * it with its decision, each against a bare node:http + pg baseline doing one insert / one select.
 *
 *   npm run bench:tickets      (PostgreSQL at 127.0.0.1:5432; BENCH_SECONDS per run, default 8)
 */
import 'reflect-metadata';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { createApp } from '../apps/delivery-desk/src/bootstrap';
import { loadSettings } from '../apps/delivery-desk/src/config/settings';
import { freshDatabase, load, LoadResult, report, startBaseline } from './support';

const ADMIN = 'bench-admin-token-0123456789abcdef';
const ORDERS = 400;

/**
 * Counts the statements the service sends (every pool client is a pg Client): the round trips one
 * request costs are what bounds its throughput here, so the bench prints them beside the timings.
 */
let statements = 0;
const query = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as unknown as { query: typeof query }).query = function (this: Client, ...args: unknown[]) {
  statements++;
  return query.apply(this, args);
};

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const db = await freshDatabase('dd_bench_tickets');
  const settings = loadSettings(
    { NODE_ENV: 'test', DATABASE_URL: db.url, ADMIN_TOKEN: ADMIN, SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'), LINK_SIGNING_SECRET: 'x'.repeat(40), LOG_LEVEL: 'fatal', JOBS_WORKERS: 'false', RATE_LIMIT_PER_MINUTE: '1000000' },
    '/tmp',
  );
  const app = await createApp(settings, db.url);
  await app.init();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const appUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const baseline = await startBaseline(db.url);

  const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const call = async (path: string, body: unknown, headers: Record<string, string>) => (await (await fetch(appUrl + path, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as any;
  const m = await call('/admin/merchants', { slug: 'bench', nameEn: 'Bench', nameJa: 'ベンチ', defaultLanguage: 'en', timeZone: 'America/New_York', shipFrom: { name: 'W', street1: '1 A St', city: 'Newark', state: 'NJ', zip: '07105', country: 'US' } }, admin);
  const key = (await call(`/admin/merchants/${m.id}/api-keys`, { name: 'bench' }, admin)).key;
  const api = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const shipments: string[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const externalId = `T-${i}`;
    await call('/v1/orders', { externalId, placedAt: '2026-11-02T09:30:00Z', channel: 'web', currency: 'USD', subtotalMinor: 7000, shippingMinor: 800, taxMinor: 560, discountMinor: 0, totalMinor: 8360, paymentMethodKind: 'credit_card', customer: { email: `c${i}@example.com`, name: 'C' }, shipTo: { name: 'C', street1: '1 Main St', city: 'Reno', state: 'NV', zip: '89501', country: 'US' }, lines: [{ externalId: 'L1', sku: 'A', name: 'A', quantity: 2, unitPriceMinor: 1500 }, { externalId: 'L2', sku: 'B', name: 'B', quantity: 1, unitPriceMinor: 4000 }] }, api);
    shipments.push((await call(`/v1/orders/${externalId}/shipments`, { carrier: 'sandbox', carrierName: 'USPS', trackingCode: `BENCH-${i}`, shippedAt: '2026-11-03T10:00:00Z' }, api)).id);
  }
  const categories = ['delivered_not_received', 'damaged', 'tracking', 'missing_item', 'wrong_item'];
  let n = 0;
  // One connection, one request at a time: statements and latency per request without queueing.
  const serial = async (count: number, request: (i: number) => Promise<unknown>) => {
    const before = statements;
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await request(i);
    return { perRequest: (statements - before) / count, ms: Number(process.hrtime.bigint() - started) / 1e6 / count };
  };
  const opened = await serial(50, async () => {
    const i = n++;
    const res = await fetch(`${appUrl}/v1/tickets`, { method: 'POST', headers: api, body: JSON.stringify({ orderExternalId: `T-${i % ORDERS}`, category: categories[i % categories.length], shipmentId: shipments[i % ORDERS], description: 'bench' }) });
    if (res.status !== 201) throw new Error(`open answered ${res.status}: ${await res.text()}`);
  });
  const results: LoadResult[] = [];
  results.push(await load('baseline POST (node:http + pg insert)', { url: baseline.url, method: 'POST', duration: seconds, body: JSON.stringify({ category: 'damaged' }), headers: { 'content-type': 'application/json' } }));
  results.push(
    await load('service POST /v1/tickets (decide and store)', {
      url: appUrl,
      duration: seconds,
      requests: [
        {
          setupRequest: (req: any) => {
            const i = n++;
            return { ...req, path: '/v1/tickets', method: 'POST', headers: api, body: JSON.stringify({ orderExternalId: `T-${i % ORDERS}`, category: categories[i % categories.length], shipmentId: shipments[i % ORDERS], description: 'bench' }) };
          },
        },
      ],
    }),
  );
  const [ticket] = await (await fetch(`${appUrl}/v1/tickets?orderExternalId=T-1`, { headers: { authorization: api.authorization } })).json().then((r: any) => r.data);
  results.push(await load('baseline GET (node:http + pg select)', { url: `${baseline.url}/t`, method: 'GET', duration: seconds }));
  results.push(await load('service GET /v1/tickets/{id} (with decision, messages, trail)', { url: `${appUrl}/v1/tickets/${ticket.id}`, method: 'GET', headers: { authorization: api.authorization }, duration: seconds }));
  const one = (await (await fetch(`${appUrl}/v1/tickets?orderExternalId=T-2`, { headers: { authorization: api.authorization } })).json()) as any;
  const read = await serial(50, async () => {
    const res = await fetch(`${appUrl}/v1/tickets/${one.data[0].id}`, { headers: { authorization: api.authorization } });
    if (res.status !== 200) throw new Error(`read answered ${res.status}`);
    await res.arrayBuffer();
  });
  console.log(`\nserial, one connection: open a ticket ${opened.perRequest.toFixed(1)} statements, ${opened.ms.toFixed(1)} ms; read it ${read.perRequest.toFixed(1)} statements, ${read.ms.toFixed(1)} ms`);
  report(results, [
    ['service POST /v1/tickets (decide and store)', 'baseline POST (node:http + pg insert)'],
    ['service GET /v1/tickets/{id} (with decision, messages, trail)', 'baseline GET (node:http + pg select)'],
  ]);
  await new Promise((r) => setTimeout(r, 1000));
  await app.close();
  await baseline.close();
  await db.drop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
