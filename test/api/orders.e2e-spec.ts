import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Orders API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates an order (201), returns it unchanged on replay (200, same version) and updates it when it changes', async () => {
    const { api } = await createMerchant(t);
    const body = orderBody();
    const first = await api.post('/v1/orders', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ externalId: body.externalId, totalMinor: body.totalMinor, version: 1 });
    expect(first.body.customer.email).toBe('hanako@example.com');
    expect(first.body.lines.map((l: any) => l.externalId)).toEqual(['L1', 'L2']);

    const again = await api.post('/v1/orders', body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.version).toBe(1);

    const changed = orderBody({ externalId: body.externalId, shipTo: { ...body.shipTo, street1: '1 Market St' } });
    const updated = await api.post('/v1/orders', changed);
    expect(updated.status).toBe(200);
    expect(updated.body.shipTo.street1).toBe('1 Market St');
    expect(updated.body.version).toBe(2);

    const rows = await t.ds.query('SELECT count(*)::int AS n FROM orders WHERE external_id = $1', [body.externalId]);
    expect(rows[0].n).toBe(1);
    const lines = await t.ds.query('SELECT count(*)::int AS n FROM order_lines WHERE order_id = $1', [first.body.id]);
    expect(lines[0].n).toBe(2);
  });

  it('converges concurrent first pushes of one order on a single row', async () => {
    const { api } = await createMerchant(t);
    const body = orderBody();
    const results = await Promise.all(Array.from({ length: 8 }, () => api.post('/v1/orders', body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
  });

  it('replaces, adds and removes lines by external id', async () => {
    const { api } = await createMerchant(t);
    const body = orderBody();
    await api.post('/v1/orders', body);
    const next = orderBody({
      externalId: body.externalId,
      lines: [
        { externalId: 'L2', sku: 'BOWL-1', name: 'Bowl', quantity: 2, unitPriceMinor: 4000 },
        { externalId: 'L3', sku: 'CUP-1', name: 'Cup', quantity: 1, unitPriceMinor: 900 },
      ],
    });
    const res = await api.post('/v1/orders', next);
    expect(res.status).toBe(200);
    expect(res.body.lines.map((l: any) => [l.externalId, l.quantity])).toEqual([
      ['L2', 2],
      ['L3', 1],
    ]);
  });

  it('rejects bad input with 400 and the path of every field at fault', async () => {
    const { api } = await createMerchant(t);
    const body = orderBody();
    const res = await api.post('/v1/orders', {
      ...body,
      channel: 'carrier-pigeon',
      unknownField: 1,
      shipTo: { ...body.shipTo, state: 'ZZ', zip: '9410' },
      customer: { ...body.customer, email: 'not-an-email' },
      lines: [{ ...body.lines[0], quantity: 0 }, { ...body.lines[1], unitPriceMinor: 12.5 }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.requestId).toEqual(expect.any(String));
    const paths = res.body.error.fields.map((f: any) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['unknownField', 'channel', 'shipTo.state', 'shipTo.zip', 'customer.email', 'lines[0].quantity', 'lines[1].unitPriceMinor']),
    );
    const count = await t.ds.query('SELECT count(*)::int AS n FROM orders WHERE external_id = $1', [body.externalId]);
    expect(count[0].n).toBe(0);
  });

  it('rejects amounts that do not add up with 422 and writes nothing', async () => {
    const { api, merchant } = await createMerchant(t);
    const body = orderBody();
    const res = await api.post('/v1/orders', { ...body, totalMinor: body.totalMinor + 1, subtotalMinor: body.subtotalMinor - 5 });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('order_inconsistent');
    expect(res.body.error.fields.map((f: any) => f.path).sort()).toEqual(['subtotalMinor', 'totalMinor']);
    const count = await t.ds.query('SELECT count(*)::int AS n FROM orders WHERE external_id = $1', [body.externalId]);
    expect(count[0].n).toBe(0);
    const customers = await t.ds.query('SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1', [merchant.id]);
    expect(customers[0].n).toBe(0);
  });

  it('rejects duplicate line ids with the index of the duplicate', async () => {
    const { api } = await createMerchant(t);
    const body = orderBody({
      lines: [
        { externalId: 'A', sku: 'X', name: 'x', quantity: 1, unitPriceMinor: 100 },
        { externalId: 'A', sku: 'Y', name: 'y', quantity: 1, unitPriceMinor: 100 },
      ],
    });
    const res = await api.post('/v1/orders', body);
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual([{ path: 'lines[1].externalId', problem: expect.stringContaining('lines[0]') }]);
  });

  it('reads an order by external id, and 404s an unknown one', async () => {
    const { api } = await createMerchant(t);
    const body = orderBody({ externalId: 'ORD/2026 #7' });
    await api.post('/v1/orders', body);
    const res = await api.get(`/v1/orders/${encodeURIComponent('ORD/2026 #7')}`);
    expect(res.status).toBe(200);
    expect(res.body.externalId).toBe('ORD/2026 #7');
    const missing = await api.get('/v1/orders/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it("never shows one merchant's orders or shipments to another merchant's key", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    const body = orderBody();
    await a.api.post('/v1/orders', body);
    const ship = await a.api.post(`/v1/orders/${encodeURIComponent(body.externalId)}/shipments`, { carrier: 'sandbox', trackingCode: 'EZ4000000004' });
    expect(ship.status).toBe(201);

    expect((await b.api.get(`/v1/orders/${encodeURIComponent(body.externalId)}`)).status).toBe(404);
    expect((await b.api.get(`/v1/shipments/${ship.body.id}`)).status).toBe(404);
    const shipOnA = await b.api.post(`/v1/orders/${encodeURIComponent(body.externalId)}/shipments`, { carrier: 'sandbox', trackingCode: 'EZ1000000001' });
    expect(shipOnA.status).toBe(404);

    // B pushing the same external id creates B's own order; A's stays as it was.
    const bOrder = await b.api.post('/v1/orders', { ...body, totalMinor: body.totalMinor + 100, shippingMinor: body.shippingMinor + 100 });
    expect(bOrder.status).toBe(201);
    const aOrder = await a.api.get(`/v1/orders/${encodeURIComponent(body.externalId)}`);
    expect(aOrder.body.totalMinor).toBe(body.totalMinor);
    expect(bOrder.body.id).not.toBe(aOrder.body.id);
  });
});
