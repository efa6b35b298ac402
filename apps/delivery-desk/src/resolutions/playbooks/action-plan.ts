import type { Action, Decision } from '@app/returns';
import { ApiError } from '../../common/api-error';
import type { PlanItem } from '../saga/resolution.entity';
import { lossKey } from '../ledger/loss-key';
import type { TicketEntity } from '../../tickets/ticket.entity';
import { playbookFor } from './playbooks';
import type { TemplateId } from '../../notifications';
import { claimPlan } from './claim-clock';
import { tracePlan } from './carrier-trace';

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
    case 'CANCEL_ORDER': {
      if (!(action.refundMinor > 0)) {
        return {
          kind: 'cancel',
          amountMinor: 0,
          plan: [{ step: 'platform-command', input: { kind: 'cancel_order', reason } }, { step: 'resolve-ticket' }],
        };
      }
      // A cancellation that owes money (FTC: a full refund) instructs the refund too, as its own command.
      const lines = action.lines ?? [];
      return {
        kind: 'cancel',
        amountMinor: action.refundMinor,
        plan: [
          { step: 'ledger-reserve', input: { kind: 'refund', lossKey: lossKeyFor(ticket, lines), amountMinor: action.refundMinor } },
          { step: 'platform-command', key: 'cancel-command', input: { kind: 'cancel_order', reason } },
          { step: 'platform-command', input: { kind: 'refund', reason, amountMinor: action.refundMinor } },
          { step: 'ledger-confirm' },
          { step: 'notify-customer', input: { templateId: templates.refund, params: refundParams(templates.refund, action.refundMinor, decision, cause) } },
          { step: 'resolve-ticket' },
        ],
      };
    }
    case 'UPDATE_SHIP_TO':
      // The corrected address is sent to the carrier as a redirect of the parcel in transit.
      if (!action.addressKnown) {
        throw ApiError.unprocessable('address_unknown', 'The corrected address is not known yet: the customer must confirm it first.', [{ path: 'action', problem: 'needs the corrected address' }]);
      }
      return { kind: 'update_ship_to', amountMinor: 0, plan: redirectPlan(action.shipmentId, ticket, cause) };
    case 'RETURN_LABEL':
      return {
        kind: 'return_label',
        amountMinor: 0,
        plan: [
          { step: 'carrier-return-label', input: { shipmentId: ticket.shipmentId } },
          { step: 'register-return', input: { lines: action.lines, paidBy: action.paidBy } },
          {
            step: 'notify-customer',
            input: {
              templateId: 'return.label_ready',
              params: { carrier: '$result:carrier-return-label.carrier', labelUrl: '$result:carrier-return-label.labelUrl', returnBy: returnBy(decision), refundTiming: refundTiming(decision), lines: 'ticket' },
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
          { step: 'register-return', input: { lines: action.lines, paidBy: action.paidBy, windowFrom: action.windowFrom, windowTo: action.windowTo } },
          {
            step: 'notify-customer',
            input: {
              templateId: 'return.pickup_booked',
              params: {
                carrier: '$result:carrier-pickup.carrier',
                confirmationNumber: '$result:carrier-pickup.confirmation',
                pickupWindow: '$result:carrier-pickup.window',
                rescheduleUrl: '$result:register-return.rescheduleUrl',
              },
            },
          },
        ],
      };
    case 'CARRIER_HOLD':
    case 'CARRIER_INTERCEPT':
      if (action.kind === 'CARRIER_INTERCEPT' && action.mode === 'redirect') {
        return { kind: 'carrier_intercept', amountMinor: action.feePaidBy === 'merchant' ? action.feeMinor : 0, plan: redirectPlan(action.shipmentId, ticket, cause) };
      }
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
          { step: 'record-hold' },
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
      // The same plan the claim clock files with (see claim-clock.ts), so both share one claim.
      return claimPlan(action);
    case 'CARRIER_TRACE':
      return tracePlan(ticket, action);
    default:
      throw ApiError.unprocessable('action_not_runnable', `${action.kind} is recorded on the ticket rather than run as a resolution.`, [{ path: 'action', problem: 'not a runnable action' }]);
  }
}

/**
 * Redirect to the corrected address on the ticket (carried in the plan, so the address the customer
 * confirmed is the one sent even if the ticket changes later), then tell the customer and close.
 */
function redirectPlan(shipmentId: string, ticket: TicketEntity, cause: { code: string }): PlanItem[] {
  const address = (ticket.details as { correctAddress?: Record<string, unknown> }).correctAddress ?? null;
  return [
    { step: 'carrier-intercept', input: { shipmentId, mode: 'redirect', ...(address ? { address } : {}) } },
    {
      step: 'notify-customer',
      input: {
        templateId: 'address.corrected_redirected',
        params: { newAddress: '$result:carrier-intercept.newAddress', carrier: '$result:carrier-intercept.carrier', trackingCode: '$result:carrier-intercept.trackingCode', cause },
      },
    },
    { step: 'resolve-ticket' },
  ];
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

/** When the policy releases a return's refund: at the carrier's first scan, or on receipt at the shop. */
function refundTiming(decision: Decision): 'first_scan' | 'on_receipt' {
  const scheduled = decision.scheduled.find((s) => s.action.kind === 'REFUND_FULL' || s.action.kind === 'REFUND_PARTIAL');
  return scheduled?.trigger === 'return_received' ? 'on_receipt' : 'first_scan';
}

function returnBy(decision: Decision): string {
  return decision.deadlines.returnWindowEndsOn?.date ?? decision.deadlines.pickupWindowEndsOn?.date ?? decision.evaluatedAt.slice(0, 10);
}

function carrierLabel(decision: Decision): string {
  const c = decision.deadlines.carrierClaim?.carrier;
  return c ? (c === 'dhl_express' ? 'DHL Express' : c.toUpperCase()) : 'the carrier';
}
