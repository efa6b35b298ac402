import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../apps/delivery-desk/src/database/data-source';
import { lossKey } from '../../apps/delivery-desk/src/resolutions/ledger/loss-key';
import { SagaRunner } from '../../apps/delivery-desk/src/resolutions/saga/saga-runner.service';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { merchantBody, orderBody } from '../support/factories';
import { HttpClient } from '../support/http-client';
import { ADMIN_TOKEN } from '../support/test-app';
import { commandIdFor, FakeCounterparty, startFakeCounterparty } from './support/fake-counterparty.server';
import { ledgerRows, stepRows } from './support/resolution-fixtures';
import { SagaServiceProcess, startSagaService } from './support/saga-service.process';
import { SYSTEM_ACTOR, TEST_REFUND_WAIT, testPlan } from './support/test-saga';

describe(SagaRunner.name, () => {
  describe('when its process is killed mid-resolution', () => {
    let db: TestDatabase;
    let ds: DataSource;
    let fake: FakeCounterparty;
    const started: SagaServiceProcess[] = [];
    beforeAll(async () => {
      fake = await startFakeCounterparty();
      db = await createTestDatabase();
      ds = createDataSource(db.url, 2);
      await ds.initialize();
    });
    afterAll(async () => {
      for (const p of started) await p.kill('SIGKILL');
      await ds?.destroy();
      await db?.drop();
      await fake?.close();
    });

    const service = async (env: Record<string, string> = {}) => {
      const p = await startSagaService({ DATABASE_URL: db.url, FAKE_COUNTERPARTY_URL: fake.url, ...env });
      started.push(p);
      return p;
    };
    async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 45_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const v = await probe();
        if (v) return v;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}`);
    }
    const statusOf = async (id: string) => (await ds.query(`SELECT status FROM resolutions WHERE id = $1`, [id]))[0]?.status as string;

    it('resumes from the table in a new process, and every step takes effect once', async () => {
      // 1. The first process dies inside the ledger step, before its transaction commits.
      const first = await service({ DD_TEST_CRASH_IN_STEP: 'reserve-refund' });
      const admin = new HttpClient(first.baseUrl, { authorization: `Bearer ${ADMIN_TOKEN}` });
      const merchant = (await admin.post('/admin/merchants', merchantBody())).body;
      const key = (await admin.post(`/admin/merchants/${merchant.id}/api-keys`, { name: 'crash' })).body.key;
      const order = (await new HttpClient(first.baseUrl).withApiKey(key).post('/v1/orders', orderBody())).body;
      const id = await first.request({
        merchantId: merchant.id,
        orderId: order.id,
        kind: 'refund',
        amountMinor: 2500,
        currency: 'USD',
        idempotencyKey: `crash:${randomUUID()}`,
        // The carrier does the claim, then never answers the first call.
        plan: testPlan({ lossKey: lossKey.shipment(randomUUID()), carrier: { fault: 'hang-once' } }),
        requester: SYSTEM_ACTOR,
      });
      expect(await first.exited).toBe(70);
      expect(await statusOf(id)).toBe('running');
      expect((await stepRows(ds, id))[0]).toMatchObject({ key: 'reserve-refund', status: 'running', attempts: 1 });
      expect(await ledgerRows(ds, order.id)).toEqual([]);

      // 2. The second process takes the abandoned step over once its lease runs out, then is killed
      //    while the carrier call is in flight (the claim exists, the answer never came).
      const hung = fake.nextHang();
      const second = await service();
      await hung;
      expect(await second.kill('SIGKILL')).toBe(-1);
      expect((await stepRows(ds, id)).slice(0, 2).map((s) => [s.key, s.status, s.attempts])).toEqual([
        ['reserve-refund', 'done', 2],
        ['call-carrier', 'running', 1],
      ]);
      expect(await ledgerRows(ds, order.id)).toEqual([expect.objectContaining({ kind: 'refund', status: 'reserved', amount: 2500 })]);

      // 3. The third process calls the carrier again with the same key (the claim is replayed, not
      //    made twice), asks the platform for the refund, parks, and is killed while it waits.
      const third = await service();
      await until('the refund to wait for the platform', async () => (await statusOf(id)) === 'waiting');
      await third.kill('SIGKILL');

      // 4. The platform's confirmation reaches a fourth process, which finishes the resolution.
      const fourth = await service();
      expect(await fourth.signal(merchant.id, TEST_REFUND_WAIT, commandIdFor(`${id}:confirm-refund`), { ok: true, output: { refundId: 're_crash' } })).toEqual({
        status: 'accepted',
        resolutionIds: [id],
      });
      await until('the resolution to complete', async () => (await statusOf(id)) === 'completed');
      await fourth.kill('SIGTERM');

      expect((await stepRows(ds, id)).map((s) => [s.key, s.status, s.attempts])).toEqual([
        ['reserve-refund', 'done', 2],
        ['call-carrier', 'done', 2],
        ['confirm-refund', 'done', 1],
        ['record-refund', 'done', 1],
        ['notify', 'done', 1],
      ]);
      const claims = fake.callsOf('POST /carrier/claims').filter((c) => c.key === `${id}:call-carrier`);
      expect(claims.map((c) => c.status)).toEqual(['hung', 200]);
      for (const route of ['POST /carrier/claims', 'POST /platform/refunds', 'POST /notify']) {
        expect(fake.effectsOf(route).filter((e) => e.key.startsWith(id))).toHaveLength(1);
      }
      expect(await ledgerRows(ds, order.id)).toEqual([expect.objectContaining({ kind: 'refund', status: 'confirmed', amount: 2500, external_ref: 're_crash' })]);
    }, 180_000);
  });
});
