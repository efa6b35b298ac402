import type { EntityManager } from 'typeorm';
import { endOfLocalDay, startOfLocalDay, type CancelOrderAction, type Decision, type DelayNoticeAction } from '@app/returns';
import { isCauseCode } from '../../notifications';
import { ShipmentEntity } from '../../orders/shipment.entity';
import type { LinkIssuer } from '../../self-service/link-issuer';
import type { TicketDecisionEntity } from '../../tickets/ticket-decision.entity';
import type { TicketEntity } from '../../tickets/ticket.entity';
import { loadCaseContext } from './case-context';
import { customerParams } from './case-messages.service';
import type { Playbook, PlaybookDeps } from './playbook';

/**
 * Tracking / where is my order. A parcel moving on time is answered with its estimate and the case
 * closes; a late, stalled or troubled one stays with the desk (the decision offers a delay notice or
 * a trace), and the reply SLA clock runs. An order that will ship late gets the FTC delay option
 * notice ({@link sendDelayNotice}): wait for the new date, or cancel for a full refund.
 */
export const trackingPlaybook: Playbook = {
  name: 'tracking',
  categories: ['tracking'],
  templates: { refund: 'item.refund_issued', reship: 'item.replacement_sent' },
  cause: 'carrier_delay',
  async acknowledge(em, ticket, _decision, { messages, tickets, clock }) {
    const ctx = await loadCaseContext(em, ticket);
    const s = ctx.shipment ?? (await em.findOne(ShipmentEntity, { where: { merchantId: ticket.merchantId, orderId: ticket.orderId }, order: { createdAt: 'DESC' } }));
    const moving = s && ['pre_transit', 'in_transit', 'out_for_delivery'].includes(s.status);
    if (!s || !moving || !s.estimatedDeliveryAt || s.estimatedDeliveryAt < clock.now() || !s.lastEventAt) return;
    const troubled = await em.query(`SELECT 1 FROM shipment_signals WHERE merchant_id = $1 AND shipment_id = $2 AND resolved_at IS NULL LIMIT 1`, [ticket.merchantId, s.id]);
    if (troubled.length) return;
    await messages.send(em, { ...ctx, shipment: s }, 'tracking.on_time', {
      ...customerParams(ctx),
      carrier: s.carrierName ?? s.carrier.toUpperCase(),
      trackingCode: s.trackingCode,
      lastScanAt: s.lastEventAt,
      estimatedDelivery: s.estimatedDeliveryAt,
      ...(s.publicTrackingUrl ? { trackingUrl: s.publicTrackingUrl } : {}),
    });
    await tickets.resolveBy(em, ticket, { kind: 'system', id: 'playbook:tracking' }, { reason: 'answered_on_time', shipmentId: s.id });
  },
};

/** The desk's record of a delay notice, kept in the ticket's details (the facts read it back). */
export interface RecordedDelayNotice {
  sentAt: string;
  revisedShipDate: string | null;
  channel: 'email';
  notice: 'first' | 'renewed';
}

const actor = { kind: 'system' as const, id: 'playbook:tracking' };

/** The delay notice the decision requires, if any. */
export function requiredDelayNotice(decision: Decision | null | undefined): DelayNoticeAction | null {
  return (decision?.required.find((a) => a.kind === 'DELAY_NOTICE') as DelayNoticeAction | undefined) ?? null;
}

/** The cancellation (with its refund) a decision offers, wherever it lists it. */
export function cancelOption(decision: Decision): CancelOrderAction | null {
  return (decision.required.concat(decision.customerChoice, decision.allowed).find((a) => a.kind === 'CANCEL_ORDER') as CancelOrderAction | undefined) ?? null;
}

/**
 * Sends the FTC delay option notice the decision requires (e-mail, with a signed link to consent to
 * the new date or to cancel for a full refund), records it on the ticket as a fact and an event, and
 * decides again (a notice starts the consent clocks). One notice per ticket per notice kind: the
 * caller holds the ticket's row lock, and a second call finds the first. Returns false when no notice
 * was due or it was already sent.
 */
export async function sendDelayNotice(em: EntityManager, ticket: TicketEntity, decision: TicketDecisionEntity | null, deps: PlaybookDeps & { links: LinkIssuer }): Promise<boolean> {
  const notice = requiredDelayNotice(decision?.decision);
  if (!notice || !decision) return false;
  const [already] = await em.query(
    `SELECT 1 FROM ticket_events WHERE merchant_id = $1 AND ticket_id = $2 AND type = 'delay_notice_sent' AND data->>'notice' = $3 LIMIT 1`,
    [ticket.merchantId, ticket.id, notice.notice],
  );
  if (already) return false;
  const now = deps.clock.now();
  const details = ticket.details as { delayNotices?: RecordedDelayNotice[]; delayCause?: unknown };
  const recorded: RecordedDelayNotice = { sentAt: now.toISOString(), revisedShipDate: notice.revisedShipDate, channel: 'email', notice: notice.notice };
  ticket.details = { ...ticket.details, delayNotices: [...(details.delayNotices ?? []), recorded] };
  await em.save(ticket);
  // The notice itself changes the position (deemed consent, or a consent deadline): decide with it.
  const after = (await deps.tickets.redecide(em, ticket, actor))?.decision ?? decision.decision;
  const tz = after.timeZone;
  const autoCancelOn = after.deadlines.autoCancelOn?.date ?? null;
  // Consent must come before the order cancels itself; a cancel stays open until the new ship date.
  const expiresAt = autoCancelOn
    ? new Date(startOfLocalDay(autoCancelOn, tz))
    : notice.revisedShipDate
      ? new Date(endOfLocalDay(notice.revisedShipDate, tz))
      : new Date(now.getTime() + 30 * 86_400_000);
  const link = await deps.links.issue(em, ticket, 'delay_consent', { ref: notice.notice, expiresAt });
  const ctx = await loadCaseContext(em, ticket);
  const cancel = cancelOption(after);
  const message = await deps.messages.send(
    em,
    ctx,
    'tracking.late_delay_notice',
    {
      ...customerParams(ctx),
      originalShipDate: notice.dueBy,
      ...(notice.revisedShipDate ? { revisedShipDate: notice.revisedShipDate } : {}),
      consent: autoCancelOn ? 'express_consent_required' : 'silence_is_consent',
      ...(autoCancelOn ? { autoCancelOn } : {}),
      consentUrl: `${link.url}?choice=consent`,
      cancelUrl: `${link.url}?choice=cancel`,
      ...(cancel ? { refundAmount: { amountMinor: cancel.refundMinor, currency: after.amounts.currency } } : {}),
      cause: { code: isCauseCode(details.delayCause) ? details.delayCause : 'stock_shortage' },
    },
    actor,
  );
  await deps.tickets.appendEvent(em, ticket, actor, 'delay_notice_sent', {
    notice: notice.notice,
    originalShipDate: notice.dueBy,
    revisedShipDate: notice.revisedShipDate,
    consent: autoCancelOn ? 'express_consent_required' : 'silence_is_consent',
    autoCancelOn,
    refundMinor: cancel?.refundMinor ?? null,
    currency: after.amounts.currency,
    linkId: link.linkId,
    messageId: message.id,
    ruleIds: notice.ruleIds,
  });
  await deps.tickets.moveTo(em, ticket, 'waiting_customer', actor, { because: 'delay_notice_sent' });
  return true;
}
