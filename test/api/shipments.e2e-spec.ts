import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Shipments API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function orderWithMerchant() {
    const m = await createMerchant(t);
    const body = orderBody();
    await m.api.post('/v1/orders', body);
    return { ...m, body, path: `/v1/orders/${encodeURIComponent(body.externalId)}/shipments` };
  }

  it('registers a shipment with every unshipped unit by default, and reads it back', async () => {
    const { api, path } = await orderWithMerchant();
    const res = await api.post(path, { carrier: 'sandbox', carrierName: 'USPS', service: 'Priority', trackingCode: 'EZ4000000004', shippedAt: '2026-11-03T15:00:00Z', signatureOption: 'signature', insuredValueMinor: 5000 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pre_transit', trackingCode: 'EZ4000000004', signatureOption: 'signature', insuranceProvider: 'carrier' });
    expect(res.body.lines).toEqual([
      { lineExternalId: 'L1', sku: 'TEA-1', quantity: 2 },
      { lineExternalId: 'L2', sku: 'BOWL-1', quantity: 1 },
    ]);
    const read = await api.get(`/v1/shipments/${res.body.id}`);
    expect(read.status).toBe(200);
    // The tracker job may already have run (the sandbox answers at once), so the scans are not asserted here.
    expect(read.body).toMatchObject({ id: res.body.id, trackingCode: 'EZ4000000004', lines: res.body.lines, events: expect.any(Array) });
  });

  it('splits an order over several shipments and refuses more units than were ordered', async () => {
    const { api, path, body } = await orderWithMerchant();
    const first = await api.post(path, { carrier: 'sandbox', trackingCode: 'SPLIT-0001', lines: [{ lineExternalId: 'L1', quantity: 1 }] });
    expect(first.status).toBe(201);
    const over = await api.post(path, { carrier: 'sandbox', trackingCode: 'SPLIT-0002', lines: [{ lineExternalId: 'L1', quantity: 2 }, { lineExternalId: 'NOPE', quantity: 1 }] });
    expect(over.status).toBe(422);
    expect(over.body.error.fields).toEqual([
      { path: 'lines[0].quantity', problem: expect.stringContaining('1 unit') },
      { path: 'lines[1].lineExternalId', problem: 'is not a line of this order' },
    ]);
    const rest = await api.post(path, { carrier: 'sandbox', trackingCode: 'SPLIT-0003' });
    expect(rest.status).toBe(201);
    expect(rest.body.lines).toEqual([
      { lineExternalId: 'L1', sku: 'TEA-1', quantity: 1 },
      { lineExternalId: 'L2', sku: 'BOWL-1', quantity: 1 },
    ]);
    const none = await api.post(path, { carrier: 'sandbox', trackingCode: 'SPLIT-0004' });
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe('nothing_to_ship');
    const order = await api.get(`/v1/orders/${encodeURIComponent(body.externalId)}`);
    expect(order.body.shipments.map((s: any) => s.trackingCode)).toEqual(['SPLIT-0001', 'SPLIT-0003']);
  });

  it('treats the same tracking code on the same order as already registered (200) and on another order as a conflict', async () => {
    const { api, path, merchant } = await orderWithMerchant();
    const first = await api.post(path, { carrier: 'sandbox', trackingCode: 'DUP-0001' });
    const again = await api.post(path, { carrier: 'sandbox', trackingCode: 'DUP-0001' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const other = orderBody();
    await api.post('/v1/orders', other);
    const conflict = await api.post(`/v1/orders/${encodeURIComponent(other.externalId)}/shipments`, { carrier: 'sandbox', trackingCode: 'DUP-0001' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('tracking_code_in_use');
    const rows = await t.ds.query('SELECT count(*)::int AS n FROM shipments WHERE merchant_id = $1', [merchant.id]);
    expect(rows[0].n).toBe(1);
  });

  it('keeps shipped lines: an order update may not drop them or go below the shipped quantity', async () => {
    const { api, path, body } = await orderWithMerchant();
    await api.post(path, { carrier: 'sandbox', trackingCode: 'KEEP-0001', lines: [{ lineExternalId: 'L1', quantity: 2 }] });
    const dropped = await api.post('/v1/orders', orderBody({ externalId: body.externalId, lines: [body.lines[1]] }));
    expect(dropped.status).toBe(409);
    expect(dropped.body.error.code).toBe('line_in_shipment');
    const lowered = await api.post('/v1/orders', orderBody({ externalId: body.externalId, lines: [{ ...body.lines[0], quantity: 1 }, body.lines[1]] }));
    expect(lowered.status).toBe(409);
    expect(lowered.body.error.code).toBe('quantity_below_shipped');
    const order = await api.get(`/v1/orders/${encodeURIComponent(body.externalId)}`);
    expect(order.body.lines.map((l: any) => [l.externalId, l.quantity])).toEqual([
      ['L1', 2],
      ['L2', 1],
    ]);
    expect(order.body.version).toBe(1);
  });

  it('serialises concurrent shipments of one order so units are never shipped twice', async () => {
    const { api, path, merchant } = await orderWithMerchant();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => api.post(path, { carrier: 'sandbox', trackingCode: `RACE-000${i}`, lines: [{ lineExternalId: 'L1', quantity: 1 }] })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 422)).toHaveLength(4);
    const [row] = await t.ds.query(
      `SELECT SUM(sl.quantity)::int AS n FROM shipment_lines sl JOIN order_lines ol ON ol.id = sl.order_line_id WHERE sl.merchant_id = $1 AND ol.external_id = 'L1'`,
      [merchant.id],
    );
    expect(row.n).toBe(2);
  });

  it('validates the shipment body with field paths', async () => {
    const { api, path } = await orderWithMerchant();
    const res = await api.post(path, { carrier: 'owl-post', trackingCode: 'x', signatureOption: 'maybe', lines: [{ lineExternalId: 'L1', quantity: -1 }] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: any) => f.path).sort()).toEqual(['carrier', 'lines[0].quantity', 'signatureOption', 'trackingCode']);
  });
});
