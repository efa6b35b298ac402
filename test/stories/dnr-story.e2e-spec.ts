import { SandboxAdapter } from '@app/carriers';
import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { TicketClocks } from '../../apps/delivery-desk/src/tickets/ticket-clocks.service';
import { FakePlatform, startFakePlatform } from '../fakes/platform/fake-platform.server';
import { SmtpSink, startSmtpSink } from '../fakes/smtp/smtp-sink';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const H = 3_600_000;
const SECRET = 'story-platform-secret-0123456789abcdef';

/**
 * Delivered, then "not received": the platform opens the ticket, the desk waits out the window after
 * the delivered scan, the clock fires, the customer's choice (a reship) is approved by a supervisor,
 * the platform is instructed and confirms, the customer is told in Japanese, and the case resolves.
 */
describe('Story: delivered but not received', () => {
  let t: TestApp;
  let platform: FakePlatform;
  let smtp: SmtpSink;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    platform = await startFakePlatform({ secret: SECRET });
    smtp = await startSmtpSink();
    t = await startTestApp({ SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), MAIL_FROM: 'Sakura Goods <desk@sakura.example>' }, { clock });
  });
  afterAll(async () => {
    await t.close();
    await platform.close();
    await smtp.close();
  });

  it('waits, follows up when the clock fires, reships after approval, and tells the customer in Japanese', async () => {
    const jobs = t.get(JobQueue);
    const { api, apiKey, merchant } = await createMerchant(t, { platformWebhookUrl: platform.url, platformWebhookSecret: SECRET, defaultLanguage: 'ja' });
    platform.connect(t.baseUrl, apiKey);
    platform.autoRespond({ action: 'confirm', reference: (e) => `PLAT-${e.id.slice(-6)}` });
    await t.admin.post(`/admin/merchants/${merchant.id}/agents`, { email: 'sup@shop.example', name: 'Sup', role: 'supervisor', password: 'correct horse battery', approvalLimitMinor: 100_000 });
    const signIn = async () =>
      t.http.withHeaders({
        authorization: `Bearer ${(await t.http.post('/v1/desk/sessions', { merchant: merchant.slug, email: 'sup@shop.example', password: 'correct horse battery' })).body.token}`,
      });

    // 1. The platform pushes the order and its parcel; the parcel is scanned delivered.
    const order = orderBody();
    expect((await api.post('/v1/orders', order)).status).toBe(201);
    const code = SandboxAdapter.storyTrackingCode('DNR', new Date(clock.now().getTime() - 63 * H), 'story');
    const shipment = (await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'sandbox', carrierName: 'USPS', trackingCode: code })).body;
    await jobs.drain();
    expect((await api.get(`/v1/shipments/${shipment.id}`)).body.status).toBe('delivered');

    // 2. The customer says it never arrived: the platform opens a ticket. The decision is to wait.
    const opened = await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'delivered_not_received', shipmentId: shipment.id, language: 'ja', description: '届いていません。' });
    expect(opened.status).toBe(201);
    const ticket = opened.body;
    expect(ticket.decision.deadlines.dnrWaitUntil).toBeDefined();
    // The customer is told at once where to look and how long we wait; the case waits on them.
    expect(ticket.status).toBe('waiting_customer');
    expect(ticket.messages.at(-1)).toMatchObject({ direction: 'outbound', languages: ['ja'] });
    const early = await api.post(`/v1/tickets/${ticket.id}/resolutions`, { action: 'RESHIP' });
    expect(early.status).toBe(422);

    // 3. The wait is over: the clock fires, the case is decided again, remedies are offered.
    clock.set(new Date(new Date(ticket.decision.deadlines.dnrWaitUntil.at).getTime() + 60_000));
    await t.get(TicketClocks).fireDue();
    const options = (await api.get(`/v1/tickets/${ticket.id}/options`)).body;
    expect(options.customerChoice.map((a: any) => a.kind)).toContain('RESHIP');

    // 4. The customer picks a reship. Its value needs an agent's approval: a supervisor approves.
    const chosen = await api.post(`/v1/tickets/${ticket.id}/resolutions`, { action: 'RESHIP' });
    expect(chosen.status).toBe(201);
    expect(chosen.body).toMatchObject({ kind: 'reship', status: 'pending_approval' });
    expect((await api.post(`/v1/tickets/${ticket.id}/resolutions`, { action: 'RESHIP' })).status).toBe(200);
    const desk = await signIn(); // sessions last 12 hours, and two days have passed
    const approved = await desk.post(`/v1/desk/resolutions/${chosen.body.id}/approve`, { note: 'Repeat customer, reship.' });
    expect(approved.status).toBe(200);

    // 5. The saga runs: ledger reserved, the platform instructed (signed webhook) and confirming, the customer told.
    for (let i = 0; i < 5; i++) {
      await jobs.drain();
      await platform.idle();
    }
    const reship = [...platform.events.values()].find((e) => e.type === 'command.reship');
    expect(reship).toBeDefined();
    const resolutions = (await api.get(`/v1/tickets/${ticket.id}/resolutions`)).body.data;
    expect(resolutions[0]).toMatchObject({ status: 'completed' });
    expect(resolutions[0].steps.map((s: any) => [s.name, s.status])).toEqual([
      ['ledger-reserve', 'done'],
      ['platform-command', 'done'],
      ['ledger-confirm', 'done'],
      ['notify-customer', 'done'],
      ['resolve-ticket', 'done'],
    ]);
    const [ledger] = await t.ds.query(`SELECT kind, status FROM ledger_entries WHERE merchant_id = $1`, [merchant.id]);
    expect(ledger).toEqual({ kind: 'reship', status: 'confirmed' });

    // 6. The customer was written to in Japanese (keigo, with the cause), and the case is resolved.
    const mails = await smtp.waitForMessages(2, 15_000);
    expect(mails.every((m) => m.to?.includes('hanako@example.com'))).toBe(true);
    const reshipMail = mails.find((m) => /再発送/.test(m.subject ?? ''))!;
    expect(reshipMail.text).toMatch(/申し訳ございません/);
    expect(reshipMail.text).toMatch(/原因/);
    const final = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(final.status).toBe('resolved');
    expect(final.messages.at(-1)).toMatchObject({ direction: 'outbound', languages: ['ja'], deliveryStatus: 'sent' });
    expect(final.events.map((e: any) => e.type)).toEqual([
      'created',
      'decision_made',
      'message_added',
      'status_changed',
      'dnr_wait_over',
      'status_changed',
      'decision_made',
      'resolution_requested',
      'status_changed',
      'resolution_approved',
      'status_changed',
      'message_added',
      'status_changed',
    ]);
    expect(final.events.map((e: any) => e.seq)).toEqual(final.events.map((_: unknown, i: number) => i + 1));
  }, 120_000);
});
