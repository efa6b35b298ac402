import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../apps/delivery-desk/src/bootstrap';
import { Clock } from '../../apps/delivery-desk/src/common/clock';
import { loadSettings, Settings } from '../../apps/delivery-desk/src/config/settings';
import { createTestDatabase, TestDatabase } from './databases';
import { HttpClient } from './http-client';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestApp {
  app: NestFastifyApplication;
  settings: Settings;
  db: TestDatabase;
  ds: DataSource;
  baseUrl: string;
  http: HttpClient;
  admin: HttpClient;
  /** Resolves a provider of the running app (a service under test). */
  get<T>(token: abstract new (...args: any[]) => T): T;
  close(): Promise<void>;
}

/** A loopback port free right now (the OS picks it), so settings can name the port before the app listens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real application on a database of its own (cloned from the migrated template), listening on
 * a random loopback port. `env` overrides settings as environment variables would. The port is
 * chosen before the settings are made, so links in e-mails (PUBLIC_BASE_URL) reach this app.
 */
export async function startTestApp(env: Record<string, string> = {}, opts: { clock?: Clock } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const port = await freePort();
  const settings = loadSettings(
    {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '8',
      ADMIN_TOKEN,
      SECRETS_KEY,
      LINK_SIGNING_SECRET: 'test-link-signing-secret-0123456789abcdef',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PORT: String(port),
      JOBS_POLL_SECONDS: '0.5',
      JOBS_RETRY_DELAY_SECONDS: '1',
      // Tests run the sweeps themselves, on their own clock.
      JOBS_SCHEDULES: 'false',
      ...env,
    },
    mkdtempSync(join(tmpdir(), 'dd-test-cwd-')),
  );
  const app = await createApp(settings, db.url, undefined, opts.clock);
  await app.init();
  try {
    await app.listen({ port, host: '127.0.0.1' });
  } catch (err) {
    // Another process took the port in the moment between choosing and listening: any port will do,
    // and the settings object the app holds is told where it is.
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    await app.listen({ port: 0, host: '127.0.0.1' });
    if (!env.PUBLIC_BASE_URL) settings.publicBaseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  }
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    settings,
    db,
    ds: app.get(DataSource),
    baseUrl,
    http: new HttpClient(baseUrl),
    admin: new HttpClient(baseUrl, { authorization: `Bearer ${ADMIN_TOKEN}` }),
    get: (token) => app.get(token),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
