import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { errorBody } from '../fakes/easypost/fake-easypost.builder';
import { FakeEasyPost, startFakeEasyPost } from '../fakes/easypost/fake-easypost.server';
import { FakePlatform, startFakePlatform } from '../fakes/platform/fake-platform.server';
import { SmtpSink, startSmtpSink } from '../fakes/smtp/smtp-sink';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { postSigned, signedEvent, trackerJourney } from '../tracking/easypost-events';

const H = 3_600_000;
const SECRET = 'return-pickup-platform-secret-0123456789';
const HOOK_SECRET = 'return-pickup-easypost-webhook-secret';
const ZONE = 'America/Los_Angeles'; // the factories' ship-to is San Francisco

/** A local date `days` after `ymd`. */
const addDays = (ymd: string, days: number) => new Date(Date.parse(`${ymd}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const localDate = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
/** The first weekday after `ymd` that is not a federal holiday this season. */
function nextBusinessDay(ymd: string): string {
  let d = addDays(ymd, 1);
  while ([0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()) || ['12-25', '01-01', '11-26', '01-19'].includes(d.slice(5))) d = addDays(d, 1);
  return d;
}

/**
 * Return pickup, completed: the label becomes a tracked return shipment, the pickup can be moved or
 * cancelled, and the return's first scan (or its receipt, as the policy says) runs the scheduled refund once.
 */
describe('Return pickup: tracking, scheduled refund, reschedule and cancel', () => {
  let t: TestApp;
  let platform: FakePlatform;
  let easypost: FakeEasyPost;
  let smtp: SmtpSink;
  // After the fake's first (label) tracker answer, so the journeys are the newer story.
  const start = Date.now() + 60_000;
  const clock = new ManualClock(new Date(start + 40 * H));
  let seq = 0;

  beforeAll(async () => {
    platform = await startFakePlatform({ secret: SECRET });
    easypost = await startFakeEasyPost();
    smtp = await startSmtpSink();
    t = await startTestApp({ SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), MAIL_FROM: 'Sakura Goods <desk@sakura.example>' }, { clock });
  });
  afterAll(async () => {
    await t.close();
    await platform.close();
    await easypost.close();
    await smtp.close();
  });

  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await t.get(JobQueue).drain();
      await platform.idle();
    }
  };

  /** A merchant on EasyPost with the given refund timing, a delivered order, and a return ticket for line L2 with a pickup booked. */
  async function bookedReturn(opts: { refundOn?: 'first_scan' | 'receipt'; book?: boolean } = {}) {
    const { api, apiKey, merchant } = await createMerchant(t, { platformWebhookUrl: platform.url, platformWebhookSecret: SECRET, defaultLanguage: 'ja' });
    platform.connect(t.baseUrl, apiKey);
    platform.autoRespond({ action: 'confirm', reference: (e) => `R-${e.id.slice(-6)}` });
    const policy = (await t.admin.get(`/admin/merchants/${merchant.id}/policy`)).body.policy;
    policy.refundTiming.returns = opts.refundOn ?? 'first_scan';
    policy.approval = { autoApproveUpToMinor: 10_000, agentUpToMinor: 25_000 }; // refunds of this size run without an agent
    const saved = await t.admin.post(`/admin/merchants/${merchant.id}/policies`, { policy, note: 'test timing' });
    expect(saved.status === 201 ? 201 : saved.body).toBe(201);
    const account = (await t.admin.request('PUT', `/admin/merchants/${merchant.id}/carrier-accounts/easypost`, { credentials: { apiKey: easypost.apiKey, webhookSecret: HOOK_SECRET }, apiBaseUrl: easypost.url })).body;
    const hook = `${t.baseUrl}/webhooks/easypost/${account.id}`;

    const order = orderBody();
    await api.post('/v1/orders', order);
    const code = `94001000000000${String(Date.now() % 1e6).padStart(6, '0')}${String(++seq).padStart(2, '0')}`;
    await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'easypost', carrierName: 'USPS', trackingCode: code });
    await t.get(JobQueue).drain();
    const outbound = trackerJourney(code, start, 0);
    expect((await postSigned(hook, signedEvent(outbound[outbound.length - 1], HOOK_SECRET, hook, Date.now()))).status).toBe(200);

    const opened = await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'return_pickup', lines: [{ lineExternalId: 'L2', quantity: 1 }], language: 'ja', description: '返品したいです。' });
    expect(opened.status).toBe(201);
    const ticket = opened.body;
    expect(ticket.decision.scheduled).toEqual([expect.objectContaining({ trigger: opts.refundOn === 'receipt' ? 'return_received' : 'return_first_scan', action: expect.objectContaining({ kind: expect.stringMatching(/^REFUND_/) }) })]);
    if (opts.book !== false) {
      expect((await api.post(`/v1/tickets/${ticket.id}/resolutions`, { action: 'CARRIER_PICKUP' })).status).toBe(201);
      await settle();
    }
    return { api, merchant, hook, order, ticket };
  }

  const refundsAtPlatform = (merchantId: string) => t.ds.query(`SELECT id, status FROM platform_commands WHERE merchant_id = $1 AND kind = 'refund'`, [merchantId]);
  const pickupBuys = () => easypost.requests.filter((r) => r.route === 'POST /v2/pickups/:id/buy').length;

  it('books, reschedules, refunds once on the first scan (webhook twice, concurrently), tells the customer in Japanese, resolves', async () => {
    const { api, merchant, hook, ticket } = await bookedReturn();
    const [pickupRes] = (await api.get(`/v1/tickets/${ticket.id}/resolutions`)).body.data;
    expect(pickupRes).toMatchObject({ kind: 'return_pickup', status: 'completed' });
    expect(pickupRes.steps.map((s: any) => s.name)).toEqual(['carrier-return-label', 'carrier-pickup', 'register-return', 'notify-customer']);

    // The label is a tracked return shipment of the order, and the ticket shows the pickup.
    let view = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    const ret = view.details.return;
    expect(ret).toMatchObject({ carrier: 'USPS', status: 'pre_transit', pickup: { status: 'booked', confirmation: expect.stringMatching(/^WTC/) } });
    const rows = await t.ds.query(`SELECT id, direction, ticket_id, tracking_code, carrier FROM shipments WHERE merchant_id = $1 ORDER BY created_at`, [merchant.id]);
    expect(rows.map((r: any) => [r.direction, r.ticket_id])).toEqual([
      ['outbound', null],
      ['return', ticket.id],
    ]);
    expect(rows[1]).toMatchObject({ tracking_code: ret.trackingCode, carrier: 'easypost' });
    // The decision sees the return in progress: no second label or pickup on offer, the refund still scheduled.
    const offered = [...view.decision.required, ...view.decision.customerChoice, ...view.decision.allowed].map((a: any) => a.kind);
    expect(offered).not.toContain('CARRIER_PICKUP');
    expect(view.decision.scheduled.map((s: any) => s.trigger)).toEqual(['return_first_scan']);

    // The customer moves the pickup to the next business day, late morning.
    const today = localDate(clock.now());
    const day = nextBusinessDay(today);
    const oldPickupId = ret.pickup.pickupId;
    const moved = await api.post(`/v1/tickets/${ticket.id}/pickup/reschedule`, { date: day, windowFrom: '10:00', windowTo: '13:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ changed: true, pickup: { status: 'booked', previousWindow: { start: ret.pickup.windowStart } } });
    expect(moved.body.pickup.pickupId).not.toBe(oldPickupId);
    expect(Date.parse(moved.body.pickup.windowStart)).toBe(Date.parse(`${day}T10:00:00-08:00`));
    expect(easypost.state.pickups.get(oldPickupId)!.status).toBe('canceled');
    expect(easypost.state.pickups.get(moved.body.pickup.pickupId)!.status).toBe('scheduled');
    // Asking again for the same window changes nothing at the carrier.
    const buys = pickupBuys();
    const again = await api.post(`/v1/tickets/${ticket.id}/pickup/reschedule`, { date: day, windowFrom: '10:00', windowTo: '13:00' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: false, pickup: { pickupId: moved.body.pickup.pickupId } });
    expect(pickupBuys()).toBe(buys);
    view = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(view.details.return.pickup.pickupId).toBe(moved.body.pickup.pickupId);
    expect(view.messages.at(-1)).toMatchObject({ direction: 'outbound', languages: ['ja'] });
    expect(view.messages.at(-1).body).toMatch(/集荷日時を、下記のとおり変更いたしました/);

    // The carrier scans the return parcel: the same webhook arrives twice at once, then once more.
    clock.set(new Date(start + 60 * H));
    const journey = trackerJourney(ret.trackingCode, start + 45 * H, 0);
    const firstScan = signedEvent(journey[1], HOOK_SECRET, hook, Date.now());
    const answers = await Promise.all([postSigned(hook, firstScan), postSigned(hook, firstScan)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect((await postSigned(hook, signedEvent(journey[1], HOOK_SECRET, hook, Date.now()))).status).toBe(200);
    await settle();

    // Exactly one refund at the platform, confirmed; the ledger entry confirmed.
    const refunds = await refundsAtPlatform(merchant.id);
    expect(refunds).toEqual([{ id: expect.any(String), status: 'confirmed' }]);
    expect([...platform.events.values()].filter((e) => e.type === 'command.refund' && JSON.stringify(e).includes(refunds[0].id))).toHaveLength(1);
    expect(await t.ds.query(`SELECT kind, status FROM ledger_entries WHERE merchant_id = $1`, [merchant.id])).toEqual([{ kind: 'refund', status: 'confirmed' }]);
    const resolutions = (await api.get(`/v1/tickets/${ticket.id}/resolutions`)).body.data;
    const refund = resolutions.find((r: any) => r.kind === 'refund');
    expect(resolutions).toHaveLength(2);
    expect(refund.status).toBe('completed');
    expect(refund.steps.map((s: any) => [s.name, s.status])).toEqual([
      ['ledger-reserve', 'done'],
      ['platform-command', 'done'],
      ['ledger-confirm', 'done'],
      ['notify-customer', 'done'],
      ['resolve-ticket', 'done'],
    ]);

    // Told in Japanese, resolved, and the audit trail tells the whole story in order.
    let refundMail;
    for (let i = 0; i < 150 && !refundMail; i++) {
      refundMail = smtp.messages.find((m) => m.to?.includes('hanako@example.com') && /返品商品の発送確認およびご返金/.test(m.subject ?? ''));
      if (!refundMail) await new Promise((r) => setTimeout(r, 100));
    }
    expect(refundMail?.text).toMatch(/ご返金手続きを完了いたしました/);
    // Refunded on the carrier's scan: the message must not claim the shop has the item back yet.
    expect(refundMail?.text).toMatch(/配送業者へ引き渡されたことを確認/);
    expect(refundMail?.text).not.toMatch(/受領いたしました/);
    const final = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(final.status).toBe('resolved');
    expect(final.details.return).toMatchObject({ status: 'in_transit', firstScanAt: expect.any(String), pickup: { status: 'picked_up' } });
    const types = final.events.map((e: any) => e.type);
    const order = ['created', 'decision_made', 'resolution_requested', 'return_shipment_registered', 'decision_made', 'message_added', 'pickup_rescheduled', 'message_added', 'return_first_scan', 'decision_made', 'resolution_requested', 'message_added', 'status_changed'];
    let at = -1;
    for (const type of order) {
      const next = types.indexOf(type, at + 1);
      expect([type, next > at]).toEqual([type, true]);
      at = next;
    }
    expect(types.filter((x: string) => x === 'return_first_scan')).toHaveLength(1);
    expect(final.events.find((e: any) => e.type === 'resolution_requested' && e.data.trigger)).toMatchObject({ actor: { kind: 'system', id: 'return-tracking' }, data: { trigger: 'return_first_scan', action: expect.stringMatching(/^REFUND_/) } });
    expect(final.events.at(-1)).toMatchObject({ type: 'status_changed', data: { to: 'resolved' } });
    // A return is good news, not a delivery problem: no signal, no second ticket.
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM shipment_signals WHERE merchant_id = $1`, [merchant.id])).toEqual([{ n: 0 }]);
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM tickets WHERE merchant_id = $1`, [merchant.id])).toEqual([{ n: 1 }]);
  }, 180_000);

  it('under a receipt policy waits past the first scan and refunds when the return is delivered back to the shop', async () => {
    const { api, merchant, hook, ticket } = await bookedReturn({ refundOn: 'receipt' });
    const ret = (await api.get(`/v1/tickets/${ticket.id}`)).body.details.return;
    clock.set(new Date(start + 60 * H));
    const journey = trackerJourney(ret.trackingCode, start + 45 * H, 0);
    expect((await postSigned(hook, signedEvent(journey[1], HOOK_SECRET, hook, Date.now()))).status).toBe(200);
    await settle();
    expect(await refundsAtPlatform(merchant.id)).toEqual([]);
    let view = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(view.status).not.toBe('resolved');
    expect(view.events.map((e: any) => e.type)).toContain('return_first_scan');
    expect(view.decision.scheduled.map((s: any) => s.trigger)).toEqual(['return_received']);

    // Delivered back to the shop (twice): one refund, the case resolved, and no "delivered" signal.
    clock.set(new Date(start + 90 * H));
    const delivered = signedEvent(journey[journey.length - 1], HOOK_SECRET, hook, Date.now());
    expect((await postSigned(hook, delivered)).status).toBe(200);
    expect((await postSigned(hook, delivered)).status).toBe(200);
    await settle();
    expect(await refundsAtPlatform(merchant.id)).toEqual([{ id: expect.any(String), status: 'confirmed' }]);
    view = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(view.status).toBe('resolved');
    expect(view.details.return).toMatchObject({ status: 'delivered', receivedAt: expect.any(String) });
    expect(view.events.filter((e: any) => e.type === 'return_received')).toHaveLength(1);
    const refundMessage = view.messages.find((m: any) => m.templateId === 'return.received_refund');
    expect(refundMessage?.body).toMatch(/受領いたしました|We received your return/);
    expect(view.events.find((e: any) => e.type === 'resolution_requested' && e.data.trigger)).toMatchObject({ data: { trigger: 'return_received' } });
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM shipment_signals WHERE merchant_id = $1`, [merchant.id])).toEqual([{ n: 0 }]);
  }, 180_000);

  it('refuses bad reschedule inputs with field paths and writes nothing', async () => {
    const { api, ticket } = await bookedReturn();
    const before = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    const buys = pickupBuys();
    const today = localDate(clock.now());
    const url = `/v1/tickets/${ticket.id}/pickup/reschedule`;
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ date: addDays(today, -1) }, 422, 'pickup_reschedule_invalid', 'date'],
      [{ date: today }, 422, 'pickup_reschedule_invalid', 'date'],
      [{ date: nextBusinessDay(addDays(before.details.return.pickup.allowedTo, 3)) }, 422, 'pickup_reschedule_invalid', 'date'],
      [{ date: '2026/12/08' }, 400, 'validation_failed', 'date'],
      [{ date: nextBusinessDay(today), windowFrom: '9am' }, 400, 'validation_failed', 'windowFrom'],
      [{ date: nextBusinessDay(today), windowFrom: '15:00', windowTo: '11:00' }, 422, 'pickup_reschedule_invalid', 'windowTo'],
      [{ date: nextBusinessDay(today), extra: true }, 400, 'validation_failed', 'extra'],
      [{}, 400, 'validation_failed', 'date'],
    ];
    // A Saturday inside the window is not a business day.
    let saturday = addDays(today, 1);
    while (new Date(`${saturday}T12:00:00Z`).getUTCDay() !== 6) saturday = addDays(saturday, 1);
    cases.push([{ date: saturday }, 422, 'pickup_reschedule_invalid', 'date']);
    for (const [body, status, code, path] of cases) {
      const res = await api.post(url, body);
      expect([body, res.status, res.body.error?.code]).toEqual([body, status, code]);
      expect(res.body.error.fields.map((f: any) => f.path)).toContain(path);
    }
    const after = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(after.version).toBe(before.version);
    expect(after.events).toHaveLength(before.events.length);
    expect(after.details.return.pickup).toEqual(before.details.return.pickup);
    expect(pickupBuys()).toBe(buys);
  }, 180_000);

  it('shows a carrier refusal plainly, retries a transient failure, and records both', async () => {
    const { api, ticket } = await bookedReturn();
    const before = (await api.get(`/v1/tickets/${ticket.id}`)).body.details.return.pickup;
    const day = nextBusinessDay(localDate(clock.now()));
    easypost.inject('POST /v2/pickups/:id/buy', { kind: 'status', status: 422, body: errorBody('PICKUP.UNAVAILABLE', 'No pickups are available at this address on that day.') }, 1);
    const refused = await api.post(`/v1/tickets/${ticket.id}/pickup/reschedule`, { date: day });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'carrier_refused' });
    expect(refused.body.error.message).toMatch(/No pickups are available at this address on that day/);
    let view = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(view.details.return.pickup).toEqual(before);
    expect(easypost.state.pickups.get(before.pickupId)!.status).toBe('scheduled');
    expect(view.events.at(-1)).toMatchObject({ type: 'pickup_reschedule_failed', data: { code: expect.any(String), retryable: false } });

    // A carrier hiccup (503 on the pickup create) is retried and the move goes through.
    easypost.inject('POST /v2/pickups', { kind: 'status', status: 503 }, 1);
    const moved = await api.post(`/v1/tickets/${ticket.id}/pickup/reschedule`, { date: day });
    expect(moved.status).toBe(200);
    view = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(view.details.return.pickup.pickupId).toBe(moved.body.pickup.pickupId);
    expect(view.events.at(-2)).toMatchObject({ type: 'pickup_rescheduled' });
  }, 180_000);

  it('cancels from the desk, tells the customer, and answers 409 once nothing is booked', async () => {
    const { api, merchant, ticket } = await bookedReturn();
    await t.admin.post(`/admin/merchants/${merchant.id}/agents`, { email: 'agent@shop.example', name: 'Agent', role: 'agent', password: 'correct horse battery', approvalLimitMinor: 0 });
    const token = (await t.http.post('/v1/desk/sessions', { merchant: merchant.slug, email: 'agent@shop.example', password: 'correct horse battery' })).body.token;
    const desk = t.http.withHeaders({ authorization: `Bearer ${token}` });
    const pickup = (await api.get(`/v1/tickets/${ticket.id}`)).body.details.return.pickup;

    const stale = await desk.post(`/v1/desk/tickets/${ticket.id}/pickup/cancel`, { version: 1 });
    expect(stale.status).toBe(409);
    const version = (await desk.get(`/v1/desk/tickets/${ticket.id}`)).body.version;
    const cancelled = await desk.post(`/v1/desk/tickets/${ticket.id}/pickup/cancel`, { version });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.pickup).toMatchObject({ status: 'cancelled', pickupId: pickup.pickupId });
    expect(easypost.state.pickups.get(pickup.pickupId)!.status).toBe('canceled');
    const view = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(view.details.return.pickup.status).toBe('cancelled');
    expect(view.events.find((e: any) => e.type === 'pickup_cancelled')).toMatchObject({ actor: { kind: 'agent' } });
    expect(view.messages.at(-1).body).toMatch(/集荷を取り消しいたしました/);

    const twice = await api.post(`/v1/tickets/${ticket.id}/pickup/cancel`, {});
    expect([twice.status, twice.body.error.code]).toEqual([409, 'pickup_cancelled']);
    const move = await api.post(`/v1/tickets/${ticket.id}/pickup/reschedule`, { date: nextBusinessDay(localDate(clock.now())) });
    expect([move.status, move.body.error.code]).toEqual([409, 'pickup_cancelled']);

    // A return ticket without a booked pickup.
    const other = await bookedReturn({ book: false });
    const none = await other.api.post(`/v1/tickets/${other.ticket.id}/pickup/cancel`, {});
    expect([none.status, none.body.error.code]).toEqual([409, 'no_pickup']);
  }, 180_000);
});
