import { randomUUID } from 'node:crypto';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { LedgerService } from '../../apps/delivery-desk/src/resolutions/ledger/ledger.service';
import { lossKey } from '../../apps/delivery-desk/src/resolutions/ledger/loss-key';
import { ResolutionRequest, SagaRunner } from '../../apps/delivery-desk/src/resolutions/saga/saga-runner.service';
import { startTestApp, TestApp } from '../support/test-app';
import { commandIdFor, FakeCounterparty, startFakeCounterparty } from './support/fake-counterparty.server';
import { ledgerRows, merchantWithOrder, registerTestSaga, stepRows } from './support/resolution-fixtures';
import { SYSTEM_ACTOR, TEST_REFUND_WAIT, testPlan } from './support/test-saga';

describe(SagaRunner.name, () => {
  describe('under concurrency', () => {
    let t: TestApp;
    let fake: FakeCounterparty;
    let sut: SagaRunner;
    let jobs: JobQueue;
    beforeAll(async () => {
      fake = await startFakeCounterparty();
      t = await startTestApp();
      registerTestSaga(t, fake.url);
      sut = t.get(SagaRunner);
      jobs = t.get(JobQueue);
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    type Shop = Awaited<ReturnType<typeof merchantWithOrder>>;
    const refund = (m: Shop, idempotencyKey: string, loss: string): ResolutionRequest => ({
      merchantId: m.merchantId,
      orderId: m.orderId,
      kind: 'refund',
      amountMinor: 3000,
      currency: 'USD',
      idempotencyKey,
      plan: testPlan({ lossKey: loss }),
      requester: SYSTEM_ACTOR,
    });
    const ofResolution = (id: string) => (e: { key: string }) => e.key.startsWith(id);

    it('makes one refund of 20 concurrent identical requests', async () => {
      const m = await merchantWithOrder(t);
      const request = refund(m, `ticket:${randomUUID()}:refund`, lossKey.shipment(randomUUID()));
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => sut.requestResolution(structuredClone(request))));
      const ids = new Set(outcomes.map((o) => o.resolution.id));
      expect(ids.size).toBe(1);
      expect(outcomes.filter((o) => o.created)).toHaveLength(1);
      const [id] = ids;

      await jobs.drain();
      await Promise.all(Array.from({ length: 20 }, () => sut.signal(m.merchantId, TEST_REFUND_WAIT, commandIdFor(`${id}:confirm-refund`), { ok: true, output: { refundId: 're_once' } })));
      await jobs.drain();

      expect(await t.ds.query(`SELECT status FROM resolutions WHERE merchant_id = $1`, [m.merchantId])).toEqual([{ status: 'completed' }]);
      expect(await ledgerRows(t.ds, m.orderId)).toEqual([expect.objectContaining({ kind: 'refund', status: 'confirmed', amount: 3000, external_ref: 're_once' })]);
      for (const route of ['POST /carrier/claims', 'POST /platform/refunds', 'POST /notify']) {
        expect(fake.callsOf(route).filter(ofResolution(id))).toHaveLength(1);
      }
      const signals = await t.ds.query(`SELECT status, count(*)::int AS n FROM resolution_signals WHERE merchant_id = $1 GROUP BY status ORDER BY status`, [m.merchantId]);
      expect(signals).toEqual([
        { status: 'applied', n: 1 },
        { status: 'ignored', n: 19 },
      ]);
    });

    it('lets the ledger accept one of 20 concurrent refunds of one loss under different keys', async () => {
      const m = await merchantWithOrder(t);
      const loss = lossKey.shipment(randomUUID());
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => sut.requestResolution(refund(m, `agent-click:${i}:${randomUUID()}`, loss))));
      expect(new Set(outcomes.map((o) => o.resolution.id)).size).toBe(20);
      await jobs.drain();

      const rows: { id: string; status: string }[] = await t.ds.query(`SELECT id, status FROM resolutions WHERE merchant_id = $1`, [m.merchantId]);
      const winners = rows.filter((r) => r.status === 'waiting');
      expect(winners).toHaveLength(1);
      expect(rows.filter((r) => r.status === 'compensated')).toHaveLength(19);
      for (const loser of rows.filter((r) => r.status === 'compensated')) {
        const [first] = await stepRows(t.ds, loser.id);
        expect(first).toMatchObject({ key: 'reserve-refund', status: 'failed', last_error: expect.stringContaining('loss_already_compensated') });
      }
      expect(await ledgerRows(t.ds, m.orderId)).toEqual([expect.objectContaining({ kind: 'refund', status: 'reserved', amount: 3000 })]);
      expect(fake.callsOf('POST /carrier/claims').filter((c) => rows.some((r) => c.key.startsWith(r.id)))).toHaveLength(1);
      expect((await t.get(LedgerService).summary(m.merchantId, m.orderId)).reservedMinor).toBe(3000);
    });

    it('runs each step once however many workers push one resolution at the same time', async () => {
      const m = await merchantWithOrder(t);
      const { resolution } = await sut.requestResolution(refund(m, `push:${randomUUID()}`, lossKey.shipment(randomUUID())));
      for (let round = 0; round < 4; round++) await Promise.all(Array.from({ length: 10 }, () => sut.advance(m.merchantId, resolution.id)));
      await jobs.drain();
      expect((await sut.get(m.merchantId, resolution.id))!.resolution.status).toBe('waiting');
      expect((await stepRows(t.ds, resolution.id)).map((s) => [s.status, s.attempts])).toEqual([
        ['done', 1],
        ['done', 1],
        ['waiting', 1],
        ['pending', 0],
        ['pending', 0],
      ]);
      expect(fake.calls.filter(ofResolution(resolution.id)).map((c) => c.route)).toEqual(['POST /carrier/claims', 'POST /platform/refunds']);
      expect(await ledgerRows(t.ds, m.orderId)).toHaveLength(1);
    });
  });
});
