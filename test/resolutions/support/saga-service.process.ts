import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { SagaRunner } from '../../../apps/delivery-desk/src/resolutions/saga/saga-runner.service';

const ROOT = resolve(__dirname, '../../..');

export interface SagaServiceProcess {
  child: ChildProcess;
  baseUrl: string;
  exited: Promise<number | null>;
  output(): string;
  request(request: Parameters<SagaRunner['requestResolution']>[0]): Promise<string>;
  signal(...args: Parameters<SagaRunner['signal']>): Promise<unknown>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Starts `saga-service.ts` in its own process and waits until it listens. */
export async function startSagaService(env: Record<string, string>, timeoutMs = 60_000): Promise<SagaServiceProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'saga-service.ts')], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code, signal) => r(code ?? (signal ? -1 : null))));
  let seq = 0;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const baseUrl = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`saga service did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    child.on('message', (m: any) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        ok(m.baseUrl);
      } else if (pending.has(m.id)) {
        const p = pending.get(m.id)!;
        pending.delete(m.id);
        if (m.ok) p.resolve(m.result);
        else p.reject(new Error(m.error));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`saga service exited (${code}):\n${out}`));
      for (const p of pending.values()) p.reject(new Error(`saga service exited (${code})`));
    });
  });
  const call = (message: object) =>
    new Promise<any>((ok, fail) => {
      const id = ++seq;
      pending.set(id, { resolve: ok, reject: fail });
      child.send({ id, ...message });
    });
  return {
    child,
    baseUrl,
    exited,
    output: () => out,
    request: (request) => call({ type: 'request', request }),
    signal: (...args) => call({ type: 'signal', args }),
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
