import { SandboxAdapter } from '@app/carriers';
import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { TicketClocks } from '../../apps/delivery-desk/src/tickets/ticket-clocks.service';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const H = 3_600_000;

/** Address unknown: the carrier's exception opens the case; the desk has the carrier hold the parcel and tells the customer where. */
describe('Story: address unknown', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    t = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens the case from the exception, holds the parcel at a location, and tells the customer', async () => {
    const { api, merchant } = await createMerchant(t);
    const order = orderBody();
    await api.post('/v1/orders', order);
    // The address exception was scanned an hour ago.
    const code = SandboxAdapter.storyTrackingCode('ADDR', new Date(clock.now().getTime() - 61 * H), 'addr');
    await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'sandbox', carrierName: 'USPS', trackingCode: code });
    await t.get(JobQueue).drain();
    const [ticket] = (await api.get(`/v1/tickets?orderExternalId=${encodeURIComponent(order.externalId)}`)).body.data;
    expect(ticket).toMatchObject({ category: 'address_issue', channel: 'system', status: 'open' });

    await t.admin.post(`/admin/merchants/${merchant.id}/agents`, { email: 'a@shop.example', name: 'A', role: 'supervisor', password: 'correct horse battery', approvalLimitMinor: 50_000 });
    const token = (await t.http.post('/v1/desk/sessions', { merchant: merchant.slug, email: 'a@shop.example', password: 'correct horse battery' })).body.token;
    const desk = t.http.withHeaders({ authorization: `Bearer ${token}` });
    const options = (await desk.get(`/v1/desk/tickets/${ticket.id}/options`)).body;
    const offered = [...options.required, ...options.customerChoice, ...options.allowed].map((a: any) => `${a.kind}${a.mode ? `:${a.mode}` : ''}`);
    const hold = offered.find((k: string) => k === 'CARRIER_HOLD' || k === 'CARRIER_INTERCEPT:hold');
    expect(hold).toBeDefined();
    const chosen = await desk.post(`/v1/desk/tickets/${ticket.id}/resolutions`, { action: hold!.split(':')[0], version: options.version });
    expect(chosen.status).toBe(201);
    for (let i = 0; i < 3; i++) await t.get(JobQueue).drain();
    const [resolution] = (await api.get(`/v1/tickets/${ticket.id}/resolutions`)).body.data;
    expect(resolution).toMatchObject({ status: 'completed' });
    expect(resolution.steps.map((st: any) => st.name)).toEqual(['carrier-hold', 'record-hold', 'notify-customer']);
    const final = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(final.messages.at(-1)).toMatchObject({ direction: 'outbound' });
    expect(final.events.map((e: any) => e.type)).toEqual(expect.arrayContaining(['created', 'decision_made', 'resolution_requested', 'message_added']));

    // The carrier's hold and its end date are kept on the case.
    expect(final.details.hold).toMatchObject({ until: resolution.steps[0].output.holdUntil, location: resolution.steps[0].output.location });
    expect(final.events.find((e: any) => e.type === 'parcel_held')).toMatchObject({ data: { until: resolution.steps[0].output.holdUntil } });

    // The day before the hold runs out, the customer is reminded where the parcel waits, and the desk is warned.
    const [timer] = await t.ds.query(`SELECT due_at, payload FROM ticket_timers WHERE ticket_id = $1 AND kind = 'hold_expiry_warning' AND status = 'pending'`, [ticket.id]);
    expect(timer).toBeDefined();
    clock.set(new Date(new Date(timer.due_at).getTime() + 60_000));
    expect(await t.get(TicketClocks).fireDue()).toBeGreaterThanOrEqual(1);
    const warned = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    const reminder = warned.messages.filter((m: any) => m.templateId === 'address.hold_expiring');
    expect(reminder).toHaveLength(1);
    expect(reminder[0]).toMatchObject({ direction: 'outbound' });
    expect(reminder[0].body).toContain(resolution.steps.find((st: any) => st.name === 'carrier-hold').output.location);
    expect(warned.events.find((e: any) => e.type === 'hold_expires_tomorrow')).toMatchObject({ actor: { kind: 'system', id: 'clock' } });
    expect(warned.priority).toBe('high');
    // The timer fired once: sweeping again sends nothing more.
    await t.get(TicketClocks).fireDue();
    expect((await api.get(`/v1/tickets/${ticket.id}`)).body.messages.filter((m: any) => m.templateId === 'address.hold_expiring')).toHaveLength(1);
  });
});
