import 'reflect-metadata';
import { ConfigError, loadSettings } from '../config/settings';
import { createDataSource } from './data-source';
import { startEmbeddedPostgres } from './embedded-postgres';
import { runMigrationsLocked, schemaDrift } from './migrator';

/**
 * `npm run migrate` applies pending migrations to the configured database (the embedded one when
 * DATABASE_URL is unset). With `--check` it then compares the entities with the migrated schema and
 * exits 1 when they drift, printing the SQL a new migration would need.
 */
async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const settings = loadSettings();
  const embedded =
    settings.database.mode === 'embedded'
      ? await startEmbeddedPostgres({ dataDir: settings.database.dataDir, port: 0, maxConnections: 4 })
      : null;
  const url = embedded ? embedded.url : (settings.database as { url: string }).url;
  const ds = createDataSource(url, 2);
  try {
    await ds.initialize();
    const ran = await runMigrationsLocked(ds);
    console.log(ran.length ? `Applied: ${ran.join(', ')}` : 'No pending migrations.');
    if (check) {
      const drift = await schemaDrift(ds);
      if (drift.length) {
        console.error('Entities and migrations drift. A migration needs:\n' + drift.map((q) => `  ${q};`).join('\n'));
        return 1;
      }
      console.log('No drift: entities match the migrations.');
    }
    return 0;
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(e instanceof ConfigError ? 78 : 1);
  },
);
