import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orderBody } from '../support/factories';
import { HttpClient } from '../support/http-client';
import { spawnService, startService } from './service-process';

const ADMIN = 'process-test-admin-token-0123456789';

describe('The service process', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dd-boot-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [{ PORT: 'eighty' }, 'PORT: must be a whole number'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL: must be a postgres:// or postgresql:// URL'],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1:1/x' }, 'ADMIN_TOKEN: is required when NODE_ENV=production'],
    [{ SECRETS_KEY: 'c2hvcnQ=' }, 'SECRETS_KEY: must be 32 bytes, base64-encoded'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL:'],
  ])('stops on bad configuration %j with a message naming the variable', async (env, message) => {
    const { output, exited } = spawnService({ DATA_DIR: dataDir, ...env });
    expect(await exited).toBe(78);
    expect(output()).toContain(message);
  });

  it('keeps data across a restart on the embedded database, and says which database it uses', async () => {
    const env = { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, DEMO: 'false' };
    const first = await startService(env);
    expect(first.output()).toContain(`Database: embedded PostgreSQL (PGlite) in ${dataDir}`);
    const admin = new HttpClient(first.baseUrl, { authorization: `Bearer ${ADMIN}` });
    const m = await admin.post('/admin/merchants', {
      slug: 'restart-shop',
      nameEn: 'Restart',
      nameJa: '再起動',
      defaultLanguage: 'en',
      timeZone: 'America/Chicago',
      shipFrom: { name: 'W', street1: '1 A St', city: 'Austin', state: 'TX', zip: '73301', country: 'US' },
    });
    const key = (await admin.post(`/admin/merchants/${m.body.id}/api-keys`, { name: 'k' })).body.key;
    const body = orderBody();
    expect((await new HttpClient(first.baseUrl).withApiKey(key).post('/v1/orders', body)).status).toBe(201);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toContain('Shutting down');

    const second = await startService(env);
    try {
      const read = await new HttpClient(second.baseUrl).withApiKey(key).get(`/v1/orders/${encodeURIComponent(body.externalId)}`);
      expect(read.status).toBe(200);
      expect(read.body.totalMinor).toBe(body.totalMinor);
      expect(second.output()).not.toContain('Applied 1 migration');
    } finally {
      await second.stop();
    }
  });

  it('refuses to open a data folder another process has open', async () => {
    const env = { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, DEMO: 'false' };
    const first = await startService(env);
    try {
      const { output, exited } = spawnService({ ...env, PORT: '0' });
      expect(await exited).toBe(75);
      expect(output()).toContain(`is in use by process ${first.child.pid}`);
    } finally {
      await first.stop();
    }
  });

  it('seeds the demo once and prints where to go', async () => {
    const env = { DATA_DIR: dataDir, DEMO: 'true' };
    const first = await startService(env);
    await first.stop();
    expect(first.output()).toMatch(/API docs: +http:\/\/127\.0\.0\.1:\d+\/docs/);
    const key = /API key \(shown once, keep it\): (dd_\S+)/.exec(first.output())?.[1];
    expect(key).toBeDefined();
    const second = await startService(env);
    try {
      expect(second.output()).toContain('API key: issued at the first start');
      const order = await new HttpClient(second.baseUrl).withApiKey(key!).get('/v1/orders/SG-1001');
      expect(order.status).toBe(200);
      expect(order.body.shipments[0]).toMatchObject({ carrier: 'sandbox', trackingCode: 'EZ4000000004' });
    } finally {
      await second.stop();
    }
  });
});
