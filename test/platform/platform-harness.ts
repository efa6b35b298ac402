import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import type { PlatformCommandEntity } from '../../apps/delivery-desk/src/platform/platform-command.entity';
import { IssueCommandInput, PlatformCommandsService } from '../../apps/delivery-desk/src/platform/platform-commands.service';
import { PlatformDeliveryOptions } from '../../apps/delivery-desk/src/platform/platform-delivery.options';
import { PlatformDeliveryService } from '../../apps/delivery-desk/src/platform/platform-delivery.service';
import { FakePlatform, startFakePlatform } from '../fakes/platform/fake-platform.server';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

export const PLATFORM_SECRET = 'fake-platform-signing-secret-0123456789';

/** The app on its own database, a fake platform, and the pieces the tests drive. */
export interface PlatformWorld {
  t: TestApp;
  fake: FakePlatform;
  jobs: JobQueue;
  commands: PlatformCommandsService;
  delivery: PlatformDeliveryService;
  options: PlatformDeliveryOptions;
  /** The options as the app started, to restore after a test changes them. */
  defaults: PlatformDeliveryOptions;
  close(): Promise<void>;
}

export async function startPlatformWorld(): Promise<PlatformWorld> {
  const fake = await startFakePlatform({ secret: PLATFORM_SECRET });
  const t = await startTestApp();
  const options = t.get(PlatformDeliveryOptions);
  // Fast retries so a run of failures takes seconds, not minutes.
  Object.assign(options, { baseDelayMs: 200, timeoutMs: 800 });
  const defaults = structuredClone({ ...options }) as PlatformDeliveryOptions;
  return {
    t,
    fake,
    jobs: t.get(JobQueue),
    commands: t.get(PlatformCommandsService),
    delivery: t.get(PlatformDeliveryService),
    options,
    defaults,
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

/** Puts back the options a test changed, and forgets faults it left. */
export function resetWorld(w: PlatformWorld): void {
  Object.assign(w.options, structuredClone({ ...w.defaults }));
  w.fake.clearFaults();
  w.fake.autoRespond(null);
}

export type Shop = Awaited<ReturnType<typeof shopOnFake>>;

/** A merchant connected to the fake platform (or not), with one order. */
export async function shopOnFake(w: PlatformWorld, opts: { connected?: boolean } = {}) {
  const connected = opts.connected ?? true;
  const m = await createMerchant(w.t, connected ? { platformWebhookUrl: w.fake.url, platformWebhookSecret: PLATFORM_SECRET } : {});
  const res = await m.api.post('/v1/orders', orderBody());
  if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...m, order: res.body as { id: string; externalId: string; totalMinor: number; currency: string; lines: { id: string; externalId: string; sku: string; quantity: number }[] } };
}

let keySeq = 0;

/** Issues a command the way a saga step does: in a transaction of its own. Defaults to a 2500 refund. */
export function issue(w: PlatformWorld, shop: Shop, input: Partial<IssueCommandInput> = {}): Promise<PlatformCommandEntity> {
  return w.t.ds.transaction((em) =>
    w.commands.issue(em, {
      merchantId: shop.merchant.id,
      orderId: shop.order.id,
      kind: 'refund',
      payload: { amountMinor: 2500, currency: shop.order.currency, reason: 'lost_in_transit', note: 'Carrier lost the parcel' },
      idempotencyKey: `test-${process.pid}-${++keySeq}`,
      ...input,
    }),
  );
}

/**
 * Waits for every delivery and retry due within 10 s: the retries these tests cause are due within
 * seconds, and a job due later (another module's timer) should not hold them up.
 */
export function settle(w: PlatformWorld): Promise<void> {
  return w.jobs.drain(60_000, 10_000);
}

/** The command as the database holds it now. */
export async function reload(w: PlatformWorld, c: PlatformCommandEntity): Promise<PlatformCommandEntity> {
  return w.commands.get(c.merchantId, c.id);
}

export async function deliveryRows(w: PlatformWorld, c: PlatformCommandEntity) {
  return w.commands.deliveries(c.merchantId, c.id);
}

export async function historyTypes(w: PlatformWorld, c: PlatformCommandEntity): Promise<string[]> {
  return (await w.commands.history(c.merchantId, c.id)).map((e) => e.type);
}
