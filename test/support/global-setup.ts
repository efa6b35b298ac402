import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '../../apps/delivery-desk/src/database/data-source';
import { runMigrationsLocked } from '../../apps/delivery-desk/src/database/migrator';
import { ENV, spawnEmbedded, withDatabase } from './databases';

async function migrate(url: string): Promise<void> {
  const ds = createDataSource(url, 2);
  await ds.initialize();
  try {
    await runMigrationsLocked(ds);
  } finally {
    await ds.destroy();
  }
}

/**
 * Migrates a template once per run through the real migrations; each test file then clones it.
 * With DATABASE_URL the template is a database on that server; without, an embedded data folder.
 */
export default async function globalSetup(): Promise<void> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const name = `dd_tpl_${process.pid}_${Date.now().toString(36)}`;
    const admin = new Client({ connectionString: given });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    const url = withDatabase(given, name);
    await migrate(url);
    process.env[ENV.mode] = 'postgres';
    process.env[ENV.templateUrl] = url;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dd-test-template-'));
  const server = await spawnEmbedded(dir);
  try {
    await migrate(server.url);
  } finally {
    await server.stop();
  }
  rmSync(join(dir, 'pglite.lock'), { force: true });
  process.env[ENV.mode] = 'embedded';
  process.env[ENV.templateDir] = dir;
}
