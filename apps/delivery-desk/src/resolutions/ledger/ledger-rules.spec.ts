import fc from 'fast-check';
import { beneficiaryOf, LedgerEntryKind, LedgerFact, reserveRefusal, summarize } from './ledger-rules';

let seq = 0;
const entry = (kind: LedgerEntryKind, lossKey: string, amountMinor: number, status: LedgerFact['status'] = 'confirmed', reversesEntryId: string | null = null): LedgerFact => ({
  id: `e${++seq}`,
  kind,
  beneficiary: beneficiaryOf(kind),
  lossKey,
  amountMinor,
  status,
  reversesEntryId,
  resolutionId: null,
});
const order = { totalMinor: 10_000, currency: 'USD' };

describe(summarize.name, () => {
  it('counts confirmed money back net of reversals, and reserved money apart', () => {
    const refund = entry('refund', 'shipment:a', 3000, 'reversed');
    const s = summarize(order, [
      refund,
      entry('refund_reversal', 'shipment:a', 3000, 'confirmed', refund.id),
      entry('store_credit', 'lines:l1x1', 1000),
      entry('refund', 'lines:l2x1', 500, 'reserved'),
      entry('refund', 'lines:l3x1', 700, 'released'),
      entry('reship', 'shipment:b', 4000),
      entry('carrier_payout', 'shipment:b', 2500),
    ]);
    expect(s).toMatchObject({ paidMinor: 10_000, refundedMinor: 1000, reservedMinor: 500, remainingRefundableMinor: 8500 });
    expect(s.losses.find((l) => l.lossKey === 'shipment:a')).toMatchObject({ customer: null, merchant: null, refundedMinor: 0 });
    expect(s.losses.find((l) => l.lossKey === 'shipment:b')).toMatchObject({ customer: { kind: 'reship' }, merchant: { kind: 'carrier_payout' } });
  });
});

describe(reserveRefusal.name, () => {
  const code = (e: ReturnType<typeof reserveRefusal>) => (e ? `${e.status} ${e.code}` : null);

  it('refuses a second customer compensation for one loss, whatever its kind', () => {
    const s = summarize(order, [entry('refund', 'shipment:a', 1000)]);
    for (const kind of ['refund', 'store_credit', 'reship', 'chargeback'] as const) {
      expect(code(reserveRefusal(s, { kind, lossKey: 'shipment:a', amountMinor: 1 }))).toBe('409 loss_already_compensated');
    }
    expect(reserveRefusal(s, { kind: 'chargeback', lossKey: 'shipment:a', amountMinor: 1 })!.message).toContain('Contest the dispute');
  });

  it('accepts the other half (the carrier paying the merchant) once', () => {
    const s = summarize(order, [entry('refund', 'shipment:a', 1000)]);
    expect(reserveRefusal(s, { kind: 'carrier_payout', lossKey: 'shipment:a', amountMinor: 1000 })).toBeNull();
    const paid = summarize(order, [entry('refund', 'shipment:a', 1000), entry('carrier_payout', 'shipment:a', 1000)]);
    expect(code(reserveRefusal(paid, { kind: 'carrier_payout', lossKey: 'shipment:a', amountMinor: 1 }))).toBe('409 loss_already_compensated');
  });

  it('refuses handing back more than was paid, reservations included; a reship hands back no money', () => {
    const s = summarize(order, [entry('refund', 'lines:a', 6000), entry('refund', 'lines:b', 3000, 'reserved')]);
    expect(reserveRefusal(s, { kind: 'store_credit', lossKey: 'lines:c', amountMinor: 1000 })).toBeNull();
    expect(code(reserveRefusal(s, { kind: 'refund', lossKey: 'lines:c', amountMinor: 1001 }))).toBe('422 refund_exceeds_paid');
    expect(reserveRefusal(s, { kind: 'reship', lossKey: 'lines:c', amountMinor: 50_000 })).toBeNull();
  });

  it('never lets accepted reservations hand back more than was paid or compensate a loss twice (property)', () => {
    const op = fc.record({
      kind: fc.constantFrom<LedgerEntryKind>('refund', 'store_credit', 'chargeback', 'reship', 'carrier_payout'),
      loss: fc.constantFrom('shipment:a', 'shipment:b', 'lines:c', 'lines:d'),
      amountMinor: fc.integer({ min: 1, max: 6000 }),
      then: fc.constantFrom('keep', 'confirm', 'release'),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.array(op, { maxLength: 30 }), (total, ops) => {
        const entries: LedgerFact[] = [];
        for (const o of ops) {
          const s = summarize({ totalMinor: total, currency: 'USD' }, entries);
          if (reserveRefusal(s, { kind: o.kind, lossKey: o.loss, amountMinor: o.amountMinor })) continue;
          entries.push(entry(o.kind, o.loss, o.amountMinor, o.then === 'keep' ? 'reserved' : o.then === 'confirm' ? 'confirmed' : 'released'));
        }
        const s = summarize({ totalMinor: total, currency: 'USD' }, entries);
        expect(s.refundedMinor + s.reservedMinor).toBeLessThanOrEqual(total);
        for (const loss of s.losses) {
          const live = entries.filter((e) => e.lossKey === loss.lossKey && (e.status === 'reserved' || e.status === 'confirmed'));
          expect(live.filter((e) => e.beneficiary === 'customer').length).toBeLessThanOrEqual(1);
          expect(live.filter((e) => e.kind === 'carrier_payout').length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
