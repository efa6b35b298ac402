import { Clock, ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { CaseMessages } from '../../apps/delivery-desk/src/resolutions/playbooks/case-messages.service';
import { sendDelayNotice } from '../../apps/delivery-desk/src/resolutions/playbooks/tracking.playbook';
import { CustomerLinksService } from '../../apps/delivery-desk/src/self-service/customer-links.service';
import { TicketDecisionEntity } from '../../apps/delivery-desk/src/tickets/ticket-decision.entity';
import { TicketsService } from '../../apps/delivery-desk/src/tickets/tickets.service';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { SelfServiceService } from '../../apps/delivery-desk/src/self-service/self-service.service';
import { TicketClocks } from '../../apps/delivery-desk/src/tickets/ticket-clocks.service';
import { FakePlatform, startFakePlatform } from '../fakes/platform/fake-platform.server';
import { ReceivedMail, SmtpSink, startSmtpSink } from '../fakes/smtp/smtp-sink';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const D = 86_400_000;
const SECRET = 'delay-platform-secret-0123456789abcdef';
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * FTC delay option notice: an order that will ship late gets an e-mail with a signed link to wait or
 * cancel; a cancel reaches the platform as cancel and refund commands; consent makes the case wait;
 * after a renewed notice, no express consent by the deadline cancels and refunds on its own.
 */
describe('Story: late order, FTC delay notice', () => {
  let t: TestApp;
  let platform: FakePlatform;
  let smtp: SmtpSink;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    platform = await startFakePlatform({ secret: SECRET });
    smtp = await startSmtpSink();
    t = await startTestApp({ SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port) }, { clock });
  });
  afterAll(async () => {
    await t.close();
    await platform.close();
    await smtp.close();
  });

  async function settle() {
    for (let i = 0; i < 5; i++) {
      await t.get(JobQueue).drain();
      await platform.idle();
    }
  }

  async function mailFor(orderNumber: string): Promise<ReceivedMail> {
    for (let i = 0; i < 50; i++) {
      const found = smtp.messages.find((m) => (m.subject ?? '').includes(orderNumber) || (m.text ?? '').includes(orderNumber));
      if (found) return found;
      await t.get(JobQueue).drain();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail for ${orderNumber}`);
  }

  /** A merchant connected to the fake platform, and an unshipped order the shop now expects to ship late. */
  async function lateOrder(details: (now: Date) => Record<string, unknown>, customer?: Record<string, unknown>) {
    const shop = await createMerchant(t, { platformWebhookUrl: platform.url, platformWebhookSecret: SECRET });
    platform.connect(t.baseUrl, shop.apiKey);
    platform.autoRespond({ action: 'confirm', reference: (e) => `PLAT-${e.id.slice(-6)}` });
    const now = clock.now();
    const order = orderBody({ placedAt: new Date(now.getTime() - D).toISOString(), shippingPromise: { kind: 'ships_within', businessDays: 3 }, ...(customer ? { customer } : {}) });
    expect((await shop.api.post('/v1/orders', order)).status).toBe(201);
    const opened = await shop.api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'tracking', description: 'When will my order ship?', details: details(now) });
    expect(opened.status).toBe(201);
    const mail = await mailFor(order.externalId);
    const urls = [...(mail.text ?? '').matchAll(/https?:\/\/\S+\/t\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\?choice=(consent|cancel)/g)];
    return { ...shop, order, ticket: opened.body, mail, urls, token: urls[0]?.[1] };
  }

  it('e-mails the notice with both choices; the customer cancels; the platform cancels and refunds; the case resolves', async () => {
    const a = await lateOrder((now) => ({ delayKnownAt: now.toISOString(), expectedShipDate: day(new Date(now.getTime() + 14 * D)) }));
    // The decision required the notice; once sent, the case waits on the customer.
    const firstId = a.ticket.events.find((e: any) => e.type === 'decision_made').data.decisionId;
    const [first] = await t.ds.query(`SELECT decision FROM ticket_decisions WHERE merchant_id = $1 AND id = $2`, [a.merchant.id, firstId]);
    expect(first.decision.required.map((x: any) => x.kind)).toContain('DELAY_NOTICE');
    expect(a.ticket.status).toBe('waiting_customer');
    // In the customer's language (Japanese), with the cause; both choices, one signed link.
    expect(a.mail.to).toContain('hanako@example.com');
    expect(a.mail.text).toMatch(/発送することができない/);
    expect(a.mail.text).toMatch(/原因/);
    expect(a.urls.map((u) => u[2]).sort()).toEqual(expect.arrayContaining(['cancel', 'consent']));
    expect(new Set(a.urls.map((u) => u[1])).size).toBe(1);

    const view = (await t.http.get(`/v1/self-service/links/${a.token}`)).body;
    expect(view).toMatchObject({ order: { number: a.order.externalId }, case: { status: 'waiting_for_you' }, ask: { kind: 'delay_consent', choices: ['consent', 'cancel'] } });
    expect(view.ask.refund.amountMinor).toBe(a.order.totalMinor);

    const cancelled = await t.http.post(`/v1/self-service/links/${a.token}/delay`, { choice: 'cancel' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ replayed: false, result: { choice: 'cancel', outcome: 'cancelling', refund: { amountMinor: a.order.totalMinor, currency: 'USD' } } });
    // The same answer again is the same result; a different one is refused.
    const again = await t.http.post(`/v1/self-service/links/${a.token}/delay`, { choice: 'cancel' });
    expect(again.body).toEqual({ replayed: true, result: cancelled.body.result });
    const other = await t.http.post(`/v1/self-service/links/${a.token}/delay`, { choice: 'consent' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('link_used');

    await settle();
    const events = [...platform.events.values()].filter((e) => e.order.externalId === a.order.externalId);
    expect(events.map((e) => e.type).sort()).toEqual(['command.cancel_order', 'command.refund']);
    expect(events.find((e) => e.type === 'command.refund')!.command.payload).toMatchObject({ amountMinor: a.order.totalMinor, currency: 'USD' });
    const [resolution] = (await a.api.get(`/v1/tickets/${a.ticket.id}/resolutions`)).body.data;
    expect(resolution).toMatchObject({ kind: 'cancel', status: 'completed', amountMinor: a.order.totalMinor });
    const final = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    expect(final.status).toBe('resolved');
    const types = final.events.map((e: any) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['created', 'decision_made', 'message_added', 'delay_notice_sent', 'status_changed', 'delay_cancel_requested', 'resolution_requested']),
    );
    expect(types.indexOf('delay_notice_sent')).toBeLessThan(types.indexOf('delay_cancel_requested'));
    expect(final.events.find((e: any) => e.type === 'delay_cancel_requested').actor).toMatchObject({ kind: 'customer' });
    expect(final.events.map((e: any) => e.seq)).toEqual(final.events.map((_: unknown, i: number) => i + 1));
    const [ledger] = await t.ds.query(`SELECT kind, status, amount_minor FROM ledger_entries WHERE merchant_id = $1`, [a.merchant.id]);
    expect(ledger).toMatchObject({ kind: 'refund', status: 'confirmed' });
    // The customer is told the refund is on its way.
    expect((await a.api.get(`/v1/tickets/${a.ticket.id}`)).body.messages.filter((m: any) => m.direction === 'outbound').map((m: any) => m.templateId)).toEqual(['tracking.late_delay_notice', 'item.refund_issued']);
  }, 120_000);

  it('records the buyer\u2019s consent: the engine sees it, the case waits, nothing reaches the platform', async () => {
    const a = await lateOrder((now) => ({ delayKnownAt: now.toISOString(), expectedShipDate: day(new Date(now.getTime() + 14 * D)) }), { email: 'sam@example.com', name: 'Sam Lee', preferredLanguage: 'en' });
    expect(a.mail.subject).toMatch(/delayed/i);
    const before = platform.events.size;
    const consent = await t.http.post(`/v1/self-service/links/${a.token}/delay`, { choice: 'consent' });
    expect(consent.status).toBe(200);
    expect(consent.body.result).toMatchObject({ choice: 'consent', outcome: 'waiting' });
    const final = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    expect(final.status).toBe('waiting_carrier');
    expect(final.events.map((e: any) => e.type)).toEqual(expect.arrayContaining(['delay_notice_sent', 'delay_consent_given']));
    const latest = (await t.ds.query(`SELECT facts, decision FROM ticket_decisions WHERE merchant_id = $1 AND ticket_id = $2`, [a.merchant.id, a.ticket.id])).find((r: any) => r.facts.preShipment?.expressConsentAt);
    expect(latest.facts.preShipment.delayNotices).toHaveLength(1);
    expect(latest.decision.required.map((x: any) => x.kind)).toContain('WAIT');
    expect(latest.decision.required.map((x: any) => x.kind)).not.toContain('DELAY_NOTICE');
    await settle();
    expect(platform.events.size).toBe(before);
    expect((await t.http.get(`/v1/self-service/links/${a.token}`)).body).toMatchObject({ case: { status: 'waiting_for_carrier' }, link: { answer: { choice: 'consent' } } });
  }, 120_000);

  it('sends one notice per notice kind, however often it is asked to', async () => {
    const a = await lateOrder((now) => ({ delayKnownAt: now.toISOString(), expectedShipDate: day(new Date(now.getTime() + 14 * D)) }), { email: 'kim@example.com', name: 'Kim Park', preferredLanguage: 'en' });
    // Asked again (and at once, twice) for the same ticket: the first notice stands, no second e-mail or link.
    const sut = t.get(SelfServiceService);
    expect(await Promise.all([sut.sendDueNotice(a.merchant.id, a.ticket.id), sut.sendDueNotice(a.merchant.id, a.ticket.id)])).toEqual([false, false]);
    // Even handed the stale decision that still requires the notice, the playbook finds it already sent.
    const firstId = a.ticket.events.find((e: any) => e.type === 'decision_made').data.decisionId;
    const stale = await t.ds.getRepository(TicketDecisionEntity).findOneByOrFail({ merchantId: a.merchant.id, id: firstId });
    expect(stale.decision.required.map((x) => x.kind)).toContain('DELAY_NOTICE');
    const tickets = t.get(TicketsService);
    const deps = { tickets, messages: t.get(CaseMessages), clock: t.get(Clock), links: t.get(CustomerLinksService) };
    const again = await t.ds.transaction(async (em) => sendDelayNotice(em, await tickets.lockForChange(em, a.merchant.id, a.ticket.id, null), stale, deps));
    expect(again).toBe(false);
    const final = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    expect(final.events.filter((e: any) => e.type === 'delay_notice_sent')).toHaveLength(1);
    expect(final.messages.filter((m: any) => m.templateId === 'tracking.late_delay_notice')).toHaveLength(1);
    const [{ count }] = await t.ds.query(`SELECT count(*)::int AS count FROM customer_links WHERE merchant_id = $1 AND ticket_id = $2`, [a.merchant.id, a.ticket.id]);
    expect(count).toBe(1);
  }, 120_000);

  it('after a renewed notice, no express consent by the deadline cancels the order and refunds it', async () => {
    const a = await lateOrder(
      (now) => ({
        // The shop already sent a first notice with a new date; now it will miss that date too.
        delayNotices: [{ sentAt: new Date(now.getTime() - 3_600_000).toISOString(), revisedShipDate: day(new Date(now.getTime() + 10 * D)), channel: 'email' }],
        delayKnownAt: now.toISOString(),
        expectedShipDate: day(new Date(now.getTime() + 30 * D)),
      }),
      { email: 'ana@example.com', name: 'Ana Diaz', preferredLanguage: 'en' },
    );
    const sent = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body.events.find((e: any) => e.type === 'delay_notice_sent');
    expect(sent.data).toMatchObject({ notice: 'renewed', consent: 'express_consent_required' });
    expect(a.mail.text).toMatch(/tell us by/);
    const timers = await t.get(TicketClocks).pending(a.merchant.id, a.ticket.id);
    const timer = timers.find((x) => x.kind === 'no_express_consent');
    expect(timer).toBeDefined();

    // The deadline passes without an answer.
    clock.set(new Date(timer!.dueAt.getTime() + 60_000));
    await t.get(TicketClocks).fireDue();
    await settle();
    const events = [...platform.events.values()].filter((e) => e.order.externalId === a.order.externalId);
    expect(events.map((e) => e.type).sort()).toEqual(['command.cancel_order', 'command.refund']);
    const final = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    expect(final.status).toBe('resolved');
    const types = final.events.map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(['delay_notice_sent', 'no_express_consent', 'resolution_requested']));
    expect(final.events.find((e: any) => e.type === 'no_express_consent').actor).toMatchObject({ kind: 'system', id: 'clock' });
    // The consent link has expired with the deadline.
    const late = await t.http.post(`/v1/self-service/links/${a.token}/delay`, { choice: 'consent' });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('link_expired');
  }, 120_000);
});
