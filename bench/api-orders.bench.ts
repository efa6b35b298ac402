/**
 * Platform API throughput: order upsert (POST) and order read (GET) through the whole service, each
 * compared with a bare node:http + pg server doing the same database work, in the same run.
 *
 *   npm run bench:api            (PostgreSQL at 127.0.0.1:5432; BENCH_PG_SERVER to change, BENCH_SECONDS per run)
 */
import 'reflect-metadata';
import { AddressInfo } from 'node:net';
import { createApp } from '../apps/delivery-desk/src/bootstrap';
import { loadSettings } from '../apps/delivery-desk/src/config/settings';
import { freshDatabase, load, LoadResult, report, startBaseline } from './support';

const ADMIN = 'bench-admin-token-0123456789abcdef';

function orderBody(externalId: string, n: number) {
  return {
    externalId,
    placedAt: '2026-11-02T09:30:00.000Z',
    channel: 'web',
    currency: 'USD',
    subtotalMinor: 7000,
    shippingMinor: 800,
    taxMinor: 560,
    discountMinor: 0,
    totalMinor: 8360,
    paymentMethodKind: 'credit_card',
    // A few hundred distinct customers, as a shop's order stream has.
    customer: { email: `bench${n % 300}@example.com`, name: 'Bench Customer' },
    shipTo: { name: 'Bench Customer', street1: '417 Montgomery St', city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' },
    lines: [
      { externalId: 'L1', sku: 'TEA-1', name: 'Green tea', quantity: 2, unitPriceMinor: 1500 },
      { externalId: 'L2', sku: 'BOWL-1', name: 'Bowl', quantity: 1, unitPriceMinor: 4000 },
    ],
  };
}



async function main() {
  const db = await freshDatabase('dd_bench_api');
  const settings = loadSettings({ NODE_ENV: 'test', DATABASE_URL: db.url, ADMIN_TOKEN: ADMIN, SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'), LINK_SIGNING_SECRET: 'x'.repeat(40), LOG_LEVEL: 'fatal', RATE_LIMIT_PER_MINUTE: '1000000' }, '/tmp');
  const app = await createApp(settings, db.url);
  await app.init();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const appUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const baseline = await startBaseline(db.url);

  const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const m: any = await (await fetch(`${appUrl}/admin/merchants`, { method: 'POST', headers: admin, body: JSON.stringify({ slug: 'bench', nameEn: 'Bench', nameJa: 'ベンチ', defaultLanguage: 'en', timeZone: 'America/New_York', shipFrom: { name: 'W', street1: '1 A St', city: 'Newark', state: 'NJ', zip: '07105', country: 'US' } }) })).json();
  const key = ((await (await fetch(`${appUrl}/admin/merchants/${m.id}/api-keys`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'bench' }) })).json()) as any).key;
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

  const post = (url: string, headers: Record<string, string>) => {
    let n = 0;
    return {
      url,
      method: 'POST' as const,
      headers,
      requests: [{ setupRequest: (req: any) => ({ ...req, path: '/v1/orders', body: JSON.stringify(orderBody(`B-${process.pid}-${n}`, n++)) }) }],
    };
  };
  const results: LoadResult[] = [];
  results.push(await load('baseline POST (node:http + pg insert)', post(baseline.url, { 'content-type': 'application/json' })));
  results.push(await load('service POST /v1/orders (upsert, new order)', post(appUrl, auth)));
  results.push(await load('baseline GET (node:http + pg select)', { url: `${baseline.url}/v1/orders/B-${process.pid}-1`, method: 'GET' }));
  results.push(await load('service GET /v1/orders/{externalId}', { url: `${appUrl}/v1/orders/B-${process.pid}-1`, method: 'GET', headers: { authorization: auth.authorization } }));
  report(results, [
    ['service POST /v1/orders (upsert, new order)', 'baseline POST (node:http + pg insert)'],
    ['service GET /v1/orders/{externalId}', 'baseline GET (node:http + pg select)'],
  ]);
  // Let requests cut off at the end of the last run finish before the database goes.
  await new Promise((r) => setTimeout(r, 1000));
  await app.close();
  await baseline.close();
  await db.drop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
