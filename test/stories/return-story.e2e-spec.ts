import { SandboxAdapter } from '@app/carriers';
import { ManualClock } from '../../apps/delivery-desk/src/common/clock';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { createMerchant, orderBody } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const H = 3_600_000;

/** Change of mind: eligible lines, a carrier pickup booked with a return label, the customer told when. */
describe('Story: return pickup', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    t = await startTestApp({}, { clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('books a pickup with a return label for an eligible line and tells the customer the window', async () => {
    const { api } = await createMerchant(t);
    const order = orderBody();
    await api.post('/v1/orders', order);
    const code = SandboxAdapter.storyTrackingCode('OK', new Date(clock.now().getTime() - 80 * H), 'ret');
    await api.post(`/v1/orders/${encodeURIComponent(order.externalId)}/shipments`, { carrier: 'sandbox', carrierName: 'USPS', trackingCode: code });
    await t.get(JobQueue).drain();
    const ticket = (await api.post('/v1/tickets', { orderExternalId: order.externalId, category: 'return_pickup', lines: [{ lineExternalId: 'L2', quantity: 1 }], language: 'en' })).body;
    const offered = [...ticket.decision.required, ...ticket.decision.customerChoice, ...ticket.decision.allowed].map((a: any) => a.kind);
    expect(offered).toEqual(expect.arrayContaining(['RETURN_LABEL', 'CARRIER_PICKUP']));
    const action = 'CARRIER_PICKUP';
    const chosen = await api.post(`/v1/tickets/${ticket.id}/resolutions`, { action });
    expect(chosen.status).toBe(201);
    for (let i = 0; i < 3; i++) await t.get(JobQueue).drain();
    const [resolution] = (await api.get(`/v1/tickets/${ticket.id}/resolutions`)).body.data;
    expect(resolution.status).toBe('completed');
    const final = (await api.get(`/v1/tickets/${ticket.id}`)).body;
    const last = final.messages.at(-1);
    expect(last).toMatchObject({ direction: 'outbound', languages: ['en'] });
    expect(last.body).toMatch(/pick/i);
    expect(resolution.steps.map((s: any) => s.name)).toEqual(['carrier-return-label', 'carrier-pickup', 'register-return', 'notify-customer']);
  });
});
