import { SandboxAdapter } from '@app/carriers';
import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { FakePlatform, startFakePlatform } from '../fakes/platform/fake-platform.server';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const H = 3_600_000;
const SECRET = 'item-story-platform-secret-0123456789';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF'), Buffer.alloc(1500, 3)]);

/**
 * Damaged on arrival: the platform opens a line-level ticket with photos, the customer takes the
 * refund offered for the damaged line only, the platform refunds and confirms, the case resolves;
 * twenty identical requests racing produce one refund.
 */
describe('Story: damaged item', () => {
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

  async function damagedTicket() {
    const { api, apiKey, merchant } = await createMerchant(t, { platformWebhookUrl: platform.url, platformWebhookSecret: SECRET });
    platform.connect(t.baseUrl, apiKey);
    const order = orderBody();
    await api.post('/v1/orders', order);
    const code = SandboxAdapter.storyTrackingCode('OK', new Date(clock.now().getTime() - 70 * H), String(Math.random()).slice(2, 8));
    const shipment = (await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'sandbox', carrierName: 'USPS', trackingCode: code })).body;
    await t.get(JobQueue).drain();
    const ticket = (await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'damaged', shipmentId: shipment.id, lines: [{ lineExternalId: 'L2', quantity: 1 }], details: { extent: 'whole' }, description: 'The bowl arrived broken.' })).body;
    for (const kind of ['photo_item', 'photo_packaging', 'photo_label']) {
      const res = await fetch(`${t.baseUrl}/v1/tickets/${ticket.id}/evidence?kind=${kind}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'image/jpeg' }, body: Buffer.concat([JPEG, Buffer.from(kind)]) });
      expect(res.status).toBe(201);
    }
    return { api, apiKey, merchant, order, ticket };
  }

  it('refunds the damaged line only, once, when the customer chooses it and the platform confirms', async () => {
    const { api, merchant, ticket, order } = await damagedTicket();
    const options = (await api.get(`/v1/tickets/${ticket.id}/options`)).body;
    const refund = [...options.customerChoice, ...options.required].find((a: any) => a.kind === 'REFUND_FULL' || a.kind === 'REFUND_PARTIAL');
    expect(refund).toBeDefined();
    expect(refund.lines).toEqual([{ lineId: expect.any(String), quantity: 1 }]);
    expect(refund.amountMinor).toBeLessThan(order.totalMinor);

    platform.autoRespond({ action: 'confirm', reference: (e) => `REF-${e.id.slice(-6)}` });
    // Twenty identical requests at once: one resolution, one refund.
    const results = await Promise.all(Array.from({ length: 20 }, () => api.post(`/v1/tickets/${ticket.id}/resolutions`, { action: refund.kind })));
    const ok = results.filter((r) => r.status === 201 || r.status === 200);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    expect(results.every((r) => [200, 201, 409].includes(r.status))).toBe(true);

    // The refund is above what the customer's choice may run alone (the policy's auto-approval limit is zero): a supervisor approves.
    await t.admin.post(`/admin/merchants/${merchant.id}/agents`, { email: 'a@shop.example', name: 'A', role: 'supervisor', password: 'correct horse battery', approvalLimitMinor: 50_000 });
    const token = (await t.http.post('/v1/desk/sessions', { merchant: merchant.slug, email: 'a@shop.example', password: 'correct horse battery' })).body.token;
    const approved = await t.http.withHeaders({ authorization: `Bearer ${token}` }).post(`/v1/desk/resolutions/${ok[0].body.id}/approve`, {});
    expect(approved.status).toBe(200);

    for (let i = 0; i < 5; i++) {
      await t.get(JobQueue).drain();
      await platform.idle();
    }
    const refunds = [...platform.events.values()].filter((e) => e.type === 'command.refund' && e.order.externalId === order.externalId);
    expect(refunds).toHaveLength(1);
    const ledger = await t.ds.query(`SELECT kind, status, amount_minor::int AS amount FROM ledger_entries WHERE merchant_id = $1`, [merchant.id]);
    expect(ledger).toEqual([{ kind: 'refund', status: 'confirmed', amount: refund.amountMinor }]);
    const final = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(final.status).toBe('resolved');
    expect(final.messages.at(-1)).toMatchObject({ direction: 'outbound' });

    // A second refund for the same loss is refused by the ledger, whoever asks.
    const again = await api.post(`/v1/tickets/${ticket.id}/resolutions`, { action: refund.kind });
    expect(again.status).toBe(409);
  }, 120_000);
});

describe('Story: where is my order', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    t = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a parcel moving on time with its estimate and closes the case; a stalled one stays open', async () => {
    const { api } = await createMerchant(t);
    const ship = async (code: string) => {
      const order = orderBody();
      await api.post('/v1/orders', order);
      await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'sandbox', carrierName: 'USPS', trackingCode: code });
      return order;
    };
    const moving = await ship(SandboxAdapter.storyTrackingCode('OK', new Date(clock.now().getTime() - 20 * H), 'w1'));
    const stalled = await ship(SandboxAdapter.storyTrackingCode('STALL', new Date(clock.now().getTime() - 8 * 24 * H), 'w2'));
    await t.get(JobQueue).drain();

    const a = (await api.post('/v1/tickets', { orderExternalId: moving.externalId, category: 'tracking', language: 'en' })).body;
    expect(a.status).toBe('resolved');
    expect(a.messages.at(-1)).toMatchObject({ direction: 'outbound', languages: ['en'] });
    expect(a.messages.at(-1).body).toMatch(/USPS/);

    const b = (await api.post('/v1/tickets', { orderExternalId: stalled.externalId, category: 'tracking', language: 'en' })).body;
    expect(b.status).toBe('open');
    expect(b.decision.problemKind).toBe('where_is_my_order');
  });
});
