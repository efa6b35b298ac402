import { SandboxAdapter } from '@app/carriers';
import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { CarrierRegistry } from '../../apps/delivery-desk/src/tracking/carrier-registry.service';
import { ReceivedMail, SmtpSink, startSmtpSink } from '../fakes/smtp/smtp-sink';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const H = 3_600_000;
const TOKEN = /\/t\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/;

/**
 * Address unknown: the carrier's exception opens the case, the desk verifies the address on file
 * with the carrier, asks the customer through a signed link, verifies the corrected address, has
 * the carrier redirect the parcel, and tells the customer; every step is on the audit trail.
 */
describe('Story: address unknown, confirmed by the customer', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({ SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port) }, { clock });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function mailsTo(email: string, count: number): Promise<ReceivedMail[]> {
    for (let i = 0; i < 60; i++) {
      const found = smtp.messages.filter((m) => m.to?.includes(email));
      if (found.length >= count) return found;
      await t.get(JobQueue).drain();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`fewer than ${count} mails to ${email}`);
  }

  /** An order whose parcel the carrier could not deliver an hour ago; the case opened from the exception. */
  async function undeliverable(email: string, street1 = '417 montgomery street') {
    const shop = await createMerchant(t);
    const order = orderBody({
      customer: { email, name: 'Sam Lee', preferredLanguage: 'en' },
      shipTo: { name: 'Sam Lee', street1, city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' },
    });
    expect((await shop.api.post('/v1/orders', order)).status).toBe(201);
    const code = SandboxAdapter.storyTrackingCode('ADDR', new Date(clock.now().getTime() - 61 * H), email.split("@")[0]);
    await shop.api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'sandbox', carrierName: 'UPS', trackingCode: code });
    await t.get(JobQueue).drain();
    const [ticket] = (await shop.api.get(`/v1/tickets?orderExternalId=${encodeURIComponent(order.externalId)}`)).body.data;
    expect(ticket).toMatchObject({ category: 'address_issue', channel: 'system' });
    const [mail] = await mailsTo(email, 1);
    return { ...shop, order, ticket, code, mail, token: TOKEN.exec(mail.text ?? '')?.[1] };
  }

  it('verifies, asks, takes the corrected address, redirects the parcel and tells the customer', async () => {
    const a = await undeliverable('sam@example.com');
    // The carrier checked the address on file (the sandbox standardises it) before the customer was asked.
    const opened = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    const verified = opened.events.find((e: any) => e.type === 'address_verified');
    expect(verified.data).toMatchObject({ subject: 'on_file', outcome: 'corrected', address: { street1: '417 MONTGOMERY ST', zip: expect.stringMatching(/^94104-\d{4}$/) } });
    expect(opened.status).toBe('open');
    expect(a.mail.subject).toMatch(/confirm your address/);
    expect(a.mail.text).toContain('417 montgomery street');
    expect(a.token).toBeDefined();

    const view = (await t.http.get(`/v1/self-service/links/${a.token}`)).body;
    expect(view).toMatchObject({
      language: 'en',
      order: { number: a.order.externalId },
      shipment: { carrier: 'UPS', trackingCode: a.code, status: 'exception' },
      case: { status: 'in_progress', category: 'address_issue' },
      ask: { kind: 'address_confirm', addressOnFile: { line1: '417 montgomery street', postalCode: '94104' }, suggestion: { line1: '417 MONTGOMERY ST' } },
    });

    // Bad input: every problem at once, with field paths, and nothing is written.
    const invalid = await t.http.post(`/v1/self-service/links/${a.token}/address`, { address: { line1: '', city: 'San Francisco', state: 'California', postalCode: '9410', country: 'US', floor: 3 } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe('address_invalid');
    expect(invalid.body.error.fields.map((f: any) => f.path).sort()).toEqual(['address.floor', 'address.line1', 'address.postalCode', 'address.state']);
    expect((await t.http.post(`/v1/self-service/links/${a.token}/address`, { confirm: true, address: {} })).status).toBe(422);
    expect((await t.http.post(`/v1/self-service/links/${a.token}/address`, { confirm: 'yes' })).body.error.fields).toEqual([{ path: 'confirm', problem: 'must be true' }]);

    // An address the carrier cannot find: 422 with the carrier's reasons; the link still works.
    const unknown = await t.http.post(`/v1/self-service/links/${a.token}/address`, { address: { line1: 'Unknown Road', city: 'San Francisco', state: 'CA', postalCode: '94105', country: 'US' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('address_undeliverable');
    expect(unknown.body.error.message).toMatch(/House number is missing/);
    expect(unknown.body.error.fields).toEqual(expect.arrayContaining([{ path: 'address.line1', problem: 'House number is missing' }]));

    // The corrected address: verified, stored, redirected.
    const body = { address: { line1: '500 Howard Street', line2: 'Suite 200', city: 'San Francisco', state: 'ca', postalCode: '94105', country: 'us' } };
    const answered = await t.http.post(`/v1/self-service/links/${a.token}/address`, body);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ replayed: false, result: { outcome: 'redirecting', address: { line1: '500 HOWARD ST', line2: 'STE 200', state: 'CA', postalCode: expect.stringMatching(/^94105-\d{4}$/) } } });
    expect((await t.http.post(`/v1/self-service/links/${a.token}/address`, body)).body).toEqual({ replayed: true, result: answered.body.result });
    const other = await t.http.post(`/v1/self-service/links/${a.token}/address`, { confirm: true });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('link_used');

    for (let i = 0; i < 3; i++) await t.get(JobQueue).drain();
    const [resolution] = (await a.api.get(`/v1/tickets/${a.ticket.id}/resolutions`)).body.data;
    expect(resolution).toMatchObject({ kind: 'update_ship_to', status: 'completed' });
    expect(resolution.steps.map((s: any) => [s.name, s.status])).toEqual([
      ['carrier-intercept', 'done'],
      ['notify-customer', 'done'],
      ['resolve-ticket', 'done'],
    ]);
    expect(resolution.steps[0].output.reference).toMatch(/^SBX-INT-/);
    // The carrier holds the redirect: a second change to the parcel is refused as already requested.
    const again = await t.get(CarrierRegistry).sandbox.intercept({ trackingCode: a.code, kind: 'return_to_sender', newAddress: null });
    expect(again).toMatchObject({ outcome: 'refused', code: 'SANDBOX.ALREADY_REQUESTED' });

    const mails = await mailsTo('sam@example.com', 2);
    const told = mails.find((m) => /delivery address updated/.test(m.subject ?? ''))!;
    expect(told.text).toContain('500 HOWARD ST');
    expect(told.text).toContain(a.code);

    const final = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    expect(final.status).toBe('resolved');
    const types = final.events.map((e: any) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['created', 'decision_made', 'address_verified', 'message_added', 'address_confirm_requested', 'address_rejected', 'address_corrected', 'resolution_requested']),
    );
    for (const [before, after] of [
      ['address_verified', 'address_confirm_requested'],
      ['address_confirm_requested', 'address_rejected'],
      ['address_rejected', 'address_corrected'],
      ['address_corrected', 'resolution_requested'],
    ]) {
      expect(types.indexOf(before)).toBeLessThan(types.indexOf(after));
    }
    expect(final.events.find((e: any) => e.type === 'address_corrected')).toMatchObject({ actor: { kind: 'customer' }, data: { verification: 'corrected' } });
    expect(final.events.map((e: any) => e.seq)).toEqual(final.events.map((_: unknown, i: number) => i + 1));
    // The engine saw the corrected address.
    const [decision] = await t.ds.query(`SELECT facts FROM ticket_decisions WHERE merchant_id = $1 AND id = $2`, [a.merchant.id, final.events.filter((e: any) => e.type === 'decision_made').at(-1).data.decisionId]);
    expect(decision.facts.problem.correct).toMatchObject({ street1: '500 HOWARD ST', zip: expect.stringMatching(/^94105/) });
  }, 120_000);

  it('records a carrier failure during verification and still asks the customer', async () => {
    const a = await undeliverable('kai@example.com', '417 Montgomery St FAIL-5XX');
    const opened = (await a.api.get(`/v1/tickets/${a.ticket.id}`)).body;
    expect(opened.events.find((e: any) => e.type === 'address_verification_failed').data).toMatchObject({ subject: 'on_file', outcome: 'failed', error: { code: 'server_error', retryable: true } });
    expect(opened.events.map((e: any) => e.type)).toContain('address_confirm_requested');
    expect(a.token).toBeDefined();
    // The customer's own answer meets the same outage: 503, and the link stays unused.
    const down = await t.http.post(`/v1/self-service/links/${a.token}/address`, { confirm: true });
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('carrier_unavailable');
    expect((await t.http.get(`/v1/self-service/links/${a.token}`)).body.link.answeredAt).toBeNull();
  }, 120_000);
});
