import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Every setting the service reads, parsed once from the environment and validated at boot.
 * A bad or missing value stops the process with a message naming the variable.
 */
export interface Settings {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Public base URL used in links the service prints or sends (tracking links, docs). */
  publicBaseUrl: string;
  database:
    | { mode: 'external'; url: string; poolSize: number }
    | { mode: 'embedded'; dataDir: string; port: number; poolSize: number };
  /** Run pending migrations at boot (under an advisory lock). */
  migrateOnBoot: boolean;
  adminToken: string;
  /** 32-byte key (base64) that encrypts carrier credentials and platform webhook secrets at rest. */
  secretsKey: Buffer;
  /** Secret that signs customer tracking links. */
  linkSigningSecret: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  /** Largest evidence file (photo, PDF) a ticket accepts. */
  evidenceMaxBytes: number;
  rateLimit: { perMinute: number };
  /** Create the demo merchant, orders and shipments at boot when they do not exist. */
  demo: boolean;
  jobs: {
    /** Run job workers and schedules in this process (off for API-only replicas). */
    workers: boolean;
    /** Run the cron sweeps (refresh, attention, timers) in this process. */
    schedules: boolean;
    poolSize: number;
    pollSeconds: number;
    /** First retry delay of a failed job; later retries back off exponentially. */
    retryDelaySeconds: number;
  };
  /** Outbound e-mail; null when no SMTP server is configured (messages are still stored on tickets). */
  smtp: { host: string; port: number; secure: boolean; user: string | null; pass: string | null; from: string } | null;
  tracking: {
    /** The deployment's own EasyPost account, used for merchants that have none of their own. */
    easypost: { apiKey: string | null; apiBaseUrl: string | null; webhookSecret: string | null };
    /** Calls per second to one carrier from one process. */
    carrierRequestsPerSecond: number;
    /** Time allowed for one carrier call; longer outages are retried by the job queue. */
    carrierTimeoutMs: number;
    /** The service's public egress address, which UPS Delivery Intercept requires on every request. */
    carrierClientIp: string;
  };
}

/** Thrown when the environment is wrong; `main.ts` prints it and exits with status 78 (EX_CONFIG). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { variable: string; problem: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.problem}`).join('\n'),
    );
  }
}

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const intIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: intIn(0, 65535).default(3000),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: intIn(1, 200).default(10),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_DB_PORT: intIn(0, 65535).default(0),
  MIGRATE_ON_BOOT: boolish.default(true),
  ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  SECRETS_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  LINK_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: intIn(1024, 50 * 1024 * 1024).default(1024 * 1024),
  EVIDENCE_MAX_BYTES: intIn(1024, 50 * 1024 * 1024).default(10 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: intIn(1, 1_000_000).default(1200),
  DEMO: boolish.optional(),
  JOBS_WORKERS: boolish.default(true),
  JOBS_SCHEDULES: boolish.default(true),
  JOBS_POOL_SIZE: intIn(1, 100).default(4),
  JOBS_POLL_SECONDS: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds')
    .transform(Number)
    .pipe(z.number().min(0.5).max(60))
    .default(2),
  JOBS_RETRY_DELAY_SECONDS: intIn(1, 3600).default(30),
  EASYPOST_API_KEY: z.string().min(8, 'must be at least 8 characters').optional(),
  EASYPOST_API_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  EASYPOST_WEBHOOK_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  CARRIER_REQUESTS_PER_SECOND: intIn(1, 1000).default(5),
  CARRIER_TIMEOUT_MS: intIn(100, 120_000).default(15_000),
  CARRIER_CLIENT_IP: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' }).default('127.0.0.1'),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: intIn(1, 65535).default(587),
  SMTP_SECURE: boolish.default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASS: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).default('Delivery Desk <desk@localhost>'),
});

/** The environment variables the service reads, for the README and error messages. */
export const SETTING_VARIABLES = Object.keys(schema.shape);

/**
 * Secrets a development machine may leave unset: they are generated once and kept in the data
 * folder so links and encrypted values stay valid across restarts. Production must set them.
 */
function developmentSecrets(dataDir: string): { adminToken: string; secretsKey: string; linkSigningSecret: string } {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = {
    adminToken: randomBytes(24).toString('base64url'),
    secretsKey: randomBytes(32).toString('base64'),
    linkSigningSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Parses and validates `env`; throws {@link ConfigError} naming every variable at fault. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Settings {
  // Empty strings count as unset, as most process managers write them for blank values.
  const raw = Object.fromEntries(
    SETTING_VARIABLES.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), problem: i.message })),
    );
  }
  const v = parsed.data;
  const dataDir = isAbsolute(v.DATA_DIR) ? v.DATA_DIR : resolve(cwd, v.DATA_DIR);

  const missing: { variable: string; problem: string }[] = [];
  if (v.NODE_ENV === 'production') {
    for (const name of ['ADMIN_TOKEN', 'SECRETS_KEY', 'LINK_SIGNING_SECRET'] as const) {
      if (!v[name]) missing.push({ variable: name, problem: 'is required when NODE_ENV=production' });
    }
    if (!v.DATABASE_URL) missing.push({ variable: 'DATABASE_URL', problem: 'is required when NODE_ENV=production' });
  }
  if (missing.length) throw new ConfigError(missing);

  const dev = v.ADMIN_TOKEN && v.SECRETS_KEY && v.LINK_SIGNING_SECRET ? null : developmentSecrets(dataDir);
  const port = v.PORT;
  return {
    env: v.NODE_ENV,
    host: v.HOST,
    port,
    publicBaseUrl: (v.PUBLIC_BASE_URL ?? `http://${v.HOST === '0.0.0.0' ? '127.0.0.1' : v.HOST}:${port}`).replace(/\/$/, ''),
    database: v.DATABASE_URL
      ? { mode: 'external', url: v.DATABASE_URL, poolSize: v.DATABASE_POOL_SIZE }
      : { mode: 'embedded', dataDir, port: v.EMBEDDED_DB_PORT, poolSize: v.DATABASE_POOL_SIZE },
    migrateOnBoot: v.MIGRATE_ON_BOOT,
    adminToken: v.ADMIN_TOKEN ?? dev!.adminToken,
    secretsKey: Buffer.from(v.SECRETS_KEY ?? dev!.secretsKey, 'base64'),
    linkSigningSecret: v.LINK_SIGNING_SECRET ?? dev!.linkSigningSecret,
    logLevel: v.LOG_LEVEL,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    evidenceMaxBytes: v.EVIDENCE_MAX_BYTES,
    rateLimit: { perMinute: v.RATE_LIMIT_PER_MINUTE },
    demo: v.DEMO ?? (v.NODE_ENV === 'development' && !v.DATABASE_URL),
    jobs: { workers: v.JOBS_WORKERS, schedules: v.JOBS_WORKERS && v.JOBS_SCHEDULES, poolSize: v.JOBS_POOL_SIZE, pollSeconds: v.JOBS_POLL_SECONDS, retryDelaySeconds: v.JOBS_RETRY_DELAY_SECONDS },
    smtp: v.SMTP_HOST ? { host: v.SMTP_HOST, port: v.SMTP_PORT, secure: v.SMTP_SECURE, user: v.SMTP_USER ?? null, pass: v.SMTP_PASS ?? null, from: v.MAIL_FROM } : null,
    tracking: {
      easypost: { apiKey: v.EASYPOST_API_KEY ?? null, apiBaseUrl: v.EASYPOST_API_BASE_URL ?? null, webhookSecret: v.EASYPOST_WEBHOOK_SECRET ?? null },
      carrierRequestsPerSecond: v.CARRIER_REQUESTS_PER_SECOND,
      carrierTimeoutMs: v.CARRIER_TIMEOUT_MS,
      carrierClientIp: v.CARRIER_CLIENT_IP,
    },
  };
}

/** Nest injection token for {@link Settings}. */
export const SETTINGS = Symbol('SETTINGS');
