import { DEFAULT_POLICY } from '@app/returns';
import { SandboxAdapter } from '@app/carriers';
import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { TRACE_FOLLOWUP_DAYS } from '../../apps/delivery-desk/src/resolutions/playbooks/carrier-trace';
import { TicketClocks } from '../../apps/delivery-desk/src/tickets/ticket-clocks.service';
import { SignalsService } from '../../apps/delivery-desk/src/tracking/signals.service';
import { FakeEasyPost, startFakeEasyPost } from '../fakes/easypost/fake-easypost.server';
import { epTime } from '../fakes/easypost/fake-easypost.builder';
import { FakePlatform, startFakePlatform } from '../fakes/platform/fake-platform.server';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { postSigned, signedEvent, trackerJourney } from '../tracking/easypost-events';

const H = 3_600_000;
const D = 24 * H;
const SECRET = 'stalled-story-platform-secret-0123456789';
const HOOK_SECRET = 'stalled-story-easypost-webhook-secret';
/** Thirty silent days before the engine itself calls a parcel lost: here only the trace's outcome does. */
const POLICY = { ...DEFAULT_POLICY, lost: { daysWithoutScan: 30 } };

/** Stalled parcels: a trace first, then declared lost and remedied; or the parcel moves and the trace closes. */
describe('Story: a stalled parcel is traced, then declared lost', () => {
  let t: TestApp;
  let platform: FakePlatform;
  let easypost: FakeEasyPost;
  const start = Date.now() + 60_000;
  const clock = new ManualClock(new Date(start + 6 * D));

  beforeAll(async () => {
    platform = await startFakePlatform({ secret: SECRET });
    easypost = await startFakeEasyPost();
    t = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await t.close();
    await platform.close();
    await easypost.close();
  });

  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await t.get(JobQueue).drain();
      await platform.idle();
    }
  };

  const templatesOf = async (ticketId: string) =>
    (await t.ds.query(`SELECT template_id FROM ticket_messages WHERE ticket_id = $1 AND direction = 'outbound' ORDER BY created_at`, [ticketId])).map((r: any) => r.template_id);

  const ticketOf = async (shipmentId: string) => {
    const rows = await t.ds.query(`SELECT id FROM tickets WHERE shipment_id = $1`, [shipmentId]);
    expect(rows).toHaveLength(1);
    return rows[0].id as string;
  };

  it('traces, tells the customer, declares the parcel lost when nothing moves, and refunds the customer’s choice', async () => {
    const { api, apiKey, merchant } = await createMerchant(t, { platformWebhookUrl: platform.url, platformWebhookSecret: SECRET, policy: POLICY });
    platform.connect(t.baseUrl, apiKey);
    platform.autoRespond({ action: 'confirm', reference: (e) => `R-${e.id.slice(-6)}` });
    const order = orderBody();
    await api.post('/v1/orders', order);
    // The sandbox's stalled story: last scan 30 hours in, then silence; started so the silence is 5.5 days old.
    const code = SandboxAdapter.storyTrackingCode('STALL', new Date(clock.now().getTime() - 30 * H - 5.5 * D), 'st1');
    const shipment = (await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'sandbox', carrierName: 'USPS', trackingCode: code })).body;
    await t.get(JobQueue).drain();
    expect(await t.get(SignalsService).sweep(clock.now())).toMatchObject({ stalled: 1 });
    const ticketId = await ticketOf(shipment.id);

    let view = (await api.get(`/v1/tickets/${ticketId}`)).body;
    expect(view).toMatchObject({ category: 'tracking', channel: 'system', status: 'open' });
    expect(view.decision.required.map((a: any) => a.kind)).toContain('CARRIER_TRACE');
    expect(view.decision.customerChoice.map((a: any) => a.kind)).not.toContain('REFUND_FULL');

    // The desk starts the required trace by itself when the case opens; the platform relaying the
    // customer's "please look into it" gets that same trace back, not a second one.
    const automatic = view.events.find((e: any) => e.type === 'resolution_requested');
    expect(automatic).toMatchObject({ actor: { kind: 'system', id: 'playbook' }, data: { action: 'CARRIER_TRACE', automatic: true } });
    const trace = await api.post(`/v1/tickets/${ticketId}/resolutions`, { action: 'CARRIER_TRACE' });
    expect(trace.status).toBe(200);
    expect(trace.body.id).toBe(automatic.data.resolutionId);
    await settle();
    view = (await api.get(`/v1/tickets/${ticketId}`)).body;
    expect(view.status).toBe('waiting_carrier');
    expect(await templatesOf(ticketId)).toEqual(['tracking.stalled_trace_opened']);
    expect(view.messages.filter((m: any) => m.direction === 'outbound')).toHaveLength(1);
    const opened = view.events.find((e: any) => e.type === 'carrier_trace_opened');
    expect(opened.data).toMatchObject({ shipmentId: shipment.id, step: 'help_request' });
    const [timer] = await t.ds.query(`SELECT status, due_at FROM ticket_timers WHERE ticket_id = $1 AND kind = 'trace_followup'`, [ticketId]);
    expect(timer.status).toBe('pending');
    expect(new Date(timer.due_at).getTime()).toBe(clock.now().getTime() + TRACE_FOLLOWUP_DAYS * D);
    const [traced] = await t.ds.query(`SELECT trace_requested_at, declared_lost_at FROM shipments WHERE id = $1`, [shipment.id]);
    expect(traced.trace_requested_at).not.toBeNull();
    expect(traced.declared_lost_at).toBeNull();

    // The trace runs its course with no new scan.
    clock.advance(TRACE_FOLLOWUP_DAYS * D + 60_000);
    await t.get(TicketClocks).fireDue();
    await settle();
    view = (await api.get(`/v1/tickets/${ticketId}`)).body;
    expect(view.status).toBe('open');
    expect(view.events.map((e: any) => e.type)).toContain('shipment_declared_lost');
    const [lost] = await t.ds.query(`SELECT declared_lost_at FROM shipments WHERE id = $1`, [shipment.id]);
    expect(new Date(lost.declared_lost_at).getTime()).toBe(clock.now().getTime());
    expect(await templatesOf(ticketId)).toEqual(['tracking.stalled_trace_opened', 'tracking.declared_lost_options']);
    // The engine now counts it lost: the customer may choose a remedy.
    expect(view.decision.customerChoice.map((a: any) => a.kind)).toEqual(expect.arrayContaining(['REFUND_FULL']));
    expect(view.decision.blocked.filter((b: any) => b.reason === 'not_lost_yet')).toEqual([]);

    const refund = await api.post(`/v1/tickets/${ticketId}/resolutions`, { action: 'REFUND_FULL' });
    expect(refund.status).toBe(201);
    // A refund of a lost parcel is the desk's to approve: a supervisor does.
    expect(refund.body.status).toBe('pending_approval');
    expect((await api.get(`/v1/tickets/${ticketId}`)).body.status).toBe('pending_approval');
    await t.admin.post(`/admin/merchants/${merchant.id}/agents`, { email: 'sup@shop.example', name: 'Sup', role: 'supervisor', password: 'correct horse battery', approvalLimitMinor: 1_000_000 });
    const token = (await t.http.post('/v1/desk/sessions', { merchant: merchant.slug, email: 'sup@shop.example', password: 'correct horse battery' })).body.token;
    const desk = t.http.withHeaders({ authorization: `Bearer ${token}` });
    expect((await desk.post(`/v1/desk/resolutions/${refund.body.id}/approve`, {})).status).toBe(200);
    await settle();
    const commands = [...platform.events.values()].filter((e) => e.type === 'command.refund' && e.order.externalId === order.externalId);
    expect(commands).toHaveLength(1);
    expect(platform.callbacks.filter((c) => c.commandId === commands[0].command.id).map((c) => c.status)).toEqual([200]);
    view = (await api.get(`/v1/tickets/${ticketId}`)).body;
    expect(view.status).toBe('resolved');
    const [entry] = await t.ds.query(`SELECT kind, status FROM ledger_entries WHERE merchant_id = $1 AND order_id = (SELECT order_id FROM shipments WHERE id = $2)`, [merchant.id, shipment.id]);
    expect(entry).toMatchObject({ kind: 'refund', status: 'confirmed' });
  }, 120_000);

  it('closes the trace when the parcel scans again meanwhile, and the case follows the recovery', async () => {
    const { api, merchant } = await createMerchant(t, { policy: POLICY });
    const account = (await t.admin.request('PUT', `/admin/merchants/${merchant.id}/carrier-accounts/easypost`, { credentials: { apiKey: easypost.apiKey, webhookSecret: HOOK_SECRET }, apiBaseUrl: easypost.url })).body;
    const hook = `${t.baseUrl}/webhooks/easypost/${account.id}`;
    const code = '9400100000000000007777';
    const order = orderBody();
    await api.post('/v1/orders', order);
    const shipment = (await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'easypost', carrierName: 'USPS', trackingCode: code })).body;
    await t.get(JobQueue).drain();
    // Scanned in transit 14 hours in, then nothing.
    const journey = trackerJourney(code, start, 0);
    const moving = journey[2];
    expect((await postSigned(hook, signedEvent(moving, HOOK_SECRET, hook, Date.now()))).status).toBe(200);
    expect(await t.get(SignalsService).sweep(clock.now())).toMatchObject({ stalled: 1 });
    const ticketId = await ticketOf(shipment.id);
    // Started by the desk when the case opened: asking for it again is the same resolution.
    expect((await api.post(`/v1/tickets/${ticketId}/resolutions`, { action: 'CARRIER_TRACE' })).status).toBe(200);
    await settle();
    expect((await api.get(`/v1/tickets/${ticketId}`)).body.status).toBe('waiting_carrier');

    // A day into the trace the carrier scans it again.
    clock.advance(D);
    const at = clock.now().getTime();
    const scanned = {
      ...moving,
      updated_at: epTime(at + 60_000),
      tracking_details: [...moving.tracking_details, { ...moving.tracking_details.at(-1), message: 'Arrived at USPS Regional Destination Facility', datetime: epTime(at) }],
    };
    expect((await postSigned(hook, signedEvent(scanned, HOOK_SECRET, hook, Date.now()))).status).toBe(200);
    await settle();
    const view = (await api.get(`/v1/tickets/${ticketId}`)).body;
    // The stall is over: the case it opened closes with the recovery, and the trace with it.
    expect(view.status).toBe('resolved');
    const types = view.events.map((e: any) => e.type);
    expect(types).toContain('carrier_trace_closed');
    expect(types).not.toContain('shipment_declared_lost');
    expect(view.events.find((e: any) => e.type === 'carrier_trace_closed').data).toMatchObject({ outcome: 'moved', resolution: 'scanned_again' });
    const timers = await t.ds.query(`SELECT status FROM ticket_timers WHERE ticket_id = $1 AND kind = 'trace_followup'`, [ticketId]);
    expect(timers).toEqual([{ status: 'cancelled' }]);

    // The follow-up day passes without anything more.
    clock.advance(TRACE_FOLLOWUP_DAYS * D);
    await t.get(TicketClocks).fireDue();
    await settle();
    const [row] = await t.ds.query(`SELECT declared_lost_at FROM shipments WHERE id = $1`, [shipment.id]);
    expect(row.declared_lost_at).toBeNull();
  }, 120_000);
});
