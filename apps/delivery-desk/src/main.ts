import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createApp, migrateOnBoot } from './bootstrap';
import { createRootLogger } from './common/logger';
import { ConfigError, loadSettings, Settings } from './config/settings';
import { DataDirLockedError, EmbeddedPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
import { DemoSeeder } from './demo/demo.seeder';

async function main(): Promise<void> {
  const started = performance.now();
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`delivery-desk: ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  const log = createRootLogger(settings.logLevel);

  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl: string;
  if (settings.database.mode === 'embedded') {
    try {
      embedded = await startEmbeddedPostgres({
        dataDir: settings.database.dataDir,
        port: settings.database.port,
        // The pool, the job queue and the migration lock each hold connections.
        maxConnections: settings.database.poolSize + 20,
      });
    } catch (e) {
      if (e instanceof DataDirLockedError) {
        process.stderr.write(`delivery-desk: ${e.message}\n`);
        process.exit(75);
      }
      throw e;
    }
    databaseUrl = embedded.url;
    log.info({ database: 'embedded', dataDir: embedded.dataDir }, `Database: embedded PostgreSQL (PGlite) in ${embedded.dataDir}`);
  } else {
    databaseUrl = settings.database.url;
    const u = new URL(databaseUrl);
    log.info({ database: 'postgres', host: u.hostname, name: u.pathname.slice(1) }, `Database: PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`);
  }

  const app = await createApp(settings, databaseUrl, log);
  const ran = await migrateOnBoot(app, settings);
  if (ran.length) log.info({ migrations: ran }, `Applied ${ran.length} migration(s)`);
  await app.init();

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'Shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close();
      await embedded?.stop();
    } finally {
      log.info('Stopped');
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  // Seed before listening, so a ready service already has its demo data.
  const demo = settings.demo ? await app.get(DemoSeeder).seed() : null;
  await app.listen({ port: settings.port, host: settings.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const base = settings.port === 0 ? settings.publicBaseUrl.replace(/:\d+$/, `:${port}`) : settings.publicBaseUrl;
  log.info({ port, bootMs: Math.round(performance.now() - started), database: settings.database.mode }, `Delivery Desk listening on ${base}`);

  const lines = [`Delivery Desk is running (${settings.database.mode === 'embedded' ? 'embedded database' : 'PostgreSQL'}).`, `  API docs:   ${base}/docs`, `  Health:     ${base}/health/ready`];
  if (demo) lines.push(...demo.describe(base));
  process.stdout.write('\n' + lines.join('\n') + '\n\n');
}

main().catch((e) => {
  process.stderr.write(`delivery-desk: failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
