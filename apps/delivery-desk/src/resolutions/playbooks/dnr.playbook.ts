import { loadCaseContext } from './case-context';
import { customerParams } from './case-messages.service';
import type { Playbook } from './playbook';

/**
 * Delivered but not received. While the wait after the delivered scan runs, the customer is told
 * where to look (around the door, neighbours, the mailroom) and who signed, and the case waits on
 * them; the `dnr_followup` clock decides again when the wait is over, when a carrier claim and a
 * reship or refund are offered (with supervisor review for repeat claimers or signed deliveries).
 */
export const dnrPlaybook: Playbook = {
  name: 'delivered-not-received',
  categories: ['delivered_not_received'],
  templates: { refund: 'dnr.claim_filed_refund', reship: 'dnr.claim_filed_reship' },
  cause: 'carrier_misdelivery',
  async acknowledge(em, ticket, decision, { messages, tickets, clock }) {
    const waitUntil = decision?.decision.deadlines.dnrWaitUntil;
    // Only while the wait is still running: a report long after the delivered scan is worked at once.
    if (!waitUntil || !ticket.shipmentId || new Date(waitUntil.at) <= clock.now()) return;
    const ctx = await loadCaseContext(em, ticket);
    const s = ctx.shipment;
    if (!s?.deliveredAt) return;
    await messages.send(em, ctx, 'dnr.received_ack_wait_advice', {
      ...customerParams(ctx),
      carrier: s.carrierName ?? s.carrier.toUpperCase(),
      trackingCode: s.trackingCode,
      deliveredAt: s.deliveredAt,
      waitHours: Math.max(1, Math.round((new Date(waitUntil.at).getTime() - s.deliveredAt.getTime()) / 3_600_000)),
      ...(s.signedBy ? { signedBy: s.signedBy } : {}),
      cause: { code: 'carrier_misdelivery' },
    });
    await tickets.moveTo(em, ticket, 'waiting_customer', { kind: 'system', id: 'playbook:dnr' }, { because: 'asked_to_search_and_wait' });
  },
};
