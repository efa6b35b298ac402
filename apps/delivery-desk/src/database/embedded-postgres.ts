import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pinExtendedProtocolBatches } from './pglite-batch-queue';

/** A running embedded PostgreSQL (PGlite served over the Postgres wire protocol on loopback). */
export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`The embedded database in ${dataDir} is in use by process ${pid}; stop it or set DATA_DIR to another folder.`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite has no guard against two processes opening one data folder (both would corrupt it), so a
 * lock file with the owner's pid is taken first; a lock left by a dead process is taken over.
 */
function acquireLock(dataDir: string): () => void {
  const lockPath = join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockPath, 'utf8') === String(process.pid)) unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DataDirLockedError(dataDir, owner);
      }
      unlinkSync(lockPath);
    }
  }
  throw new Error(`Could not take the lock on ${lockPath}`);
}

/**
 * Starts PGlite on `dataDir` and serves it on 127.0.0.1 so the ordinary `pg` driver, TypeORM and the
 * job queue use it unchanged. PGlite runs one transaction at a time across all connections: code
 * holding a transaction must not wait on another connection.
 *
 * @example
 * ```ts
 * const pg = await startEmbeddedPostgres({ dataDir: '.data', port: 0, maxConnections: 40 });
 * // pg.url === 'postgres://postgres@127.0.0.1:54012/postgres'
 * await pg.stop();
 * ```
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  maxConnections: number;
}): Promise<EmbeddedPostgres> {
  mkdirSync(opts.dataDir, { recursive: true });
  const release = acquireLock(opts.dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const pgdata = join(opts.dataDir, 'pgdata');
    const db = await PGlite.create(pgdata);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: opts.port, maxConnections: opts.maxConnections });
    pinExtendedProtocolBatches((server as unknown as { queryQueue: Parameters<typeof pinExtendedProtocolBatches>[0] }).queryQueue);
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    let stopped = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      dataDir: opts.dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await server.stop();
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

