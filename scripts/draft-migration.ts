/**
 * Drafts a migration from the difference between the entities and the migrated schema:
 *   npm run migration:draft -- AddTickets
 * It migrates a scratch database on BENCH_PG_SERVER / 127.0.0.1:5432, asks TypeORM what SQL would
 * make it match the entities, and writes apps/delivery-desk/src/database/migrations/<ts>-<name>.ts.
 * Review the file (and add it to migrations/index.ts) before committing: it is a draft.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '../apps/delivery-desk/src/database/data-source';
import { runMigrationsLocked } from '../apps/delivery-desk/src/database/migrator';

const SERVER = process.env.MIGRATION_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

function format(sql: string): string {
  const m = /^CREATE TABLE ("\w+") \((.*)\)$/s.exec(sql);
  if (!m) return `    await q.query(\`${sql.replace(/\s+;?$/, '').replace(/ {2,}/g, ' ')}\`);`;
  const parts = m[2].split(/, (?="[a-z_0-9]+" )|, (?=CONSTRAINT)/);
  return `    await q.query(\`\n      CREATE TABLE ${m[1]} (\n${parts.map((p) => `        ${p}`).join(',\n')}\n      )\n    \`);`;
}

async function main() {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('usage: draft-migration <PascalCaseName>');
  const db = `dd_draft_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${db}"`);
  const ds = createDataSource(`${SERVER}/${db}`, 2);
  try {
    await ds.initialize();
    await runMigrationsLocked(ds);
    const log = await ds.driver.createSchemaBuilder().log();
    if (!log.upQueries.length) {
      console.log('No difference: nothing to migrate.');
      return;
    }
    const ts = Date.now();
    const cls = `${name}${ts}`;
    const file = join(__dirname, '../apps/delivery-desk/src/database/migrations', `${ts}-${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.ts`);
    writeFileSync(
      file,
      `import { MigrationInterface, QueryRunner } from 'typeorm';\n\n/** TODO: say what this migration is for. */\nexport class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  async up(q: QueryRunner): Promise<void> {\n${log.upQueries.map((x) => format(x.query)).join('\n')}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${log.downQueries.reverse().map((x) => format(x.query)).join('\n')}\n  }\n}\n`,
    );
    console.log(`Wrote ${file}\nReview it, describe it, and add ${cls} to migrations/index.ts.`);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e.message ?? e);
  process.exit(1);
});
