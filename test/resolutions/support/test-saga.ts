import { LedgerService } from '../../../apps/delivery-desk/src/resolutions/ledger/ledger.service';
import type { PlanItem } from '../../../apps/delivery-desk/src/resolutions/saga/resolution.entity';
import { SagaStep, TransientError, waitFor } from '../../../apps/delivery-desk/src/resolutions/saga/saga-step';
import type { ResolutionActor } from '../../../apps/delivery-desk/src/resolutions/saga/approval';

/** The wait kind of the refund the fake platform confirms later. */
export const TEST_REFUND_WAIT = 'test-platform-refund';

/** A local step's injected failure: `permanent`, or `transient:N` (the first N attempts fail). */
type LocalFault = 'permanent' | `transient:${number}`;

export interface TestPlanOptions {
  lossKey: string;
  reserve?: { fail?: LocalFault; compensateFail?: LocalFault };
  carrier?: { fault?: string; compensateFault?: string };
  refund?: { fault?: string; compensateFault?: string; timeoutSeconds?: number };
  record?: { fail?: LocalFault };
  notify?: { fault?: string };
}

/** The test saga's plan: reserve-refund → call-carrier → confirm-refund (waits) → record-refund → notify. */
export function testPlan(o: TestPlanOptions): PlanItem[] {
  return [
    { step: 'reserve-refund', input: { lossKey: o.lossKey, ...o.reserve } },
    { step: 'call-carrier', input: { ...o.carrier } },
    { step: 'confirm-refund', input: { ...o.refund } },
    { step: 'record-refund', input: { ...o.record } },
    { step: 'notify', input: { ...o.notify } },
  ];
}

export const SYSTEM_ACTOR: ResolutionActor = { id: 'system:test-playbook', role: 'system', approvalLimitMinor: 1_000_000 };

function injected(fault: LocalFault | undefined, attempt: number, what: string): void {
  if (!fault) return;
  if (fault === 'permanent') throw new Error(`injected permanent failure in ${what}`);
  if (attempt <= Number(fault.split(':')[1])) throw new TransientError(`injected transient failure in ${what} (attempt ${attempt})`);
}

/** A crash on purpose, for the process-kill test: the child process that runs the step dies in it. */
function crashHere(step: string): void {
  if (process.env.DD_TEST_CRASH_IN_STEP === step) process.exit(70);
}

async function call(base: string, path: string, key: string, fault: string | undefined, body: unknown, signal?: AbortSignal): Promise<Record<string, any>> {
  let res: Response;
  try {
    res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(fault ? { 'x-fake-fault': fault } : {}) },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(10_000)]) : AbortSignal.timeout(10_000),
    });
  } catch (e) {
    throw new TransientError(`network: ${(e as Error).message}`);
  }
  if (res.status >= 500 || res.status === 429) throw new TransientError(`${path} answered ${res.status}`);
  if (res.status >= 400) throw new Error(`${path} refused with ${res.status}`);
  return (await res.json()) as Record<string, any>;
}

/**
 * The test saga's steps, wired to the real ledger and to a fake counterparty over HTTP. Their
 * failures are asked for in the plan's inputs, so they survive a process restart.
 */
export function testSagaSteps(ledger: LedgerService, counterpartyUrl: string): SagaStep[] {
  return [
    {
      name: 'reserve-refund',
      mode: 'local',
      leaseSeconds: 2,
      async invoke({ em, resolution, input, step }) {
        const entry = await ledger.reserve(em, {
          merchantId: resolution.merchantId,
          orderId: resolution.orderId,
          resolutionId: resolution.id,
          kind: 'refund',
          lossKey: input.lossKey,
          amountMinor: resolution.amountMinor,
          currency: resolution.currency,
        });
        injected(input.fail, step.attempt, 'reserve-refund');
        crashHere('reserve-refund');
        return { entryId: entry.id };
      },
      async compensate({ em, resolution, input, output, step }) {
        injected(input.compensateFail, step.attempt, 'reserve-refund compensation');
        await ledger.undo(em, resolution.merchantId, output.entryId, 'resolution compensated');
      },
    },
    {
      name: 'call-carrier',
      mode: 'remote',
      leaseSeconds: 2,
      maxAttempts: 4,
      maxCompensationAttempts: 3,
      async invoke({ resolution, input, idempotencyKey, signal }) {
        const r = await call(counterpartyUrl, '/carrier/claims', idempotencyKey, input.fault, { orderId: resolution.orderId, amountMinor: resolution.amountMinor }, signal);
        return { claimId: r.claimId };
      },
      async compensate({ input, output, idempotencyKey, signal }) {
        await call(counterpartyUrl, `/carrier/claims/${output.claimId}/cancel`, idempotencyKey, input.compensateFault, {}, signal);
      },
    },
    {
      name: 'confirm-refund',
      mode: 'remote',
      async invoke({ resolution, input, idempotencyKey, signal }) {
        const r = await call(counterpartyUrl, '/platform/refunds', idempotencyKey, input.fault, { amountMinor: resolution.amountMinor }, signal);
        return waitFor({ kind: TEST_REFUND_WAIT, ref: r.commandId, timeoutSeconds: input.timeoutSeconds }, { commandId: r.commandId });
      },
      async compensate({ input, output, idempotencyKey, signal }) {
        await call(counterpartyUrl, `/platform/refunds/${output.commandId}/reverse`, idempotencyKey, input.compensateFault, {}, signal);
      },
    },
    {
      name: 'record-refund',
      mode: 'local',
      async invoke({ em, resolution, input, results, step }) {
        const { entryId } = results['reserve-refund'] as { entryId: string };
        const { refundId } = (results['confirm-refund'] ?? {}) as { refundId?: string };
        const entry = await ledger.confirm(em, resolution.merchantId, entryId, { externalRef: refundId ?? null });
        injected(input.fail, step.attempt, 'record-refund');
        return { confirmedMinor: entry.amountMinor };
      },
    },
    {
      // A local step that waits: its ledger write and its wait commit together.
      name: 'credit-and-wait',
      mode: 'local',
      async invoke({ em, resolution, input }) {
        const entry = await ledger.reserve(em, {
          merchantId: resolution.merchantId,
          orderId: resolution.orderId,
          resolutionId: resolution.id,
          kind: 'store_credit',
          lossKey: input.lossKey,
          amountMinor: resolution.amountMinor,
          currency: resolution.currency,
        });
        return waitFor({ kind: 'test-credit', ref: `credit:${resolution.id}` }, { entryId: entry.id });
      },
      async compensate({ em, resolution, output }) {
        await ledger.undo(em, resolution.merchantId, output.entryId, 'resolution compensated');
      },
    },
    {
      name: 'notify',
      mode: 'remote',
      async invoke({ input, idempotencyKey, signal }) {
        return call(counterpartyUrl, '/notify', idempotencyKey, input.fault, { template: 'refund_done' }, signal);
      },
    },
  ];
}
