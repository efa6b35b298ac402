import { DataSource } from 'typeorm';
import { LedgerService } from '../../../apps/delivery-desk/src/resolutions/ledger/ledger.service';
import { StepRegistry } from '../../../apps/delivery-desk/src/resolutions/saga/step-registry.service';
import { createMerchant, orderBody } from '../../support/factories';
import type { TestApp } from '../../support/test-app';
import { testSagaSteps } from './test-saga';

/** Registers the test saga's steps in a running app (once). */
export function registerTestSaga(t: TestApp, counterpartyUrl: string): void {
  const registry = t.get(StepRegistry);
  if (!registry.has('reserve-refund')) registry.register(...testSagaSteps(t.get(LedgerService), counterpartyUrl));
}

/** A merchant with one order (total 8360 USD cents), through the platform API. */
export async function merchantWithOrder(t: TestApp, overrides: Record<string, unknown> = {}) {
  const m = await createMerchant(t);
  const body = orderBody(overrides);
  const res = await m.api.post('/v1/orders', body);
  if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...m, merchantId: m.merchant.id as string, orderId: res.body.id as string, totalMinor: body.totalMinor as number, order: res.body };
}

/** Another order of the same merchant. */
export async function anotherOrder(m: Awaited<ReturnType<typeof merchantWithOrder>>, overrides: Record<string, unknown> = {}) {
  const body = orderBody(overrides);
  const res = await m.api.post('/v1/orders', body);
  if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
  return { orderId: res.body.id as string, totalMinor: body.totalMinor as number };
}

/** An agent through the admin API; returns what `requestResolution` and `approve` take. */
export async function createAgent(t: TestApp, merchantId: string, role: 'agent' | 'supervisor' | 'admin', approvalLimitMinor: number) {
  const res = await t.admin.post(`/admin/merchants/${merchantId}/agents`, {
    email: `${role}-${Math.random().toString(36).slice(2, 10)}@shop.example`,
    name: `${role} ${approvalLimitMinor}`,
    role,
    password: 'correct horse battery',
    approvalLimitMinor,
  });
  if (res.status !== 201) throw new Error(`agent: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, role, approvalLimitMinor };
}

/** Steps of a resolution as the database holds them, in plan order. */
export async function stepRows(ds: DataSource, resolutionId: string) {
  return ds.query(
    `SELECT key, status, attempts, compensation_attempts, last_error, output, compensated_at, idempotency_key FROM resolution_steps WHERE resolution_id = $1 ORDER BY position`,
    [resolutionId],
  ) as Promise<{ key: string; status: string; attempts: number; compensation_attempts: number; last_error: string | null; output: any; compensated_at: Date | null; idempotency_key: string }[]>;
}

export async function ledgerRows(ds: DataSource, orderId: string) {
  return ds.query(`SELECT kind, status, amount_minor::int AS amount, loss_key, reverses_entry_id, external_ref FROM ledger_entries WHERE order_id = $1 ORDER BY created_at, kind`, [orderId]) as Promise<
    { kind: string; status: string; amount: number; loss_key: string; reverses_entry_id: string | null; external_ref: string | null }[]
  >;
}
