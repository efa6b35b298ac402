import { randomUUID } from 'node:crypto';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { lossKey } from '../../apps/delivery-desk/src/resolutions/ledger/loss-key';
import type { ResolutionActor } from '../../apps/delivery-desk/src/resolutions/saga/approval';
import { ResolutionRequest, SagaRunner } from '../../apps/delivery-desk/src/resolutions/saga/saga-runner.service';
import { startTestApp, TestApp } from '../support/test-app';
import { FakeCounterparty, startFakeCounterparty } from './support/fake-counterparty.server';
import { createAgent, ledgerRows, merchantWithOrder, registerTestSaga, stepRows } from './support/resolution-fixtures';
import { testPlan } from './support/test-saga';

describe(SagaRunner.name, () => {
  describe('approval', () => {
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

    /** A shop with an agent (limit 1000), two supervisors (1000 and 50 000) and an admin (50 000). */
    async function shop() {
      const m = await merchantWithOrder(t);
      return {
        ...m,
        agent: await createAgent(t, m.merchantId, 'agent', 1000),
        lowSupervisor: await createAgent(t, m.merchantId, 'supervisor', 1000),
        supervisor: await createAgent(t, m.merchantId, 'supervisor', 50_000),
        admin: await createAgent(t, m.merchantId, 'admin', 50_000),
      };
    }
    type Shop = Awaited<ReturnType<typeof shop>>;

    const request = (m: Shop, requester: ResolutionActor, amountMinor: number): ResolutionRequest => ({
      merchantId: m.merchantId,
      orderId: m.orderId,
      kind: 'refund',
      amountMinor,
      currency: 'USD',
      idempotencyKey: `approval:${randomUUID()}`,
      plan: testPlan({ lossKey: lossKey.lines(randomUUID(), 1) }),
      requester,
    });
    const statusOf = async (m: Shop, id: string) => (await sut.get(m.merchantId, id))!.resolution.status;

    it('runs at once within the requester’s limit, the limit itself included', async () => {
      const m = await shop();
      const { resolution } = await sut.requestResolution(request(m, m.agent, 1000));
      expect(resolution).toMatchObject({ status: 'approved', approvedBy: null, requestedBy: m.agent.id });
      await jobs.drain();
      expect(await statusOf(m, resolution.id)).toBe('waiting');
    });

    it('waits above the limit, runs nothing, and runs once a supervisor approves', async () => {
      const m = await shop();
      const { resolution } = await sut.requestResolution(request(m, m.agent, 1001));
      expect(resolution.status).toBe('pending_approval');
      await jobs.drain();
      expect((await stepRows(t.ds, resolution.id)).map((s) => [s.status, s.attempts])).toEqual(Array(5).fill(['pending', 0]));
      expect(await ledgerRows(t.ds, m.orderId)).toEqual([]);
      expect(fake.calls.filter((c) => c.key.startsWith(resolution.id))).toEqual([]);

      const approved = await sut.approve(m.merchantId, resolution.id, m.supervisor, { note: 'long-standing customer' });
      expect(approved.resolution).toMatchObject({ status: 'approved', approvedBy: m.supervisor.id, decisionNote: 'long-standing customer' });
      expect(approved.resolution.decidedAt).toBeInstanceOf(Date);
      await jobs.drain();
      expect(await statusOf(m, resolution.id)).toBe('waiting');
      expect(await ledgerRows(t.ds, m.orderId)).toEqual([expect.objectContaining({ status: 'reserved', amount: 1001 })]);
    });

    it('never lets the requester approve their own request, even a supervisor whose limit was raised since', async () => {
      const m = await shop();
      const { resolution } = await sut.requestResolution(request(m, m.lowSupervisor, 5000));
      expect(resolution.status).toBe('pending_approval');
      expect((await t.admin.request('PATCH', `/admin/merchants/${m.merchantId}/agents/${m.lowSupervisor.id}`, { approvalLimitMinor: 1_000_000 })).status).toBe(200);
      await expect(sut.approve(m.merchantId, resolution.id, m.lowSupervisor)).rejects.toMatchObject({ status: 403, code: 'approver_is_requester' });
      await expect(sut.reject(m.merchantId, resolution.id, m.lowSupervisor)).rejects.toMatchObject({ status: 403, code: 'approver_is_requester' });
      expect(await statusOf(m, resolution.id)).toBe('pending_approval');
      await sut.approve(m.merchantId, resolution.id, m.admin);
      expect(await statusOf(m, resolution.id)).toBe('approved');
    });

    it('refuses a supervisor below the amount and a plain agent, whatever limit they claim', async () => {
      const m = await shop();
      const { resolution } = await sut.requestResolution(request(m, m.agent, 5000));
      await expect(sut.approve(m.merchantId, resolution.id, m.lowSupervisor)).rejects.toMatchObject({ status: 403, code: 'approval_limit_exceeded' });
      // The database, not the caller, says what an agent may do.
      await expect(sut.approve(m.merchantId, resolution.id, { ...m.lowSupervisor, approvalLimitMinor: 1_000_000 })).rejects.toMatchObject({ code: 'approval_limit_exceeded' });
      const anotherAgent = await createAgent(t, m.merchantId, 'agent', 1_000_000);
      await expect(sut.approve(m.merchantId, resolution.id, anotherAgent)).rejects.toMatchObject({ status: 403, code: 'approver_not_supervisor' });
      await expect(sut.approve(m.merchantId, resolution.id, { ...m.agent, role: 'admin' })).rejects.toMatchObject({ status: 403, code: 'approver_not_supervisor' });
      await expect(sut.approve(m.merchantId, resolution.id, { id: 'system:auto-approver', role: 'system', approvalLimitMinor: 1e9 })).rejects.toMatchObject({
        status: 403,
        code: 'approver_not_supervisor',
      });
      await expect(sut.approve(m.merchantId, resolution.id, { ...m.supervisor, id: randomUUID() })).rejects.toMatchObject({ status: 403, code: 'agent_unknown' });
      expect(await statusOf(m, resolution.id)).toBe('pending_approval');
    });

    it('refuses a deactivated supervisor, and agents of another merchant', async () => {
      const m = await shop();
      const other = await shop();
      const { resolution } = await sut.requestResolution(request(m, m.agent, 5000));
      await t.admin.request('PATCH', `/admin/merchants/${m.merchantId}/agents/${m.supervisor.id}`, { active: false });
      await expect(sut.approve(m.merchantId, resolution.id, m.supervisor)).rejects.toMatchObject({ status: 403, code: 'agent_inactive' });
      await expect(sut.approve(m.merchantId, resolution.id, other.supervisor)).rejects.toMatchObject({ status: 403, code: 'agent_unknown' });
      await expect(sut.approve(other.merchantId, resolution.id, other.supervisor)).rejects.toMatchObject({ status: 404, code: 'not_found' });
    });

    it('takes the limit from the database: an agent whose limit was lowered waits for approval', async () => {
      const m = await shop();
      await t.admin.request('PATCH', `/admin/merchants/${m.merchantId}/agents/${m.agent.id}`, { approvalLimitMinor: 0 });
      const { resolution } = await sut.requestResolution(request(m, m.agent, 500));
      expect(resolution.status).toBe('pending_approval');
    });

    it('rejects: nothing runs, and the decision is final', async () => {
      const m = await shop();
      const { resolution } = await sut.requestResolution(request(m, m.agent, 5000));
      const rejected = await sut.reject(m.merchantId, resolution.id, m.lowSupervisor, { note: 'serial claimer' });
      expect(rejected.resolution).toMatchObject({ status: 'rejected', approvedBy: m.lowSupervisor.id, decisionNote: 'serial claimer' });
      expect(rejected.steps.map((s) => s.status)).toEqual(Array(5).fill('skipped'));
      await expect(sut.approve(m.merchantId, resolution.id, m.supervisor)).rejects.toMatchObject({ status: 409, code: 'resolution_not_pending' });
      await jobs.drain();
      expect(fake.calls.filter((c) => c.key.startsWith(resolution.id))).toEqual([]);
    });

    it('refuses an approval made on a stale view', async () => {
      const m = await shop();
      const { resolution } = await sut.requestResolution(request(m, m.agent, 5000));
      await expect(sut.approve(m.merchantId, resolution.id, m.supervisor, { version: resolution.version + 1 })).rejects.toMatchObject({ status: 409, code: 'resolution_version_conflict' });
      await sut.approve(m.merchantId, resolution.id, m.supervisor, { version: resolution.version });
      expect(await statusOf(m, resolution.id)).toBe('approved');
    });
  });
});
