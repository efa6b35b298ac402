import { SandboxAdapter } from '@app/carriers';
import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { FakePlatform, startFakePlatform } from '../fakes/platform/fake-platform.server';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const H = 3_600_000;
const SECRET = 'disputes-platform-secret-0123456789';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF'), Buffer.alloc(1500, 3)]);

/**
 * Card disputes reported by the platform: an open one holds refunds and asks for a response; a lost
 * one is a chargeback in the ledger, and after a refund for the same order it is money handed back
 * twice: flagged, the case reopened. Bad input writes nothing; other shops see nothing.
 */
describe('Card disputes and chargebacks', () => {
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
    const m = await createMerchant(t, { platformWebhookUrl: platform.url, platformWebhookSecret: SECRET });
    platform.connect(t.baseUrl, m.apiKey);
    const order = orderBody();
    expect((await m.api.post('/v1/orders', order)).status).toBe(201);
    const code = SandboxAdapter.storyTrackingCode('OK', new Date(clock.now().getTime() - 70 * H), String(Math.random()).slice(2, 8));
    const shipment = (await m.api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'sandbox', carrierName: 'USPS', trackingCode: code })).body;
    await t.get(JobQueue).drain();
    const ticket = (await m.api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'damaged', shipmentId: shipment.id, lines: [{ lineExternalId: 'L2', quantity: 1 }], details: { extent: 'whole' }, description: 'The bowl arrived broken.' })).body;
    for (const kind of ['photo_item', 'photo_packaging', 'photo_label']) {
      const res = await fetch(`${t.baseUrl}/v1/tickets/${ticket.id}/evidence?kind=${kind}`, { method: 'POST', headers: { authorization: `Bearer ${m.apiKey}`, 'content-type': 'image/jpeg' }, body: Buffer.concat([JPEG, Buffer.from(kind)]) });
      expect(res.status).toBe(201);
    }
    return { ...m, order, ticket, disputes: `/v1/orders/${encodeURIComponent(order.externalId)}/disputes` };
  }

  const dispute = (overrides: Record<string, unknown> = {}) => ({
    disputeId: `dp_${Math.random().toString(36).slice(2, 12)}`,
    network: 'visa',
    reasonCode: '13.3',
    category: 'not_as_described',
    noticeAt: clock.now().toISOString(),
    status: 'open',
    amountMinor: 4320,
    respondBy: '2026-12-30',
    ...overrides,
  });
  const refundKinds = ['REFUND_FULL', 'REFUND_PARTIAL'];

  it('holds refunds while a dispute is open and asks for a response; a repost changes nothing; a closed dispute stays closed', async () => {
    const { api, ticket, disputes, merchant } = await damagedTicket();
    const before = (await api.get(`/v1/tickets/${ticket.id}/options`)).body;
    expect([...before.customerChoice, ...before.required, ...before.allowed].some((a: any) => refundKinds.includes(a.kind))).toBe(true);

    // The platform's first report races its own retries: one dispute, reported new once.
    const body = dispute();
    const raced = await Promise.all(Array.from({ length: 5 }, () => api.post(disputes, body)));
    expect(raced.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const opened = raced.find((r) => r.status === 201)!;
    expect(opened.body).toMatchObject({ disputeId: body.disputeId, status: 'open', amountMinor: 4320, currency: 'USD', chargebackEntryId: null });

    const options = (await api.get(`/v1/tickets/${ticket.id}/options`)).body;
    expect([...options.customerChoice, ...options.required, ...options.allowed].filter((a: any) => refundKinds.includes(a.kind))).toEqual([]);
    expect(options.blocked).toEqual(expect.arrayContaining([expect.objectContaining({ kind: expect.stringMatching(/^REFUND_/), reason: 'dispute_open' })]));
    expect(options.required).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'DISPUTE_RESPONSE' })]));
    const chosen = await api.post(`/v1/tickets/${ticket.id}/resolutions`, { action: 'REFUND_FULL' });
    expect(chosen.status).toBe(422);

    // The same report again (the platform retries): nothing new.
    const again = await api.post(disputes, body);
    expect(again.status).toBe(200);
    const events = async () => ((await api.get(`/v1/tickets/${ticket.id}`)).body.events as any[]).filter((e) => e.type.startsWith('card_dispute_'));
    expect(await events()).toEqual([expect.objectContaining({ type: 'card_dispute_opened', data: expect.objectContaining({ disputeId: body.disputeId, status: 'open', from: null }) })]);

    // Won: the hold is lifted, no money moved.
    const won = await api.post(disputes, { ...body, status: 'won' });
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ status: 'won', closedAt: expect.any(String), chargebackEntryId: null });
    const after = (await api.get(`/v1/tickets/${ticket.id}/options`)).body;
    expect(after.blocked.filter((b: any) => b.reason === 'dispute_open')).toEqual([]);
    expect((await events()).map((e) => e.type)).toEqual(['card_dispute_opened', 'card_dispute_updated']);
    const reopen = await api.post(disputes, { ...body, status: 'open' });
    expect(reopen.status).toBe(409);
    expect(reopen.body.error.code).toBe('dispute_closed');

    const list = await api.get(disputes);
    expect(list.body.data).toEqual([expect.objectContaining({ disputeId: body.disputeId, status: 'won' })]);
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE merchant_id = $1`, [merchant.id])).toEqual([{ n: 0 }]);
  }, 120_000);

  it('records a lost dispute after a refund as a chargeback, flags the double compensation and reopens the case', async () => {
    const { api, ticket, order, disputes, merchant } = await damagedTicket();
    // The refund for the broken bowl, approved and confirmed by the platform: the case resolves.
    const options = (await api.get(`/v1/tickets/${ticket.id}/options`)).body;
    const refund = [...options.customerChoice, ...options.required].find((a: any) => refundKinds.includes(a.kind));
    platform.autoRespond({ action: 'confirm', reference: (e) => `REF-${e.id.slice(-6)}` });
    const chosen = await api.post(`/v1/tickets/${ticket.id}/resolutions`, { action: refund.kind });
    expect(chosen.status).toBe(201);
    await t.admin.post(`/admin/merchants/${merchant.id}/agents`, { email: 'a@shop.example', name: 'A', role: 'supervisor', password: 'correct horse battery', approvalLimitMinor: 50_000 });
    const token = (await t.http.post('/v1/desk/sessions', { merchant: merchant.slug, email: 'a@shop.example', password: 'correct horse battery' })).body.token;
    const desk = t.http.withHeaders({ authorization: `Bearer ${token}` });
    expect((await desk.post(`/v1/desk/resolutions/${chosen.body.id}/approve`, {})).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      await t.get(JobQueue).drain();
      await platform.idle();
    }
    expect((await api.get(`/v1/tickets/${ticket.id}`)).body.status).toBe('resolved');

    // Then the bank charges the whole order back: the customer got the money twice.
    const body = dispute({ status: 'lost', amountMinor: order.totalMinor, category: 'not_as_described' });
    const lost = await api.post(disputes, body);
    expect(lost.status).toBe(201);
    expect(lost.body.chargebackEntryId).toEqual(expect.any(String));
    // Reported again: still one chargeback.
    expect((await api.post(disputes, body)).status).toBe(200);

    const entries = await t.ds.query(`SELECT kind, status, amount_minor::int AS amount, loss_key FROM ledger_entries WHERE merchant_id = $1 ORDER BY created_at`, [merchant.id]);
    expect(entries).toEqual([
      { kind: 'refund', status: 'confirmed', amount: refund.amountMinor, loss_key: expect.stringMatching(/^lines:/) },
      { kind: 'chargeback', status: 'confirmed', amount: order.totalMinor, loss_key: `dispute:${body.disputeId}` },
    ]);
    const flags = await t.ds.query(`SELECT loss_key, reason FROM compensation_flags WHERE merchant_id = $1 AND resolved_at IS NULL`, [merchant.id]);
    expect(flags).toEqual([{ loss_key: entries[0].loss_key, reason: 'chargeback_after_compensation' }]);

    const view = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(view.status).toBe('reopened');
    const types = view.events.map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(['card_dispute_opened', 'chargeback_recorded', 'double_compensation_flagged']));
    expect(view.events.find((e: any) => e.type === 'double_compensation_flagged').data).toMatchObject({ disputeId: body.disputeId, lossKey: entries[0].loss_key });

    const ledger = (await api.get(`/v1/orders/${encodeURIComponent(order.externalId)}/ledger`)).body;
    expect(ledger).toMatchObject({
      paidMinor: order.totalMinor,
      refundedMinor: refund.amountMinor + order.totalMinor,
      remainingRefundableMinor: -refund.amountMinor,
      chargebackMinor: order.totalMinor,
      openFlags: [expect.objectContaining({ reason: 'chargeback_after_compensation', lossKey: entries[0].loss_key })],
    });
    expect(ledger.chargebacks).toEqual([expect.objectContaining({ externalRef: body.disputeId, amountMinor: order.totalMinor })]);
    expect((await desk.get(`/v1/desk/tickets/${ticket.id}/ledger`)).body.openFlags).toHaveLength(1);
  }, 120_000);

  it('refuses bad input with field paths and writes nothing; another shop gets 404', async () => {
    const { api, order, disputes, merchant } = await damagedTicket();
    const bad = await api.post(disputes, { ...dispute(), network: 'diners', status: 'pending', amountMinor: -5, noticeAt: 'yesterday', surprise: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const paths = bad.body.error.fields.map((f: any) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['network', 'status', 'amountMinor', 'noticeAt', 'surprise']));
    const tooMuch = await api.post(disputes, dispute({ amountMinor: order.totalMinor + 1, respondBy: '2026-02-31' }));
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('dispute_invalid');
    expect(tooMuch.body.error.fields.map((f: any) => f.path)).toEqual(['amountMinor', 'respondBy']);
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM card_disputes WHERE merchant_id = $1`, [merchant.id])).toEqual([{ n: 0 }]);

    const other = await createMerchant(t);
    const theirs = `/v1/orders/${encodeURIComponent(order.externalId)}`;
    expect((await other.api.post(`${theirs}/disputes`, dispute())).status).toBe(404);
    expect((await other.api.get(`${theirs}/disputes`)).status).toBe(404);
    expect((await other.api.get(`${theirs}/ledger`)).status).toBe(404);
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM card_disputes WHERE order_id IN (SELECT id FROM orders WHERE external_id = $1)`, [order.externalId])).toEqual([{ n: 0 }]);
  }, 120_000);
});
