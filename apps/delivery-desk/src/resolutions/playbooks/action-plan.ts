import type { Action, Decision } from '@app/returns';
import { ApiError } from '../../common/api-error';
import type { PlanItem } from '../saga/resolution.entity';
import { lossKey } from '../ledger/loss-key';
import type { TicketEntity } from '../../tickets/ticket.entity';
import { playbookFor } from './playbooks';
import type { TemplateId } from '../../notifications';

export interface PlannedResolution {
  kind: string;
  amountMinor: number;
  plan: PlanItem[];
}

/** The loss a remedy compensates: the whole parcel for not-received and lost, else the affected lines. */
export function lossKeyFor(ticket: TicketEntity, lines: { lineId: string; quantity: number }[]): string {
  if ((ticket.category === 'delivered_not_received' || ticket.category === 'tracking' || ticket.category === 'address_issue') && ticket.shipmentId) {
    return lossKey.shipment(ticket.shipmentId);
  }
  if (lines.length === 1) return lossKey.lines(lines[0].lineId, lines[0].quantity);
  return `lines:${lines.map((l) => `${l.lineId}x${l.quantity}`).join(',')}`.slice(0, 200);
}

/** The offered action of this kind, or the reason it cannot be chosen. */
export function findOffered(decision: Decision, kind: string, from: ('required' | 'customerChoice' | 'allowed')[]): Action {
  for (const list of from) {
    const found = decision[list].find((a) => a.kind === kind);
    if (found) return found;
  }
  const blocked = decision.blocked.find((b) => b.kind === kind);
  if (blocked) {
    throw ApiError.unprocessable('action_blocked', `${kind} is blocked: ${blocked.reason}${blocked.until ? ` until ${blocked.until}` : ''}.`, [
      { path: 'action', problem: `blocked (${blocked.reason})` },
    ]);
  }
  throw ApiError.unprocessable('action_not_offered', `${kind} is not among the actions offered for this ticket.`, [{ path: 'action', problem: 'not offered by the current decision' }]);
}

/**
 * The saga for a chosen action: validate-and-reserve first, the irreversible instruction to the
 * platform as late as possible, the customer told last, then the case closed.
 */
export function planFor(ticket: TicketEntity, action: Action, decision: Decision): PlannedResolution {
  const playbook = playbookFor(ticket.category);
  const templates = playbook.templates;
  const cause = { code: playbook.cause };
  const reason = `${ticket.category}:DD-${ticket.number}`;
  switch (action.kind) {
    case 'REFUND_FULL':
    case 'REFUND_PARTIAL': {
      const lines = action.lines ?? [];
      const amountMinor = action.amountMinor;
      return {
        kind: 'refund',
        amountMinor,
        plan: [
          { step: 'ledger-reserve', input: { kind: 'refund', lossKey: lossKeyFor(ticket, lines), amountMinor } },
          { step: 'platform-command', input: { kind: 'refund', reason, amountMinor, lines } },
          { step: 'ledger-confirm' },
          { step: 'notify-customer', input: { templateId: templates.refund, params: refundParams(templates.refund, amountMinor, decision, cause) } },
          { step: 'resolve-ticket' },
        ],
      };
    }
    case 'STORE_CREDIT':
      return {
        kind: 'store_credit',
        amountMinor: action.amountMinor,
        plan: [
          { step: 'ledger-reserve', input: { kind: 'store_credit', lossKey: lossKeyFor(ticket, ticket.lines), amountMinor: action.amountMinor } },
          { step: 'platform-command', input: { kind: 'store_credit', reason, amountMinor: action.amountMinor } },
          { step: 'ledger-confirm' },
          { step: 'resolve-ticket' },
        ],
      };
    case 'RESHIP': {
      const lines = action.lines;
      const claim = decision.customerChoice.concat(decision.required, decision.allowed).find((a) => a.kind === 'CARRIER_CLAIM');
      return {
        kind: 'reship',
        amountMinor: action.valueMinor,
        plan: [
          { step: 'ledger-reserve', input: { kind: 'reship', lossKey: lossKeyFor(ticket, lines), amountMinor: action.valueMinor } },
          { step: 'platform-command', input: { kind: 'reship', reason, lines } },
          { step: 'ledger-confirm' },
          { step: 'notify-customer', input: { templateId: templates.reship, params: reshipParams(templates.reship, decision, cause, claim ? String(claim.kind) : null) } },
          { step: 'resolve-ticket' },
        ],
      };
    }
    case 'CANCEL_ORDER':
      return {
        kind: 'cancel',
        amountMinor: 0,
        plan: [{ step: 'platform-command', input: { kind: 'cancel_order', reason } }, { step: 'resolve-ticket' }],
      };
    case 'RETURN_LABEL':
      return {
        kind: 'return_label',
        amountMinor: 0,
        plan: [
          { step: 'carrier-return-label', input: { shipmentId: ticket.shipmentId } },
          {
            step: 'notify-customer',
            input: {
              templateId: 'return.label_ready',
              params: { carrier: '$result:carrier-return-label.carrier', labelUrl: '$result:carrier-return-label.labelUrl', returnBy: returnBy(decision), refundTiming: 'first_scan', lines: 'ticket' },
            },
          },
        ],
      };
    case 'CARRIER_PICKUP':
      return {
        kind: 'return_pickup',
        amountMinor: 0,
        plan: [
          { step: 'carrier-return-label', input: { shipmentId: ticket.shipmentId } },
          { step: 'carrier-pickup', input: { shipmentId: ticket.shipmentId, windowFrom: action.windowFrom } },
          {
            step: 'notify-customer',
            input: {
              templateId: 'return.pickup_booked',
              params: {
                carrier: '$result:carrier-pickup.carrier',
                confirmationNumber: '$result:carrier-pickup.confirmation',
                pickupWindow: '$result:carrier-pickup.window',
              },
            },
          },
        ],
      };
    case 'CARRIER_HOLD':
    case 'CARRIER_INTERCEPT':
      if (action.kind === 'CARRIER_INTERCEPT' && action.mode !== 'hold') {
        return {
          kind: 'carrier_intercept',
          amountMinor: action.feePaidBy === 'merchant' ? action.feeMinor : 0,
          plan: [{ step: 'carrier-intercept', input: { shipmentId: action.shipmentId, mode: action.mode } }],
        };
      }
      return {
        kind: 'carrier_hold',
        amountMinor: 0,
        plan: [
          { step: 'carrier-hold', input: { shipmentId: action.shipmentId } },
          {
            step: 'notify-customer',
            input: {
              templateId: 'address.hold_at_location',
              params: {
                carrier: '$result:carrier-hold.carrier',
                trackingCode: '$result:carrier-hold.trackingCode',
                locationName: '$result:carrier-hold.location',
                locationAddress: '$result:carrier-hold.location',
                holdUntil: '$result:carrier-hold.holdUntil',
                cause,
              },
            },
          },
        ],
      };
    case 'CARRIER_CLAIM':
      return {
        kind: 'carrier_claim',
        amountMinor: 0,
        plan: [{ step: 'carrier-claim', input: { shipmentId: action.shipmentId, type: action.claimType === 'loss' ? 'loss' : 'damage', amountMinor: action.amountMinor } }],
      };
    default:
      throw ApiError.unprocessable('action_not_runnable', `${action.kind} is recorded on the ticket rather than run as a resolution.`, [{ path: 'action', problem: 'not a runnable action' }]);
  }
}

function refundParams(template: TemplateId, amountMinor: number, decision: Decision, cause: { code: string }): Record<string, unknown> {
  const refundAmount = { amountMinor, currency: decision.amounts.currency };
  switch (template) {
    case 'dnr.claim_filed_refund':
      return { carrier: carrierLabel(decision), refundAmount, cause };
    case 'return.received_refund':
      return { receivedAt: decision.evaluatedAt, refundAmount };
    default:
      return { refundAmount, lines: 'ticket', cause };
  }
}

function reshipParams(template: TemplateId, decision: Decision, cause: { code: string }, _claim: string | null): Record<string, unknown> {
  const shipBy = decision.deadlines.refundDueBy?.date ?? decision.evaluatedAt.slice(0, 10);
  switch (template) {
    case 'dnr.claim_filed_reship':
      return { carrier: carrierLabel(decision), reshipBy: shipBy, lines: 'ticket', cause };
    case 'address.rts_reship':
      return { shippingAddress: 'on file', shipBy, cause };
    default:
      return { lines: 'ticket', carrier: carrierLabel(decision), trackingCode: 'to follow', cause };
  }
}

function returnBy(decision: Decision): string {
  return decision.deadlines.returnWindowEndsOn?.date ?? decision.deadlines.pickupWindowEndsOn?.date ?? decision.evaluatedAt.slice(0, 10);
}

function carrierLabel(decision: Decision): string {
  const c = decision.deadlines.carrierClaim?.carrier;
  return c ? (c === 'dhl_express' ? 'DHL Express' : c.toUpperCase()) : 'the carrier';
}
