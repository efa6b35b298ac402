/**
 * Policy engine throughput: decisions per second on one core over a mix of realistic cases
 * (all five playbooks, several carriers, states, disputes), compared in the same run with a
 * bare baseline that does the same JSON-sized work without deciding: `structuredClone` of the
 * facts (and, for reference, a JSON round trip of facts and a decision).
 *
 *   npm run bench:policy            (BENCH_SECONDS per measurement, default 3)
 */
import { decide, DEFAULT_POLICY, type Facts } from '../libs/returns/src';
import {
  aFacts,
  aLine,
  anOrder,
  aPayment,
  aShipment,
  aShipmentInTransit,
  problem,
  unshippedFacts,
} from '../libs/returns/src/testing/facts.factory';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const PHOTOS = ['photo_item', 'photo_packaging', 'photo_label'] as const;
const L1 = [{ lineId: 'l1', quantity: 1 }];

function cases(): Array<{ name: string; facts: Facts; now: string }> {
  const perishable = aFacts(problem('perishable_spoiled', { lines: L1, evidence: [...PHOTOS], reportedAt: '2026-03-07T18:00:00Z' }));
  perishable.order.lines[0]!.flags.perishable = true;
  const wine = aFacts(problem('not_received', { shipmentId: 's1' }), { order: anOrder({ shipTo: { state: 'UT', zip: '84101', country: 'US' } }) });
  wine.order.lines[0]!.flags.alcohol = true;
  return [
    { name: 'wismo unshipped, notice due', now: '2026-03-03T20:00:00Z', facts: unshippedFacts(problem('where_is_my_order', {}), { preShipment: { delayNotices: [], cannotShip: [], delayKnownAt: '2026-03-03T16:00:00Z', expectedShipDate: '2026-03-20' } }) },
    { name: 'ftc vested refund', now: '2026-03-10T18:00:00Z', facts: unshippedFacts(problem('where_is_my_order', {})) },
    { name: 'cancel after delay notice', now: '2026-03-06T19:00:00Z', facts: unshippedFacts(problem('cancel_request', { reportedAt: '2026-03-06T18:00:00Z' }), { preShipment: { delayNotices: [{ sentAt: '2026-03-03T18:00:00Z', revisedShipDate: '2026-03-20', channel: 'email' }], cannotShip: [] } }) },
    { name: 'wismo in transit, late', now: '2026-03-10T18:00:00Z', facts: aFacts(problem('where_is_my_order', { shipmentId: 's1' }), { shipments: [aShipmentInTransit({ estimatedDeliveryAt: '2026-03-09' })] }) },
    { name: 'lost (UPS)', now: '2026-03-14T18:00:00Z', facts: aFacts(problem('lost_in_transit', { shipmentId: 's1' }), { shipments: [aShipmentInTransit({ carrier: 'ups', service: 'ground' })] }) },
    { name: 'dnr waiting', now: '2026-03-07T18:00:00Z', facts: aFacts(problem('not_received', { shipmentId: 's1' })) },
    { name: 'dnr remedy', now: '2026-03-10T18:00:00Z', facts: aFacts(problem('not_received', { shipmentId: 's1' })) },
    { name: 'dnr with open dispute', now: '2026-03-10T18:00:00Z', facts: aFacts(problem('not_received', { shipmentId: 's1' }), { payment: aPayment({ dispute: { network: 'visa', reasonCode: '13.1', category: 'not_received', noticeAt: '2026-03-09T00:00:00Z', status: 'open', amountMinor: 9520 } }) }) },
    { name: 'dnr wine to Utah', now: '2026-03-10T18:00:00Z', facts: wine },
    { name: 'damaged partial (FedEx)', now: '2026-03-10T18:00:00Z', facts: aFacts(problem('damaged', { lines: L1, extent: 'partial', evidence: [...PHOTOS] }), { shipments: [aShipment({ carrier: 'fedex', service: 'ground' })] }) },
    { name: 'defective lithium', now: '2026-03-10T18:00:00Z', facts: aFacts(problem('defective', { lines: L1, evidence: [...PHOTOS] }), { order: anOrder({ lines: [aLine({ unitPriceMinor: 20_000, lithium: 'device' })] }), shipments: [aShipment({ lines: L1 })] }) },
    { name: 'perishable spoiled', now: '2026-03-07T19:00:00Z', facts: perishable },
    { name: 'wrong item', now: '2026-03-10T18:00:00Z', facts: aFacts(problem('wrong_item', { lines: L1, evidence: ['photo_item'], received: { description: 'scarf', valueMinor: 9_000, quantity: 1 } })) },
    { name: 'missing, split shipment', now: '2026-03-10T18:00:00Z', facts: aFacts(problem('missing_item', { shipmentId: 's1', lines: [{ lineId: 'l2', quantity: 2 }] }), { shipments: [aShipment({ lines: L1 }), aShipmentInTransit({ id: 's2', lines: [{ lineId: 'l2', quantity: 2 }] })] }) },
    { name: 'change of mind CA undisclosed', now: '2026-03-20T18:00:00Z', facts: aFacts(problem('change_of_mind', { lines: L1, returnFrom: 'domestic', reportedAt: '2026-03-20T18:00:00Z' }), { order: anOrder({ refundPolicy: { disclosed: false } }) }) },
    { name: 'change of mind from Japan', now: '2026-03-10T18:00:00Z', facts: aFacts(problem('change_of_mind', { lines: L1, returnFrom: 'international' }), { order: anOrder({ shipTo: { state: '13', zip: '100-0001', country: 'JP' } }), international: { incoterm: 'DDP', originCountry: 'US', dutiesAndTaxesMinor: 900, dutiesCurrency: 'JPY', dutiesPaidBy: 'merchant', importedAt: '2026-03-04T01:00:00Z' } }) },
    { name: 'undeliverable (UPS)', now: '2026-03-05T18:00:00Z', facts: aFacts(problem('undeliverable_address', { shipmentId: 's1', entered: { street1: '1 Mian St', city: 'Oakland', state: 'CA', zip: '94607', country: 'US' }, correct: { street1: '1 Main St', city: 'Oakland', state: 'CA', zip: '94607', country: 'US' }, suppliedBy: 'customer' }), { shipments: [aShipmentInTransit({ carrier: 'ups', service: 'ground', status: 'exception', exceptionReason: 'address_problem' })] }) },
    { name: 'not picked up (USPS)', now: '2026-03-10T18:00:00Z', facts: aFacts(problem('not_picked_up', { shipmentId: 's1' }), { shipments: [aShipment({ status: 'available_for_pickup', deliveredAt: null, events: [{ at: '2026-03-06T18:00:00Z', kind: 'attempted_notice_left', holdLocation: 'post_office' }] })] }) },
    { name: 'redirect (USPS)', now: '2026-03-05T18:00:00Z', facts: aFacts(problem('redirect_request', { shipmentId: 's1', to: 'hold_location', requestedBy: 'customer' }), { shipments: [aShipmentInTransit()] }) },
  ];
}

/** Runs `fn` over the cases round-robin for `seconds`; returns operations per second. */
function measure(seconds: number, n: number, fn: (i: number) => unknown): number {
  let sink = 0;
  const budget = BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let ops = 0;
  for (;;) {
    for (let k = 0; k < 256; k++, ops++) sink += fn(ops % n) ? 1 : 0;
    const elapsed = process.hrtime.bigint() - start;
    if (elapsed >= budget) {
      if (sink < 0) console.log(sink); // keep the work observable
      return ops / (Number(elapsed) / 1e9);
    }
  }
}

function main(): void {
  const mix = cases();
  const n = mix.length;
  // Every case must decide without throwing before we time anything.
  const sample = mix.map((c) => decide(c.facts, DEFAULT_POLICY, c.now));
  const decisionBytes = sample.reduce((b, d) => b + JSON.stringify(d).length, 0) / n;
  const factsBytes = mix.reduce((b, c) => b + JSON.stringify(c.facts).length, 0) / n;

  const decideOnce = (i: number) => decide(mix[i]!.facts, DEFAULT_POLICY, mix[i]!.now);
  const cloneOnce = (i: number) => structuredClone(mix[i]!.facts);
  const jsonOnce = (i: number) => JSON.parse(JSON.stringify(mix[i]!.facts)) && JSON.stringify(sample[i]);

  measure(Math.min(1, SECONDS), n, decideOnce); // warm-up (JIT)
  measure(Math.min(0.5, SECONDS), n, cloneOnce);
  const baseline = measure(SECONDS, n, cloneOnce);
  const json = measure(SECONDS, n, jsonOnce);
  const decided = measure(SECONDS, n, decideOnce);

  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`policy engine: ${n} cases round-robin, one thread, ${SECONDS}s per run, node ${process.version}`);
  console.log(`  facts ~${Math.round(factsBytes)} B JSON, decision ~${Math.round(decisionBytes)} B JSON`);
  console.log(`  baseline structuredClone(facts)       ${fmt(baseline).padStart(10)} ops/s`);
  console.log(`  JSON round trip (facts + decision)    ${fmt(json).padStart(10)} ops/s`);
  console.log(`  decide(facts, DEFAULT_POLICY, now)    ${fmt(decided).padStart(10)} decisions/s  (${(1e6 / decided).toFixed(1)} µs each)`);
  console.log(`  ratio decide / structuredClone = ${(decided / baseline).toFixed(3)}; decide / JSON round trip = ${(decided / json).toFixed(3)}`);
}

main();
