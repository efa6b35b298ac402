import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { spawnEmbedded } from '../support/databases';

/**
 * The embedded database must behave like PostgreSQL for what the service relies on, whatever mode
 * the rest of the suite runs in: isolated concurrent sessions, rollbacks, and SKIP LOCKED.
 */
describe('Embedded PostgreSQL over pglite-socket', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof spawnEmbedded>>;
  let pool: Pool;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dd-embedded-'));
    server = await spawnEmbedded(dir);
    pool = new Pool({ connectionString: server.url, max: 8 });
    await pool.query('CREATE TABLE jobs (id int PRIMARY KEY, owner text)');
    await pool.query('INSERT INTO jobs SELECT g, NULL FROM generate_series(1, 20) g');
  });
  afterAll(async () => {
    await pool.end();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps concurrent statements and transactions on separate connections apart', async () => {
    // Different statements with different parameters, as the service's concurrent requests send.
    const run = (i: number) =>
      i % 3 === 0
        ? pool.query('SELECT $1::int AS n, $2::text AS s', [i, `v${i}`]).then((r) => expect(r.rows[0]).toEqual({ n: i, s: `v${i}` }))
        : i % 3 === 1
          ? pool.query('SELECT id FROM jobs WHERE id = $1', [(i % 20) + 1]).then((r) => expect(r.rows).toEqual([{ id: (i % 20) + 1 }]))
          : pool.query('SELECT $1::text || $2::text AS joined', [`a${i}`, `b${i}`]).then((r) => expect(r.rows[0].joined).toBe(`a${i}b${i}`));
    // Transactions interleaved with them: a transaction starting mid-batch used to capture the session.
    const tx = async (i: number) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const { rows } = await c.query('SELECT $1::int + 1000 AS n', [i]);
        expect(rows[0].n).toBe(i + 1000);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    };
    await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 10 === 0 ? tx(i) : run(i))));
  });

  it('discards a rolled-back write for every connection', async () => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('UPDATE jobs SET owner = $1 WHERE id = 1', ['ghost']);
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }
    const { rows } = await pool.query('SELECT owner FROM jobs WHERE id = 1');
    expect(rows[0].owner).toBeNull();
  });

  it('never hands the same row to two workers claiming with SKIP LOCKED', async () => {
    const claim = async (worker: string) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const { rows } = await c.query('SELECT id FROM jobs WHERE owner IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED');
        if (rows.length) await c.query('UPDATE jobs SET owner = $1 WHERE id = $2', [worker, rows[0].id]);
        await c.query('COMMIT');
        return rows[0]?.id as number | undefined;
      } finally {
        c.release();
      }
    };
    const claimed = (await Promise.all(Array.from({ length: 20 }, (_, i) => claim(`w${i}`)))).filter((x) => x !== undefined);
    expect(new Set(claimed).size).toBe(claimed.length);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM jobs WHERE owner IS NOT NULL');
    expect(rows[0].n).toBe(claimed.length);
  });

  it('survives a client that disconnects in the middle of a transaction', async () => {
    const c = new Client({ connectionString: server.url });
    await c.connect();
    await c.query('BEGIN');
    await c.query('UPDATE jobs SET owner = $1 WHERE id = 2', ['abandoned']);
    await c.end();
    const { rows } = await pool.query('SELECT owner FROM jobs WHERE id = 2');
    expect(rows[0].owner).not.toBe('abandoned');
  });
});
