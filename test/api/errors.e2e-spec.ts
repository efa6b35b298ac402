import { DEFAULT_POLICY } from '@app/returns';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Errors and operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: '4096' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const { api } = await createMerchant(t);
    const res = await api.request('POST', '/v1/orders', '{"externalId": ', {});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'malformed_json', message: expect.any(String), fields: [] }, requestId: expect.any(String) });
  });

  it('treats an empty body declared as JSON as no body: validation answers, not the parser', async () => {
    const { api } = await createMerchant(t);
    const empty = await api.request('POST', '/v1/orders', '', { 'content-type': 'application/json' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('validation_failed');
    expect(empty.body.error.fields.map((f: { path: string }) => f.path)).toContain('externalId');
    const whitespace = await api.request('POST', '/v1/orders', '  ', { 'content-type': 'application/json' });
    expect(whitespace.body.error.code).toBe('malformed_json');
    // Signature checks still see the exact bytes of a non-empty body (raw body kept).
    const ok = await api.post('/v1/orders', orderBody());
    expect(ok.status).toBe(201);
  });

  it('answers a body over the limit with 413 and writes nothing', async () => {
    const { api, merchant } = await createMerchant(t);
    const big = orderBody({ lines: Array.from({ length: 60 }, (_, i) => ({ externalId: `L${i}`, sku: `SKU-${i}`, name: 'x'.repeat(40), quantity: 1, unitPriceMinor: 100 })) });
    const res = await api.post('/v1/orders', big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    const rows = await t.ds.query('SELECT count(*)::int AS n FROM orders WHERE merchant_id = $1', [merchant.id]);
    expect(rows[0].n).toBe(0);
  });

  it('answers a non-JSON content type with 415', async () => {
    const { api } = await createMerchant(t);
    const res = await api.request('POST', '/v1/orders', 'a=b', { 'content-type': 'text/csv' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('answers an unknown route with the same error body', async () => {
    const res = await t.http.get('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('echoes a sane X-Request-Id and uses it in error bodies', async () => {
    const res = await t.http.get('/v1/orders/x', { 'x-request-id': 'platform-req-42' });
    expect(res.headers.get('x-request-id')).toBe('platform-req-42');
    expect(res.body.requestId).toBe('platform-req-42');
    const weird = await t.http.get('/v1/orders/x', { 'x-request-id': 'bad id with spaces' });
    expect(weird.body.requestId).not.toBe('bad id with spaces');
  });

  it('reports liveness and readiness', async () => {
    expect((await t.http.get('/health/live')).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/health/ready')).body).toEqual({ status: 'ok', database: 'ok', migrations: 'current' });
  });

  it('serves the OpenAPI document with the platform and admin routes', async () => {
    const res = await t.http.get('/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/v1/orders', '/v1/orders/{externalId}', '/v1/orders/{externalId}/shipments', '/v1/shipments/{shipmentId}', '/admin/merchants']),
    );
    expect(res.body.components.schemas.UpsertOrderDto.required).toEqual(expect.arrayContaining(['externalId', 'lines', 'totalMinor']));
    const html = await fetch(`${t.baseUrl}/docs`);
    expect(html.status).toBe(200);
  });

  it('validates merchants: time zone, US address and webhook URL', async () => {
    const res = await t.admin.post('/admin/merchants', {
      slug: 'Bad Slug',
      nameEn: 'X',
      nameJa: 'X',
      defaultLanguage: 'fr',
      timeZone: 'Mars/Olympus',
      shipFrom: { name: 'W', street1: '1 A St', city: 'X', state: 'XX', zip: 'abc', country: 'US' },
      platformWebhookUrl: 'ftp://x',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: any) => f.path).sort()).toEqual(
      ['defaultLanguage', 'platformWebhookUrl', 'shipFrom.state', 'shipFrom.zip', 'slug', 'timeZone'].sort(),
    );
  });

  it('keeps merchant secrets encrypted and policies versioned', async () => {
    const { merchant } = await createMerchant(t, { platformWebhookUrl: 'https://shop.example/hooks', platformWebhookSecret: 'whsec_0123456789abcdef' });
    expect(merchant.platformWebhookSecretSet).toBe(true);
    const [row] = await t.ds.query('SELECT platform_webhook_secret_enc FROM merchants WHERE id = $1', [merchant.id]);
    expect(row.platform_webhook_secret_enc).toMatch(/^v1:/);
    expect(row.platform_webhook_secret_enc).not.toContain('whsec');
    const v1 = await t.admin.get(`/admin/merchants/${merchant.id}/policy`);
    expect(v1.body).toMatchObject({ version: 1, policy: DEFAULT_POLICY });
    const draft = structuredClone(DEFAULT_POLICY) as any;
    draft.notReceived.waitHours = 72;
    const bad = await t.admin.post(`/admin/merchants/${merchant.id}/policies`, { policy: { ...draft, returnWindow: { ...draft.returnWindow, days: -3 }, typo: 1 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('policy_invalid');
    expect(bad.body.error.fields.map((f: any) => f.path)).toEqual(expect.arrayContaining(['policy.returnWindow.days']));
    const v2 = await t.admin.post(`/admin/merchants/${merchant.id}/policies`, { policy: draft, note: 'longer DNR wait' });
    expect(v2.status).toBe(201);
    expect(v2.body.version).toBe(2);
    expect(v2.body.policy.notReceived.waitHours).toBe(72);
    const current = await t.admin.get(`/admin/merchants/${merchant.id}/policy`);
    expect(current.body).toMatchObject({ version: 2, note: 'longer DNR wait' });
    expect((await t.admin.get(`/admin/merchants/${merchant.id}`)).body.policyVersion).toBe(2);
  });
});
