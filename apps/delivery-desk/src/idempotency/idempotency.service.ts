import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobQueue } from '../jobs/job-queue.service';

export const IDEMPOTENCY_PURGE_QUEUE = 'idempotency-purge';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function requestHash(method: string, route: string, body: unknown): string {
  // Uploaded files are hashed as bytes, not as a JSON rendering of every byte.
  const content = Buffer.isBuffer(body) ? `bytes:${createHash('sha256').update(body).digest('hex')}` : canonicalJson(body ?? null);
  return createHash('sha256').update(`${method} ${route}\n${content}`).digest('hex');
}

export type Claim =
  | { state: 'new'; id: string }
  | { state: 'replay'; status: number; body: unknown }
  | { state: 'in_progress' }
  | { state: 'mismatch' };

/**
 * Records the first response to each (caller, Idempotency-Key). The unique index decides the race:
 * of two concurrent first requests exactly one inserts; the other sees `in_progress`.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.jobs.register(IDEMPOTENCY_PURGE_QUEUE, { retryLimit: 1, cron: '17 * * * *' }, async () => {
      await this.purgeOlderThan(24);
    });
  }

  async claim(scope: string, key: string, hash: string): Promise<Claim> {
    const inserted: { id: string }[] = await this.ds.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO NOTHING RETURNING id`,
      [scope, key, hash],
    );
    if (inserted.length) return { state: 'new', id: inserted[0].id };
    const [row]: { request_hash: string; response_status: number | null; response_body: unknown }[] = await this.ds.query(
      `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    // Deleted between the insert and the select (the first request failed): treat as in flight; the client retries.
    if (!row) return { state: 'in_progress' };
    if (row.request_hash !== hash) return { state: 'mismatch' };
    if (row.response_status === null) return { state: 'in_progress' };
    return { state: 'replay', status: row.response_status, body: row.response_body };
  }

  async complete(id: string, status: number, body: unknown): Promise<void> {
    await this.ds.query(
      `UPDATE idempotency_keys SET response_status = $2, response_body = $3::jsonb, completed_at = now() WHERE id = $1`,
      [id, status, JSON.stringify(body ?? null)],
    );
  }

  /** Forget a key whose request failed in a way a retry may fix (5xx, 409, 429). */
  async release(id: string): Promise<void> {
    await this.ds.query(`DELETE FROM idempotency_keys WHERE id = $1`, [id]);
  }

  /** Keys are kept 24 hours, like the payment APIs platforms already know. */
  async purgeOlderThan(hours = 24): Promise<number> {
    const res: [unknown[], number] = await this.ds.query(
      `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
      [hours],
    );
    return res[1];
  }
}
