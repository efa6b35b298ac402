import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { ENV, withDatabase } from './databases';

export default async function globalTeardown(): Promise<void> {
  const url = process.env[ENV.templateUrl];
  if (process.env[ENV.mode] === 'postgres' && url) {
    const c = new Client({ connectionString: withDatabase(url, 'postgres') });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
    } finally {
      await c.end();
    }
  }
  const dir = process.env[ENV.templateDir];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
