import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { PlatformDeliveryOptions } from '../../apps/delivery-desk/src/platform/platform-delivery.options';
import { MESSAGE_DELIVERY_QUEUE, PlatformMessageDelivery } from '../../apps/delivery-desk/src/platform/platform-message-delivery.service';
import { FakePlatform, startFakePlatform } from '../fakes/platform/fake-platform.server';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const SECRET = 'message-channel-platform-secret-0123456789';

/** Customer messages also go to the merchant's platform as signed `message.created` webhooks, when it opts in. */
describe('The platform message channel', () => {
  let t: TestApp;
  let platform: FakePlatform;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    platform = await startFakePlatform({ secret: SECRET });
    t = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await t.close();
    await platform.close();
  });

  /** A merchant, a ticket, and a supervisor's desk session. */
  async function caseWithDesk(overrides: Record<string, unknown>) {
    const m = await createMerchant(t, { platformWebhookUrl: platform.url, platformWebhookSecret: SECRET, ...overrides });
    const order = orderBody();
    await m.api.post('/v1/orders', order);
    const ticket = (await m.api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'tracking', language: 'en' })).body;
    const email = `agent-${Math.random().toString(36).slice(2, 8)}@shop.example`;
    await t.admin.post(`/admin/merchants/${m.merchant.id}/agents`, { email, name: 'Agent', role: 'agent', password: 'correct horse battery' });
    const token = (await t.http.post('/v1/desk/sessions', { merchant: m.merchant.slug, email, password: 'correct horse battery' })).body.token;
    return { ...m, order, ticket, desk: t.http.withHeaders({ authorization: `Bearer ${token}` }) };
  }

  const platformOf = async (api: any, ticketId: string, messageId?: string) => {
    const view = (await api.get(`/v1/tickets/${ticketId}`)).body;
    const m = messageId ? view.messages.find((x: any) => x.id === messageId) : view.messages.filter((x: any) => x.direction === 'outbound').at(-1);
    return { message: m, platform: m.deliveries.platform };
  };

  it('delivers an agent reply signed and verifiable, shows its state on the ticket, and retries after a 500', async () => {
    const { api, merchant, order, ticket, desk } = await caseWithDesk({ platformMessageEvents: true });
    expect((await t.admin.get(`/admin/merchants/${merchant.id}`)).body.platformMessageEvents).toBe(true);
    // The first attempt fails; the retry waits longer than a drain, so the failure can be seen.
    const options = t.get(PlatformDeliveryOptions);
    const base = options.baseDelayMs;
    options.baseDelayMs = 120_000;
    platform.inject({ status: 500, body: 'upstream down' }, 1);
    try {
      const reply = await desk.post(`/v1/desk/tickets/${ticket.id}/messages`, { body: 'Your parcel left the depot this morning.', version: ticket.version });
      expect(reply.status).toBe(201);
      await t.get(JobQueue).drain();
    } finally {
      options.baseDelayMs = base;
    }
    let seen = await platformOf(api, ticket.id);
    expect(seen.message.body).toBe('Your parcel left the depot this morning.');
    expect(seen.platform).toMatchObject({ status: 'pending', attempts: 1, deliveredAt: null });
    expect(seen.platform.lastError).toMatch(/^HTTP 500: .*upstream down/);
    expect(seen.platform.nextAttemptAt).not.toBeNull();
    const eventId: string = seen.platform.eventId;
    expect(platform.deliveriesOf(eventId).map((d) => [d.verdict, d.status])).toEqual([['faulted', 500]]);

    // The retry comes due (the sweep takes it up on the service clock) and goes through.
    clock.set(new Date(new Date(seen.platform.nextAttemptAt).getTime() + 3 * 60_000));
    expect(await t.get(PlatformMessageDelivery).sweep()).toBeGreaterThanOrEqual(1);
    await t.get(JobQueue).drain();
    seen = await platformOf(api, ticket.id);
    expect(seen.platform).toMatchObject({ status: 'sent', attempts: 2, lastError: null, eventId });
    expect(seen.platform.deliveredAt).not.toBeNull();

    // What the platform received: the same event id twice, each signed (the fake checks the scheme on its own).
    const deliveries = platform.deliveriesOf(eventId);
    expect(deliveries.map((d) => [d.verdict, d.signatureValid])).toEqual([
      ['faulted', true],
      ['accepted', true],
    ]);
    expect(deliveries[0].rawBody.equals(deliveries[1].rawBody)).toBe(true);
    const event = platform.events.get(eventId) as any;
    expect(event).toMatchObject({
      id: eventId,
      type: 'message.created',
      merchantId: merchant.id,
      message: { id: seen.message.id, direction: 'outbound', channel: 'console', authorKind: 'agent', bodyText: 'Your parcel left the depot this morning.' },
      order: { externalId: order.externalId },
      ticket: { id: ticket.id, reference: ticket.number },
    });

    // Nothing more goes out: the stale delayed job of attempt 2 (due minutes from now in real time) is
    // brought forward, runs, and finds the message sent. Left queued, it would stall the next test's drain.
    await t.ds.query(`UPDATE pgboss.job SET start_after = now() WHERE name = $1 AND state IN ('created', 'retry')`, [MESSAGE_DELIVERY_QUEUE]);
    await t.get(PlatformMessageDelivery).sweep();
    await t.get(JobQueue).drain();
    expect(platform.deliveriesOf(eventId)).toHaveLength(2);
  }, 60_000);

  it('records a refusal on the message, and sends nothing for a merchant that has not opted in', async () => {
    const a = await caseWithDesk({ platformMessageEvents: true });
    platform.inject({ status: 400, body: 'unknown event type' }, 1);
    await a.desk.post(`/v1/desk/tickets/${a.ticket.id}/messages`, { body: 'We are on it.', version: a.ticket.version });
    await t.get(JobQueue).drain();
    const refused = await platformOf(a.api, a.ticket.id);
    expect(refused.platform).toMatchObject({ status: 'failed', attempts: 1 });
    expect(refused.platform.lastError).toMatch(/^refused: HTTP 400/);
    expect(platform.deliveriesOf(refused.platform.eventId)).toHaveLength(1);

    const b = await caseWithDesk({});
    const before = platform.deliveries.length;
    await b.desk.post(`/v1/desk/tickets/${b.ticket.id}/messages`, { body: 'We are on it too.', version: b.ticket.version });
    await t.get(JobQueue).drain();
    const quiet = await platformOf(b.api, b.ticket.id);
    expect(quiet.platform).toBeNull();
    expect(quiet.message.deliveries.email).toEqual({ status: quiet.message.deliveryStatus });
    expect(platform.deliveries.length).toBe(before);
  }, 60_000);
});
