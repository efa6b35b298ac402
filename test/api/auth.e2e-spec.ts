import { createMerchant, orderBody } from '../support/factories';
import { HttpClient } from '../support/http-client';
import { startTestApp, TestApp } from '../support/test-app';

describe('Authentication and scopes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('401s a request without a key, with a malformed key, or with an unknown key', async () => {
    expect((await t.http.get('/v1/orders/x')).body.error.code).toBe('unauthenticated');
    const malformed = await t.http.withApiKey('hello').get('/v1/orders/x');
    expect(malformed.status).toBe(401);
    expect(malformed.body.error.code).toBe('invalid_api_key');
    const { apiKey } = await createMerchant(t);
    const forged = apiKey.slice(0, -4) + (apiKey.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await t.http.withApiKey(forged).get('/v1/orders/x')).status).toBe(401);
    expect((await t.http.withHeaders({ 'x-api-key': apiKey }).get('/v1/orders/x')).status).toBe(404);
  });

  it('401s a revoked key at once, and revoking twice keeps the first time', async () => {
    const { api, merchant, keyId } = await createMerchant(t);
    expect((await api.post('/v1/orders', orderBody())).status).toBe(201);
    const revoked = await t.admin.post(`/admin/merchants/${merchant.id}/api-keys/${keyId}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const again = await t.admin.post(`/admin/merchants/${merchant.id}/api-keys/${keyId}/revoke`);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const res = await api.post('/v1/orders', orderBody());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_api_key');
  });

  it('403s a key without the scope the route needs', async () => {
    const { api } = await createMerchant(t, {}, ['orders:read']);
    const res = await api.post('/v1/orders', orderBody());
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('insufficient_scope');
    expect((await api.get('/v1/orders/none')).status).toBe(404);
  });

  it('shows the key once: listing keys never returns a secret', async () => {
    const { merchant, apiKey } = await createMerchant(t);
    const list = await t.admin.get(`/admin/merchants/${merchant.id}/api-keys`);
    expect(list.status).toBe(200);
    // The secret may itself contain '_': it is everything after `dd_<10-character prefix>_`.
    expect(JSON.stringify(list.body)).not.toContain(apiKey.slice('dd_'.length + 10 + 1));
    expect(list.body.data[0]).toMatchObject({ prefix: apiKey.slice(3, 13), scopes: expect.arrayContaining(['orders:write']) });
    const stored = await t.ds.query('SELECT secret_hash FROM api_keys WHERE merchant_id = $1', [merchant.id]);
    expect(stored[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('guards admin endpoints with the admin token', async () => {
    expect((await t.http.get('/admin/merchants')).status).toBe(401);
    const wrong = await new HttpClient(t.baseUrl, { authorization: 'Bearer not-the-admin-token-at-all' }).get('/admin/merchants');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_admin_token');
    const { apiKey } = await createMerchant(t);
    expect((await t.http.withApiKey(apiKey).get('/admin/merchants')).status).toBe(401);
    expect((await t.admin.get('/admin/merchants')).status).toBe(200);
  });

  it('stores agents with scrypt password hashes and never returns them', async () => {
    const { merchant } = await createMerchant(t);
    const res = await t.admin.post(`/admin/merchants/${merchant.id}/agents`, {
      email: 'Aiko@Shop.example',
      name: 'Aiko',
      role: 'supervisor',
      password: 'correct horse battery',
      approvalLimitMinor: 20000,
      languages: ['ja', 'en'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: 'aiko@shop.example', role: 'supervisor', approvalLimitMinor: 20000 });
    expect(JSON.stringify(res.body)).not.toMatch(/password|scrypt/);
    const [row] = await t.ds.query('SELECT password_hash FROM agents WHERE id = $1', [res.body.id]);
    expect(row.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    const dup = await t.admin.post(`/admin/merchants/${merchant.id}/agents`, { email: 'aiko@shop.example', name: 'A', role: 'agent', password: 'another long password' });
    expect(dup.status).toBe(409);
    const weak = await t.admin.post(`/admin/merchants/${merchant.id}/agents`, { email: 'b@shop.example', name: 'B', role: 'boss', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.fields.map((f: any) => f.path).sort()).toEqual(['password', 'role']);
    const patched = await t.admin.patch(`/admin/merchants/${merchant.id}/agents/${res.body.id}`, { active: false, approvalLimitMinor: 0 });
    expect(patched.body).toMatchObject({ active: false, approvalLimitMinor: 0 });
  });
});

describe('Rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with Retry-After past the per-key limit, counting each key separately', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.http.withApiKey('dd_aaaaaaaaaa_' + 'a'.repeat(43)).get('/v1/orders/x')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await t.http.withApiKey('dd_aaaaaaaaaa_' + 'a'.repeat(43)).get('/v1/orders/x');
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toEqual(expect.any(String));
    expect((await t.http.withApiKey('dd_bbbbbbbbbb_' + 'b'.repeat(43)).get('/v1/orders/x')).status).toBe(401);
  });
});
