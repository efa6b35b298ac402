import { signEasyPostWebhook } from '@app/carriers';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { postSigned, signedEvent, trackerJourney } from './easypost-events';

const SECRET = 'easypost-webhook-secret-for-tests';

describe('Carrier webhooks (EasyPost)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ EASYPOST_WEBHOOK_SECRET: 'deployment-wide-secret-123' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A merchant with its own EasyPost account and `codes` registered as EasyPost shipments. */
  async function merchantWithParcels(codes: string[]) {
    const m = await createMerchant(t);
    const acct = await t.admin.request('PUT', `/admin/merchants/${m.merchant.id}/carrier-accounts/easypost`, {
      credentials: { apiKey: 'EZTK-not-used-here', webhookSecret: SECRET },
      apiBaseUrl: 'http://127.0.0.1:9/v2/',
    });
    expect(acct.status).toBe(200);
    expect(JSON.stringify(acct.body)).not.toContain(SECRET);
    for (const code of codes) {
      const order = orderBody();
      await m.api.post('/v1/orders', order);
      const s = await m.api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'easypost', carrierName: 'USPS', trackingCode: code });
      expect(s.status).toBe(201);
    }
    return { ...m, hookUrl: `${t.baseUrl}/webhooks/easypost/${acct.body.id}`, accountId: acct.body.id as string };
  }

  async function state(merchantId: string) {
    const shipments = await t.ds.query(
      `SELECT tracking_code, status, exception_reason, status_at, last_event_at, delivered_at, estimated_delivery_at, signed_by, snapshot_at
         FROM shipments WHERE merchant_id = $1 ORDER BY tracking_code`,
      [merchantId],
    );
    const events = await t.ds.query(
      `SELECT s.tracking_code, e.source_event_id, e.status, e.occurred_at FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id
        WHERE e.merchant_id = $1 ORDER BY s.tracking_code, e.source_event_id`,
      [merchantId],
    );
    const signals = await t.ds.query(
      // Open signals are the state; closed ones are history, which depends on what was seen when.
      `SELECT s.tracking_code, g.kind, g.reason FROM shipment_signals g JOIN shipments s ON s.id = g.shipment_id
        WHERE g.merchant_id = $1 AND g.resolved_at IS NULL ORDER BY s.tracking_code, g.kind`,
      [merchantId],
    );
    return { shipments, events, signals };
  }

  it('applies a signed event, stores it once, and answers a redelivery as a duplicate', async () => {
    const { merchant, hookUrl } = await merchantWithParcels(['9400100000000000000001']);
    const journey = trackerJourney('9400100000000000000001', Date.parse('2026-11-02T10:00:00Z'), 0);
    const delivery = signedEvent(journey[journey.length - 1], SECRET, hookUrl, Date.now());
    const first = await postSigned(hookUrl, delivery);
    expect(first).toEqual({ status: 200, body: { received: true, duplicate: false, shipmentsUpdated: 1 } });
    const again = await postSigned(hookUrl, delivery);
    expect(again.body).toMatchObject({ duplicate: true });
    const s = await state(merchant.id);
    expect(s.shipments[0]).toMatchObject({ status: 'delivered', signed_by: 'J DOE' });
    expect(s.events).toHaveLength(6);
    const [stored] = await t.ds.query(`SELECT count(*)::int AS n, min(outcome) AS outcome FROM carrier_webhook_events WHERE event_id = $1`, [delivery.eventId]);
    expect(stored).toEqual({ n: 1, outcome: 'applied' });
  });

  it.each([
    ['a changed byte', (d: { rawBody: string; signature: string }) => ({ ...d, rawBody: d.rawBody.replace('Out for Delivery', 'Out for Deliverx') })],
    ['a wrong secret', (d: { rawBody: string; signature: string }) => signedEvent(JSON.parse(d.rawBody).result, 'not-the-secret', 'x', Date.now())],
    ['a bare signature without its prefix', (d: { rawBody: string; signature: string }) => ({ ...d, signature: d.signature.replace('hmac-sha256-hex=', '') })],
    ['no signature', (d: { rawBody: string; signature: string }) => ({ ...d, signature: '' })],
  ])('refuses %s with 401 and stores nothing', async (_name, tamper) => {
    const { merchant, hookUrl } = await merchantWithParcels([`94001${Math.floor(Math.random() * 1e12)}`]);
    const code = (await state(merchant.id)).shipments[0].tracking_code;
    const journey = trackerJourney(code, Date.parse('2026-11-02T10:00:00Z'), 0);
    const good = signedEvent(journey[4], SECRET, hookUrl, Date.now());
    const res = await postSigned(hookUrl, tamper(good));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_signature');
    const s = await state(merchant.id);
    expect(s.events).toHaveLength(0);
    expect(s.shipments[0].status).toBe('pre_transit');
    const [row] = await t.ds.query(`SELECT count(*)::int AS n FROM carrier_webhook_events WHERE tracking_code = $1`, [code]);
    expect(row.n).toBe(0);
  });

  it("applies an account's events only to that merchant's shipments", async () => {
    const a = await merchantWithParcels(['9400100000000000000777']);
    const b = await merchantWithParcels(['9400100000000000000777']);
    const journey = trackerJourney('9400100000000000000777', Date.parse('2026-11-02T10:00:00Z'), 0);
    await postSigned(a.hookUrl, signedEvent(journey[5], SECRET, a.hookUrl, Date.now()));
    expect((await state(a.merchant.id)).shipments[0].status).toBe('delivered');
    expect((await state(b.merchant.id)).shipments[0].status).toBe('pre_transit');
  });

  it('404s an unknown account and 400s a signed body that is not an event', async () => {
    expect((await postSigned(`${t.baseUrl}/webhooks/easypost/00000000-0000-0000-0000-000000000000`, { rawBody: '{}', signature: 'x' })).status).toBe(404);
    const { hookUrl } = await merchantWithParcels([]);
    const res = await postSigned(hookUrl, { rawBody: '{"hello":1}', signature: signEasyPostWebhook('{"hello":1}', SECRET) });
    expect(res.status).toBe(400);
  });

  it('ends 1,000 duplicated, shuffled events in the same state as the in-order stream', async () => {
    const codes = Array.from({ length: 20 }, (_, i) => `94001000000000${String(1000 + i)}`);
    const inOrder = await merchantWithParcels(codes);
    const shuffled = await merchantWithParcels(codes);
    const start = Date.parse('2026-11-02T10:00:00Z');
    // 20 parcels × 6-7 snapshots, sent as distinct events, plus duplicates of random ones: 1,000 deliveries.
    const build = (url: string) => {
      const unique = codes.flatMap((code, i) => trackerJourney(code, start + i * 60_000, i).map((tracker) => signedEvent(tracker, SECRET, url, Date.now())));
      const all = [...unique];
      let k = 0;
      while (all.length < 1000) all.push(unique[(k++ * 7919) % unique.length]);
      return { unique, all };
    };
    const a = build(inOrder.hookUrl);
    for (const d of a.unique) expect((await postSigned(inOrder.hookUrl, d)).status).toBe(200);

    const b = build(shuffled.hookUrl);
    const deck = [...b.all];
    for (let i = deck.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [deck[i], deck[j]] = [deck[j], deck[i]];
    }
    expect(deck).toHaveLength(1000);
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < deck.length) statuses.push((await postSigned(shuffled.hookUrl, deck[next++])).status);
      }),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);

    const expected = await state(inOrder.merchant.id);
    const actual = await state(shuffled.merchant.id);
    expect(actual.shipments).toEqual(expected.shipments);
    expect(actual.events).toEqual(expected.events);
    expect(actual.signals).toEqual(expected.signals);
    expect(new Set(expected.shipments.map((s: any) => s.status))).toEqual(new Set(['delivered', 'exception', 'return_to_sender']));
    expect(new Set(expected.signals.map((s: any) => s.kind))).toEqual(new Set(['exception', 'return_to_sender']));
    const [stored] = await t.ds.query(`SELECT count(*)::int AS n FROM carrier_webhook_events WHERE carrier_account_id = $1`, [shuffled.accountId]);
    expect(stored.n).toBe(b.unique.length);
  });
});
