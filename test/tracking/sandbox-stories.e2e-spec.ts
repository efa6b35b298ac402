import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { SignalsService } from '../../apps/delivery-desk/src/tracking/signals.service';
import { TrackingService } from '../../apps/delivery-desk/src/tracking/tracking.service';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const H = 3_600_000;

describe('Sandbox stories played through the service', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('delivers, returns, damages and stalls parcels over time, raising and clearing signals', async () => {
    const { api, merchant } = await createMerchant(t);
    const codes = { ok: 'SBX-OK-1', dnr: 'SBX-DNR-1', addr: 'SBX-ADDR-1', damaged: 'SBX-DAMAGED-1', stall: 'SBX-STALL-1' };
    for (const code of Object.values(codes)) {
      const order = orderBody();
      await api.post('/v1/orders', order);
      expect((await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'sandbox', trackingCode: code })).status).toBe(201);
    }
    const jobs = t.get(JobQueue);
    const tracking = t.get(TrackingService);
    const signals = t.get(SignalsService);
    await jobs.drain();

    const seen: Record<string, Set<string>> = Object.fromEntries(Object.values(codes).map((c) => [c, new Set<string>()]));
    const signalsSeen: Record<string, Set<string>> = Object.fromEntries(Object.values(codes).map((c) => [c, new Set<string>()]));
    // Twelve days in three-hour steps: the refresh sweep and the attention sweep run as their schedules would.
    for (let hour = 0; hour < 12 * 24; hour += 3) {
      clock.advance(3 * H);
      await tracking.sweepDue();
      await jobs.drain();
      await signals.sweep(clock.now());
      const rows = await t.ds.query(`SELECT tracking_code, status FROM shipments WHERE merchant_id = $1`, [merchant.id]);
      for (const r of rows) seen[r.tracking_code].add(r.status);
      const open = await t.ds.query(
        `SELECT s.tracking_code, g.kind FROM shipment_signals g JOIN shipments s ON s.id = g.shipment_id WHERE g.merchant_id = $1 AND g.resolved_at IS NULL`,
        [merchant.id],
      );
      for (const r of open) signalsSeen[r.tracking_code].add(r.kind);
    }

    const final = Object.fromEntries(
      (await t.ds.query(`SELECT tracking_code, status, exception_reason FROM shipments WHERE merchant_id = $1`, [merchant.id])).map((r: any) => [r.tracking_code, r]),
    );
    const openNow = await t.ds.query(
      `SELECT s.tracking_code, g.kind, g.resolution FROM shipment_signals g JOIN shipments s ON s.id = g.shipment_id WHERE g.merchant_id = $1 ORDER BY g.opened_at`,
      [merchant.id],
    );
    const signalsOf = (code: string) => openNow.filter((r: any) => r.tracking_code === code).map((r: any) => `${r.kind}:${r.resolution ?? 'open'}`);

    expect(final[codes.ok].status).toBe('delivered');
    expect(signalsOf(codes.ok)).toEqual([]);

    expect(final[codes.dnr].status).toBe('delivered');

    expect([...seen[codes.addr]]).toEqual(expect.arrayContaining(['exception', 'return_to_sender']));
    expect(final[codes.addr].status).toBe('return_to_sender');
    // Held at a location is still the address problem; waiting there makes it late too; the return supersedes both.
    expect(signalsOf(codes.addr)).toEqual(['exception:returning_to_sender', 'late:returning_to_sender', 'return_to_sender:open']);

    expect(seen[codes.damaged].has('exception')).toBe(true);
    expect(final[codes.damaged].status).toBe('delivered');
    // Rewrapped and moving again clears the damage exception before delivery.
    expect(signalsOf(codes.damaged)).toEqual(['exception:moving_again']);

    expect(final[codes.stall].status).toBe('in_transit');
    // It went late before it counted as stalled; the stall supersedes the lateness.
    expect(signalsOf(codes.stall)).toEqual(['late:stalled', 'stalled:open']);
    expect(signalsSeen[codes.stall].has('stalled')).toBe(true);

    // Finished parcels stop being polled; the stalled one is still asked about.
    const due = await t.ds.query(`SELECT tracking_code FROM shipments WHERE merchant_id = $1 AND refresh_due_at IS NOT NULL`, [merchant.id]);
    expect(due.map((r: any) => r.tracking_code)).toEqual([codes.stall]);
  }, 180_000);
});
