import type { EntityManager } from 'typeorm';
import type { AddressVerdict, PostalAddress } from '@app/carriers';
import type { Action, Decision } from '@app/returns';
import type { OrderEntity } from '../../orders/order.entity';
import type { LinkIssuer } from '../../self-service/link-issuer';
import type { TicketDecisionEntity } from '../../tickets/ticket-decision.entity';
import type { TicketEntity } from '../../tickets/ticket.entity';
import type { Actor } from '../../tickets/tickets.service';
import { loadCaseContext } from './case-context';
import { customerParams } from './case-messages.service';
import type { Playbook, PlaybookDeps } from './playbook';
import { addressText } from './playbook.steps';

/**
 * Address unknown or undeliverable. Opened by the carrier's exception; the desk verifies the address
 * on file with the carrier and asks the customer to confirm or correct it through a signed link
 * ({@link requestAddressConfirmation}); a corrected address goes to the carrier as a redirect where
 * the decision offers one. The desk can also have the carrier hold the parcel, the hold-expiry clock
 * warns before it goes back, and on a return to sender the customer gets a refund or a reship.
 */
export const addressPlaybook: Playbook = {
  name: 'address',
  categories: ['address_issue'],
  templates: { refund: 'address.rts_refund', reship: 'address.rts_reship' },
  cause: 'address_incomplete',
};

/** The address as the engine and the carrier step read it (`details.correctAddress`). */
export interface TicketAddress {
  street1: string;
  street2?: string | null;
  city: string;
  state: string;
  zip: string;
  country: string;
}

/** What the carrier said about an address, as kept on the ticket. */
export type VerificationRecord =
  | { subject: 'on_file' | 'customer'; outcome: 'valid' | 'corrected'; address: TicketAddress; changes: string[] }
  | { subject: 'on_file' | 'customer'; outcome: 'invalid'; reasons: { code: string; message: string; field: string | null }[] }
  | { subject: 'on_file' | 'customer'; outcome: 'failed'; error: { code: string; message: string; retryable: boolean } }
  | { subject: 'on_file' | 'customer'; outcome: 'unsupported' };

export function addressOnFile(order: OrderEntity): PostalAddress {
  return {
    name: order.shipToName,
    street1: order.shipToStreet1,
    ...(order.shipToStreet2 ? { street2: order.shipToStreet2 } : {}),
    city: order.shipToCity,
    state: order.shipToState,
    zip: order.shipToZip,
    country: order.shipToCountry,
  };
}

export function ticketAddress(a: PostalAddress): TicketAddress {
  return { street1: a.street1, ...(a.street2 ? { street2: a.street2 } : {}), city: a.city, state: a.state, zip: a.zip, country: a.country };
}

/** The carrier's verdict in the shape kept on the ticket. */
export function verificationRecord(subject: 'on_file' | 'customer', verdict: AddressVerdict): VerificationRecord {
  if (verdict.verdict === 'invalid') return { subject, outcome: 'invalid', reasons: verdict.reasons.map((r) => ({ code: r.code, message: r.message, field: r.field ?? null })) };
  return { subject, outcome: verdict.verdict, address: ticketAddress(verdict.address), changes: verdict.verdict === 'corrected' ? verdict.changes : [] };
}

/**
 * Records the verification of the address on file (event + `details.addressVerification`, and the
 * address as entered, which the engine reads) and decides again.
 */
export async function recordOnFileVerification(em: EntityManager, ticket: TicketEntity, order: OrderEntity, record: VerificationRecord, deps: Pick<PlaybookDeps, 'tickets' | 'clock'>, actor: Actor): Promise<TicketDecisionEntity | null> {
  ticket.details = {
    ...ticket.details,
    entered: { street1: order.shipToStreet1, city: order.shipToCity },
    addressVerification: { ...record, at: deps.clock.now().toISOString() },
  };
  await em.save(ticket);
  await deps.tickets.appendEvent(em, ticket, actor, record.outcome === 'failed' ? 'address_verification_failed' : 'address_verified', record as unknown as Record<string, unknown>);
  return deps.tickets.redecide(em, ticket, actor);
}

/**
 * Sends `address.confirm_request` with a signed link to confirm or correct the address, once per
 * ticket (the caller holds the ticket's lock).
 */
export async function requestAddressConfirmation(em: EntityManager, ticket: TicketEntity, decision: Decision | null, deps: PlaybookDeps & { links: LinkIssuer }, actor: Actor): Promise<boolean> {
  const [already] = await em.query(`SELECT 1 FROM ticket_events WHERE merchant_id = $1 AND ticket_id = $2 AND type = 'address_confirm_requested' LIMIT 1`, [ticket.merchantId, ticket.id]);
  if (already) return false;
  const now = deps.clock.now();
  const hold = decision?.deadlines.holdExpiresOn;
  // Past the hold the parcel goes back: an answer after that cannot redirect it.
  const expiresAt = hold && new Date(hold.at) > now ? new Date(hold.at) : new Date(now.getTime() + 7 * 86_400_000);
  const link = await deps.links.issue(em, ticket, 'address_confirm', { ref: 'confirm', expiresAt });
  const ctx = await loadCaseContext(em, ticket);
  const o = ctx.order;
  const message = await deps.messages.send(
    em,
    ctx,
    'address.confirm_request',
    {
      ...customerParams(ctx),
      confirmUrl: link.url,
      respondBy: hold?.date ?? expiresAt.toISOString(),
      addressOnFile: addressText(o.shipToName, { street1: o.shipToStreet1, street2: o.shipToStreet2, city: o.shipToCity, state: o.shipToState, zip: o.shipToZip, country: o.shipToCountry }),
      cause: { code: 'address_incomplete' },
    },
    { kind: 'system', id: 'playbook:address' },
  );
  // The case stays open: while the customer answers, the desk may still have to hold the parcel.
  await deps.tickets.appendEvent(em, ticket, actor, 'address_confirm_requested', { linkId: link.linkId, messageId: message.id, expiresAt: expiresAt.toISOString() });
  return true;
}

/** The action that sends the parcel to the corrected address: a redirect intercept, or a ship-to update. */
export function redirectAction(decision: Decision): Action | null {
  const offered = decision.required.concat(decision.customerChoice, decision.allowed);
  return (
    offered.find((a) => a.kind === 'CARRIER_INTERCEPT' && a.mode === 'redirect') ??
    offered.find((a) => a.kind === 'UPDATE_SHIP_TO' && a.addressKnown) ??
    null
  );
}
