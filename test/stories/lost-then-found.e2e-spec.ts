import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { TicketClocks } from '../../apps/delivery-desk/src/tickets/ticket-clocks.service';
import { FakeEasyPost, startFakeEasyPost } from '../fakes/easypost/fake-easypost.server';
import { epTime } from '../fakes/easypost/fake-easypost.builder';
import { FakePlatform, startFakePlatform } from '../fakes/platform/fake-platform.server';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { postSigned, signedEvent, trackerJourney } from '../tracking/easypost-events';

const SECRET = 'lost-found-platform-secret-0123456789';
const HOOK_SECRET = 'lost-found-easypost-webhook-secret';

/** A parcel refunded as not received that later comes back to the shop: the double compensation is flagged and the case reopens. */
describe('Story: compensated, then the parcel turns up', () => {
  let t: TestApp;
  let platform: FakePlatform;
  let easypost: FakeEasyPost;
  // After the fake's first ("unknown") scan of the new tracker, so the journey is the newer story.
  const start = Date.now() + 60_000;
  const clock = new ManualClock(new Date(start + 40 * 3_600_000));

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

  it('flags the double compensation and reopens the resolved case', async () => {
    const { api, apiKey, merchant } = await createMerchant(t, { platformWebhookUrl: platform.url, platformWebhookSecret: SECRET });
    platform.connect(t.baseUrl, apiKey);
    platform.autoRespond({ action: 'confirm', reference: (e) => `R-${e.id.slice(-6)}` });
    const account = (await t.admin.request('PUT', `/admin/merchants/${merchant.id}/carrier-accounts/easypost`, { credentials: { apiKey: easypost.apiKey, webhookSecret: HOOK_SECRET }, apiBaseUrl: easypost.url })).body;
    const hook = `${t.baseUrl}/webhooks/easypost/${account.id}`;
    const code = '9400100000000000004242';
    const order = orderBody();
    await api.post('/v1/orders', order);
    const shipment = (await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'easypost', carrierName: 'USPS', trackingCode: code })).body;
    await t.get(JobQueue).drain();
    const journey = trackerJourney(code, start, 0); // ends delivered
    expect((await postSigned(hook, signedEvent(journey[journey.length - 1], HOOK_SECRET, hook, Date.now()))).status).toBe(200);
    expect((await api.get(`/v1/shipments/${shipment.id}`)).body.status).toBe('delivered');

    const ticket = (await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'delivered_not_received', shipmentId: shipment.id })).body;
    clock.set(new Date(new Date(ticket.decision.deadlines.dnrWaitUntil.at).getTime() + 60_000));
    await t.get(TicketClocks).fireDue();
    // A signature was captured, so the refund needs the desk's review: a supervisor decides and refunds.
    await t.admin.post(`/admin/merchants/${merchant.id}/agents`, { email: 's@shop.example', name: 'S', role: 'supervisor', password: 'correct horse battery', approvalLimitMinor: 1_000_000 });
    const token = (await t.http.post('/v1/desk/sessions', { merchant: merchant.slug, email: 's@shop.example', password: 'correct horse battery' })).body.token;
    const desk = t.http.withHeaders({ authorization: `Bearer ${token}` });
    const options = (await desk.get(`/v1/desk/tickets/${ticket.id}/options`)).body;
    expect(options.required.map((a: any) => a.kind)).toContain('ESCALATE');
    expect(options.allowed.map((a: any) => a.kind)).toContain('REFUND_FULL');
    const chosen = await desk.post(`/v1/desk/tickets/${ticket.id}/resolutions`, { action: 'REFUND_FULL', version: options.version });
    expect(chosen.status).toBe(201);
    for (let i = 0; i < 5; i++) {
      await t.get(JobQueue).drain();
      await platform.idle();
    }
    expect((await api.get(`/v1/tickets/${ticket.id}`)).body.status).toBe('resolved');

    // Weeks later the carrier finds the parcel and sends it back to the shop.
    const last = journey[journey.length - 1];
    const back = {
      ...last,
      status: 'return_to_sender',
      status_detail: 'return_to_sender',
      updated_at: epTime(start + 20 * 86_400_000),
      tracking_details: [
        ...last.tracking_details,
        { ...last.tracking_details[0], status: 'return_to_sender', status_detail: 'return_to_sender', message: 'Delivered to sender', datetime: epTime(start + 20 * 86_400_000) },
      ],
    };
    expect((await postSigned(hook, signedEvent(back, HOOK_SECRET, hook, Date.now()))).status).toBe(200);
    const reopened = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(reopened.status).toBe('reopened');
    expect(reopened.events.map((e: any) => e.type)).toEqual(expect.arrayContaining(['double_compensation_flagged']));
    const flags = await t.ds.query(`SELECT reason, resolved_at FROM compensation_flags WHERE merchant_id = $1`, [merchant.id]);
    expect(flags).toEqual([{ reason: 'returned_after_compensation', resolved_at: null }]);
  }, 120_000);
});
