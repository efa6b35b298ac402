/**
 * The service as its own process for the crash tests: the real application (`createApp`, the same
 * modules, queue and database as `main.ts`), plus the test saga's steps. Its parent talks to it over
 * IPC (request a resolution, signal a wait) and may kill it at any moment.
 *
 *   node -r @swc-node/register test/resolutions/support/saga-service.ts
 *   env: DATABASE_URL, FAKE_COUNTERPARTY_URL, DD_TEST_CRASH_IN_STEP (optional)
 */
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../../apps/delivery-desk/src/bootstrap';
import { loadSettings } from '../../../apps/delivery-desk/src/config/settings';
import { LedgerService } from '../../../apps/delivery-desk/src/resolutions/ledger/ledger.service';
import { SagaRunner } from '../../../apps/delivery-desk/src/resolutions/saga/saga-runner.service';
import { StepRegistry } from '../../../apps/delivery-desk/src/resolutions/saga/step-registry.service';
import { ADMIN_TOKEN, SECRETS_KEY } from '../../support/test-app';
import { testSagaSteps } from './test-saga';

type Message = { id: number } & ({ type: 'request'; request: Parameters<SagaRunner['requestResolution']>[0] } | { type: 'signal'; args: Parameters<SagaRunner['signal']> });

async function main() {
  const url = process.env.DATABASE_URL!;
  const settings = loadSettings(
    {
      NODE_ENV: 'test',
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: '4',
      JOBS_POOL_SIZE: '3',
      ADMIN_TOKEN,
      SECRETS_KEY,
      LINK_SIGNING_SECRET: 'test-link-signing-secret-0123456789abcdef',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PORT: '0',
      JOBS_POLL_SECONDS: '0.5',
      JOBS_RETRY_DELAY_SECONDS: '1',
    },
    mkdtempSync(join(tmpdir(), 'dd-saga-service-')),
  );
  const app = await createApp(settings, url);
  app.get(StepRegistry).register(...testSagaSteps(app.get(LedgerService), process.env.FAKE_COUNTERPARTY_URL!));
  await app.init();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const runner = app.get(SagaRunner);
  process.on('message', (m: Message) => {
    const work = m.type === 'request' ? runner.requestResolution(m.request).then((r) => r.resolution.id) : runner.signal(...m.args);
    work.then(
      (result) => process.send!({ id: m.id, ok: true, result }),
      (e) => process.send!({ id: m.id, ok: false, error: String(e?.stack ?? e) }),
    );
  });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'ready', baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` });
}

main().catch((e) => {
  process.stderr.write(`saga-service: ${e?.stack ?? e}\n`);
  process.exit(1);
});
