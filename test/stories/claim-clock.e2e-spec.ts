import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { TicketClocks } from '../../apps/delivery-desk/src/tickets/ticket-clocks.service';
import { FakeEasyPost, startFakeEasyPost } from '../fakes/easypost/fake-easypost.server';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { postSigned, signedEvent, trackerJourney } from '../tracking/easypost-events';

const HOOK_SECRET = 'claim-clock-easypost-webhook-secret';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF'), Buffer.alloc(600, 7)]);

/** Damage claims filed by the clock: once, whatever the sweeps do; a carrier's refusal goes to a person. */
describe('Story: the carrier claim is filed when its window opens', () => {
  let t: TestApp;
  let easypost: FakeEasyPost;
  const start = Date.now() + 60_000;
  // Two days after the journey began: the parcel was scanned delivered the day before.
  const clock = new ManualClock(new Date(start + 48 * 3_600_000));
  let n = 0;

  beforeAll(async () => {
    easypost = await startFakeEasyPost();
    t = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await t.close();
    await easypost.close();
  });

  /** A USPS Priority parcel through EasyPost, delivered damaged, with a photo on the ticket. */
  async function damagedParcel(insured: boolean) {
    const m = await createMerchant(t);
    const account = (await t.admin.request('PUT', `/admin/merchants/${m.merchant.id}/carrier-accounts/easypost`, { credentials: { apiKey: easypost.apiKey, webhookSecret: HOOK_SECRET }, apiBaseUrl: easypost.url })).body;
    const hook = `${t.baseUrl}/webhooks/easypost/${account.id}`;
    const code = `94001000000000000${String(4300 + n++).padStart(5, '0')}`;
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
    if (insured) easypost.insure(code, '80.00');
    const ticket = (await m.api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'damaged', shipmentId: shipment.id, details: { extent: 'whole' } })).body;
    const photo = await fetch(`${t.baseUrl}/v1/tickets/${ticket.id}/evidence?kind=photo_item`, { method: 'POST', headers: { authorization: `Bearer ${m.apiKey}`, 'content-type': 'image/jpeg' }, body: JPEG });
    expect(photo.status).toBe(201);
    return { ...m, code, shipment, ticket };
  }

  const claimPosts = (code: string) => easypost.requests.filter((r) => r.route === 'POST /v2/claims' && (r.body as any)?.tracking_code === code);
  const eventsOf = async (api: any, id: string) => (await api.get(`/v1/tickets/${id}`)).body.events as { type: string; data: any; actor: any }[];

  it('files the claim once when the window opens, even with two sweeps at once, and records it on the ticket', async () => {
    const { api, code, shipment, ticket } = await damagedParcel(true);
    const claim = ticket.decision.deadlines.carrierClaim;
    expect(claim).toMatchObject({ claimType: 'damage', shipmentId: shipment.id });
    const pending = await t.ds.query(`SELECT kind FROM ticket_timers WHERE ticket_id = $1 AND status = 'pending' ORDER BY kind`, [ticket.id]);
    expect(pending.map((r: any) => r.kind)).toEqual(expect.arrayContaining(['claim_file_by', 'claim_opens']));

    const clocks = t.get(TicketClocks);
    clock.set(new Date(Math.max(clock.now().getTime(), Date.parse(`${claim.opensOn.date}T12:00:00Z`))));
    await Promise.all([clocks.fireDue(), clocks.fireDue()]);
    await clocks.fireDue();
    for (let i = 0; i < 3; i++) await t.get(JobQueue).drain();

    expect(claimPosts(code)).toHaveLength(1);
    const [sent] = claimPosts(code);
    // The photo went with the claim, as EasyPost wants for damage.
    expect((sent.body as any).supporting_documentation_attachments).toEqual([`data:image/jpeg;base64,${JPEG.toString('base64')}`]);
    const claims = [...easypost.state.claims.values()].filter((c: any) => c.tracking_code === code);
    expect(claims).toHaveLength(1);

    const events = await eventsOf(api, ticket.id);
    const filed = events.filter((e) => e.type === 'carrier_claim_filed');
    expect(filed).toHaveLength(1);
    expect(filed[0].data).toMatchObject({ claimId: (claims[0] as any).id, status: 'submitted', shipmentId: shipment.id, evidenceFiles: 1 });
    expect(events.filter((e) => e.type === 'resolution_requested')).toHaveLength(1);
    expect(events.find((e) => e.type === 'resolution_requested')!.data).toMatchObject({ action: 'CARRIER_CLAIM', trigger: 'claim_opens' });
    const [row] = await t.ds.query(`SELECT claim_id, claim_status, claim_kind FROM shipments WHERE id = $1`, [shipment.id]);
    expect(row).toEqual({ claim_id: (claims[0] as any).id, claim_status: 'submitted', claim_kind: 'damage' });
    // The next decision knows: a second claim is blocked.
    const after = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    expect(after.decision.blocked).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'CARRIER_CLAIM', reason: 'claim_already_filed' })]));
    const chosen = await api.post(`/v1/tickets/${ticket.id}/resolutions`, { action: 'CARRIER_CLAIM' });
    expect(chosen.status).toBe(422);
    expect(chosen.body.error.code).toBe('action_blocked');

    // Filed: the decision has no claim deadline any more, so the file-by clock is stopped and its morning passes quietly.
    const timers = await t.ds.query(`SELECT kind, status FROM ticket_timers WHERE ticket_id = $1 AND kind LIKE 'claim%' ORDER BY kind`, [ticket.id]);
    expect(timers).toEqual([
      { kind: 'claim_file_by', status: 'cancelled' },
      { kind: 'claim_opens', status: 'fired' },
    ]);
    clock.set(new Date(Date.parse(`${claim.fileBy.date}T12:00:00Z`)));
    await clocks.fireDue();
    await t.get(JobQueue).drain();
    expect(claimPosts(code)).toHaveLength(1);
    expect((await eventsOf(api, ticket.id)).map((e) => e.type)).not.toContain('claim_file_by_today');
  }, 120_000);

  it('files one claim when the opening and the file-by clocks come due in the same sweep', async () => {
    const { api, code, ticket } = await damagedParcel(true);
    const claim = ticket.decision.deadlines.carrierClaim;
    clock.set(new Date(Date.parse(`${claim.fileBy.date}T18:00:00Z`)));
    await Promise.all([t.get(TicketClocks).fireDue(), t.get(TicketClocks).fireDue()]);
    // A timer skipped because the other sweep held its ticket is fired by the next sweep (the cron's, here by hand).
    await t.get(TicketClocks).fireDue();
    for (let i = 0; i < 3; i++) await t.get(JobQueue).drain();
    expect(claimPosts(code)).toHaveLength(1);
    const types = (await eventsOf(api, ticket.id)).map((e) => e.type);
    expect(types.filter((x) => x === 'carrier_claim_filed')).toHaveLength(1);
    expect(types).toEqual(expect.arrayContaining(['claim_window_open', 'claim_file_by_today']));
    const timers = await t.ds.query(`SELECT kind, status FROM ticket_timers WHERE ticket_id = $1 AND kind LIKE 'claim%' ORDER BY kind`, [ticket.id]);
    expect(timers).toEqual([
      { kind: 'claim_file_by', status: 'fired' },
      { kind: 'claim_opens', status: 'fired' },
    ]);
  }, 120_000);

  it('records a refusal on the ticket and escalates it, without trying again', async () => {
    const { api, code, shipment, ticket } = await damagedParcel(false);
    const claim = ticket.decision.deadlines.carrierClaim;
    clock.set(new Date(Math.max(clock.now().getTime(), Date.parse(`${claim.opensOn.date}T12:00:00Z`))));
    await t.get(TicketClocks).fireDue();
    for (let i = 0; i < 3; i++) await t.get(JobQueue).drain();

    // EasyPost answers 404 (no insurance on the code): asked once, no retry loop.
    expect(claimPosts(code)).toHaveLength(1);
    const view = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    const refused = view.events.filter((e: any) => e.type === 'carrier_claim_refused');
    expect(refused).toHaveLength(1);
    expect(refused[0].data).toMatchObject({ shipmentId: shipment.id, code: 'not_found', priority: { to: 'urgent' } });
    expect(view.priority).toBe('urgent');
    expect(view.events.map((e: any) => e.type)).not.toContain('carrier_claim_filed');
    const [row] = await t.ds.query(`SELECT claim_id FROM shipments WHERE id = $1`, [shipment.id]);
    expect(row.claim_id).toBeNull();
    // Not filed: the resolution failed with the carrier's reason, for a person to see (not `completed`).
    const [r] = await t.ds.query(`SELECT status, error, needs_attention FROM resolutions WHERE ticket_id = $1 AND kind = 'carrier_claim'`, [ticket.id]);
    expect(r).toMatchObject({ status: 'failed', needs_attention: true, error: expect.stringContaining('carrier refused the claim (not_found)') });
  }, 120_000);
});
