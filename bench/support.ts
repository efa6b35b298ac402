import autocannon from 'autocannon';
import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { Client } from 'pg';
import { createDataSource } from '../apps/delivery-desk/src/database/data-source';
import { runMigrationsLocked } from '../apps/delivery-desk/src/database/migrator';

export const PG_SERVER = process.env.BENCH_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/** A fresh, migrated database on the benchmark's PostgreSQL server; dropped by the returned function. */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = `${PG_SERVER}/${name}`;
  const ds = createDataSource(url, 2);
  await ds.initialize();
  await runMigrationsLocked(ds);
  await ds.destroy();
  return {
    url,
    async drop() {
      const c = new Client({ connectionString: `${PG_SERVER}/postgres` });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface LoadResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Runs autocannon for `seconds` with `connections` and returns throughput and latency. */
export async function load(name: string, opts: autocannon.Options): Promise<LoadResult> {
  const r = await autocannon({ connections: Number(process.env.BENCH_CONNECTIONS ?? 50), duration: Number(process.env.BENCH_SECONDS ?? 8), ...opts });
  if (r.non2xx) console.warn(`${name}: non-2xx answers by status`, JSON.stringify((r as any).statusCodeStats));
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

export function report(rows: LoadResult[], pairs: [string, string][]): void {
  console.log('\n| run | req/s | p50 ms | p99 ms | errors | non-2xx |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} |`);
  console.log('');
  for (const [subject, baseline] of pairs) {
    const s = rows.find((r) => r.name === subject)!;
    const b = rows.find((r) => r.name === baseline)!;
    console.log(`${subject}: ${(s.rps / b.rps).toFixed(2)}× the throughput of ${baseline}, p99 ${(s.p99 / Math.max(b.p99, 1)).toFixed(2)}× its p99`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
}

/**
 * The floor every benchmark is compared with, run in the same process and on the same database: a
 * bare node:http server that, for a POST, inserts the raw body as one row and, for a GET, selects one
 * row by primary key. No framework, no validation, no auth.
 */
export async function startBaseline(url: string): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined); // idle clients are cut when the scratch database is dropped
  await pool.query('CREATE TABLE IF NOT EXISTS bench_baseline (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body jsonb NOT NULL)');
  const { rows } = await pool.query(`INSERT INTO bench_baseline (body) VALUES ('{"seed":true}') RETURNING id`);
  const server = createServer(async (req, res) => {
    try {
      const r =
        req.method === 'POST'
          ? await pool.query('INSERT INTO bench_baseline (body) VALUES ($1) RETURNING id', [await readBody(req)])
          : await pool.query('SELECT id, body FROM bench_baseline WHERE id = $1', [rows[0].id]);
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(r.rows[0]));
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.close();
      await pool.end();
    },
  };
}
