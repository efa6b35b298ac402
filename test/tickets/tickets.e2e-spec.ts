import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { createMerchant, orderBody } from '../support/factories';
import { HttpClient } from '../support/http-client';
import { startTestApp, TestApp } from '../support/test-app';

describe('Tickets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** A merchant, an order with a delivered sandbox parcel (EasyPost test code 4), and two agents. */
  async function setup() {
    const m = await createMerchant(t);
    const order = orderBody();
    await m.api.post('/v1/orders', order);
    const ship = await m.api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'sandbox', carrierName: 'USPS', trackingCode: 'EZ4000000004' });
    await t.get(JobQueue).drain();
    const agents: HttpClient[] = [];
    for (const [i, role] of (['agent', 'supervisor'] as const).entries()) {
      const email = `agent${i}@shop.example`;
      await t.admin.post(`/admin/merchants/${m.merchant.id}/agents`, { email, name: `Agent ${i}`, role, password: 'correct horse battery', approvalLimitMinor: 10_000 * (i + 1) });
      const session = await t.http.post('/v1/desk/sessions', { merchant: m.merchant.slug, email, password: 'correct horse battery' });
      expect(session.status).toBe(201);
      agents.push(t.http.withHeaders({ authorization: `Bearer ${session.body.token}` }));
    }
    return { ...m, order, shipmentId: ship.body.id as string, agents };
  }

  it('opens a not-received ticket with its decision, options with reasons, and an audit trail', async () => {
    const { api, order, shipmentId } = await setup();
    const res = await api.post('/v1/tickets', {
      orderExternalId: order.externalId,
      category: 'delivered_not_received',
      shipmentId,
      language: 'ja',
      description: '配達済みになっていますが、荷物が届いていません。',
      externalRef: 'plat-case-1',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ number: 'DD-1', status: 'open', category: 'delivered_not_received', shipmentId, orderExternalId: order.externalId, version: 1 });
    expect(res.body.decision).toMatchObject({ problemKind: 'not_received', policyVersion: 1 });
    expect(res.body.decision.explanation.ja.length).toBeGreaterThan(0);
    expect(res.body.messages).toEqual([expect.objectContaining({ direction: 'inbound', body: '配達済みになっていますが、荷物が届いていません。' })]);
    expect(res.body.events.map((e: any) => e.type)).toEqual(['created', 'decision_made']);
    expect(res.body.events.map((e: any) => e.seq)).toEqual([1, 2]);

    const options = await api.get(`/v1/tickets/${res.body.id}/options`);
    expect(options.status).toBe(200);
    const offered = [...options.body.required, ...options.body.customerChoice, ...options.body.allowed];
    expect(offered.length + options.body.blocked.length).toBeGreaterThan(0);
    for (const a of offered) expect(a.reasons.length).toBeGreaterThan(0);

    const again = await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'delivered_not_received', externalRef: 'plat-case-1' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
  });

  it('refuses tickets that do not fit the order, with the field at fault', async () => {
    const { api, order } = await setup();
    expect((await api.post('/v1/tickets', { orderExternalId: 'nope', category: 'damaged' })).body.error).toMatchObject({ code: 'order_not_found', fields: [{ path: 'orderExternalId' }] });
    const lines = await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'damaged', lines: [{ lineExternalId: 'L1', quantity: 9 }, { lineExternalId: 'ZZ', quantity: 1 }] });
    expect(lines.status).toBe(422);
    expect(lines.body.error.fields.map((f: any) => f.path)).toEqual(['lines[0].quantity', 'lines[1].lineExternalId']);
    const bad = await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'lost-ish' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('category');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM tickets t JOIN orders o ON o.id = t.order_id WHERE o.external_id = $1`, [order.externalId]);
    expect(n).toBe(0);
  });

  it("never shows one merchant's tickets to another", async () => {
    const a = await setup();
    const b = await createMerchant(t);
    const ticket = await a.api.post('/v1/tickets', { orderExternalId: a.order.externalId, category: 'tracking' });
    expect((await b.api.get(`/v1/tickets/${ticket.body.id}`)).status).toBe(404);
    expect((await b.api.get(`/v1/tickets/${ticket.body.id}/options`)).status).toBe(404);
    expect((await b.api.post(`/v1/tickets/${ticket.body.id}/messages`, { body: 'hi' })).status).toBe(404);
  });

  it('lets one of two agents acting at once win; the other gets 409 and the trail shows one change', async () => {
    const { api, order, agents } = await setup();
    const ticket = (await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'tracking' })).body;
    const [a, b] = await Promise.all([
      agents[0].post(`/v1/desk/tickets/${ticket.id}/transition`, { status: 'waiting_carrier', version: ticket.version }),
      agents[1].post(`/v1/desk/tickets/${ticket.id}/transition`, { status: 'resolved', version: ticket.version }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error).toMatchObject({ code: 'ticket_version_conflict', fields: [{ path: 'version' }] });
    const full = await agents[0].get(`/v1/desk/tickets/${ticket.id}`);
    expect(full.body.events.filter((e: any) => e.type === 'status_changed')).toHaveLength(1);
    expect(full.body.version).toBe(ticket.version + 1);
  });

  it('works a ticket from the desk: queue and search, assign, reply, customer answer, illegal moves refused', async () => {
    const { api, order, agents, merchant } = await setup();
    const ticket = (await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'damaged', description: 'The bowl arrived broken.' })).body;
    const queue = await agents[0].get('/v1/desk/tickets');
    expect(queue.body.data.map((x: any) => x.id)).toContain(ticket.id);
    for (const q of [order.externalId, 'EZ4000000004', 'HANAKO@example.com', ticket.number]) {
      const found = await agents[0].get(`/v1/desk/tickets?q=${encodeURIComponent(q)}`);
      expect(found.body.data.map((x: any) => x.id)).toEqual([ticket.id]);
    }
    expect((await agents[0].get('/v1/desk/tickets?q=nothing-like-this')).body.data).toEqual([]);

    const me = (await t.ds.query(`SELECT id FROM agents WHERE merchant_id = $1 AND email = 'agent0@shop.example'`, [merchant.id]))[0].id;
    const assigned = await agents[0].post(`/v1/desk/tickets/${ticket.id}/assign`, { agentId: me, version: 1, priority: 'high' });
    expect(assigned.body).toMatchObject({ assigneeId: me, priority: 'high', version: 2 });
    expect((await agents[0].get('/v1/desk/tickets?assignee=me')).body.data.map((x: any) => x.id)).toEqual([ticket.id]);

    const reply = await agents[0].post(`/v1/desk/tickets/${ticket.id}/messages`, { body: 'We are sorry. A replacement is on its way.', version: 2 });
    expect(reply.status).toBe(201);
    expect(reply.body.status).toBe('waiting_customer');
    const answer = await api.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Thank you!' });
    expect(answer.body.status).toBe('open');

    const resolved = await agents[0].post(`/v1/desk/tickets/${ticket.id}/transition`, { status: 'resolved', version: answer.body.version });
    expect(resolved.status).toBe(200);
    const illegal = await agents[0].post(`/v1/desk/tickets/${ticket.id}/transition`, { status: 'waiting_carrier', version: resolved.body.version });
    expect(illegal.status).toBe(409);
    expect(illegal.body.error.code).toBe('illegal_transition');

    const trail = (await agents[0].get(`/v1/desk/tickets/${ticket.id}`)).body.events;
    expect(trail.map((e: any) => e.type)).toEqual(['created', 'decision_made', 'assigned', 'status_changed', 'message_added', 'status_changed', 'message_added', 'status_changed']);
    expect(trail.map((e: any) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(trail.filter((e: any) => e.actor.kind === 'agent').every((e: any) => e.actor.id === me)).toBe(true);
    await expect(t.ds.query(`UPDATE ticket_events SET type = 'x' WHERE ticket_id = $1`, [ticket.id])).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`DELETE FROM ticket_events WHERE ticket_id = $1`, [ticket.id])).rejects.toThrow(/append-only/);
  });

  it('refuses desk calls without a valid session, and ends sessions when the password changes', async () => {
    const { merchant, agents } = await setup();
    expect((await t.http.get('/v1/desk/tickets')).status).toBe(401);
    expect((await t.http.withHeaders({ authorization: 'Bearer dds_forged.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }).get('/v1/desk/tickets')).status).toBe(401);
    const wrong = await t.http.post('/v1/desk/sessions', { merchant: merchant.slug, email: 'agent0@shop.example', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const [agent] = await t.ds.query(`SELECT id FROM agents WHERE merchant_id = $1 AND email = 'agent0@shop.example'`, [merchant.id]);
    await t.admin.patch(`/admin/merchants/${merchant.id}/agents/${agent.id}`, { password: 'a brand new password' });
    const stale = await agents[0].get('/v1/desk/tickets');
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('invalid_session');
  });
});
