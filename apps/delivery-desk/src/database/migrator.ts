import { DataSource } from 'typeorm';

/** A fixed key so every replica contends for the same advisory lock. */
const MIGRATION_LOCK_KEY = 7_416_002_311;

/**
 * Runs pending migrations while holding a session-level advisory lock, so replicas booting together
 * migrate once and the others wait, then find nothing to do. Returns the names that ran.
 */
export async function runMigrationsLocked(ds: DataSource): Promise<string[]> {
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const ran = await ds.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.release();
  }
}

/** SQL TypeORM would run to make the database match the entities: empty when migrations and entities agree. */
export async function schemaDrift(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

/** Names of known migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await ds.query('SELECT name FROM migrations');
  const applied = new Set(rows.map((r) => r.name));
  return ds.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !applied.has(n));
}
