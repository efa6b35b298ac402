import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { JobQueue } from '../../apps/delivery-desk/src/jobs/job-queue.service';
import { CompensationRequest, LedgerService } from '../../apps/delivery-desk/src/resolutions/ledger/ledger.service';
import { lossKey } from '../../apps/delivery-desk/src/resolutions/ledger/loss-key';
import { SagaRunner } from '../../apps/delivery-desk/src/resolutions/saga/saga-runner.service';
import { startTestApp, TestApp } from '../support/test-app';
import { FakeCounterparty, startFakeCounterparty } from './support/fake-counterparty.server';
import { anotherOrder, merchantWithOrder, registerTestSaga } from './support/resolution-fixtures';
import { SYSTEM_ACTOR } from './support/test-saga';

describe(LedgerService.name, () => {
  let t: TestApp;
  let fake: FakeCounterparty;
  let sut: LedgerService;
  beforeAll(async () => {
    fake = await startFakeCounterparty();
    t = await startTestApp();
    registerTestSaga(t, fake.url);
    sut = t.get(LedgerService);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  type Shop = { merchantId: string; orderId: string; totalMinor: number };
  const comp = (m: Shop, overrides: Partial<CompensationRequest> = {}): CompensationRequest => ({
    merchantId: m.merchantId,
    orderId: m.orderId,
    kind: 'refund',
    lossKey: lossKey.lines(randomUUID(), 1),
    amountMinor: 1000,
    currency: 'USD',
    ...overrides,
  });
  const reserve = (r: CompensationRequest) => t.ds.transaction((em) => sut.reserve(em, r));
  const within = <T>(fn: (em: import('typeorm').EntityManager) => Promise<T>) => t.ds.transaction(fn);

  it('reserves, confirms what was really done, releases, and sums it all up', async () => {
    const m = await merchantWithOrder(t);
    const a = await reserve(comp(m, { amountMinor: 3000, lossKey: 'lines:a' }));
    const b = await reserve(comp(m, { kind: 'store_credit', amountMinor: 1500, lossKey: 'lines:b' }));
    expect(a).toMatchObject({ status: 'reserved', beneficiary: 'customer', amountMinor: 3000 });
    expect(await sut.summary(m.merchantId, m.orderId)).toMatchObject({ paidMinor: m.totalMinor, refundedMinor: 0, reservedMinor: 4500, remainingRefundableMinor: m.totalMinor - 4500 });

    const confirmed = await within((em) => sut.confirm(em, m.merchantId, a.id, { amountMinor: 2500, externalRef: 're_1' }));
    expect(confirmed).toMatchObject({ status: 'confirmed', amountMinor: 2500, externalRef: 're_1' });
    expect(await within((em) => sut.confirm(em, m.merchantId, a.id))).toMatchObject({ status: 'confirmed', amountMinor: 2500 });
    await within((em) => sut.release(em, m.merchantId, b.id, 'customer chose a reship'));
    expect(await within((em) => sut.release(em, m.merchantId, b.id, 'again'))).toMatchObject({ status: 'released', note: 'customer chose a reship' });

    await expect(within((em) => sut.confirm(em, m.merchantId, b.id))).rejects.toMatchObject({ status: 409, code: 'ledger_entry_not_reserved' });
    await expect(within((em) => sut.release(em, m.merchantId, a.id, 'x'))).rejects.toMatchObject({ status: 409, code: 'ledger_entry_not_reserved' });
    const c = await reserve(comp(m, { lossKey: 'lines:c' }));
    await expect(within((em) => sut.confirm(em, m.merchantId, c.id, { amountMinor: 1001 }))).rejects.toMatchObject({ status: 422, code: 'confirm_exceeds_reserved' });

    const s = await sut.summary(m.merchantId, m.orderId);
    expect(s).toMatchObject({ refundedMinor: 2500, reservedMinor: 1000, remainingRefundableMinor: m.totalMinor - 3500 });
    expect(s.losses.find((l) => l.lossKey === 'lines:a')).toMatchObject({ customer: { kind: 'refund', status: 'confirmed', amountMinor: 2500 }, refundedMinor: 2500 });
    expect(s.losses.find((l) => l.lossKey === 'lines:b')).toMatchObject({ customer: null, refundedMinor: 0, reservedMinor: 0 });
    expect(s.entries).toHaveLength(3);
  });

  it('never hands back more than the customer paid', async () => {
    const m = await merchantWithOrder(t);
    await expect(reserve(comp(m, { amountMinor: m.totalMinor + 1 }))).rejects.toMatchObject({ status: 422, code: 'refund_exceeds_paid' });
    const all = await reserve(comp(m, { amountMinor: m.totalMinor - 100 }));
    await expect(reserve(comp(m, { kind: 'store_credit', amountMinor: 101 }))).rejects.toMatchObject({ code: 'refund_exceeds_paid' });
    await expect(reserve(comp(m, { kind: 'chargeback', amountMinor: 101 }))).rejects.toMatchObject({ code: 'refund_exceeds_paid' });
    await reserve(comp(m, { kind: 'store_credit', amountMinor: 100 }));
    // Goods and the carrier's money are not the customer's money back.
    await reserve(comp(m, { kind: 'reship', amountMinor: m.totalMinor }));
    await reserve(comp(m, { kind: 'carrier_payout', amountMinor: m.totalMinor }));
    await within((em) => sut.confirm(em, m.merchantId, all.id));
    await within((em) => sut.reverse(em, m.merchantId, all.id, { amountMinor: 500, note: 'part came back' }));
    expect(await sut.summary(m.merchantId, m.orderId)).toMatchObject({ refundedMinor: m.totalMinor - 600, reservedMinor: 100, remainingRefundableMinor: 500 });
    await reserve(comp(m, { amountMinor: 500 }));
    await expect(reserve(comp(m, { amountMinor: 1 }))).rejects.toMatchObject({ code: 'refund_exceeds_paid' });
  });

  it('compensates one loss once for the customer and once for the merchant', async () => {
    const m = await merchantWithOrder(t);
    const loss = lossKey.shipment(randomUUID());
    const refund = await reserve(comp(m, { lossKey: loss }));
    for (const kind of ['refund', 'store_credit', 'reship', 'chargeback'] as const) {
      await expect(reserve(comp(m, { kind, lossKey: loss, amountMinor: 10 }))).rejects.toMatchObject({ status: 409, code: 'loss_already_compensated' });
    }
    await expect(reserve(comp(m, { kind: 'chargeback', lossKey: loss }))).rejects.toThrow('Contest the dispute');
    const payout = await reserve(comp(m, { kind: 'carrier_payout', lossKey: loss, amountMinor: 2000 }));
    expect(payout.beneficiary).toBe('merchant');
    await expect(reserve(comp(m, { kind: 'carrier_payout', lossKey: loss }))).rejects.toMatchObject({ code: 'loss_already_compensated' });

    // A released reservation, or a wholly reversed refund, no longer compensates the loss.
    await within((em) => sut.release(em, m.merchantId, refund.id, 'reship instead'));
    const reship = await reserve(comp(m, { kind: 'reship', lossKey: loss, amountMinor: 0 }));
    await within((em) => sut.release(em, m.merchantId, reship.id, 'refund after all'));
    const second = await within((em) => sut.record(em, comp(m, { lossKey: loss, externalRef: 're_x' })));
    expect(second.status).toBe('confirmed');
    await within((em) => sut.undo(em, m.merchantId, second.id, 'charged back to us'));
    await reserve(comp(m, { kind: 'store_credit', lossKey: loss }));
    const rows = await t.ds.query(`SELECT kind, status FROM ledger_entries WHERE order_id = $1 ORDER BY created_at`, [m.orderId]);
    expect(rows.map((r: any) => `${r.kind}:${r.status}`)).toEqual([
      'refund:released',
      'carrier_payout:reserved',
      'reship:released',
      'refund:reversed',
      'refund_reversal:confirmed',
      'store_credit:reserved',
    ]);
  });

  it('refuses malformed requests, another currency and other merchants’ orders', async () => {
    const m = await merchantWithOrder(t);
    const other = await merchantWithOrder(t);
    await expect(reserve(comp(m, { lossKey: 'the parcel' }))).rejects.toMatchObject({ status: 400, fields: [{ path: 'lossKey' }] });
    await expect(reserve(comp(m, { amountMinor: 0 }))).rejects.toMatchObject({ status: 400, fields: [{ path: 'amountMinor' }] });
    await expect(reserve(comp(m, { amountMinor: 10.5 }))).rejects.toMatchObject({ status: 400 });
    await expect(reserve(comp(m, { kind: 'refund_reversal' as never }))).rejects.toMatchObject({ status: 400, fields: [{ path: 'kind' }] });
    await expect(reserve(comp(m, { currency: 'JPY' }))).rejects.toMatchObject({ status: 422, code: 'currency_mismatch' });
    await expect(reserve(comp(m, { orderId: other.orderId }))).rejects.toMatchObject({ status: 422, code: 'order_not_found' });
    const entry = await reserve(comp(m));
    await expect(within((em) => sut.confirm(em, other.merchantId, entry.id))).rejects.toMatchObject({ status: 404 });
  });

  it('backs the one-loss rule in the database itself', async () => {
    const m = await merchantWithOrder(t);
    await reserve(comp(m, { lossKey: 'shipment:raw' }));
    const insert = (kind: string, beneficiary: string) =>
      t.ds.query(
        `INSERT INTO ledger_entries (merchant_id, order_id, kind, beneficiary, loss_key, amount_minor, currency, status) VALUES ($1, $2, $3, $4, 'shipment:raw', 10, 'USD', 'reserved')`,
        [m.merchantId, m.orderId, kind, beneficiary],
      );
    await expect(insert('store_credit', 'customer')).rejects.toMatchObject({ driverError: { constraint: 'uq_ledger_entries_customer_loss' } });
    await expect(insert('reship', 'merchant')).rejects.toMatchObject({ driverError: { constraint: 'ck_ledger_entries_beneficiary' } });
    await insert('carrier_payout', 'merchant');
    await expect(insert('carrier_payout', 'merchant')).rejects.toMatchObject({ driverError: { constraint: 'uq_ledger_entries_payout_loss' } });
  });

  it('accepts one of 20 concurrent compensations of one loss and refuses the rest', async () => {
    const m = await merchantWithOrder(t);
    const loss = lossKey.shipment(randomUUID());
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => reserve(comp(m, { lossKey: loss, kind: i % 2 ? 'refund' : 'reship', amountMinor: 100 + i }))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(r.reason).toMatchObject({ code: 'loss_already_compensated' });
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM ledger_entries WHERE order_id = $1`, [m.orderId])).toEqual([{ n: 1 }]);
  });

  it('keeps 20 concurrent refunds of different losses within what was paid', async () => {
    const m = await merchantWithOrder(t);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => reserve(comp(m, { amountMinor: 1000 }))));
    const accepted = results.filter((r) => r.status === 'fulfilled').length;
    expect(accepted).toBe(Math.floor(m.totalMinor / 1000));
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(r.reason).toMatchObject({ code: 'refund_exceeds_paid' });
    expect((await sut.summary(m.merchantId, m.orderId)).reservedMinor).toBe(accepted * 1000);
  });

  it('never hands back more than was paid nor compensates a loss twice, over random sequences on the database', async () => {
    const base = await merchantWithOrder(t);
    const op = fc.oneof(
      fc.record({
        op: fc.constant('reserve' as const),
        kind: fc.constantFrom('refund', 'store_credit', 'chargeback', 'reship', 'carrier_payout') as fc.Arbitrary<CompensationRequest['kind']>,
        loss: fc.constantFrom('shipment:a', 'shipment:b', 'lines:c', 'lines:d'),
        amountMinor: fc.integer({ min: 1, max: 4000 }),
      }),
      fc.record({ op: fc.constantFrom('confirm' as const, 'release' as const, 'undo' as const), pick: fc.nat(), partial: fc.boolean() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6000 }), fc.array(op, { minLength: 1, maxLength: 12 }), async (unitPrice, ops) => {
        const o = await anotherOrder(base, { lines: [{ externalId: 'L1', sku: 'S', name: 'Thing', quantity: 1, unitPriceMinor: unitPrice, taxMinor: 0 }], shippingMinor: 0, taxMinor: 0 });
        const m = { merchantId: base.merchantId, ...o };
        const ids: string[] = [];
        for (const x of ops) {
          await within(async (em) => {
            if (x.op === 'reserve') ids.push((await sut.reserve(em, comp(m, { kind: x.kind, lossKey: x.loss, amountMinor: x.amountMinor }))).id);
            else if (ids.length) {
              const id = ids[x.pick % ids.length];
              if (x.op === 'confirm') await sut.confirm(em, m.merchantId, id, x.partial ? { amountMinor: 1 } : {});
              else if (x.op === 'release') await sut.release(em, m.merchantId, id, 'random');
              else await sut.undo(em, m.merchantId, id, 'random');
            }
          }).catch((e) => {
            if (!['refund_exceeds_paid', 'loss_already_compensated', 'ledger_entry_not_reserved', 'ledger_entry_not_reversible', 'confirm_exceeds_reserved'].includes(e.code)) throw e;
          });
          // Checked in SQL, apart from the service's own arithmetic.
          const [money] = await t.ds.query(
            `SELECT coalesce(sum(CASE WHEN kind IN ('refund', 'store_credit', 'chargeback') AND status <> 'released' THEN amount_minor
                                      WHEN kind = 'refund_reversal' THEN -amount_minor ELSE 0 END), 0)::int AS out
               FROM ledger_entries WHERE order_id = $1`,
            [m.orderId],
          );
          expect(money.out).toBeLessThanOrEqual(o.totalMinor);
          expect(money.out).toBeGreaterThanOrEqual(0);
          const twice = await t.ds.query(
            `SELECT loss_key, beneficiary FROM ledger_entries WHERE order_id = $1 AND status IN ('reserved', 'confirmed') AND kind <> 'refund_reversal'
              GROUP BY loss_key, beneficiary HAVING count(*) > 1`,
            [m.orderId],
          );
          expect(twice).toEqual([]);
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  describe('a lost parcel that turns up', () => {
    it('flags the double compensation once, with the resolutions and tickets behind it', async () => {
      const m = await merchantWithOrder(t);
      const shipment = await m.api.post(`/v1/orders/${encodeURIComponent(m.order.externalId)}/shipments`, { carrier: 'sandbox', carrierName: 'USPS', trackingCode: `EZ${Date.now()}` });
      expect(shipment.status).toBe(201);
      const loss = lossKey.shipment(shipment.body.id);
      const ticketId = randomUUID();
      // The customer's refund for the "lost" parcel, through a resolution; the carrier pays the merchant.
      const runner = t.get(SagaRunner);
      const { resolution } = await runner.requestResolution({
        merchantId: m.merchantId,
        orderId: m.orderId,
        ticketId,
        kind: 'refund',
        amountMinor: 4000,
        currency: 'USD',
        idempotencyKey: `lost:${ticketId}`,
        plan: [{ step: 'reserve-refund', input: { lossKey: loss } }, { step: 'record-refund' }],
        requester: SYSTEM_ACTOR,
      });
      await t.get(JobQueue).drain();
      expect((await runner.get(m.merchantId, resolution.id))!.resolution.status).toBe('completed');
      await within((em) => sut.record(em, comp(m, { kind: 'carrier_payout', lossKey: loss, amountMinor: 3500, externalRef: 'clm_1' })));
      expect(await sut.openFlags(m.merchantId)).toEqual([]);

      const flagged = await within((em) => sut.flagDoubleCompensation(em, { merchantId: m.merchantId, orderId: m.orderId, lossKey: loss, reason: 'delivered_after_loss', details: { deliveredAt: '2026-11-20T15:00:00Z' } }));
      expect(flagged).toMatchObject({ created: true, resolutionIds: [resolution.id], ticketIds: [ticketId] });
      expect(flagged!.flag).toMatchObject({ lossKey: loss, reason: 'delivered_after_loss', resolvedAt: null, details: { deliveredAt: '2026-11-20T15:00:00Z' } });
      expect(flagged!.flag.entries.map((e) => [e.kind, e.beneficiary, e.status, e.amountMinor])).toEqual([
        ['refund', 'customer', 'confirmed', 4000],
        ['carrier_payout', 'merchant', 'confirmed', 3500],
      ]);

      // Tracking may report the delivery again: still one open flag.
      const again = await within((em) => sut.flagDoubleCompensation(em, { merchantId: m.merchantId, orderId: m.orderId, lossKey: loss, reason: 'returned_after_loss' }));
      expect(again).toMatchObject({ created: false, flag: { id: flagged!.flag.id, reason: 'delivered_after_loss' } });
      expect((await sut.openFlags(m.merchantId)).map((f) => f.id)).toEqual([flagged!.flag.id]);
      expect((await sut.summary(m.merchantId, m.orderId)).openFlags.map((f) => f.id)).toEqual([flagged!.flag.id]);

      const resolved = await within((em) => sut.resolveFlag(em, m.merchantId, flagged!.flag.id, 'agent-7', 'customer returned the parcel'));
      expect(resolved).toMatchObject({ resolvedBy: 'agent-7', resolutionNote: 'customer returned the parcel' });
      await expect(within((em) => sut.resolveFlag(em, m.merchantId, flagged!.flag.id, 'agent-7', 'again'))).rejects.toMatchObject({ status: 409, code: 'flag_resolved' });
      expect(await sut.openFlags(m.merchantId)).toEqual([]);
    });

    it('flags nothing when the loss was never compensated, or only reserved and released', async () => {
      const m = await merchantWithOrder(t);
      const flag = (loss: string) => within((em) => sut.flagDoubleCompensation(em, { merchantId: m.merchantId, orderId: m.orderId, lossKey: loss, reason: 'delivered_after_loss' }));
      expect(await flag('shipment:never')).toBeNull();
      const entry = await reserve(comp(m, { lossKey: 'shipment:released' }));
      await within((em) => sut.release(em, m.merchantId, entry.id, 'parcel arrived'));
      expect(await flag('shipment:released')).toBeNull();
      expect(await sut.openFlags(m.merchantId)).toEqual([]);
    });
  });
});
