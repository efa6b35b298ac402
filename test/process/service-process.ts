import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface RunningService {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `apps/delivery-desk/src/main.ts` as its own process, as `npm start` would (without the build). */
export function spawnService(env: Record<string, string>): { child: ChildProcess; output(): string; exited: Promise<number | null> } {
  const base = { ...process.env };
  for (const k of ['DATABASE_URL', 'NODE_ENV', 'PORT', 'DATA_DIR', 'DEMO', 'ADMIN_TOKEN', 'SECRETS_KEY', 'LINK_SIGNING_SECRET']) delete base[k];
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps/delivery-desk/src/main.ts')], {
    cwd: ROOT,
    env: { ...base, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

/** Starts the service and waits until it answers /health/ready. */
export async function startService(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningService> {
  const { child, output, exited } = spawnService({ HOST: '127.0.0.1', PORT: '0', ...env });
  const deadline = Date.now() + timeoutMs;
  let baseUrl: string | null = null;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited ${child.exitCode}:\n${output()}`);
    const m = /"msg":"Delivery Desk listening on (http:\/\/[^"]+)"/.exec(output());
    // The banner follows the listening line; wait for it so callers can read it.
    if (m && !output().includes('Delivery Desk is running')) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    if (m) {
      baseUrl = m[1];
      const ready = await fetch(`${baseUrl}/health/ready`).catch(() => null);
      if (ready?.status === 200) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!baseUrl) throw new Error(`service did not start in ${timeoutMs} ms:\n${output()}`);
  return {
    child,
    baseUrl,
    output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
