import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

const ROOT = resolve(__dirname, '../..');

/** Environment handed from the global setup to the test files. */
export const ENV = {
  mode: 'DD_TEST_DB_MODE',
  templateUrl: 'DD_TEST_TEMPLATE_URL',
  templateDir: 'DD_TEST_TEMPLATE_DIR',
} as const;

export interface TestDatabase {
  url: string;
  mode: 'postgres' | 'embedded';
  drop(): Promise<void>;
}

/** Starts `test/support/pglite-server.ts` on `dataDir` and resolves with its URL. */
export function spawnEmbedded(dataDir: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  return new Promise((resolveUrl, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'test/support/pglite-server.ts'), dataDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        const { url } = JSON.parse(line);
        resolveUrl({
          url,
          child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`embedded database exited (${code}): ${err}`)));
  });
}

/** Server URL with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A fresh database for one test file, cloned from the migrated template: `CREATE DATABASE ...
 * TEMPLATE` on PostgreSQL, a copied data folder served by its own process on the embedded database.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const mode = process.env[ENV.mode] as 'postgres' | 'embedded' | undefined;
  if (mode === 'postgres') {
    const template = process.env[ENV.templateUrl]!;
    const name = `dd_t_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: template });
    await admin.connect();
    const templateName = new URL(template).pathname.slice(1);
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
    } finally {
      await admin.end();
    }
    const url = withDatabase(template, name);
    return {
      url,
      mode,
      async drop() {
        const c = new Client({ connectionString: withDatabase(template, 'postgres') });
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await c.end();
        }
      },
    };
  }
  if (mode === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'dd-test-db-'));
    cpSync(process.env[ENV.templateDir]!, dir, { recursive: true });
    const server = await spawnEmbedded(dir);
    return {
      url: server.url,
      mode,
      async drop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error('The e2e global setup did not run (DD_TEST_DB_MODE unset)');
}
