import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { TrackingService } from '../../apps/delivery-desk/src/tracking/tracking.service';
import { FakeUps, startFakeUps } from '../fakes/ups/fake-ups.server';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const D = 86_400_000;
const CODE = '1ZABCXYZ0112346789';
const TOKEN = 'ups-track-alert-token-0123456789';
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/ups', name), 'utf8')) as Record<string, unknown>;

/** A merchant's own UPS account: tracking subscribes the parcel to Track Alert, pushes update it, renewals keep it subscribed. */
describe('UPS Track Alert through the service', () => {
  let t: TestApp;
  let ups: FakeUps;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    ups = await startFakeUps();
    t = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await t.close();
    await ups.close();
  });

  it('subscribes a live parcel with the merchant token, applies the pushes, renews before the 14 days run out, and lets a delivered one lapse', async () => {
    const { api, merchant } = await createMerchant(t);
    const account = await t.admin.request('PUT', `/admin/merchants/${merchant.id}/carrier-accounts/ups`, {
      credentials: { clientId: 'test-client-id', clientSecret: 'test-client-secret', accountNumber: 'A1B2C3', webhookToken: TOKEN },
      apiBaseUrl: ups.url,
    });
    expect(account.status).toBeLessThan(300);
    const order = orderBody();
    await api.post('/v1/orders', order);
    const shipment = (await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'ups', trackingCode: CODE })).body;
    await t.get(JobQueue).drain();

    // Tracked once, then subscribed: UPS will push to this merchant's webhook and echo its token.
    expect((await api.get(`/v1/shipments/${shipment.id}`)).body.status).toBe('in_transit');
    expect(ups.subscriptions.get(CODE)).toMatchObject({ url: `${t.baseUrl}/webhooks/ups/${account.body.id}`, credential: TOKEN });
    const [row] = await t.ds.query(`SELECT push_subscribed_until FROM shipments WHERE id = $1`, [shipment.id]);
    expect(new Date(row.push_subscribed_until).getTime()).toBe(clock.now().getTime() + 14 * D);
    const subscribeCalls = () => ups.requests.filter((r) => r.route === 'trackAlert.subscribe' && JSON.stringify(r.body).includes(CODE)).length;
    expect(subscribeCalls()).toBe(1);

    // A push UPS makes reaches the shipment (the credential header is the merchant's token).
    const out = await ups.pushTrackAlert(CODE, fixture('track-alert-out-for-delivery.json'));
    expect(out.status).toBe(200);
    expect((await api.get(`/v1/shipments/${shipment.id}`)).body.status).toBe('out_for_delivery');

    // A tracking call with days left does not subscribe again; one in the last day renews for another 14.
    clock.advance(5 * D);
    await t.get(TrackingService).track(merchant.id, shipment.id);
    expect(subscribeCalls()).toBe(1);
    clock.advance(8 * D + 12 * 3_600_000);
    await t.get(TrackingService).track(merchant.id, shipment.id);
    expect(subscribeCalls()).toBe(2);
    const [renewed] = await t.ds.query(`SELECT push_subscribed_until FROM shipments WHERE id = $1`, [shipment.id]);
    expect(new Date(renewed.push_subscribed_until).getTime()).toBe(clock.now().getTime() + 14 * D);

    // A failed subscription costs only the pushes: tracking goes on and tries again next time.
    clock.advance(14 * D);
    ups.inject('trackAlert.subscribe', { status: 503 }, 5);
    await expect(t.get(TrackingService).track(merchant.id, shipment.id)).resolves.not.toBeNull();
    ups.clearFaults();
    const [lapsed] = await t.ds.query(`SELECT push_subscribed_until FROM shipments WHERE id = $1`, [shipment.id]);
    expect(new Date(lapsed.push_subscribed_until).getTime()).toBeLessThanOrEqual(clock.now().getTime());

    // Delivered: nothing more to hear about, so it is not renewed.
    expect((await ups.pushTrackAlert(CODE, fixture('track-alert-delivered-photo.json'))).status).toBe(200);
    expect((await api.get(`/v1/shipments/${shipment.id}`)).body.status).toBe('delivered');
    const before = subscribeCalls();
    await t.get(TrackingService).track(merchant.id, shipment.id);
    expect(subscribeCalls()).toBe(before);
  }, 60_000);
});
