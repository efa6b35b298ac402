import { randomUUID } from 'node:crypto';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { LedgerService } from '../../apps/delivery-desk/src/resolutions/ledger/ledger.service';
import { lossKey } from '../../apps/delivery-desk/src/resolutions/ledger/loss-key';
import { ResolutionRequest, SagaRunner } from '../../apps/delivery-desk/src/resolutions/saga/saga-runner.service';
import type { SignalOutcome } from '../../apps/delivery-desk/src/resolutions/saga/resolution-signal.entity';
import { startTestApp, TestApp } from '../support/test-app';
import { commandIdFor, FakeCounterparty, startFakeCounterparty } from './support/fake-counterparty.server';
import { createAgent, ledgerRows, merchantWithOrder, registerTestSaga, stepRows } from './support/resolution-fixtures';
import { SYSTEM_ACTOR, TEST_REFUND_WAIT, testPlan, TestPlanOptions } from './support/test-saga';

describe(SagaRunner.name, () => {
  let t: TestApp;
  let fake: FakeCounterparty;
  let sut: SagaRunner;
  let ledger: LedgerService;
  let jobs: JobQueue;
  beforeAll(async () => {
    fake = await startFakeCounterparty();
    t = await startTestApp();
    registerTestSaga(t, fake.url);
    sut = t.get(SagaRunner);
    ledger = t.get(LedgerService);
    jobs = t.get(JobQueue);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  type Shop = Awaited<ReturnType<typeof merchantWithOrder>>;

  function requestFor(m: Shop, plan: Omit<TestPlanOptions, 'lossKey'> = {}, overrides: Partial<ResolutionRequest> = {}): ResolutionRequest {
    return {
      merchantId: m.merchantId,
      orderId: m.orderId,
      kind: 'refund',
      amountMinor: 2000,
      currency: 'USD',
      idempotencyKey: `test:${randomUUID()}`,
      plan: testPlan({ lossKey: lossKey.lines(randomUUID(), 1), ...plan }),
      requester: SYSTEM_ACTOR,
      ...overrides,
    };
  }

  const refundRef = (resolutionId: string) => commandIdFor(`${resolutionId}:confirm-refund`);
  const confirm = (m: Shop, resolutionId: string, outcome: SignalOutcome = { ok: true, output: { refundId: `re_${resolutionId.slice(0, 8)}` } }) =>
    sut.signal(m.merchantId, TEST_REFUND_WAIT, refundRef(resolutionId), outcome);
  const statusOf = async (id: string) => (await t.ds.query(`SELECT status FROM resolutions WHERE id = $1`, [id]))[0].status as string;

  /** Runs the resolution until it waits or ends; confirms the refund when it waits on it. */
  async function runToEnd(m: Shop, id: string, outcome?: SignalOutcome) {
    await jobs.drain(60_000);
    if ((await statusOf(id)) === 'waiting') {
      expect(await confirm(m, id, outcome)).toEqual({ status: 'accepted', resolutionIds: [id] });
      await jobs.drain(60_000);
    }
    return (await sut.get(m.merchantId, id))!;
  }

  it('runs every step once, in order, parks on the platform confirmation and completes', async () => {
    const m = await merchantWithOrder(t);
    const { resolution, steps, created } = await sut.requestResolution(requestFor(m));
    expect(created).toBe(true);
    expect(resolution).toMatchObject({ status: 'approved', amountMinor: 2000, requestedBy: 'system:test-playbook', approvedBy: null });
    expect(steps.map((s) => [s.key, s.status, s.idempotencyKey])).toEqual(
      ['reserve-refund', 'call-carrier', 'confirm-refund', 'record-refund', 'notify'].map((k) => [k, 'pending', `${resolution.id}:${k}`]),
    );

    await jobs.drain();
    expect(await statusOf(resolution.id)).toBe('waiting');
    expect((await stepRows(t.ds, resolution.id)).map((s) => s.status)).toEqual(['done', 'done', 'waiting', 'pending', 'pending']);
    expect(await ledgerRows(t.ds, m.orderId)).toEqual([expect.objectContaining({ kind: 'refund', status: 'reserved', amount: 2000 })]);

    const done = await runToEnd(m, resolution.id);
    expect(done.resolution).toMatchObject({ status: 'completed', error: null, needsAttention: false });
    expect(done.resolution.version).toBeGreaterThan(resolution.version);
    const rows = await stepRows(t.ds, resolution.id);
    expect(rows.map((s) => [s.status, s.attempts])).toEqual(Array(5).fill(['done', 1]));
    expect(rows[2].output).toEqual({ commandId: refundRef(resolution.id), refundId: `re_${resolution.id.slice(0, 8)}` });
    for (const route of ['POST /carrier/claims', 'POST /platform/refunds', 'POST /notify']) {
      expect(fake.effectsOf(route).filter((e) => e.key.startsWith(resolution.id))).toHaveLength(1);
    }
    expect(await ledgerRows(t.ds, m.orderId)).toEqual([expect.objectContaining({ kind: 'refund', status: 'confirmed', amount: 2000, external_ref: `re_${resolution.id.slice(0, 8)}` })]);
    expect(await ledger.summary(m.merchantId, m.orderId)).toMatchObject({ refundedMinor: 2000, reservedMinor: 0, remainingRefundableMinor: m.totalMinor - 2000 });
  });

  describe('a permanent failure at each step compensates the steps before it, latest first', () => {
    it.each([
      ['reserve-refund', { reserve: { fail: 'permanent' } }, undefined, ['failed', 'skipped', 'skipped', 'skipped', 'skipped'], []],
      ['call-carrier', { carrier: { fault: '422' } }, undefined, ['compensated', 'failed', 'skipped', 'skipped', 'skipped'], [['refund', 'released']]],
      ['confirm-refund', {}, { ok: false, error: 'card expired', retryable: false }, ['compensated', 'compensated', 'failed', 'skipped', 'skipped'], [['refund', 'released']]],
      ['record-refund', { record: { fail: 'permanent' } }, undefined, ['compensated', 'compensated', 'compensated', 'failed', 'skipped'], [['refund', 'released']]],
      ['notify', { notify: { fault: '422' } }, undefined, ['compensated', 'compensated', 'compensated', 'done', 'failed'], [['refund', 'reversed'], ['refund_reversal', 'confirmed']]],
    ] as [string, Omit<TestPlanOptions, 'lossKey'>, SignalOutcome | undefined, string[], string[][]][])('at %s', async (failing, faults, signal, statuses, entries) => {
      const m = await merchantWithOrder(t);
      const { resolution } = await sut.requestResolution(requestFor(m, faults));
      const end = await runToEnd(m, resolution.id, signal);

      expect(end.resolution).toMatchObject({ status: 'compensated', needsAttention: false });
      expect(end.resolution.error).toContain(`${failing}:`);
      expect(end.resolution.finishedAt).not.toBeNull();
      const rows = await stepRows(t.ds, resolution.id);
      expect(rows.map((s) => s.status)).toEqual(statuses);
      expect(rows.find((s) => s.key === failing)!.last_error).toBeTruthy();
      // Undone latest first: compensation times fall as positions rise.
      const undone = rows.filter((s) => s.status === 'compensated');
      for (let i = 1; i < undone.length; i++) expect(undone[i - 1].compensated_at!.getTime()).toBeGreaterThanOrEqual(undone[i].compensated_at!.getTime());
      const order = fake.calls.filter((c) => c.key.startsWith(resolution.id) && c.key.endsWith(':compensate')).map((c) => c.route);
      expect(order).toEqual(
        (['confirm-refund', 'call-carrier'] as const)
          .filter((k) => statuses[['reserve-refund', 'call-carrier', 'confirm-refund'].indexOf(k)] === 'compensated')
          .map((k) => (k === 'confirm-refund' ? 'POST /platform/refunds/:id/reverse' : 'POST /carrier/claims/:id/cancel')),
      );
      expect((await ledgerRows(t.ds, m.orderId)).map((e) => [e.kind, e.status])).toEqual(entries);
      expect(await ledger.summary(m.merchantId, m.orderId)).toMatchObject({ refundedMinor: 0, reservedMinor: 0, remainingRefundableMinor: m.totalMinor });
      expect(fake.effectsOf('POST /notify').filter((e) => e.key.startsWith(resolution.id))).toHaveLength(0);
    });
  });

  it('retries transient failures with growing delays, records the attempts, and then succeeds', async () => {
    const m = await merchantWithOrder(t);
    const { resolution } = await sut.requestResolution(requestFor(m, { carrier: { fault: '503x2' }, record: { fail: 'transient:2' } }));
    const end = await runToEnd(m, resolution.id);

    expect(end.resolution.status).toBe('completed');
    const rows = await stepRows(t.ds, resolution.id);
    expect(rows.map((s) => [s.key, s.status, s.attempts])).toEqual([
      ['reserve-refund', 'done', 1],
      ['call-carrier', 'done', 3],
      ['confirm-refund', 'done', 1],
      ['record-refund', 'done', 3],
      ['notify', 'done', 1],
    ]);
    expect(rows[1].last_error).toContain('/carrier/claims answered 503');
    const claims = fake.callsOf('POST /carrier/claims').filter((c) => c.key === `${resolution.id}:call-carrier`);
    expect(claims.map((c) => c.status)).toEqual([503, 503, 200]);
    expect(fake.effectsOf('POST /carrier/claims').filter((e) => e.key === `${resolution.id}:call-carrier`)).toHaveLength(1);
    // The queue's exponential backoff: about 1-2 s, then 2-4 s (JOBS_RETRY_DELAY_SECONDS=1).
    expect(claims[1].at - claims[0].at).toBeGreaterThanOrEqual(900);
    expect(claims[2].at - claims[1].at).toBeGreaterThanOrEqual(1900);
    expect(await ledgerRows(t.ds, m.orderId)).toEqual([expect.objectContaining({ status: 'confirmed' })]);
  }, 90_000);

  it('takes a transient failure that outlasts the step’s attempts as permanent, and compensates', async () => {
    const m = await merchantWithOrder(t);
    const { resolution } = await sut.requestResolution(requestFor(m, { carrier: { fault: '503x99' } }));
    const end = await runToEnd(m, resolution.id);
    expect(end.resolution.status).toBe('compensated');
    expect(end.resolution.error).toMatch(/^call-carrier: gave up after 4 attempts: TransientError/);
    expect((await stepRows(t.ds, resolution.id)).map((s) => [s.status, s.attempts])).toEqual([
      ['compensated', 1],
      ['failed', 4],
      ['skipped', 0],
      ['skipped', 0],
      ['skipped', 0],
    ]);
    expect(await ledgerRows(t.ds, m.orderId)).toEqual([expect.objectContaining({ status: 'released' })]);
  }, 90_000);

  it('retries a compensation that fails transiently', async () => {
    const m = await merchantWithOrder(t);
    const { resolution } = await sut.requestResolution(requestFor(m, { carrier: { compensateFault: '503x1' }, notify: { fault: '422' } }));
    const end = await runToEnd(m, resolution.id);
    expect(end.resolution.status).toBe('compensated');
    const carrier = (await stepRows(t.ds, resolution.id))[1];
    expect(carrier).toMatchObject({ status: 'compensated', compensation_attempts: 2 });
    expect(fake.effectsOf('POST /carrier/claims/:id/cancel').filter((e) => e.key.startsWith(resolution.id))).toHaveLength(1);
  }, 60_000);

  it('hands a resolution whose compensation fails for good to a person, and compensates once asked to retry', async () => {
    const m = await merchantWithOrder(t);
    const { resolution } = await sut.requestResolution(requestFor(m, { carrier: { compensateFault: '422' }, notify: { fault: '422' } }));
    const end = await runToEnd(m, resolution.id);
    expect(end.resolution).toMatchObject({ status: 'failed', needsAttention: true });
    expect(end.resolution.error).toMatch(/^compensating call-carrier failed: Error: \/carrier\/claims\/clm_\w+\/cancel refused with 422/);
    expect((await stepRows(t.ds, resolution.id)).map((s) => s.status)).toEqual(['done', 'compensating', 'compensated', 'done', 'failed']);
    // Money is still out: the refund stands until a person acts.
    expect(await ledgerRows(t.ds, m.orderId)).toEqual([expect.objectContaining({ status: 'confirmed' })]);
    expect((await sut.needingAttention(m.merchantId)).map((r) => r.id)).toEqual([resolution.id]);

    fake.faultsEnabled = false;
    try {
      await sut.retryCompensation(m.merchantId, resolution.id);
      await jobs.drain();
    } finally {
      fake.faultsEnabled = true;
    }
    expect((await sut.get(m.merchantId, resolution.id))!.resolution).toMatchObject({ status: 'compensated', needsAttention: false });
    expect((await stepRows(t.ds, resolution.id)).map((s) => s.status)).toEqual(['compensated', 'compensated', 'compensated', 'done', 'failed']);
    expect(await ledger.summary(m.merchantId, m.orderId)).toMatchObject({ refundedMinor: 0, reservedMinor: 0 });
    expect(await sut.needingAttention(m.merchantId)).toEqual([]);
  }, 60_000);

  it('invokes a step again after a retryable failure signal, with the same idempotency key', async () => {
    const m = await merchantWithOrder(t);
    const { resolution } = await sut.requestResolution(requestFor(m));
    await jobs.drain();
    expect(await confirm(m, resolution.id, { ok: false, error: 'platform busy', retryable: true })).toMatchObject({ status: 'accepted' });
    const end = await runToEnd(m, resolution.id);
    expect(end.resolution.status).toBe('completed');
    expect((await stepRows(t.ds, resolution.id))[2]).toMatchObject({ status: 'done', attempts: 2, last_error: 'platform busy' });
    expect(fake.callsOf('POST /platform/refunds').filter((c) => c.key === `${resolution.id}:confirm-refund`)).toHaveLength(2);
    expect(fake.effectsOf('POST /platform/refunds').filter((e) => e.key === `${resolution.id}:confirm-refund`)).toHaveLength(1);
  }, 60_000);

  it('keeps a confirmation that arrives before the step waits, and applies it when the step parks', async () => {
    const m = await merchantWithOrder(t);
    const agent = await createAgent(t, m.merchantId, 'agent', 0);
    const supervisor = await createAgent(t, m.merchantId, 'supervisor', 1_000_000);
    const { resolution } = await sut.requestResolution(requestFor(m, {}, { requester: agent }));
    expect(resolution.status).toBe('pending_approval');
    expect(await confirm(m, resolution.id)).toEqual({ status: 'stored' });

    await sut.approve(m.merchantId, resolution.id, supervisor);
    await jobs.drain();
    expect((await sut.get(m.merchantId, resolution.id))!.resolution.status).toBe('completed');
    const signals = await t.ds.query(`SELECT status, resolution_id FROM resolution_signals WHERE merchant_id = $1`, [m.merchantId]);
    expect(signals).toEqual([{ status: 'applied', resolution_id: resolution.id }]);

    expect(await confirm(m, resolution.id)).toEqual({ status: 'ignored' });
    expect(await sut.signal(m.merchantId, TEST_REFUND_WAIT, 'cmd_nobody_waits', { ok: true })).toEqual({ status: 'stored' });
    expect((await stepRows(t.ds, resolution.id))[2].attempts).toBe(1);
  });

  it('lets a local step wait: its write and its wait commit together', async () => {
    const m = await merchantWithOrder(t);
    const loss = lossKey.shipment(randomUUID());
    const { resolution } = await sut.requestResolution(requestFor(m, {}, { plan: [{ step: 'credit-and-wait', input: { lossKey: loss } }, { step: 'notify', input: { fault: '422' } }] }));
    await jobs.drain();
    expect(await statusOf(resolution.id)).toBe('waiting');
    expect(await ledgerRows(t.ds, m.orderId)).toEqual([expect.objectContaining({ kind: 'store_credit', status: 'reserved', loss_key: loss })]);
    expect(await sut.signal(m.merchantId, 'test-credit', `credit:${resolution.id}`, { ok: true, output: { creditId: 'sc_1' } })).toEqual({ status: 'accepted', resolutionIds: [resolution.id] });
    await jobs.drain();
    // notify is refused for good: the credit step is undone.
    expect(await statusOf(resolution.id)).toBe('compensated');
    expect((await stepRows(t.ds, resolution.id)).map((s) => [s.status, s.output])).toEqual([
      ['compensated', { entryId: expect.any(String), creditId: 'sc_1' }],
      ['failed', null],
    ]);
    expect(await ledgerRows(t.ds, m.orderId)).toEqual([expect.objectContaining({ kind: 'store_credit', status: 'released' })]);
  });

  it('undoes what a local step wrote before parking when its wait fails for good', async () => {
    const m = await merchantWithOrder(t);
    const { resolution } = await sut.requestResolution(requestFor(m, {}, { plan: [{ step: 'credit-and-wait', input: { lossKey: lossKey.shipment(randomUUID()) } }, { step: 'notify' }] }));
    await jobs.drain();
    await sut.signal(m.merchantId, 'test-credit', `credit:${resolution.id}`, { ok: false, error: 'store credit disabled on this shop' });
    await jobs.drain();
    expect((await sut.get(m.merchantId, resolution.id))!.resolution).toMatchObject({ status: 'compensated', error: 'credit-and-wait: store credit disabled on this shop' });
    expect((await stepRows(t.ds, resolution.id)).map((s) => [s.status, s.last_error])).toEqual([
      ['compensated', 'store credit disabled on this shop'],
      ['skipped', null],
    ]);
    expect(await ledgerRows(t.ds, m.orderId)).toEqual([expect.objectContaining({ kind: 'store_credit', status: 'released' })]);
  });

  it('fails a wait that outlives its timeout and compensates', async () => {
    const m = await merchantWithOrder(t);
    const { resolution } = await sut.requestResolution(requestFor(m, { refund: { timeoutSeconds: 1 } }));
    await jobs.drain();
    expect(await statusOf(resolution.id)).toBe('waiting');
    expect((await sut.sweep()).timedOut).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await sut.sweep()).timedOut).toBe(1);
    await jobs.drain();
    expect(await statusOf(resolution.id)).toBe('compensated');
    expect((await stepRows(t.ds, resolution.id))[2]).toMatchObject({ status: 'failed', last_error: expect.stringContaining(`no ${TEST_REFUND_WAIT} signal for`) });
  });

  it('re-queues a running resolution whose job was lost', async () => {
    const m = await merchantWithOrder(t);
    const agent = await createAgent(t, m.merchantId, 'agent', 0);
    const { resolution } = await sut.requestResolution(requestFor(m, {}, { requester: agent }));
    // Approved with no job: what a lost job looks like.
    await t.ds.query(`UPDATE resolutions SET status = 'approved' WHERE id = $1`, [resolution.id]);
    const { requeued } = await sut.sweep();
    expect(requeued).toBeGreaterThanOrEqual(1);
    await jobs.drain();
    expect(await statusOf(resolution.id)).toBe('waiting');
  });

  it('returns the same resolution for the same key and request, and refuses the key for another request', async () => {
    const m = await merchantWithOrder(t);
    const request = requestFor(m);
    const first = await sut.requestResolution(request);
    const again = await sut.requestResolution({ ...request, plan: JSON.parse(JSON.stringify(request.plan)) });
    expect(again).toMatchObject({ created: false, resolution: { id: first.resolution.id } });
    await expect(sut.requestResolution({ ...request, amountMinor: 2001 })).rejects.toMatchObject({ status: 422, code: 'idempotency_key_reused' });
  });

  it('refuses unknown steps, repeated keys, foreign orders and another currency', async () => {
    const m = await merchantWithOrder(t);
    const other = await merchantWithOrder(t);
    await expect(sut.requestResolution(requestFor(m, {}, { plan: [{ step: 'teleport' }] }))).rejects.toMatchObject({
      status: 400,
      code: 'validation_failed',
      fields: [{ path: 'plan[0].step', problem: 'is not a registered step' }],
    });
    await expect(sut.requestResolution(requestFor(m, {}, { plan: [{ step: 'notify' }, { step: 'notify' }] }))).rejects.toMatchObject({
      fields: [{ path: 'plan[1].key', problem: expect.stringContaining('repeats notify') }],
    });
    await expect(sut.requestResolution(requestFor(m, {}, { orderId: other.orderId }))).rejects.toMatchObject({ status: 422, code: 'order_not_found' });
    await expect(sut.requestResolution(requestFor(m, {}, { currency: 'JPY' }))).rejects.toMatchObject({ status: 422, code: 'currency_mismatch' });
    expect(await t.ds.query(`SELECT id FROM resolutions WHERE merchant_id = $1`, [m.merchantId])).toEqual([]);
  });

  it('exists only if the caller’s transaction commits, its job included', async () => {
    const m = await merchantWithOrder(t);
    const request = requestFor(m);
    let id = '';
    await expect(
      t.ds.transaction(async (em) => {
        id = (await sut.requestResolution(request, em)).resolution.id;
        throw new Error('the playbook changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(id).not.toBe('');
    expect(await sut.get(m.merchantId, id)).toBeNull();
    expect((await jobs.jobs<{ resolutionId: string }>('resolution-step')).filter((j) => j.data.resolutionId === id)).toEqual([]);
  });
});
