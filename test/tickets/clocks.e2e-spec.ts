import { SandboxAdapter } from '@app/carriers';
import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { TicketClocks } from '../../apps/delivery-desk/src/tickets/ticket-clocks.service';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const H = 3_600_000;

describe('Deadline clocks on tickets', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    t = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await t.close();
  });

  async function deliveredParcel() {
    const m = await createMerchant(t);
    const order = orderBody();
    await m.api.post('/v1/orders', order);
    // A DNR story started 63 hours ago: the parcel was scanned delivered about an hour ago.
    const code = SandboxAdapter.storyTrackingCode('DNR', new Date(clock.now().getTime() - 63 * H), String(Math.random()).slice(2, 8));
    const ship = await m.api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'sandbox', carrierName: 'USPS', trackingCode: code });
    await t.get(JobQueue).drain();
    expect((await m.api.get(`/v1/shipments/${ship.body.id}`)).body.status).toBe('delivered');
    return { ...m, order, shipmentId: ship.body.id as string };
  }

  const timersOf = (ticketId: string) => t.ds.query(`SELECT kind, status, due_at FROM ticket_timers WHERE ticket_id = $1 ORDER BY kind`, [ticketId]);

  it('follows up a not-received report when the wait after the delivered scan is over', async () => {
    const { api, order, shipmentId } = await deliveredParcel();
    const ticket = (await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'delivered_not_received', shipmentId })).body;
    expect(ticket.decision.deadlines.dnrWaitUntil).toBeDefined();
    const waitUntil = new Date(ticket.decision.deadlines.dnrWaitUntil.at);
    expect((await timersOf(ticket.id)).map((r: any) => [r.kind, r.status])).toEqual(expect.arrayContaining([['dnr_followup', 'pending']]));

    const clocks = t.get(TicketClocks);
    clock.set(new Date(waitUntil.getTime() - 60_000));
    await clocks.fireDue();
    expect((await api.get(`/v1/tickets/${ticket.id}`)).body.events.map((e: any) => e.type)).not.toContain('dnr_wait_over');

    clock.set(new Date(waitUntil.getTime() + 60_000));
    expect(await clocks.fireDue()).toBeGreaterThanOrEqual(1);
    const after = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    const types = after.events.map((e: any) => e.type);
    expect(types).toContain('dnr_wait_over');
    expect(types.filter((x: string) => x === 'decision_made')).toHaveLength(2);
    expect(after.events.find((e: any) => e.type === 'dnr_wait_over').actor).toEqual({ kind: 'system', id: 'clock' });
    // Fired once: a second sweep finds nothing more for it.
    await clocks.fireDue();
    expect((await api.get(`/v1/tickets/${ticket.id}`)).body.events.filter((e: any) => e.type === 'dnr_wait_over')).toHaveLength(1);
  });

  it('escalates a ticket nobody answered by its reply SLA, and cancels clocks when it is resolved', async () => {
    const { api, order, merchant } = await deliveredParcel();
    const ticket = (await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'tracking' })).body;
    expect(ticket.priority).toBe('normal');
    clock.set(new Date(new Date(ticket.slaDueAt).getTime() + 60_000));
    await t.get(TicketClocks).fireDue();
    const escalated = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(escalated.priority).toBe('high');
    expect(escalated.events.map((e: any) => e.type)).toContain('sla_breached');

    await t.admin.post(`/admin/merchants/${merchant.id}/agents`, { email: 'x@shop.example', name: 'X', role: 'agent', password: 'correct horse battery' });
    const session = await t.http.post('/v1/desk/sessions', { merchant: merchant.slug, email: 'x@shop.example', password: 'correct horse battery' });
    const desk = t.http.withHeaders({ authorization: `Bearer ${session.body.token}` });
    const resolved = await desk.post(`/v1/desk/tickets/${ticket.id}/transition`, { status: 'resolved', version: escalated.version });
    expect(resolved.status).toBe(200);
    expect((await timersOf(ticket.id)).filter((r: any) => r.status === 'pending')).toEqual([]);
  });
});
