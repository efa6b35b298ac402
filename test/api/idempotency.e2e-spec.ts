import { IdempotencyService } from '../../apps/delivery-desk/src/idempotency/idempotency.service';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Idempotency-Key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('replays the first response for the same key and request', async () => {
    const { api } = await createMerchant(t);
    const body = orderBody();
    const first = await api.post('/v1/orders', body, { 'idempotency-key': 'order-1' });
    expect(first.status).toBe(201);
    // The order changes in between; the replay must still return the first response.
    await api.post('/v1/orders', { ...body, shipTo: { ...body.shipTo, city: 'Oakland' } });
    const replay = await api.post('/v1/orders', body, { 'idempotency-key': 'order-1' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
  });

  it('hashes the body canonically: key order does not matter', async () => {
    const { api } = await createMerchant(t);
    const body = orderBody();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const first = await api.post('/v1/orders', body, { 'idempotency-key': 'k-canonical' });
    const second = await api.post('/v1/orders', reordered, { 'idempotency-key': 'k-canonical' });
    expect(second.status).toBe(first.status);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('rejects the same key with a different body (422) and changes nothing', async () => {
    const { api } = await createMerchant(t);
    const body = orderBody();
    await api.post('/v1/orders', body, { 'idempotency-key': 'k-2' });
    const other = await api.post('/v1/orders', { ...body, channel: 'phone' }, { 'idempotency-key': 'k-2' });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'idempotency_key_reused', fields: [{ path: 'Idempotency-Key', problem: expect.any(String) }] });
    const read = await api.get(`/v1/orders/${encodeURIComponent(body.externalId)}`);
    expect(read.body.channel).toBe('web');
  });

  it('stores client errors too, so a retried bad request answers the same', async () => {
    const { api } = await createMerchant(t);
    const bad = { ...orderBody(), totalMinor: 1 };
    const first = await api.post('/v1/orders', bad, { 'idempotency-key': 'k-bad' });
    expect(first.status).toBe(422);
    const again = await api.post('/v1/orders', bad, { 'idempotency-key': 'k-bad' });
    expect(again.status).toBe(422);
    expect(again.body.error).toEqual(first.body.error);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('lets exactly one of many concurrent requests with one key run', async () => {
    const { api, merchant } = await createMerchant(t);
    const body = orderBody();
    const results = await Promise.all(Array.from({ length: 10 }, () => api.post('/v1/orders', body, { 'idempotency-key': 'k-race' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const inProgress = results.filter((r) => r.status === 409);
    for (const r of inProgress) expect(r.body.error.code).toBe('idempotency_key_in_progress');
    // Every 201 is the first response (original or replay), and only one order exists.
    expect(new Set(results.filter((r) => r.status === 201).map((r) => r.body.id)).size).toBe(1);
    const rows = await t.ds.query('SELECT count(*)::int AS n FROM orders WHERE merchant_id = $1', [merchant.id]);
    expect(rows[0].n).toBe(1);
  });

  it('keeps keys per merchant: two merchants may use the same key', async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    const ra = await a.api.post('/v1/orders', orderBody(), { 'idempotency-key': 'shared-key' });
    const rb = await b.api.post('/v1/orders', orderBody(), { 'idempotency-key': 'shared-key' });
    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(rb.headers.get('idempotent-replayed')).toBeNull();
  });

  it('forgets keys after 24 hours, so a day-old key runs again', async () => {
    const { api, merchant } = await createMerchant(t);
    const body = orderBody();
    await api.post('/v1/orders', body, { 'idempotency-key': 'old-key' });
    await api.post('/v1/orders', orderBody(), { 'idempotency-key': 'new-key' });
    await t.ds.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE scope = $1 AND key = 'old-key'`, [merchant.id]);
    expect(await t.get(IdempotencyService).purgeOlderThan(24)).toBeGreaterThanOrEqual(1);
    const keys = await t.ds.query(`SELECT key FROM idempotency_keys WHERE scope = $1 ORDER BY key`, [merchant.id]);
    expect(keys.map((k: any) => k.key)).toEqual(['new-key']);
    const again = await api.post('/v1/orders', body, { 'idempotency-key': 'old-key' });
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('rejects a malformed key with 400', async () => {
    const { api } = await createMerchant(t);
    const res = await api.post('/v1/orders', orderBody(), { 'idempotency-key': 'x'.repeat(300) });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe('Idempotency-Key');
  });

  it('works on admin endpoints too: a retried merchant creation creates one merchant', async () => {
    const body = { slug: `idem-${Date.now()}`, nameEn: 'Idem', nameJa: '冪等', defaultLanguage: 'ja', timeZone: 'Asia/Tokyo', shipFrom: { name: 'W', street1: '1 A St', city: 'Reno', state: 'NV', zip: '89501', country: 'US' } };
    const first = await t.admin.post('/admin/merchants', body, { 'idempotency-key': 'm-1' });
    const second = await t.admin.post('/admin/merchants', body, { 'idempotency-key': 'm-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const without = await t.admin.post('/admin/merchants', body);
    expect(without.status).toBe(409);
    expect(without.body.error).toMatchObject({ code: 'slug_taken', fields: [{ path: 'slug', problem: 'already taken' }] });
  });
});
