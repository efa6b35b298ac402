import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PgBoss, type Job, type Queue, type SendOptions } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { SETTINGS, Settings } from '../config/settings';
import { DATABASE_URL } from '../database/database.tokens';

/** What a queue does with failures: pg-boss retry options plus how many jobs one process runs at once. */
export interface QueueDefinition extends Pick<Queue, 'policy' | 'retryLimit' | 'retryDelay' | 'retryBackoff' | 'retryDelayMax' | 'expireInSeconds'> {
  /** Jobs of this queue one process runs concurrently. */
  concurrency?: number;
  /** A cron expression (UTC) on which an empty job is sent, for sweeps. */
  cron?: string;
}

export type JobHandler<T> = (data: T, job: Job<T>) => Promise<void>;

interface Registered {
  definition: QueueDefinition;
  handler: JobHandler<any>;
}

/**
 * The Postgres-backed job queue (pg-boss) every background task goes through: carrier refreshes,
 * sweeps, timers and outbound webhooks. Any number of replicas can share it. Its schema comes from
 * our migrations (`JobQueueSchema...`), so pg-boss never changes the database on its own.
 *
 * Feature services register their queues in `onModuleInit`; the queue starts on application
 * bootstrap. {@link send} can take the caller's transaction, so a job exists exactly when the
 * change that needs it was committed.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private readonly queues = new Map<string, Registered>();
  private boss: PgBoss | null = null;
  private workerIds: string[] = [];
  private readonly onStart: (() => Promise<void>)[] = [];

  constructor(
    @Inject(SETTINGS) private readonly settings: Settings,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
  ) {}

  /** Runs `fn` once the queue has started (other modules' bootstrap hooks may run before ours). */
  whenStarted(fn: () => Promise<void>): void {
    if (this.boss) void fn();
    else this.onStart.push(fn);
  }

  register<T extends object>(name: string, definition: QueueDefinition, handler: JobHandler<T>): void {
    if (this.boss) throw new Error(`Queue ${name} registered after the job queue started`);
    this.queues.set(name, { definition, handler });
  }

  async onApplicationBootstrap(): Promise<void> {
    const boss = new PgBoss({
      connectionString: this.databaseUrl,
      schema: 'pgboss',
      application_name: 'delivery-desk-jobs',
      max: this.settings.jobs.poolSize,
      migrate: false,
      createSchema: false,
      schedule: this.settings.jobs.schedules,
      supervise: this.settings.jobs.workers,
      registerInstance: false,
    });
    boss.on('error', (err) => this.logger.error({ err }, 'job queue error'));
    await boss.start();
    this.boss = boss;
    for (const [name, { definition }] of this.queues) {
      const { concurrency: _c, cron: _cron, ...options } = definition;
      await boss.createQueue(name, options);
      if (definition.cron && this.settings.jobs.schedules) await boss.schedule(name, definition.cron, {}, { tz: 'UTC' });
    }
    if (this.settings.jobs.workers) await this.startWorkers();
    for (const fn of this.onStart.splice(0)) await fn();
  }

  private async startWorkers(): Promise<void> {
    for (const [name, { definition, handler }] of this.queues) {
      const id = await this.boss!.work<object>(
        name,
        { batchSize: 1, localConcurrency: definition.concurrency ?? 1, pollingIntervalSeconds: this.settings.jobs.pollSeconds },
        async (jobs) => {
          for (const job of jobs) await handler(job.data, job);
        },
      );
      this.workerIds.push(id);
    }
  }

  /**
   * Queues a job. With `em`, the job is written in that transaction (and vanishes if it rolls back);
   * on the embedded database this is also what keeps a transaction from waiting on itself.
   */
  async send<T extends object>(name: string, data: T, options: SendOptions = {}, em?: EntityManager): Promise<string | null> {
    if (!this.boss) throw new Error('The job queue has not started');
    const db = em ? { db: { executeSql: async (text: string, values?: unknown[]) => ({ rows: await em.query(text, values as unknown[]) }) } } : {};
    return this.boss.send(name, data, { ...options, ...db });
  }

  /** Wakes idle workers at once (instead of at their next poll). */
  wake(): void {
    for (const id of this.workerIds) this.boss?.notifyWorker(id);
  }

  /**
   * Waits until no job is queued, retrying or running that is due within `horizonMs` (so a retry
   * a few seconds out is waited for; a timer set for next week is not). For tests and the demo's time
   * machine: they drain the queue instead of sleeping.
   */
  async drain(timeoutMs = 30_000, horizonMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const names = [...this.queues.keys()];
    let quietRounds = 0;
    while (Date.now() < deadline) {
      this.wake();
      const [row]: { n: string }[] = await this.query(
        `SELECT count(*) AS n FROM pgboss.job
          WHERE name = ANY($1) AND (state = 'active' OR (state IN ('created', 'retry') AND start_after <= now() + make_interval(secs => $2)))`,
        [names, horizonMs / 1000],
      );
      quietRounds = Number(row.n) === 0 ? quietRounds + 1 : 0;
      // Two quiet looks in a row: a handler that just finished may have queued a follow-up.
      if (quietRounds >= 2) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`Jobs still pending after ${timeoutMs} ms`);
  }

  /** Jobs of a queue in a state, newest first (for tests and operators). */
  async jobs<T = object>(name: string, states: string[] = ['created', 'retry', 'active', 'completed', 'failed']): Promise<{ id: string; state: string; data: T; retryCount: number; output: unknown }[]> {
    return this.query(
      `SELECT id, state, data, retry_count AS "retryCount", output FROM pgboss.job WHERE name = $1 AND state::text = ANY($2) ORDER BY created_on DESC`,
      [name, states],
    );
  }

  private async query<T = any>(sql: string, values: unknown[]): Promise<T[]> {
    if (!this.boss) throw new Error('The job queue has not started');
    return (await this.boss.getDb().executeSql(sql, values)).rows as T[];
  }

  async onApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    await boss?.stop({ graceful: true, timeout: 10_000, close: true });
  }
}
