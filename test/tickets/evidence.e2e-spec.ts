import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF'), Buffer.alloc(2000, 7)]);

describe('Ticket evidence', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ EVIDENCE_MAX_BYTES: '65536' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function damagedTicket() {
    const m = await createMerchant(t);
    const order = orderBody();
    await m.api.post('/v1/orders', order);
    const ticket = await m.api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'damaged', lines: [{ lineExternalId: 'L2', quantity: 1 }] });
    expect(ticket.status).toBe(201);
    return { ...m, ticket: ticket.body };
  }

  const upload = (key: string, ticketId: string, bytes: Buffer, type: string, kind = 'photo_item') =>
    fetch(`${t.baseUrl}/v1/tickets/${ticketId}/evidence?kind=${kind}&fileName=bowl.jpg`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': type },
      body: bytes,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('stores a photo with the ticket once, decides again, and serves it back', async () => {
    const { apiKey, api, ticket } = await damagedTicket();
    const first = await upload(apiKey, ticket.id, JPEG, 'image/jpeg');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'photo_item', contentType: 'image/jpeg', sizeBytes: JPEG.length, fileName: 'bowl.jpg' });
    const again = await upload(apiKey, ticket.id, JPEG, 'application/octet-stream');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    const full = await api.get(`/v1/tickets/${ticket.id}`);
    expect(full.body.evidence).toHaveLength(1);
    expect(full.body.events.map((e: any) => e.type)).toEqual(['created', 'decision_made', 'evidence_added', 'decision_made']);
    expect(full.body.decision.id).not.toBe(ticket.decision.id);

    const file = await fetch(`${t.baseUrl}/v1/tickets/${ticket.id}/evidence/${first.body.id}`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await file.arrayBuffer()).equals(JPEG)).toBe(true);
    const other = await createMerchant(t);
    expect((await fetch(`${t.baseUrl}/v1/tickets/${ticket.id}/evidence/${first.body.id}`, { headers: { authorization: `Bearer ${other.apiKey}` } })).status).toBe(404);
  });

  it('checks the type from the bytes and the size, and writes nothing when refused', async () => {
    const { apiKey, ticket } = await damagedTicket();
    const disguised = await upload(apiKey, ticket.id, Buffer.from('<html><script>alert(1)</script></html>'), 'image/jpeg');
    expect(disguised.status).toBe(415);
    expect(disguised.body.error.code).toBe('unsupported_evidence_type');
    const tooBig = await upload(apiKey, ticket.id, Buffer.concat([JPEG, Buffer.alloc(70_000)]), 'image/jpeg');
    expect(tooBig.status).toBe(413);
    const badKind = await upload(apiKey, ticket.id, JPEG, 'image/jpeg', 'selfie');
    expect(badKind.status).toBe(400);
    expect(badKind.body.error.fields[0].path).toBe('kind');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM ticket_evidence WHERE ticket_id = $1`, [ticket.id]);
    expect(n).toBe(0);
  });
});
