import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { ClaimTracker } from '../../apps/delivery-desk/src/resolutions/claims/claim-tracker.service';
import { TicketClocks } from '../../apps/delivery-desk/src/tickets/ticket-clocks.service';
import { FakeEasyPost, startFakeEasyPost } from '../fakes/easypost/fake-easypost.server';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { postSigned, signedEvent, trackerJourney } from '../tracking/easypost-events';

const H = 3_600_000;
const HOOK_SECRET = 'claim-payout-easypost-webhook-secret';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF'), Buffer.alloc(600, 5)]);

/**
 * After the claim is filed: the sweep follows it at the carrier (EasyPost fake), a payout lands in
 * the ledger once however many sweeps run, a rejection goes to a supervisor, carrier errors back off.
 */
describe('Story: a carrier claim followed to payout or rejection', () => {
  let t: TestApp;
  let easypost: FakeEasyPost;
  const start = Date.now() + 60_000;
  const clock = new ManualClock(new Date(start + 48 * H));
  let n = 0;

  beforeAll(async () => {
    easypost = await startFakeEasyPost();
    t = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await t.close();
    await easypost.close();
  });

  /** A USPS parcel through EasyPost, delivered damaged, insured, with the claim filed by the clock. */
  async function filedClaim() {
    const m = await createMerchant(t);
    await t.admin.post(`/admin/merchants/${m.merchant.id}/agents`, { email: 'sup@shop.example', name: 'Sup', role: 'supervisor', password: 'correct horse battery', approvalLimitMinor: 100_000 });
    const account = (await t.admin.request('PUT', `/admin/merchants/${m.merchant.id}/carrier-accounts/easypost`, { credentials: { apiKey: easypost.apiKey, webhookSecret: HOOK_SECRET }, apiBaseUrl: easypost.url })).body;
    const hook = `${t.baseUrl}/webhooks/easypost/${account.id}`;
    const code = `94001000000000000${String(5300 + n++).padStart(5, '0')}`;
    const order = orderBody();
    expect((await m.api.post('/v1/orders', order)).status).toBe(201);
    const shipment = (
      await m.api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, {
        carrier: 'easypost',
        carrierName: 'USPS',
        service: 'Priority',
        trackingCode: code,
        insuredValueMinor: 8000,
        insuranceProvider: 'carrier',
      })
    ).body;
    await t.get(JobQueue).drain();
    const journey = trackerJourney(code, start, 0);
    expect((await postSigned(hook, signedEvent(journey[journey.length - 1], HOOK_SECRET, hook, Date.now()))).status).toBe(200);
    easypost.insure(code, '80.00');
    const ticket = (await m.api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'damaged', shipmentId: shipment.id, details: { extent: 'whole' } })).body;
    const photo = await fetch(`${t.baseUrl}/v1/tickets/${ticket.id}/evidence?kind=photo_item`, { method: 'POST', headers: { authorization: `Bearer ${m.apiKey}`, 'content-type': 'image/jpeg' }, body: JPEG });
    expect(photo.status).toBe(201);
    const claim = ticket.decision.deadlines.carrierClaim;
    clock.set(new Date(Math.max(clock.now().getTime(), Date.parse(`${claim.opensOn.date}T12:00:00Z`))));
    await t.get(TicketClocks).fireDue();
    for (let i = 0; i < 3; i++) await t.get(JobQueue).drain();
    const [row] = await t.ds.query(`SELECT claim_id, claim_status, claim_check_due_at FROM shipments WHERE id = $1`, [shipment.id]);
    expect(row).toMatchObject({ claim_id: expect.stringMatching(/^clm_/), claim_status: 'submitted', claim_check_due_at: expect.any(Date) });
    // Signed in when asked for: the story's clock runs past a session's life.
    const desk = async () => {
      const token = (await t.http.post('/v1/desk/sessions', { merchant: m.merchant.slug, email: 'sup@shop.example', password: 'correct horse battery' })).body.token;
      return t.http.withHeaders({ authorization: `Bearer ${token}` });
    };
    return { ...m, hook, code, order, shipment, ticket, claimId: row.claim_id as string, desk };
  }

  const claimGets = (claimId: string) => easypost.requests.filter((r) => r.route === 'GET /v2/claims/:id' && r.path.endsWith(claimId));
  const eventsOf = async (api: any, id: string) => (await api.get(`/v1/tickets/${id}`)).body.events as { type: string; data: any; actor: any }[];
  const dueAt = async (shipmentId: string) => (await t.ds.query(`SELECT claim_check_due_at FROM shipments WHERE id = $1`, [shipmentId]))[0].claim_check_due_at as Date | null;
  /** Moves the clock to when the sweep would next ask about this claim. */
  const untilDue = async (shipmentId: string) => clock.set(new Date((await dueAt(shipmentId))!.getTime() + 1000));

  it('leaves a young claim alone, then records the payout once when the carrier approves it, whatever the sweeps do', async () => {
    const { api, desk, order, shipment, ticket, claimId, merchant } = await filedClaim();
    const tracker = t.get(ClaimTracker);

    // Not due yet: nobody asks the carrier.
    await tracker.sweep();
    expect(claimGets(claimId)).toHaveLength(0);

    // Still in review: asked once, nothing to record, asked again later (not at once).
    await untilDue(shipment.id);
    easypost.setClaimStatus(claimId, 'in_review', 'Claim is being reviewed.');
    await tracker.sweep();
    expect(claimGets(claimId)).toHaveLength(1);
    expect((await eventsOf(api, ticket.id)).filter((e) => e.type === 'carrier_claim_status_changed').map((e) => e.data)).toEqual([
      expect.objectContaining({ claimId, from: 'submitted', to: 'in_review', source: 'poll' }),
    ]);
    expect((await dueAt(shipment.id))!.getTime()).toBeGreaterThan(clock.now().getTime());

    // EasyPost approves 60.00 of the 80.00 (it pays on approval): two sweeps at once, then one more.
    await untilDue(shipment.id);
    const messagesBefore = (await api.get(`/v1/tickets/${ticket.id}`)).body.messages.length;
    const mailsBefore = await t.ds.query(`SELECT count(*)::int AS n FROM ticket_messages WHERE ticket_id = $1`, [ticket.id]);
    easypost.setClaimStatus(claimId, 'approved', 'Claim approved.', '60.00');
    await Promise.all([tracker.sweep(), tracker.sweep()]);
    await tracker.sweep();
    expect(claimGets(claimId)).toHaveLength(2);

    const payouts = await t.ds.query(`SELECT kind, beneficiary, status, amount_minor::int AS amount, external_ref FROM ledger_entries WHERE merchant_id = $1`, [merchant.id]);
    expect(payouts).toEqual([{ kind: 'carrier_payout', beneficiary: 'merchant', status: 'confirmed', amount: 6000, external_ref: claimId }]);
    const [s] = await t.ds.query(`SELECT claim_status, claim_paid_minor::int AS paid, claim_check_due_at FROM shipments WHERE id = $1`, [shipment.id]);
    expect(s).toEqual({ claim_status: 'approved', paid: 6000, claim_check_due_at: null });

    // The same news by webhook (both event spellings) changes nothing more.
    for (const description of ['claims.approved', 'claim.approved']) {
      const sent = await easypost.sendWebhook({ url: (await filedHook(merchant.id)), secret: HOOK_SECRET, description, result: easypost.state.claims.get(claimId) as any });
      expect(sent.status).toBe(200);
    }
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE merchant_id = $1`, [merchant.id])).toEqual([{ n: 1 }]);

    // The audit trail says what happened; the shop's money is no customer's business.
    const events = await eventsOf(api, ticket.id);
    expect(events.filter((e) => e.type === 'carrier_payout_recorded').map((e) => e.data)).toEqual([expect.objectContaining({ claimId, amountMinor: 6000 })]);
    expect(events.filter((e) => e.type === 'carrier_claim_status_changed').map((e) => e.data.to)).toEqual(['in_review', 'approved']);
    expect((await api.get(`/v1/tickets/${ticket.id}`)).body.messages).toHaveLength(messagesBefore);
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM ticket_messages WHERE ticket_id = $1`, [ticket.id])).toEqual(mailsBefore);

    // The ledger API shows it, to the platform and on the desk.
    const ledger = await api.get(`/v1/orders/${encodeURIComponent(order.externalId)}/ledger`);
    expect(ledger.status).toBe(200);
    expect(ledger.body).toMatchObject({ paidMinor: order.totalMinor, refundedMinor: 0, remainingRefundableMinor: order.totalMinor, carrierPayoutMinor: 6000, openFlags: [] });
    expect(ledger.body.carrierPayouts).toEqual([expect.objectContaining({ kind: 'carrier_payout', amountMinor: 6000, externalRef: claimId, status: 'confirmed' })]);
    expect(ledger.body.losses).toEqual([expect.objectContaining({ merchant: expect.objectContaining({ kind: 'carrier_payout', amountMinor: 6000 }), customer: null })]);
    const agent = await desk();
    const onDesk = await agent.get(`/v1/desk/tickets/${ticket.id}/ledger`);
    expect(onDesk.status).toBe(200);
    expect(onDesk.body.carrierPayouts).toHaveLength(1);
    expect((await agent.get(`/v1/desk/orders/${ledger.body.orderId}/ledger`)).body.carrierPayoutMinor).toBe(6000);
    // Another shop's order is not found, on either side.
    const other = await createMerchant(t);
    expect((await other.api.get(`/v1/orders/${encodeURIComponent(order.externalId)}/ledger`)).status).toBe(404);
    expect((await agent.get(`/v1/desk/orders/00000000-0000-4000-8000-000000000000/ledger`)).status).toBe(404);

    // Settled: the sweep never asks again.
    clock.set(new Date(clock.now().getTime() + 30 * 24 * H));
    await tracker.sweep();
    expect(claimGets(claimId)).toHaveLength(2);
  }, 180_000);

  it('escalates a rejected claim to a supervisor with the carrier reason (pushed by webhook), and stops following it', async () => {
    const { api, ticket, shipment, claimId, merchant } = await filedClaim();
    const reason = 'Insufficient documentation of the damage.';
    const rejected = easypost.setClaimStatus(claimId, 'rejected', reason);
    const sent = await easypost.sendWebhook({ url: await filedHook(merchant.id), secret: HOOK_SECRET, description: 'claim.rejected', result: rejected as any });
    expect(sent.status).toBe(200);

    const view = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    const [sup] = await t.ds.query(`SELECT id FROM agents WHERE merchant_id = $1 AND role = 'supervisor'`, [merchant.id]);
    expect(view.priority).toBe('high');
    expect(view.events.filter((e: any) => e.type === 'carrier_claim_rejected').map((e: any) => e.data)).toEqual([
      expect.objectContaining({ claimId, reason, escalatedTo: { role: 'supervisor', agentId: sup.id } }),
    ]);
    const [row] = await t.ds.query(`SELECT claim_status, claim_status_detail, claim_check_due_at, assignee_id FROM shipments s JOIN tickets tk ON tk.id = $2 WHERE s.id = $1`, [shipment.id, ticket.id]);
    expect(row).toEqual({ claim_status: 'rejected', claim_status_detail: reason, claim_check_due_at: null, assignee_id: sup.id });
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE merchant_id = $1`, [merchant.id])).toEqual([{ n: 0 }]);
    // The engine sees the claim denied: it may be filed again (not blocked as already filed).
    expect(view.decision.blocked.filter((b: any) => b.kind === 'CARRIER_CLAIM' && b.reason === 'claim_already_filed')).toEqual([]);
    // A final state: the sweep does not ask.
    clock.set(new Date(clock.now().getTime() + 10 * 24 * H));
    await t.get(ClaimTracker).sweep();
    expect(claimGets(claimId)).toHaveLength(0);
  }, 180_000);

  it('backs off when the carrier fails, then picks the claim up again', async () => {
    const { shipment, claimId } = await filedClaim();
    await untilDue(shipment.id);
    easypost.inject('GET /v2/claims/:id', { kind: 'status', status: 422, body: { error: { code: 'UNPROCESSABLE', message: 'try later', errors: [] } } }, 1);
    await t.get(ClaimTracker).sweep();
    const [failed] = await t.ds.query(`SELECT claim_check_failures, claim_last_error, claim_check_due_at, claim_status FROM shipments WHERE id = $1`, [shipment.id]);
    expect(failed).toMatchObject({ claim_check_failures: 1, claim_last_error: expect.any(String), claim_status: 'submitted' });
    // First failure: fifteen minutes, not the usual six hours.
    expect(failed.claim_check_due_at.getTime() - clock.now().getTime()).toBe(15 * 60_000);
    await untilDue(shipment.id);
    easypost.setClaimStatus(claimId, 'in_review', 'Claim is being reviewed.');
    await t.get(ClaimTracker).sweep();
    const [ok] = await t.ds.query(`SELECT claim_check_failures, claim_last_error, claim_status FROM shipments WHERE id = $1`, [shipment.id]);
    expect(ok).toEqual({ claim_check_failures: 0, claim_last_error: null, claim_status: 'in_review' });
  }, 180_000);

  async function filedHook(merchantId: string): Promise<string> {
    const [account] = await t.ds.query(`SELECT id FROM carrier_accounts WHERE merchant_id = $1 AND carrier = 'easypost'`, [merchantId]);
    return `${t.baseUrl}/webhooks/easypost/${account.id}`;
  }
});
