import { createHmac } from 'node:crypto';
import { PLATFORM_DELIVERY_QUEUE } from '../../apps/delivery-desk/src/platform/platform-commands.service';
import { PlatformDeliveryService } from '../../apps/delivery-desk/src/platform/platform-delivery.service';
import { deliveryRows, historyTypes, issue, PLATFORM_SECRET, PlatformWorld, reload, resetWorld, settle, shopOnFake, startPlatformWorld } from './platform-harness';

const sign = (secret: string, eventId: string, ts: number | string, body: Buffer | string) =>
  `v1=${createHmac('sha256', secret).update(`${eventId}.${ts}.`).update(body).digest('hex')}`;

describe(PlatformDeliveryService.name, () => {
  let w: PlatformWorld;
  beforeAll(async () => {
    w = await startPlatformWorld();
  });
  afterAll(async () => {
    await w.close();
  });
  afterEach(() => resetWorld(w));

  it('sends a signed event the platform verifies, and the platform refuses it once the body is tampered with', async () => {
    const shop = await shopOnFake(w);
    const sut = await issue(w, shop, { kind: 'refund', payload: { amountMinor: 2500, currency: 'USD', reason: 'lost_in_transit', lines: [{ lineId: shop.order.lines[0].id, quantity: 1 }] } });
    expect(sut.eventId).toMatch(/^evt_[0-9a-f]{24}$/);
    await settle(w);

    const [d] = w.fake.deliveriesOf(sut.eventId);
    expect(d).toMatchObject({ verdict: 'accepted', signatureValid: true, status: 200, path: '/hooks/delivery-desk' });
    expect(d.headers['x-deliverydesk-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(Math.abs(d.timestamp! - Date.now() / 1000)).toBeLessThan(60);
    expect(w.fake.events.get(sut.eventId)).toMatchObject({
      id: sut.eventId,
      type: 'command.refund',
      merchantId: shop.merchant.id,
      command: {
        id: sut.id,
        kind: 'refund',
        payload: { amountMinor: 2500, currency: 'USD', reason: 'lost_in_transit', lines: [{ lineExternalId: 'L1', sku: 'TEA-1', quantity: 1 }] },
      },
      order: { id: shop.order.id, externalId: shop.order.externalId, currency: 'USD', totalMinor: shop.order.totalMinor },
      ticket: null,
    });

    // The same signed headers over a changed body, as an attacker on the path would send it.
    const headers = { 'content-type': 'application/json', 'x-deliverydesk-event-id': sut.eventId, 'x-deliverydesk-timestamp': String(d.timestamp), 'x-deliverydesk-signature': String(d.headers['x-deliverydesk-signature']) };
    const tampered = await fetch(w.fake.url, { method: 'POST', headers, body: d.rawBody.toString('utf8').replace('"amountMinor":2500', '"amountMinor":250000') });
    expect(tampered.status).toBe(401);
    expect(w.fake.deliveries.at(-1)!.verdict).toBe('bad_signature');
    // The right body under a wrong secret, and a correct signature over a stale timestamp, fail too.
    const wrongSecret = await fetch(w.fake.url, { method: 'POST', headers: { ...headers, 'x-deliverydesk-signature': sign('another-secret-0123456789', sut.eventId, d.timestamp!, d.rawBody) }, body: d.rawBody });
    expect(wrongSecret.status).toBe(401);
    const old = d.timestamp! - 301;
    const stale = await fetch(w.fake.url, { method: 'POST', headers: { ...headers, 'x-deliverydesk-timestamp': String(old), 'x-deliverydesk-signature': sign(PLATFORM_SECRET, sut.eventId, old, d.rawBody) }, body: d.rawBody });
    expect(stale.status).toBe(401);
    expect(w.fake.deliveries.at(-1)!.verdict).toBe('stale_timestamp');

    const after = await reload(w, sut);
    expect(after).toMatchObject({ status: 'delivered', attempts: 1, lastErrorCode: null, dispatchOpen: false });
    expect(after.deliveredAt).not.toBeNull();
    const rows = await deliveryRows(w, sut);
    expect(rows.map((r) => ({ attempt: r.attempt, trigger: r.trigger, outcome: r.outcome, responseStatus: r.responseStatus, eventId: r.eventId }))).toEqual([
      { attempt: 1, trigger: 'issue', outcome: 'success', responseStatus: 200, eventId: sut.eventId },
    ]);
    expect(rows[0].responseBody).toContain('received');
    expect(await historyTypes(w, sut)).toEqual(['issued', 'delivering', 'delivered']);
  });

  it('retries 429 (honouring Retry-After), 500, 503 and a timeout with backoff, then succeeds under the same event id', async () => {
    const shop = await shopOnFake(w);
    w.fake.inject({ status: 429, retryAfter: 2 });
    w.fake.inject({ status: 500 });
    w.fake.inject({ status: 503, body: '<html>Service Unavailable</html>' });
    w.fake.inject('hang');
    const sut = await issue(w, shop);
    await settle(w);

    const seen = w.fake.deliveriesOf(sut.eventId);
    expect(seen.map((d) => d.verdict)).toEqual(['faulted', 'faulted', 'faulted', 'faulted', 'accepted']);
    // Every attempt is signed afresh and verifies; the event id never changes.
    expect(seen.every((d) => d.signatureValid)).toBe(true);
    expect(new Set(seen.map((d) => d.eventId))).toEqual(new Set([sut.eventId]));
    const stamps = seen.map((d) => d.timestamp!);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    // Retry-After: 2 beat the 100-200 ms our backoff would have waited.
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(1900);
    for (let i = 2; i < seen.length; i++) expect(seen[i].at - seen[i - 1].at).toBeGreaterThanOrEqual(90);

    const rows = await deliveryRows(w, sut);
    expect(rows.map((r) => [r.attempt, r.trigger, r.outcome, r.responseStatus, r.errorCode])).toEqual([
      [1, 'issue', 'transient', 429, 'rate_limited'],
      [2, 'retry', 'transient', 500, 'http_error'],
      [3, 'retry', 'transient', 503, 'http_error'],
      [4, 'retry', 'transient', null, 'timeout'],
      [5, 'retry', 'success', 200, null],
    ]);
    expect(rows[0].error).toContain('Retry-After: 2');
    expect(rows[2].responseBody).toContain('Service Unavailable');
    expect(new Set(rows.map((r) => r.eventId))).toEqual(new Set([sut.eventId]));
    expect(await reload(w, sut)).toMatchObject({ status: 'delivered', attempts: 5, lastErrorCode: null, lastError: null, nextAttemptAt: null });
  }, 90_000);

  it('delivers once however many copies of an attempt job run, and ignores stale ones', async () => {
    const shop = await shopOnFake(w);
    const sut = await issue(w, shop);
    const job = { merchantId: sut.merchantId, commandId: sut.id, attempt: 1, trigger: 'sweep' as const };
    // Copies of the first attempt (a sweep racing the original job).
    await Promise.all([w.jobs.send(PLATFORM_DELIVERY_QUEUE, job), w.jobs.send(PLATFORM_DELIVERY_QUEUE, job), w.delivery.deliver(job)]);
    await settle(w);
    expect(w.fake.deliveriesOf(sut.eventId)).toHaveLength(1);
    expect(await reload(w, sut)).toMatchObject({ status: 'delivered', attempts: 1 });

    // A stale job while a retry is scheduled must not jump the backoff.
    w.options.baseDelayMs = 3000;
    w.fake.inject({ status: 500 });
    const retried = await issue(w, shop);
    const first = { merchantId: retried.merchantId, commandId: retried.id, attempt: 1, trigger: 'issue' as const };
    // Whether the queue's worker or this call makes attempt 1, it fails and a retry is scheduled.
    await w.delivery.deliver(first);
    while ((await reload(w, retried)).lastErrorCode === null) await new Promise((r) => setTimeout(r, 20));
    expect(await reload(w, retried)).toMatchObject({ status: 'delivering', attempts: 1, lastErrorCode: 'http_error', dispatchOpen: true });
    await w.delivery.deliver(first);
    expect(w.fake.deliveriesOf(retried.eventId)).toHaveLength(1);
    await settle(w);
    expect(w.fake.deliveriesOf(retried.eventId).map((d) => d.verdict)).toEqual(['faulted', 'accepted']);
    expect(await reload(w, retried)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('also retries a dropped connection', async () => {
    const shop = await shopOnFake(w);
    w.fake.inject('reset');
    const sut = await issue(w, shop);
    await settle(w);
    const rows = await deliveryRows(w, sut);
    expect(rows.map((r) => [r.outcome, r.errorCode])).toEqual([
      ['transient', 'network_error'],
      ['success', null],
    ]);
    expect((await reload(w, sut)).status).toBe('delivered');
  });

  it('fails a command as undeliverable after the retry limit, visibly', async () => {
    w.options.maxAttempts = 3;
    const shop = await shopOnFake(w);
    w.fake.inject({ status: 502 }, 3);
    const sut = await issue(w, shop);
    await settle(w);

    expect(w.fake.deliveriesOf(sut.eventId)).toHaveLength(3);
    const res = await shop.api.get(`/v1/platform-commands/${sut.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'failed',
      attempts: 3,
      failure: { code: 'undeliverable', retryable: null },
      lastError: { code: 'http_error' },
      nextAttemptAt: null,
    });
    expect(res.body.failure.reason).toMatch(/^Not delivered after 3 attempts; last: HTTP 502/);
    expect(res.body.deliveries.map((d: { attempt: number; outcome: string }) => [d.attempt, d.outcome])).toEqual([
      [1, 'transient'],
      [2, 'transient'],
      [3, 'transient'],
    ]);
    expect(res.body.history.map((h: { type: string }) => h.type)).toEqual(['issued', 'delivering', 'failed']);
    expect(res.body.history.at(-1)).toMatchObject({ fromStatus: 'delivering', toStatus: 'failed', actor: { kind: 'system' } });
  });

  it('takes a 400 as a permanent refusal and does not retry', async () => {
    const shop = await shopOnFake(w);
    w.fake.inject({ status: 400, body: '{"error":"unknown order"}' });
    const sut = await issue(w, shop);
    await settle(w);

    expect(w.fake.deliveriesOf(sut.eventId)).toHaveLength(1);
    const after = await reload(w, sut);
    expect(after).toMatchObject({ status: 'failed', failureCode: 'rejected', attempts: 1, lastErrorCode: 'rejected', dispatchOpen: false });
    expect(after.failureReason).toContain('HTTP 400');
    expect(after.failureReason).toContain('unknown order');
  });

  it('keeps the command pending with a reason while the merchant has no platform connection, and delivers once connected', async () => {
    w.options.notConnectedRecheckMs = 0;
    w.options.sweepGraceMs = 0;
    const shop = await shopOnFake(w, { connected: false });
    const sut = await issue(w, shop);
    await settle(w);

    const pending = await shop.api.get(`/v1/platform-commands/${sut.id}`);
    expect(pending.body).toMatchObject({ status: 'pending', attempts: 0, lastError: { code: 'platform_not_connected' }, deliveries: [] });
    expect(pending.body.lastError.message).toMatch(/no platform webhook URL/);
    expect(w.fake.deliveriesOf(sut.eventId)).toHaveLength(0);
    // Looking again while still unconnected changes nothing and writes no new history.
    await w.delivery.sweep();
    await settle(w);
    expect(await reload(w, sut)).toMatchObject({ status: 'pending', attempts: 0, lastErrorCode: 'platform_not_connected' });
    expect(await historyTypes(w, sut)).toEqual(['issued', 'blocked']);

    const patched = await w.t.admin.patch(`/admin/merchants/${shop.merchant.id}`, { platformWebhookUrl: w.fake.url, platformWebhookSecret: PLATFORM_SECRET });
    expect(patched.status).toBe(200);
    await w.delivery.sweep();
    await settle(w);

    const delivered = await reload(w, sut);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1, lastErrorCode: null });
    expect(w.fake.deliveriesOf(sut.eventId).map((d) => d.verdict)).toEqual(['accepted']);
    expect((await deliveryRows(w, sut)).map((r) => r.trigger)).toEqual(['sweep']);
    expect(await historyTypes(w, sut)).toEqual(['issued', 'blocked', 'delivering', 'delivered']);
  });

  it('replays a command under the same event id, for an operator and for the platform', async () => {
    const shop = await shopOnFake(w);
    const sut = await issue(w, shop);
    await settle(w);

    const replay = await w.t.admin.post(`/admin/merchants/${shop.merchant.id}/platform-commands/${sut.id}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ id: sut.id, status: 'delivered', eventId: sut.eventId });
    await settle(w);
    const redeliver = await shop.api.post(`/v1/platform-commands/${sut.id}/redeliver`);
    expect(redeliver.status).toBe(202);
    await settle(w);

    const seen = w.fake.deliveriesOf(sut.eventId);
    expect(seen.map((d) => d.verdict)).toEqual(['accepted', 'duplicate', 'duplicate']);
    expect(seen.every((d) => d.signatureValid)).toBe(true);
    expect((await deliveryRows(w, sut)).map((r) => [r.attempt, r.trigger, r.eventId])).toEqual([
      [1, 'issue', sut.eventId],
      [2, 'replay', sut.eventId],
      [3, 'redeliver', sut.eventId],
    ]);
    const history = await w.commands.history(sut.merchantId, sut.id);
    expect(history.filter((h) => h.type === 'replay_requested').map((h) => [h.actorKind, h.data.trigger])).toEqual([
      ['operator', 'replay'],
      ['platform', 'redeliver'],
    ]);
    expect((await reload(w, sut)).status).toBe('delivered');

    // Another merchant's id in the operator path does not find it.
    const other = await shopOnFake(w);
    expect((await w.t.admin.post(`/admin/merchants/${other.merchant.id}/platform-commands/${sut.id}/replay`)).status).toBe(404);
  });

  it('refuses to replay a command that has failed (409 platform_command_settled)', async () => {
    const shop = await shopOnFake(w);
    w.fake.inject({ status: 400 });
    const sut = await issue(w, shop);
    await settle(w);
    expect(await reload(w, sut)).toMatchObject({ status: 'failed', failureCode: 'rejected', attempts: 1 });

    const res = await w.t.admin.post(`/admin/merchants/${shop.merchant.id}/platform-commands/${sut.id}/replay`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('platform_command_settled');
    expect(w.fake.deliveriesOf(sut.eventId)).toHaveLength(1);
  });

  it('a failing redelivery never moves a delivered command back', async () => {
    w.options.maxAttempts = 2;
    const shop = await shopOnFake(w);
    const sut = await issue(w, shop);
    await settle(w);
    w.fake.inject({ status: 503 }, 2);
    expect((await shop.api.post(`/v1/platform-commands/${sut.id}/redeliver`)).status).toBe(202);
    await settle(w);

    const after = await reload(w, sut);
    expect(after).toMatchObject({ status: 'delivered', attempts: 3, dispatchOpen: false, lastErrorCode: 'http_error' });
    expect(await historyTypes(w, sut)).toEqual(['issued', 'delivering', 'delivered', 'replay_requested']);
  });

  it("opens the merchant's circuit after failures in a row and tries again after the pause", async () => {
    w.options.breaker = { failureThreshold: 2, openMs: 1500, maxOpenMs: 5000, trialTimeoutMs: 5000 };
    const shop = await shopOnFake(w);
    w.fake.inject({ status: 500 }, 2);
    const sut = await issue(w, shop);
    await settle(w);

    const seen = w.fake.deliveriesOf(sut.eventId);
    expect(seen.map((d) => d.verdict)).toEqual(['faulted', 'faulted', 'accepted']);
    // The backoff alone would have waited 100-400 ms; the open circuit held the third attempt back.
    expect(seen[2].at - seen[1].at).toBeGreaterThanOrEqual(1400);
    expect((await deliveryRows(w, sut)).map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(await reload(w, sut)).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(w.delivery.breaker.state(shop.merchant.id, Date.now())).toBe('closed');
  });
});
