/**
 * A standalone embedded Postgres for tests: PGlite cannot start inside Jest's module sandbox, so each
 * test file runs one of these as a child process. Prints `{"url": ...}` once ready; stops on SIGTERM.
 *
 *   node -r @swc-node/register test/support/pglite-server.ts <dataDir>
 */
import { startEmbeddedPostgres } from '../../apps/delivery-desk/src/database/embedded-postgres';

async function main() {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: pglite-server <dataDir>');
  const pg = await startEmbeddedPostgres({ dataDir, port: 0, maxConnections: 64 });
  const stop = async () => {
    await pg.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // Die with the parent, so a crashed Jest worker leaves no database behind.
  process.on('disconnect', () => void stop());
  process.stdout.write(JSON.stringify({ url: pg.url }) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});
