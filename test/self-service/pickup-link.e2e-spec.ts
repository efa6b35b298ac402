import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { FakeEasyPost, startFakeEasyPost } from '../fakes/easypost/fake-easypost.server';
import { FakePlatform, startFakePlatform } from '../fakes/platform/fake-platform.server';
import { ReceivedMail, SmtpSink, startSmtpSink } from '../fakes/smtp/smtp-sink';
import { createMerchant, orderBody } from '../support/factories';
import { HttpClient } from '../support/http-client';
import { startTestApp, TestApp } from '../support/test-app';
import { postSigned, signedEvent, trackerJourney } from '../tracking/easypost-events';

const H = 3_600_000;
const SECRET = 'pickup-link-platform-secret-0123456789';
const HOOK_SECRET = 'pickup-link-easypost-webhook-secret';
const ZONE = 'America/Los_Angeles'; // the factories' ship-to is San Francisco
const LINK = /(https?:\/\/[^\s)>\]]+\/t\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/;

const addDays = (ymd: string, days: number) => new Date(Date.parse(`${ymd}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const localDate = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
function nextBusinessDay(ymd: string): string {
  let d = addDays(ymd, 1);
  while ([0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()) || ['12-25', '01-01', '11-26', '01-19'].includes(d.slice(5))) d = addDays(d, 1);
  return d;
}

/**
 * The customer's side of a return pickup: the booking e-mail carries a signed link; through it the
 * customer moves the pickup (more than once) or cancels it, with the same checks and carrier calls as
 * the platform's endpoints, each answer audited as the customer's. Agents see, hand out and withdraw
 * a case's links from the desk; the ticket view lists them without tokens.
 */
describe('Return pickup through the customer link', () => {
  let t: TestApp;
  let platform: FakePlatform;
  let easypost: FakeEasyPost;
  let smtp: SmtpSink;
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

  async function mailTo(email: string, subject: RegExp, after = 0): Promise<ReceivedMail> {
    for (let i = 0; i < 100; i++) {
      const found = smtp.messages.slice(after).find((m) => m.to?.includes(email) && subject.test(m.subject ?? ''));
      if (found) return found;
      await t.get(JobQueue).drain();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail "${subject}" to ${email}`);
  }

  /** A merchant on EasyPost with an agent, a delivered order, and a return ticket with a pickup booked. */
  async function bookedReturn() {
    const { api, apiKey, merchant } = await createMerchant(t, { platformWebhookUrl: platform.url, platformWebhookSecret: SECRET, defaultLanguage: 'ja' });
    platform.connect(t.baseUrl, apiKey);
    platform.autoRespond({ action: 'confirm', reference: (e) => `R-${e.id.slice(-6)}` });
    const account = (await t.admin.request('PUT', `/admin/merchants/${merchant.id}/carrier-accounts/easypost`, { credentials: { apiKey: easypost.apiKey, webhookSecret: HOOK_SECRET }, apiBaseUrl: easypost.url })).body;
    const hook = `${t.baseUrl}/webhooks/easypost/${account.id}`;
    const email = `buyer${++seq}-${Date.now() % 1e6}@example.com`;
    const order = orderBody({ customer: { email, name: '佐藤 花子', preferredLanguage: 'ja' } });
    await api.post('/v1/orders', order);
    const code = `94001000000000${String(Date.now() % 1e6).padStart(6, '0')}${String(seq).padStart(2, '0')}`;
    await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'easypost', carrierName: 'USPS', trackingCode: code });
    await t.get(JobQueue).drain();
    const outbound = trackerJourney(code, start, 0);
    expect((await postSigned(hook, signedEvent(outbound[outbound.length - 1], HOOK_SECRET, hook, Date.now()))).status).toBe(200);
    const opened = await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'return_pickup', lines: [{ lineExternalId: 'L2', quantity: 1 }], language: 'ja', description: '返品したいです。' });
    expect(opened.status).toBe(201);
    expect((await api.post(`/v1/tickets/${opened.body.id}/resolutions`, { action: 'CARRIER_PICKUP' })).status).toBe(201);
    await settle();
    await t.admin.post(`/admin/merchants/${merchant.id}/agents`, { email: 'agent@shop.example', name: 'Agent', role: 'agent', password: 'correct horse battery', approvalLimitMinor: 0 });
    const session = (await t.http.post('/v1/desk/sessions', { merchant: merchant.slug, email: 'agent@shop.example', password: 'correct horse battery' })).body;
    const desk = t.http.withHeaders({ authorization: `Bearer ${session.token}` });
    return { api, desk, agentId: session.agent.id as string, merchant, order, email, ticket: opened.body };
  }

  const pickupCalls = () => easypost.requests.filter((r) => r.route === 'POST /v2/pickups/:id/buy' || r.route === 'POST /v2/pickups/:id/cancel').length;

  it('follows the link from the booking e-mail, moves the pickup twice, cancels it; replays change nothing', async () => {
    const a = await bookedReturn();
    const booked = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body.details.return.pickup;
    expect(booked.status).toBe('booked');

    // The booking e-mail carries the link; it points at this app, and the page names the API behind it.
    const mail = await mailTo(a.email, /集荷日時のご案内/);
    const url = LINK.exec(mail.text ?? '')?.[1];
    expect(url).toBeDefined();
    expect(url!.startsWith(`${t.baseUrl}/t/`)).toBe(true);
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    const api = /<link rel="alternate" type="application\/json" href="([^"]+)">/.exec(html)?.[1];
    expect(api).toBeDefined();
    const customer = new HttpClient(new URL(url!).origin);
    const view = await customer.get(api!);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      link: { purpose: 'pickup' },
      ask: { kind: 'pickup', choices: ['reschedule', 'cancel'], pickup: { status: 'booked', carrier: booked.carrier, confirmation: booked.confirmation, allowedWindow: { from: booked.allowedFrom, to: booked.allowedTo } } },
      text: { title: '返品商品の集荷について' },
    });
    expect(JSON.stringify(view.body)).not.toContain(booked.pickupId);
    const answer = `${api}/pickup`;

    // Bad answers: field paths, nothing written, nothing asked of the carrier.
    const before = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    const calls = pickupCalls();
    const today = localDate(clock.now());
    let saturday = addDays(today, 1);
    while (new Date(`${saturday}T12:00:00Z`).getUTCDay() !== 6) saturday = addDays(saturday, 1);
    const bad: [unknown, number, string, string][] = [
      [{ action: 'reschedule', date: today }, 422, 'pickup_reschedule_invalid', 'date'],
      [{ action: 'reschedule', date: addDays(today, -1) }, 422, 'pickup_reschedule_invalid', 'date'],
      [{ action: 'reschedule', date: nextBusinessDay(addDays(booked.allowedTo, 3)) }, 422, 'pickup_reschedule_invalid', 'date'],
      [{ action: 'reschedule', date: saturday }, 422, 'pickup_reschedule_invalid', 'date'],
      [{ action: 'reschedule', date: nextBusinessDay(today), windowFrom: '15:00', windowTo: '11:00' }, 422, 'pickup_reschedule_invalid', 'windowTo'],
      [{ action: 'reschedule', date: '2026/12/08' }, 400, 'validation_failed', 'date'],
      [{ action: 'reschedule', date: nextBusinessDay(today), windowFrom: '9am' }, 400, 'validation_failed', 'windowFrom'],
      [{ action: 'postpone' }, 400, 'validation_failed', 'action'],
      [{ action: 'cancel', date: nextBusinessDay(today) }, 400, 'validation_failed', 'date'],
    ];
    for (const [body, status, code, path] of bad) {
      const res = await customer.post(answer, body);
      expect([body, res.status, res.body.error?.code]).toEqual([body, status, code]);
      expect(res.body.error.fields.map((f: any) => f.path)).toContain(path);
    }
    const unchanged = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    expect(unchanged.version).toBe(before.version);
    expect(unchanged.events).toHaveLength(before.events.length);
    expect(pickupCalls()).toBe(calls);

    // Moved to the next business day, late morning: the carrier sees the move.
    const day = nextBusinessDay(today);
    const mailsBefore = smtp.messages.length;
    const moved = await customer.post(answer, { action: 'reschedule', date: day, windowFrom: '10:00', windowTo: '13:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ replayed: false, result: { action: 'reschedule', pickup: { status: 'booked', previousWindow: { start: booked.windowStart } } } });
    expect(Date.parse(moved.body.result.pickup.window.start)).toBe(Date.parse(`${day}T10:00:00-08:00`));
    let state = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    const firstMove = state.details.return.pickup;
    expect(easypost.state.pickups.get(booked.pickupId)!.status).toBe('canceled');
    expect(easypost.state.pickups.get(firstMove.pickupId)!.status).toBe('scheduled');
    const linkId = state.links.find((l: any) => l.purpose === 'pickup').id;
    expect(state.events.filter((e: any) => e.type === 'pickup_rescheduled').map((e: any) => e.actor)).toEqual([{ kind: 'customer', id: `link:${linkId}` }]);
    // The "moved" e-mail carries the same link, for another change.
    const movedMail = await mailTo(a.email, /集荷日時変更のご案内/, mailsBefore);
    expect(LINK.exec(movedMail.text ?? '')?.[1]).toBe(url);

    // The same answer again: a replay, nothing asked of the carrier.
    const callsAfterMove = pickupCalls();
    const replay = await customer.post(answer, { action: 'reschedule', date: day, windowFrom: '10:00', windowTo: '13:00' });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ replayed: true, result: moved.body.result });
    expect(pickupCalls()).toBe(callsAfterMove);

    // Not single use: the customer moves it again, to the afternoon.
    const again = await customer.post(answer, { action: 'reschedule', date: day, windowFrom: '14:00', windowTo: '17:00' });
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(false);
    state = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    const secondMove = state.details.return.pickup;
    expect(secondMove.pickupId).not.toBe(firstMove.pickupId);
    expect(easypost.state.pickups.get(firstMove.pickupId)!.status).toBe('canceled');
    expect(easypost.state.pickups.get(secondMove.pickupId)!.status).toBe('scheduled');

    // Cancelled, twice: the second is the first's replay; the carrier was asked once.
    const cancelled = await customer.post(answer, { action: 'cancel' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ replayed: false, result: { action: 'cancel', pickup: { status: 'cancelled' } } });
    expect(easypost.state.pickups.get(secondMove.pickupId)!.status).toBe('canceled');
    const cancels = easypost.requests.filter((r) => r.route === 'POST /v2/pickups/:id/cancel').length;
    const twice = await customer.post(answer, { action: 'cancel' });
    expect(twice.body).toEqual({ replayed: true, result: cancelled.body.result });
    expect(easypost.requests.filter((r) => r.route === 'POST /v2/pickups/:id/cancel').length).toBe(cancels);
    const late = await customer.post(answer, { action: 'reschedule', date: day });
    expect([late.status, late.body.error.code]).toEqual([409, 'pickup_cancelled']);
    expect((await customer.get(api!)).body.ask).toMatchObject({ kind: 'pickup', choices: [], pickup: { status: 'cancelled' } });

    // Every answer on the case as the customer's; the link shows as used, with the answer, and no token.
    const final = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    const mine = final.events.filter((e: any) => e.actor.kind === 'customer').map((e: any) => e.type);
    expect(mine).toEqual(['pickup_rescheduled', 'pickup_rescheduled', 'pickup_cancelled']);
    expect(final.links).toEqual([
      expect.objectContaining({ id: linkId, purpose: 'pickup', status: 'used', answer: cancelled.body.result, revokedAt: null, expiresAt: expect.any(String) }),
    ]);
    const token = url!.split('/t/')[1];
    expect(JSON.stringify(final.links)).not.toContain(token);
    expect(Object.keys(final.links[0])).not.toContain('url');
  }, 180_000);

  it('lets agents list, hand out and withdraw a case\u2019s links, audited, and only their own shop\u2019s', async () => {
    const a = await bookedReturn();
    const b = await bookedReturn();
    const base = `/v1/desk/tickets/${a.ticket.id}/links`;

    const listed = await a.desk.get(base);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ purpose: 'pickup', status: 'active', usedAt: null, answer: null })]);
    expect(JSON.stringify(listed.body)).not.toMatch(/\/t\//);
    const pickupLink = listed.body.data[0];

    // A case link: the URL once, in the answer; the issue on the audit trail as the agent's.
    const issued = await a.desk.post(base, { purpose: 'case', expiresInDays: 7 });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ purpose: 'case', status: 'active', url: expect.stringMatching(new RegExp(`^${t.baseUrl}/t/`)) });
    expect((await t.http.get(`/v1/self-service/links/${issued.body.url.split('/t/')[1]}`)).body).toMatchObject({ link: { purpose: 'case' } });
    const afterIssue = (await a.desk.get(base)).body.data;
    expect(afterIssue.map((l: any) => l.purpose)).toEqual(['pickup', 'case']);
    expect(afterIssue.every((l: any) => !('url' in l))).toBe(true);
    // Answer links are made by the playbooks, never by hand.
    const refused = await a.desk.post(base, { purpose: 'delay_consent' });
    expect([refused.status, refused.body.error.fields[0].path]).toEqual([400, 'purpose']);

    // Withdrawn: its holder gets 410, for reading and for answering; withdrawing twice records once.
    const bookingMail = await mailTo(a.email, /集荷日時のご案内/);
    const token = LINK.exec(bookingMail.text ?? '')![1].split('/t/')[1];
    const revoked = await a.desk.post(`${base}/${pickupLink.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: pickupLink.id, status: 'revoked', revokedAt: expect.any(String) });
    expect((await a.desk.post(`${base}/${pickupLink.id}/revoke`)).status).toBe(200);
    const calls = pickupCalls();
    const blocked = await t.http.post(`/v1/self-service/links/${token}/pickup`, { action: 'cancel' });
    expect([blocked.status, blocked.body.error.code]).toEqual([410, 'link_revoked']);
    expect((await t.http.get(`/v1/self-service/links/${token}`)).status).toBe(410);
    expect((await fetch(`${t.baseUrl}/t/${token}`)).status).toBe(410);
    expect(pickupCalls()).toBe(calls);
    expect((await a.api.get(`/v1/tickets/${a.ticket.id}`)).body.details.return.pickup.status).toBe('booked');

    // A fresh pickup link for the customer, no longer than the pickup window.
    const fresh = await a.desk.post(base, { purpose: 'pickup' });
    expect(fresh.status).toBe(201);
    const allowedTo = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body.details.return.pickup.allowedTo;
    expect(fresh.body.expiresAt.slice(0, 10) <= addDays(allowedTo, 1)).toBe(true);
    const viaFresh = await t.http.get(`/v1/self-service/links/${fresh.body.url.split('/t/')[1]}`);
    expect(viaFresh.body.ask).toMatchObject({ kind: 'pickup', choices: ['reschedule', 'cancel'] });

    // Both views list the links without tokens; the audit trail names the agent.
    const deskView = (await a.desk.get(`/v1/desk/tickets/${a.ticket.id}`)).body;
    const platformView = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    for (const v of [deskView, platformView]) {
      expect(v.links.map((l: any) => [l.purpose, l.status])).toEqual([
        ['pickup', 'revoked'],
        ['case', 'active'],
        ['pickup', 'active'],
      ]);
      expect(JSON.stringify(v.links)).not.toMatch(/\/t\/|\.[A-Za-z0-9_-]{40,}/);
    }
    const linkEvents = platformView.events.filter((e: any) => e.type === 'customer_link_issued' || e.type === 'customer_link_revoked');
    expect(linkEvents.map((e: any) => [e.type, e.actor.kind, e.data.purpose])).toEqual([
      ['customer_link_issued', 'system', 'pickup'],
      ['customer_link_issued', 'agent', 'case'],
      ['customer_link_revoked', 'agent', 'pickup'],
      ['customer_link_issued', 'agent', 'pickup'],
    ]);
    expect(linkEvents.filter((e: any) => e.actor.kind === 'agent').every((e: any) => e.actor.id === a.agentId)).toBe(true);

    // Another shop's agent finds none of it, and changes nothing.
    expect((await b.desk.get(base)).status).toBe(404);
    expect((await b.desk.post(base, { purpose: 'case' })).status).toBe(404);
    expect((await b.desk.post(`${base}/${issued.body.id}/revoke`)).status).toBe(404);
    expect((await b.desk.post(`/v1/desk/tickets/${b.ticket.id}/links/${issued.body.id}/revoke`)).status).toBe(404);
    expect((await t.http.get(`/v1/self-service/links/${issued.body.url.split('/t/')[1]}`)).status).toBe(200);
    // And without a session, nothing at all.
    expect((await t.http.get(base)).status).toBe(401);
  }, 180_000);
});
