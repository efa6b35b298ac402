import { PlatformCommandsController } from '../../apps/delivery-desk/src/platform/platform-commands.controller';
import type { PlatformCommandEntity } from '../../apps/delivery-desk/src/platform/platform-command.entity';
import { PlatformCommandReader } from '../../apps/delivery-desk/src/platform/platform-command.reader';
import { PlatformCommandsService } from '../../apps/delivery-desk/src/platform/platform-commands.service';
import { createMerchant } from '../support/factories';
import { historyTypes, issue, PlatformWorld, reload, resetWorld, settle, Shop, shopOnFake, startPlatformWorld } from './platform-harness';

describe(PlatformCommandsController.name, () => {
  let w: PlatformWorld;
  /** Commands the test listener records; it ignores the rest so tests do not see each other's. */
  const tracked = new Set<string>();
  const throwFor = new Set<string>();
  let removeListener: () => void;

  beforeAll(async () => {
    w = await startPlatformWorld();
    await w.t.ds.query(`CREATE TABLE test_settled_calls (n serial PRIMARY KEY, command_id uuid NOT NULL, status_in_tx text NOT NULL, outcome text NOT NULL)`);
    removeListener = w.commands.onSettled(async (em, c) => {
      if (!tracked.has(c.id)) return;
      // Read back through the same transaction: a listener on another connection would not see the change yet.
      const [row] = await em.query(`SELECT status FROM platform_commands WHERE merchant_id = $1 AND id = $2`, [c.merchantId, c.id]);
      await em.query(`INSERT INTO test_settled_calls (command_id, status_in_tx, outcome) VALUES ($1, $2, $3)`, [c.id, row.status, c.status]);
      if (throwFor.has(c.id)) throw new Error('listener failed on purpose');
    });
  });
  afterAll(async () => {
    removeListener();
    await w.close();
  });
  afterEach(() => resetWorld(w));

  async function delivered(shop: Shop, input: Parameters<typeof issue>[2] = {}): Promise<PlatformCommandEntity> {
    const c = await issue(w, shop, input);
    tracked.add(c.id);
    await settle(w);
    expect((await reload(w, c)).status).toBe('delivered');
    return c;
  }

  const listenerCalls = async (id: string): Promise<{ status_in_tx: string; outcome: string }[]> =>
    w.t.ds.query(`SELECT status_in_tx, outcome FROM test_settled_calls WHERE command_id = $1 ORDER BY n`, [id]);

  it('confirms a refund: 200, stored and audited; the same reference again changes nothing', async () => {
    const shop = await shopOnFake(w);
    const sut = await delivered(shop);

    const res = await shop.api.post(`/v1/platform-commands/${sut.id}/confirm`, { platformReference: 're_123', refundedMinor: 2500, note: 'Refunded to card' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: sut.id, status: 'confirmed', platformReference: 're_123', refundedMinor: 2500, platformNote: 'Refunded to card', orderExternalId: shop.order.externalId });
    expect(res.body.settledAt).not.toBeNull();

    const again = await shop.api.post(`/v1/platform-commands/${sut.id}/confirm`, { platformReference: 're_123' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'confirmed', platformReference: 're_123', settledAt: res.body.settledAt, updatedAt: res.body.updatedAt });

    const detail = await shop.api.get(`/v1/platform-commands/${sut.id}`);
    const confirmed = detail.body.history.filter((h: { type: string }) => h.type === 'confirmed');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toMatchObject({ fromStatus: 'delivered', toStatus: 'confirmed', actor: { kind: 'platform', id: shop.keyId }, data: { platformReference: 're_123' } });
    expect(await listenerCalls(sut.id)).toEqual([{ status_in_tx: 'confirmed', outcome: 'confirmed' }]);
  });

  it('replays a confirm sent again with the same Idempotency-Key', async () => {
    const shop = await shopOnFake(w);
    const sut = await delivered(shop);
    const headers = { 'idempotency-key': `confirm-${sut.id}` };
    const first = await shop.api.post(`/v1/platform-commands/${sut.id}/confirm`, { platformReference: 're_idem' }, headers);
    const second = await shop.api.post(`/v1/platform-commands/${sut.id}/confirm`, { platformReference: 're_idem' }, headers);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    const reused = await shop.api.post(`/v1/platform-commands/${sut.id}/confirm`, { platformReference: 're_other' }, headers);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(await listenerCalls(sut.id)).toHaveLength(1);
  });

  it('refuses a second reference (409 platform_reference_mismatch) and confirming a failed or cancelled command (409 platform_command_settled)', async () => {
    const shop = await shopOnFake(w);
    const confirmed = await delivered(shop);
    await shop.api.post(`/v1/platform-commands/${confirmed.id}/confirm`, { platformReference: 're_1' });
    const mismatch = await shop.api.post(`/v1/platform-commands/${confirmed.id}/confirm`, { platformReference: 're_2' });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.error).toMatchObject({ code: 'platform_reference_mismatch', fields: [{ path: 'platformReference' }] });

    const failed = await delivered(shop);
    expect((await shop.api.post(`/v1/platform-commands/${failed.id}/fail`, { reason: 'Card expired' })).status).toBe(200);
    const onFailed = await shop.api.post(`/v1/platform-commands/${failed.id}/confirm`, { platformReference: 're_3' });
    expect(onFailed.status).toBe(409);
    expect(onFailed.body.error).toMatchObject({ code: 'platform_command_settled', message: 'This command is already failed.' });

    // Withdrawn before it reached the platform (the merchant is not connected, so it never does).
    const offline = await shopOnFake(w, { connected: false });
    const withdrawn = await issue(w, offline);
    tracked.add(withdrawn.id);
    await w.t.ds.transaction((em) => w.commands.cancel(em, offline.merchant.id, withdrawn.id, 'saga compensated'));
    const onCancelled = await offline.api.post(`/v1/platform-commands/${withdrawn.id}/confirm`, { platformReference: 're_4' });
    expect(onCancelled.status).toBe(409);
    expect(onCancelled.body.error.code).toBe('platform_command_settled');
    expect(await listenerCalls(withdrawn.id)).toEqual([{ status_in_tx: 'cancelled', outcome: 'cancelled' }]);
  });

  it('refuses a refund confirmed for another amount (422 refund_amount_mismatch) and an amount on a reship (422 amount_not_applicable)', async () => {
    const shop = await shopOnFake(w);
    const refund = await delivered(shop);
    const partial = await shop.api.post(`/v1/platform-commands/${refund.id}/confirm`, { platformReference: 're_5', refundedMinor: 2000 });
    expect(partial.status).toBe(422);
    expect(partial.body.error).toMatchObject({ code: 'refund_amount_mismatch', fields: [{ path: 'refundedMinor', problem: 'must equal the commanded amount 2500' }] });
    expect((await reload(w, refund)).status).toBe('delivered');

    const reship = await delivered(shop, { kind: 'reship', payload: { reason: 'damaged', lines: [{ lineId: shop.order.lines[1].id, quantity: 1 }] } });
    const res = await shop.api.post(`/v1/platform-commands/${reship.id}/confirm`, { platformReference: 'R-1001-2', refundedMinor: 100 });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('amount_not_applicable');
    const ok = await shop.api.post(`/v1/platform-commands/${reship.id}/confirm`, { platformReference: 'R-1001-2' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'confirmed', refundedMinor: null });
  });

  it('records a failure with its reason; failing again changes nothing; failing a confirmed command is 409', async () => {
    const shop = await shopOnFake(w);
    const sut = await delivered(shop);
    const res = await shop.api.post(`/v1/platform-commands/${sut.id}/fail`, { reason: 'Payment provider down', retryable: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', failure: { code: 'platform_reported', reason: 'Payment provider down', retryable: true } });
    const again = await shop.api.post(`/v1/platform-commands/${sut.id}/fail`, { reason: 'something else' });
    expect(again.status).toBe(200);
    expect(again.body.failure.reason).toBe('Payment provider down');
    expect(await listenerCalls(sut.id)).toEqual([{ status_in_tx: 'failed', outcome: 'failed' }]);

    const confirmed = await delivered(shop);
    await shop.api.post(`/v1/platform-commands/${confirmed.id}/confirm`, { platformReference: 're_6' });
    const late = await shop.api.post(`/v1/platform-commands/${confirmed.id}/fail`, { reason: 'oops' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('platform_command_settled');
  });

  it("keeps merchants apart: another merchant's key gets 404 everywhere and never sees the command in lists", async () => {
    const shop = await shopOnFake(w);
    const other = await shopOnFake(w);
    const sut = await delivered(shop);
    for (const res of [
      await other.api.get(`/v1/platform-commands/${sut.id}`),
      await other.api.post(`/v1/platform-commands/${sut.id}/confirm`, { platformReference: 'x' }),
      await other.api.post(`/v1/platform-commands/${sut.id}/fail`, { reason: 'x' }),
      await other.api.post(`/v1/platform-commands/${sut.id}/redeliver`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await other.api.get('/v1/platform-commands')).body.data).toEqual([]);
    expect((await other.api.get(`/v1/platform-commands?orderExternalId=${encodeURIComponent(shop.order.externalId)}`)).body.data).toEqual([]);
    expect((await reload(w, sut)).status).toBe('delivered');
    expect(await listenerCalls(sut.id)).toEqual([]);
  });

  it('checks keys, scopes and input: 401, 403, 404 for a malformed id, 400 with field paths', async () => {
    const shop = await shopOnFake(w);
    const sut = await delivered(shop);
    expect((await w.t.http.post(`/v1/platform-commands/${sut.id}/confirm`, { platformReference: 'x' })).status).toBe(401);
    const reader = await createMerchant(w.t, {}, ['orders:read']);
    expect((await reader.api.post(`/v1/platform-commands/${sut.id}/confirm`, { platformReference: 'x' })).body.error.code).toBe('insufficient_scope');
    expect((await shop.api.get('/v1/platform-commands/not-a-uuid')).status).toBe(404);

    const bad = await shop.api.post(`/v1/platform-commands/${sut.id}/confirm`, { refundedMinor: -1, extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['extra', 'platformReference', 'refundedMinor']);
    const badFail = await shop.api.post(`/v1/platform-commands/${sut.id}/fail`, { reason: '', retryable: 'yes' });
    expect(badFail.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['reason', 'retryable']);
    expect((await shop.api.get('/v1/platform-commands?status=lost')).body.error.fields).toEqual([{ path: 'status', problem: expect.any(String) }]);
  });

  it('lists commands newest first, filtered by status and order, page by page', async () => {
    const shop = await shopOnFake(w);
    const first = await delivered(shop);
    const second = await delivered(shop, { kind: 'store_credit', payload: { amountMinor: 500, currency: 'USD', reason: 'goodwill' } });
    const third = await delivered(shop, { kind: 'cancel_order', payload: { reason: 'customer_cancelled' } });
    await shop.api.post(`/v1/platform-commands/${second.id}/confirm`, { platformReference: 'sc_1' });

    const all = await shop.api.get('/v1/platform-commands');
    expect(all.body.data.map((c: { id: string }) => c.id)).toEqual([third.id, second.id, first.id]);
    const confirmed = await shop.api.get('/v1/platform-commands?status=confirmed');
    expect(confirmed.body.data.map((c: { id: string }) => c.id)).toEqual([second.id]);
    const byOrder = await shop.api.get(`/v1/platform-commands?status=delivered&orderExternalId=${encodeURIComponent(shop.order.externalId)}`);
    expect(byOrder.body.data.map((c: { id: string }) => c.id)).toEqual([third.id, first.id]);
    expect((await shop.api.get('/v1/platform-commands?orderExternalId=%23nope')).body.data).toEqual([]);

    const page1 = await shop.api.get('/v1/platform-commands?limit=2');
    expect(page1.body.data).toHaveLength(2);
    const page2 = await shop.api.get(`/v1/platform-commands?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toEqual({ data: [expect.objectContaining({ id: first.id })], nextCursor: null });

    const detail = await shop.api.get(`/v1/platform-commands/${first.id}`);
    expect(detail.body.deliveries).toEqual([expect.objectContaining({ attempt: 1, eventId: first.eventId, outcome: 'success', responseStatus: 200 })]);
  });

  it('settles once under concurrent confirms: one transition, one listener call', async () => {
    const shop = await shopOnFake(w);
    const sut = await delivered(shop);
    const results = await Promise.all(Array.from({ length: 8 }, () => shop.api.post(`/v1/platform-commands/${sut.id}/confirm`, { platformReference: 're_race' })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect((await historyTypes(w, sut)).filter((t) => t === 'confirmed')).toHaveLength(1);
    expect(await listenerCalls(sut.id)).toHaveLength(1);

    // Confirm racing fail: exactly one wins, the other is told why.
    const raced = await delivered(shop);
    const [c, f] = await Promise.all([
      shop.api.post(`/v1/platform-commands/${raced.id}/confirm`, { platformReference: 're_x' }),
      shop.api.post(`/v1/platform-commands/${raced.id}/fail`, { reason: 'declined' }),
    ]);
    expect([c.status, f.status].sort()).toEqual([200, 409]);
    const settled = await listenerCalls(raced.id);
    expect(settled).toHaveLength(1);
    expect(settled[0].outcome).toBe(c.status === 200 ? 'confirmed' : 'failed');
  });

  it('runs onSettled listeners inside the settling transaction: a throwing listener undoes the confirmation', async () => {
    const shop = await shopOnFake(w);
    const sut = await delivered(shop);
    throwFor.add(sut.id);
    const res = await shop.api.post(`/v1/platform-commands/${sut.id}/confirm`, { platformReference: 're_rollback' });
    expect(res.status).toBe(500);
    const after = await reload(w, sut);
    expect(after).toMatchObject({ status: 'delivered', platformReference: null, settledAt: null });
    expect(await historyTypes(w, sut)).not.toContain('confirmed');
    expect(await listenerCalls(sut.id)).toEqual([]);

    // The platform retries once the listener is healthy again.
    throwFor.delete(sut.id);
    expect((await shop.api.post(`/v1/platform-commands/${sut.id}/confirm`, { platformReference: 're_rollback' })).status).toBe(200);
    expect(await listenerCalls(sut.id)).toEqual([{ status_in_tx: 'confirmed', outcome: 'confirmed' }]);
  });

  it('is confirmed end to end by the fake platform calling back on its own', async () => {
    const shop = await shopOnFake(w);
    w.fake.connect(w.t.baseUrl, shop.apiKey);
    w.fake.autoRespond({ action: 'confirm', reference: (e) => `re_${e.command.id.slice(0, 8)}` });
    const sut = await issue(w, shop);
    tracked.add(sut.id);
    await settle(w);
    await w.fake.idle();

    expect(w.fake.callbacks.filter((c) => c.commandId === sut.id).map((c) => c.status)).toEqual([200]);
    expect(await reload(w, sut)).toMatchObject({ status: 'confirmed', platformReference: `re_${sut.id.slice(0, 8)}`, refundedMinor: 2500 });
    expect(await historyTypes(w, sut)).toEqual(['issued', 'delivering', 'delivered', 'confirmed']);
    expect(await listenerCalls(sut.id)).toEqual([{ status_in_tx: 'confirmed', outcome: 'confirmed' }]);
  });

  it('is failed end to end by the fake platform, and shows on the ticket list', async () => {
    const shop = await shopOnFake(w);
    w.fake.connect(w.t.baseUrl, shop.apiKey);
    w.fake.autoRespond({ action: 'fail', reason: 'Order already archived', retryable: false });
    const sut = await issue(w, shop, { kind: 'cancel_lines', payload: { reason: 'out_of_stock', lines: [{ lineId: shop.order.lines[0].id, quantity: 2 }] } });
    await settle(w);
    await w.fake.idle();
    expect(await reload(w, sut)).toMatchObject({ status: 'failed', failureCode: 'platform_reported', failureReason: 'Order already archived', failureRetryable: false });
  });
});

describe(`${PlatformCommandsService.name}.issue`, () => {
  let w: PlatformWorld;
  beforeAll(async () => {
    w = await startPlatformWorld();
  });
  afterAll(async () => {
    await w.close();
  });
  afterEach(() => resetWorld(w));

  it('returns the existing command for a repeated key and refuses the key for another request', async () => {
    const shop = await shopOnFake(w);
    const sut = await issue(w, shop, { idempotencyKey: 'step-1' });
    const again = await issue(w, shop, { idempotencyKey: 'step-1' });
    expect(again.id).toBe(sut.id);
    expect(again.eventId).toBe(sut.eventId);
    await expect(issue(w, shop, { idempotencyKey: 'step-1', payload: { amountMinor: 2600, currency: 'USD', reason: 'lost_in_transit', note: 'Carrier lost the parcel' } })).rejects.toMatchObject({
      status: 422,
      code: 'idempotency_key_reused',
    });
    // Keys are per merchant.
    const other = await shopOnFake(w);
    expect((await issue(w, other, { idempotencyKey: 'step-1' })).id).not.toBe(sut.id);
    await settle(w);
    expect(w.fake.deliveriesOf(sut.eventId)).toHaveLength(1);
  });

  it('issues once when two transactions race with the same key', async () => {
    const shop = await shopOnFake(w);
    const [a, b] = await Promise.all([issue(w, shop, { idempotencyKey: 'race' }), issue(w, shop, { idempotencyKey: 'race' })]);
    expect(a.id).toBe(b.id);
    await settle(w);
    expect(w.fake.deliveriesOf(a.eventId)).toHaveLength(1);
    expect(await historyTypes(w, a)).toEqual(['issued', 'delivering', 'delivered']);
  });

  it('queues nothing when the issuing transaction rolls back', async () => {
    const shop = await shopOnFake(w);
    let eventId = '';
    await expect(
      w.t.ds.transaction(async (em) => {
        const c = await w.commands.issue(em, { merchantId: shop.merchant.id, orderId: shop.order.id, kind: 'cancel_order', payload: { reason: 'fraud' }, idempotencyKey: 'rolled-back' });
        eventId = c.eventId;
        throw new Error('the saga step failed after issuing');
      }),
    ).rejects.toThrow('the saga step failed');
    await settle(w);
    expect(w.fake.deliveriesOf(eventId)).toHaveLength(0);
    expect(await w.t.ds.query(`SELECT 1 FROM platform_commands WHERE merchant_id = $1`, [shop.merchant.id])).toEqual([]);
  });

  it('validates the payload against the order, with field paths', async () => {
    const shop = await shopOnFake(w);
    const [l1] = shop.order.lines;
    await expect(issue(w, shop, { payload: { amountMinor: shop.order.totalMinor + 1, currency: 'JPY', reason: 'x' } })).rejects.toMatchObject({
      code: 'invalid_platform_command',
      fields: [
        { path: 'payload.amountMinor', problem: `must not exceed the order total ${shop.order.totalMinor}` },
        { path: 'payload.currency', problem: "must be the order's currency USD" },
      ],
    });
    await expect(issue(w, shop, { kind: 'reship', payload: { reason: 'damaged' } })).rejects.toMatchObject({ fields: [{ path: 'payload.lines' }] });
    await expect(
      issue(w, shop, { kind: 'cancel_lines', payload: { reason: 'oos', lines: [{ lineId: l1.id, quantity: 3 }, { lineId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] } }),
    ).rejects.toMatchObject({
      fields: [
        { path: 'payload.lines[0].quantity', problem: 'must be between 1 and the ordered 2' },
        { path: 'payload.lines[1].lineId', problem: 'is not a line of this order' },
      ],
    });
    await expect(issue(w, shop, { kind: 'cancel_order', payload: { amountMinor: 100, currency: 'USD', reason: 'x' } })).rejects.toMatchObject({ fields: [{ path: 'payload.amountMinor' }] });
    const other = await shopOnFake(w);
    await expect(issue(w, other, { orderId: shop.order.id })).rejects.toMatchObject({ status: 404 });
  });

  it('lists the commands of a ticket, and puts the ticket in the event', async () => {
    const shop = await shopOnFake(w);
    const ticket = await shop.api.post('/v1/tickets', { orderExternalId: shop.order.externalId, category: 'delivered_not_received', description: 'Never arrived' });
    expect(ticket.status).toBe(201);
    const refund = await issue(w, shop, { ticketId: ticket.body.id });
    const reship = await issue(w, shop, { ticketId: ticket.body.id, kind: 'reship', payload: { reason: 'lost', lines: [{ lineId: shop.order.lines[1].id, quantity: 1 }] } });
    await issue(w, shop);
    const sut = await w.commands.listForTicket(shop.merchant.id, ticket.body.id);
    expect(sut.map((c) => c.id)).toEqual([refund.id, reship.id]);
    await expect(issue(w, shop, { ticketId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ status: 404 });
    await settle(w);
    const shown = await w.t.get(PlatformCommandReader).forTicket(shop.merchant.id, ticket.body.id);
    expect(shown.map((c) => [c.kind, c.status, c.orderExternalId, c.ticketId])).toEqual([
      ['refund', 'delivered', shop.order.externalId, ticket.body.id],
      ['reship', 'delivered', shop.order.externalId, ticket.body.id],
    ]);
    // The desk shows tickets as DD-<number>; the event carries both forms.
    expect(ticket.body.number).toMatch(/^DD-\d+$/);
    expect(w.fake.events.get(refund.eventId)!.ticket).toEqual({ id: ticket.body.id, number: Number(ticket.body.number.slice(3)), reference: ticket.body.number, category: 'delivered_not_received' });
  });

  it('cancels a command not yet delivered (compensation), but not one the platform has', async () => {
    const offline = await shopOnFake(w, { connected: false });
    const pending = await issue(w, offline);
    const cancelled = await w.t.ds.transaction((em) => w.commands.cancel(em, offline.merchant.id, pending.id, 'saga compensated'));
    expect(cancelled).toMatchObject({ status: 'cancelled', dispatchOpen: false });
    expect(await historyTypes(w, pending)).toEqual(['issued', 'blocked', 'cancelled']);

    const shop = await shopOnFake(w);
    const sent = await issue(w, shop);
    await settle(w);
    await expect(w.t.ds.transaction((em) => w.commands.cancel(em, shop.merchant.id, sent.id, 'too late'))).rejects.toMatchObject({ status: 409, code: 'platform_command_delivered' });
  });

  it('expires commands nobody settled in time', async () => {
    w.options.confirmationWindowMs = 0;
    const shop = await shopOnFake(w);
    const sut = await issue(w, shop);
    await settle(w);
    expect(await w.delivery.sweep()).toMatchObject({ expired: expect.any(Number) });
    expect(await reload(w, sut)).toMatchObject({ status: 'expired', dispatchOpen: false });
    expect((await historyTypes(w, sut)).at(-1)).toBe('expired');
  });

  it('keeps the history append-only', async () => {
    const shop = await shopOnFake(w);
    const sut = await issue(w, shop);
    await expect(w.t.ds.query(`UPDATE platform_command_events SET type = 'forged' WHERE command_id = $1`, [sut.id])).rejects.toThrow(/append-only/);
    await expect(w.t.ds.query(`DELETE FROM platform_command_events WHERE command_id = $1`, [sut.id])).rejects.toThrow(/append-only/);
  });
});
