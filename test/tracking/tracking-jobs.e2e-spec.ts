import { startFakeEasyPost, FakeEasyPost } from '../fakes/easypost/fake-easypost.server';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { trackQueue } from '../../apps/delivery-desk/src/tracking/tracking.service';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const SECRET = 'fake-easypost-webhook-secret';

describe('Tracking jobs against EasyPost', () => {
  let t: TestApp;
  let fake: FakeEasyPost;
  let jobs: JobQueue;
  beforeAll(async () => {
    fake = await startFakeEasyPost();
    t = await startTestApp({ CARRIER_TIMEOUT_MS: '800' });
    jobs = t.get(JobQueue);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  async function merchantOnFake(apiKey = fake.apiKey) {
    const m = await createMerchant(t);
    const acct = await t.admin.request('PUT', `/admin/merchants/${m.merchant.id}/carrier-accounts/easypost`, {
      credentials: { apiKey, webhookSecret: SECRET },
      apiBaseUrl: fake.url,
    });
    expect(acct.status).toBe(200);
    return { ...m, hookUrl: `${t.baseUrl}/webhooks/easypost/${acct.body.id}` };
  }

  async function ship(m: Awaited<ReturnType<typeof merchantOnFake>>, code: string) {
    const order = orderBody();
    await m.api.post('/v1/orders', order);
    const res = await m.api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'easypost', carrierName: 'USPS', trackingCode: code });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  const trackerCalls = () => fake.requests.filter((r) => r.route === 'POST /v2/trackers').length;

  it('creates the tracker when a shipment is registered and applies what EasyPost answers', async () => {
    const m = await merchantOnFake();
    const id = await ship(m, 'EZ4000000004');
    await jobs.drain();
    const s = await m.api.get(`/v1/shipments/${id}`);
    expect(s.body).toMatchObject({ status: 'delivered', signedBy: 'John Tester' });
    expect(s.body.events.length).toBeGreaterThanOrEqual(5);
    const [row] = await t.ds.query(`SELECT tracker_id, refresh_due_at FROM shipments WHERE id = $1`, [id]);
    expect(row.tracker_id).toMatch(/^trk_/);
    expect(row.refresh_due_at).toBeNull(); // delivered: no more polling
  });

  it.each([
    ['503s', { kind: 'status', status: 503 }],
    ['429s with Retry-After', { kind: 'status', status: 429, retryAfter: 1 }],
    ['timeouts', { kind: 'hang', ms: 30_000 }],
    ['malformed bodies', { kind: 'malformed' }],
  ] as const)('retries %s with backoff until EasyPost answers, losing nothing', async (_name, fault) => {
    const m = await merchantOnFake();
    // More failures in a row than the adapter retries in one call: the job queue must retry too.
    fake.inject('POST /v2/trackers', fault as any, 4);
    const before = trackerCalls();
    const id = await ship(m, 'EZ2000000002');
    await jobs.drain(90_000);
    const s = await m.api.get(`/v1/shipments/${id}`);
    expect(s.body.status).toBe('in_transit');
    expect(trackerCalls() - before).toBeGreaterThanOrEqual(5);
    const [row] = await t.ds.query(`SELECT refresh_failures, last_refresh_error FROM shipments WHERE id = $1`, [id]);
    expect(row).toEqual({ refresh_failures: 0, last_refresh_error: null });
  }, 120_000);

  it('hands a longer outage to the job queue, which retries the call later', async () => {
    const m = await merchantOnFake();
    fake.inject('POST /v2/trackers', { kind: 'status', status: 502 } as any, 6);
    const id = await ship(m, 'EZ5000000005');
    await jobs.drain(90_000);
    expect((await m.api.get(`/v1/shipments/${id}`)).body.status).toBe('return_to_sender');
    const [job] = (await jobs.jobs<{ shipmentId: string }>(trackQueue('easypost'), ['completed'])).filter((j) => j.data.shipmentId === id);
    expect(job.retryCount).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('records a permanent refusal (bad API key) without retrying', async () => {
    const m = await merchantOnFake('wrong-api-key-123');
    const before = trackerCalls();
    const id = await ship(m, 'EZ3000000003');
    await jobs.drain();
    expect(trackerCalls() - before).toBe(1);
    const [row] = await t.ds.query(`SELECT status, refresh_failures, last_refresh_error, refresh_due_at FROM shipments WHERE id = $1`, [id]);
    expect(row.status).toBe('pre_transit');
    expect(row.refresh_failures).toBe(1);
    expect(row.last_refresh_error).toMatch(/^unauthorized/);
    expect(row.refresh_due_at).not.toBeNull();
  });

  it("takes EasyPost's own signed webhooks for a tracker it created", async () => {
    const m = await merchantOnFake();
    const id = await ship(m, 'EZ1000000001');
    await jobs.drain();
    const [row] = await t.ds.query(`SELECT tracker_id FROM shipments WHERE id = $1`, [id]);
    const tracker = fake.state.trackers.get(row.tracker_id)!;
    const delivered = { ...tracker, status: 'delivered', updated_at: new Date(Date.parse(tracker.updated_at) + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'), tracking_details: [...tracker.tracking_details, { ...tracker.tracking_details.at(-1), status: 'delivered', message: 'Delivered', datetime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] };
    const res = await fake.sendWebhook({ url: m.hookUrl, secret: SECRET, result: delivered });
    expect(res.status).toBe(200);
    const s = await m.api.get(`/v1/shipments/${id}`);
    expect(s.body.status).toBe('delivered');
    const [after] = await t.ds.query(`SELECT webhook_seen_at FROM shipments WHERE id = $1`, [id]);
    expect(after.webhook_seen_at).not.toBeNull();
  });
});
