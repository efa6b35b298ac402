import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { signLinkToken } from '../../apps/delivery-desk/src/self-service/link-token';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const D = 86_400_000;

/** Signed customer links: only a genuine, live link reads anything, and only its own merchant's case. */
describe('Customer links', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await t.close();
  });

  async function caseLink(expiresInDays = 30) {
    const shop = await createMerchant(t);
    const order = orderBody();
    expect((await shop.api.post('/v1/orders', order)).status).toBe(201);
    const ticket = (await shop.api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'tracking', description: 'Where is it?' })).body;
    const issued = await shop.api.post(`/v1/tickets/${ticket.id}/links`, { purpose: 'case', expiresInDays });
    expect(issued.status).toBe(201);
    const token = String(issued.body.url).split('/t/')[1];
    return { ...shop, order, ticket, link: issued.body, token };
  }

  it('shows the case to a genuine link, in the customer\u2019s language, without internal ids', async () => {
    const a = await caseLink();
    expect(a.link.url).toBe(`${t.settings.publicBaseUrl}/t/${a.token}`);
    const res = await t.http.get(`/v1/self-service/links/${a.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      language: 'ja',
      merchant: { name: 'テスト商店' },
      order: { number: a.order.externalId },
      case: { number: a.ticket.number, category: 'tracking' },
      link: { purpose: 'case', answeredAt: null },
      ask: null,
    });
    const raw = JSON.stringify(res.body);
    for (const id of [a.ticket.id, a.merchant.id, a.link.id]) expect(raw).not.toContain(id);
    expect(raw).not.toContain('hanako@example.com');
  });

  it('refuses forged, altered and junk tokens with 401 link_invalid', async () => {
    const a = await caseLink();
    const [body, sig] = a.token.split('.');
    const flipped = `${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherSecret = signLinkToken('some-other-secret-0123456789abcdefgh', { l: a.link.id, m: a.merchant.id });
    const bytes = Buffer.from(body, 'base64url');
    bytes[5] ^= 1; // another link id, same signature
    const alteredBody = bytes.toString('base64url');
    for (const token of [flipped, otherSecret, `${alteredBody}.${sig}`, 'not-a-token', `${body}.`, `${body}..${sig}`]) {
      const res = await t.http.get(`/v1/self-service/links/${encodeURIComponent(token)}`);
      expect([token, res.status, res.body.error?.code]).toEqual([token, 401, 'link_invalid']);
    }
    // Answers through a forged link are refused the same way, and change nothing.
    expect((await t.http.post(`/v1/self-service/links/${encodeURIComponent(flipped)}/delay`, { choice: 'cancel' })).status).toBe(401);
  });

  it('never lets one merchant\u2019s link reach another merchant\u2019s case', async () => {
    const a = await caseLink();
    const b = await caseLink();
    const bView = (await t.http.get(`/v1/self-service/links/${b.token}`)).body;
    expect(bView.order.number).toBe(b.order.externalId);
    // Even a correctly signed token naming A's link under B's merchant finds nothing: rows are read under the token's merchant only.
    const crossed = signLinkToken(t.settings.linkSigningSecret, { l: a.link.id, m: b.merchant.id });
    const res = await t.http.get(`/v1/self-service/links/${crossed}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('link_invalid');
    // B's API key can neither list nor revoke A's links.
    expect((await b.api.get(`/v1/tickets/${a.ticket.id}/links`)).status).toBe(404);
    expect((await b.api.post(`/v1/tickets/${a.ticket.id}/links/${a.link.id}/revoke`)).status).toBe(404);
    expect((await t.http.get(`/v1/self-service/links/${a.token}`)).status).toBe(200);
  });

  it('answers 410 link_expired once the link has expired', async () => {
    const a = await caseLink(1);
    expect((await t.http.get(`/v1/self-service/links/${a.token}`)).status).toBe(200);
    const now = clock.now();
    clock.set(new Date(now.getTime() + 2 * D));
    try {
      const res = await t.http.get(`/v1/self-service/links/${a.token}`);
      expect(res.status).toBe(410);
      expect(res.body.error.code).toBe('link_expired');
      expect((await a.api.get(`/v1/tickets/${a.ticket.id}/links`)).body.data[0]).toMatchObject({ id: a.link.id, url: null });
    } finally {
      clock.set(now);
    }
  });

  it('stops a revoked link (410 link_revoked) and records the revocation on the case', async () => {
    const a = await caseLink();
    const revoked = await a.api.post(`/v1/tickets/${a.ticket.id}/links/${a.link.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await a.api.post(`/v1/tickets/${a.ticket.id}/links/${a.link.id}/revoke`)).status).toBe(200);
    const res = await t.http.get(`/v1/self-service/links/${a.token}`);
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('link_revoked');
    const events = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body.events.map((e: any) => e.type);
    expect(events.filter((e: string) => e === 'customer_link_issued' || e === 'customer_link_revoked')).toEqual(['customer_link_issued', 'customer_link_revoked']);
  });

  it('refuses an answer the link does not ask for', async () => {
    const a = await caseLink();
    const res = await t.http.post(`/v1/self-service/links/${a.token}/delay`, { choice: 'consent' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('link_purpose_mismatch');
    const bad = await t.http.post(`/v1/self-service/links/${a.token}/delay`, { choice: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('choice');
  });
});
