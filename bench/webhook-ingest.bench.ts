/**
 * Carrier webhook ingest: signed EasyPost `tracker.updated` events POSTed to the service (verify the
 * HMAC, store the event once, apply it to the shipment), against a bare node:http server that only
 * inserts the body into a table, in the same run.
 *
 *   npm run bench:webhooks      (PostgreSQL at 127.0.0.1:5432; BENCH_SECONDS per run, default 8)
 */
import 'reflect-metadata';
import { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { createApp } from '../apps/delivery-desk/src/bootstrap';
import { loadSettings } from '../apps/delivery-desk/src/config/settings';
import { signedEvent, trackerJourney } from '../test/tracking/easypost-events';
import { freshDatabase, load, LoadResult, report, startBaseline } from './support';

const ADMIN = 'bench-admin-token-0123456789abcdef';
const SECRET = 'bench-webhook-secret';
const PARCELS = 300;



async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const db = await freshDatabase('dd_bench_hooks');
  const settings = loadSettings(
    { NODE_ENV: 'test', DATABASE_URL: db.url, ADMIN_TOKEN: ADMIN, SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'), LINK_SIGNING_SECRET: 'x'.repeat(40), LOG_LEVEL: 'fatal', JOBS_WORKERS: 'false' },
    '/tmp',
  );
  const app = await createApp(settings, db.url);
  await app.init();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const appUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const baseline = await startBaseline(db.url);

  const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown, headers = admin, method = 'POST') =>
    (await (await fetch(appUrl + path, { method, headers, body: JSON.stringify(body) })).json()) as any;
  const m = await post('/admin/merchants', { slug: 'bench', nameEn: 'Bench', nameJa: 'ベンチ', defaultLanguage: 'en', timeZone: 'America/New_York', shipFrom: { name: 'W', street1: '1 A St', city: 'Newark', state: 'NJ', zip: '07105', country: 'US' } });
  const account = await post(`/admin/merchants/${m.id}/carrier-accounts/easypost`, { credentials: { apiKey: 'bench-not-used', webhookSecret: SECRET } }, admin, 'PUT');
  const key = (await post(`/admin/merchants/${m.id}/api-keys`, { name: 'bench' })).key;
  const api = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const codes = Array.from({ length: PARCELS }, (_, i) => `9400111${String(i).padStart(15, '0')}`);
  for (const [i, code] of codes.entries()) {
    const externalId = `W-${i}`;
    await post('/v1/orders', { externalId, placedAt: '2026-11-02T09:30:00Z', channel: 'web', currency: 'USD', subtotalMinor: 1000, shippingMinor: 0, taxMinor: 0, discountMinor: 0, totalMinor: 1000, paymentMethodKind: 'credit_card', customer: { email: `c${i}@example.com`, name: 'C' }, shipTo: { name: 'C', street1: '1 Main St', city: 'Reno', state: 'NV', zip: '89501', country: 'US' }, lines: [{ sku: 'X', name: 'X', quantity: 1, unitPriceMinor: 1000 }] }, api);
    await post(`/v1/orders/${externalId}/shipments`, { carrier: 'easypost', carrierName: 'USPS', trackingCode: code }, api);
  }
  const hookPath = `/webhooks/easypost/${account.id}`;
  // Enough distinct events that every request is a new one (a redelivery would only hit the dedupe).
  const events: { rawBody: string; signature: string }[] = [];
  for (let round = 0; events.length < 40_000; round++) {
    for (const [i, code] of codes.entries()) {
      for (const tracker of trackerJourney(code, Date.parse('2026-11-02T10:00:00Z') + round * 86_400_000, i + round)) events.push(signedEvent(tracker, SECRET, appUrl + hookPath, Date.now()));
    }
  }
  // Interleave parcels as a real push stream does (consecutive pushes of one parcel would only measure its row lock).
  for (let i = events.length - 1, seed = 42; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [events[i], events[j]] = [events[j], events[i]];
  }
  let n = 0;
  const requests = (path: string) => [
    {
      setupRequest: (req: any) => {
        const e = events[n++ % events.length];
        return { ...req, path, method: 'POST', headers: { 'content-type': 'application/json', 'x-hmac-signature': e.signature }, body: e.rawBody };
      },
    },
  ];
  const results: LoadResult[] = [];
  n = 0;
  results.push(await load('baseline (node:http + pg insert)', { url: baseline.url, duration: seconds, requests: requests('/hook') }));
  n = 0;
  results.push(await load('service POST /webhooks/easypost/{account}', { url: appUrl, duration: seconds, requests: requests(hookPath) }));
  report(results, [['service POST /webhooks/easypost/{account}', 'baseline (node:http + pg insert)']]);
  const check = new Pool({ connectionString: db.url, max: 1 });
  const { rows: [stored] } = await check.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE outcome = 'applied')::int AS applied FROM carrier_webhook_events`);
  await check.end();
  console.log(`stored events: ${stored.n} (applied to a shipment: ${stored.applied}); distinct events prepared: ${events.length}`);
  await new Promise((r) => setTimeout(r, 1000));
  await app.close();
  await baseline.close();
  await db.drop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
