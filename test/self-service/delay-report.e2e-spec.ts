import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { TicketsService } from '../../apps/delivery-desk/src/tickets/tickets.service';
import { ReceivedMail, SmtpSink, startSmtpSink } from '../fakes/smtp/smtp-sink';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const D = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A delay the shop learns of after the case opened: the platform reports it on the ticket, and the
 * FTC delay notice goes out in the same transaction as the decision that requires it, once per notice
 * kind however often the case is decided again; a later date needs the renewed notice.
 */
describe('Delay reported on an open case', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port) }, { clock });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function mailsFor(orderNumber: string, count: number): Promise<ReceivedMail[]> {
    for (let i = 0; i < 80; i++) {
      const found = smtp.messages.filter((m) => (m.subject ?? '').includes(orderNumber) || (m.text ?? '').includes(orderNumber));
      if (found.length >= count) return found;
      await t.get(JobQueue).drain();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`fewer than ${count} mails for ${orderNumber}`);
  }

  /** An unshipped order with a where-is-my-order ticket that knows of no delay yet. */
  async function onTimeCase(category = 'tracking') {
    const shop = await createMerchant(t);
    const now = clock.now();
    const order = orderBody({
      placedAt: new Date(now.getTime() - D).toISOString(),
      shippingPromise: { kind: 'ships_within', businessDays: 3 },
      customer: { email: 'lee@example.com', name: 'Sam Lee', preferredLanguage: 'en' },
    });
    expect((await shop.api.post('/v1/orders', order)).status).toBe(201);
    const opened = await shop.api.post('/v1/tickets', { orderExternalId: order.externalId, category, description: 'When will it ship?', ...(category === 'tracking' ? {} : { lines: [{ lineExternalId: 'L2', quantity: 1 }] }) });
    expect(opened.status).toBe(201);
    return { ...shop, order, ticket: opened.body };
  }

  const noticesOf = async (api: TestApp['http'], ticketId: string) => (await api.get(`/v1/tickets/${ticketId}`)).body.events.filter((e: any) => e.type === 'delay_notice_sent');

  it('sends the notice when the platform reports the delay, once, and the renewed notice for a later date', async () => {
    const a = await onTimeCase();
    expect(a.ticket.decision.required.map((x: any) => x.kind)).not.toContain('DELAY_NOTICE');
    expect(await noticesOf(a.api, a.ticket.id)).toHaveLength(0);

    const now = clock.now();
    const report = { delayKnownAt: now.toISOString(), expectedShipDate: day(new Date(now.getTime() + 14 * D)), reason: 'stock_shortage' };
    const res = await a.api.post(`/v1/tickets/${a.ticket.id}/delay`, report);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changed: true, noticeSent: true, ticket: { status: 'waiting_customer', details: { delayKnownAt: now.toISOString(), expectedShipDate: report.expectedShipDate } } });
    // Audited as the platform's, then decided, then the notice: all in the report's transaction.
    const types = res.body.ticket.events.map((e: any) => e.type);
    const reported = types.indexOf('delay_reported');
    expect(reported).toBeGreaterThan(0);
    expect(res.body.ticket.events[reported].actor).toMatchObject({ kind: 'platform', id: a.keyId });
    expect(types.indexOf('decision_made', reported)).toBeGreaterThan(reported);
    expect(types.indexOf('delay_notice_sent', reported)).toBeGreaterThan(types.indexOf('decision_made', reported));
    const [mail] = await mailsFor(a.order.externalId, 1);
    expect(mail.subject).toMatch(/delayed/i);
    const url = /(https?:\/\/\S+\/t\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\?choice=consent/.exec(mail.text ?? '')?.[1];
    expect(url).toBeDefined();
    // The link in the e-mail reaches this app, as the customer's browser would.
    expect(url!.startsWith(`${t.baseUrl}/t/`)).toBe(true);
    const token = url!.split('/t/')[1];
    expect((await t.http.get(`/v1/self-service/links/${token}`)).body).toMatchObject({ ask: { kind: 'delay_consent', revisedShipDate: report.expectedShipDate } });

    // The same report again changes nothing; deciding again (twice, and at once) sends nothing more.
    const again = await a.api.post(`/v1/tickets/${a.ticket.id}/delay`, report);
    expect(again.body).toMatchObject({ changed: false, noticeSent: false });
    const tickets = t.get(TicketsService);
    const redecide = () => t.ds.transaction(async (em) => tickets.redecide(em, await tickets.lockForChange(em, a.merchant.id, a.ticket.id, null), { kind: 'system', id: 'test' }));
    await redecide();
    await Promise.all([redecide(), redecide()]);
    expect((await noticesOf(a.api, a.ticket.id)).map((e: any) => e.data.notice)).toEqual(['first']);
    const links = await t.ds.query(`SELECT purpose, ref FROM customer_links WHERE merchant_id = $1 AND ticket_id = $2`, [a.merchant.id, a.ticket.id]);
    expect(links).toEqual([{ purpose: 'delay_consent', ref: 'first' }]);

    // The shop now expects to miss the revised date: the renewed notice (express consent needed) goes out, once.
    const later = { delayKnownAt: now.toISOString(), expectedShipDate: day(new Date(now.getTime() + 40 * D)) };
    const renewed = await a.api.post(`/v1/tickets/${a.ticket.id}/delay`, later);
    expect(renewed.body).toMatchObject({ changed: true, noticeSent: true });
    await redecide();
    const notices = await noticesOf(a.api, a.ticket.id);
    expect(notices.map((e: any) => [e.data.notice, e.data.consent])).toEqual([
      ['first', 'silence_is_consent'],
      ['renewed', 'express_consent_required'],
    ]);
    const mails = await mailsFor(a.order.externalId, 2);
    expect(mails).toHaveLength(2);
    const final = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    expect(final.messages.filter((m: any) => m.templateId === 'tracking.late_delay_notice')).toHaveLength(2);
    expect(final.events.map((e: any) => e.seq)).toEqual(final.events.map((_: unknown, i: number) => i + 1));
  }, 120_000);

  it('refuses a bad report with field paths and writes nothing', async () => {
    const a = await onTimeCase();
    const before = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    const future = new Date(clock.now().getTime() + D).toISOString();
    const cases: [unknown, string[]][] = [
      [{}, ['delayKnownAt', 'expectedShipDate']],
      [{ delayKnownAt: 'yesterday', expectedShipDate: null }, ['delayKnownAt']],
      [{ delayKnownAt: future, expectedShipDate: null }, ['delayKnownAt']],
      [{ delayKnownAt: clock.now().toISOString(), expectedShipDate: '2026-02-30' }, ['expectedShipDate']],
      [{ delayKnownAt: clock.now().toISOString(), expectedShipDate: 20261218 }, ['expectedShipDate']],
      [{ delayKnownAt: clock.now().toISOString(), expectedShipDate: null, reason: 'aliens' }, ['reason']],
      [{ delayKnownAt: clock.now().toISOString(), expectedShipDate: null, note: 'x' }, ['note']],
      [[1, 2], ['body']],
    ];
    for (const [body, paths] of cases) {
      const res = await a.api.post(`/v1/tickets/${a.ticket.id}/delay`, body);
      expect([body, res.status, res.body.error?.code]).toEqual([body, 400, 'validation_failed']);
      expect(res.body.error.fields.map((f: any) => f.path).sort()).toEqual([...paths].sort());
    }
    const after = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    expect(after.version).toBe(before.version);
    expect(after.events).toHaveLength(before.events.length);
    expect(after.details).toEqual(before.details);

    // Another shop's ticket is not found; a ticket of another kind is refused.
    const b = await onTimeCase();
    const valid = { delayKnownAt: clock.now().toISOString(), expectedShipDate: null };
    expect((await b.api.post(`/v1/tickets/${a.ticket.id}/delay`, valid)).status).toBe(404);
    const damaged = await onTimeCase('damaged');
    const wrongKind = await damaged.api.post(`/v1/tickets/${damaged.ticket.id}/delay`, valid);
    expect([wrongKind.status, wrongKind.body.error.code, wrongKind.body.error.fields[0].path]).toEqual([422, 'delay_not_applicable', 'ticketId']);
  }, 120_000);
});
