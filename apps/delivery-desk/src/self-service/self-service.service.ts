import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CarrierError, type PostalAddress } from '@app/carriers';
import type { Action } from '@app/returns';
import { ApiError, FieldProblem } from '../common/api-error';
import { Clock } from '../common/clock';
import { JobQueue } from '../jobs/job-queue.service';
import { chooseLanguages } from '../notifications';
import { OrderEntity } from '../orders/order.entity';
import { ShipmentEntity } from '../orders/shipment.entity';
import {
  addressOnFile,
  recordOnFileVerification,
  redirectAction,
  requestAddressConfirmation,
  ticketAddress,
  TicketAddress,
  VerificationRecord,
  verificationRecord,
} from '../resolutions/playbooks/address.playbook';
import { startResolution } from '../resolutions/playbooks/start-resolution';
import { loadCaseContext } from '../resolutions/playbooks/case-context';
import { CaseMessages } from '../resolutions/playbooks/case-messages.service';
import type { PlaybookDeps } from '../resolutions/playbooks/playbook';
import { PickupState, ReturnPickupsService, ReturnState } from '../resolutions/playbooks/return-pickups.service';
import { cancelOption, RecordedDelayNotice, sendDelayNotice } from '../resolutions/playbooks/tracking.playbook';
import { SagaRunner } from '../resolutions/saga/saga-runner.service';
import { TicketClocks } from '../tickets/ticket-clocks.service';
import { TicketDecisionEntity } from '../tickets/ticket-decision.entity';
import type { TicketTimerEntity } from '../tickets/ticket-timer.entity';
import { TicketEntity, TicketStatus } from '../tickets/ticket.entity';
import { Actor, TicketsService } from '../tickets/tickets.service';
import { CarrierRegistry } from '../tracking/carrier-registry.service';
import { CustomerLinkEntity } from './customer-link.entity';
import { CustomerLinksService } from './customer-links.service';
import { DelayReport, parseAddressAnswer, parseDelayReport, parsePickupAnswer } from './self-service.dto';
import { linkText } from './self-service.text';

export const ADDRESS_VERIFY_QUEUE = 'ticket-address-verify';

/** A customer's answer through a link, and whether it was the first time or a replay of it. */
export interface LinkAnswer {
  replayed: boolean;
  result: Record<string, unknown>;
}

const CUSTOMER_STATUS: Record<TicketStatus, string> = {
  open: 'in_progress',
  reopened: 'in_progress',
  pending_approval: 'in_progress',
  waiting_customer: 'waiting_for_you',
  waiting_carrier: 'waiting_for_carrier',
  resolved: 'resolved',
  closed: 'resolved',
};

const CARRIER_FIELD: Record<string, string> = { street1: 'line1', street2: 'line2', zip: 'postalCode', city: 'city', state: 'state', country: 'country' };

/** The pickup as the customer sees it: no carrier ids. */
const customerPickup = (p: PickupState) => ({
  status: p.status,
  carrier: p.carrier,
  confirmation: p.confirmation,
  window: { start: p.windowStart, end: p.windowEnd },
  allowedWindow: { from: p.allowedFrom, to: p.allowedTo },
  previousWindow: p.previousWindow,
});

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * What a customer can see and do through a signed link: the case page's data, the answer to an FTC
 * delay notice (consent, or cancel for a full refund), and confirming or correcting the address. It
 * also runs the playbook parts that need such links: the delay notice when a case opens, the address
 * verification and confirmation request, and the cancellation when no express consent came in time.
 */
@Injectable()
export class SelfServiceService implements OnModuleInit {
  private readonly logger = new Logger(SelfServiceService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly links: CustomerLinksService,
    private readonly tickets: TicketsService,
    private readonly clocks: TicketClocks,
    private readonly messages: CaseMessages,
    private readonly runner: SagaRunner,
    private readonly carriers: CarrierRegistry,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly pickups: ReturnPickupsService,
  ) {}

  private deps(): PlaybookDeps & { links: CustomerLinksService } {
    return { messages: this.messages, tickets: this.tickets, clock: this.clock, links: this.links };
  }

  onModuleInit(): void {
    this.tickets.onOpened(async (em, ticket, decision) => {
      if (ticket.category === 'tracking') await sendDelayNotice(em, ticket, decision, this.deps());
      // The carrier is asked after the ticket is committed: its being down must not lose the case.
      if (ticket.category === 'address_issue') await this.jobs.send(ADDRESS_VERIFY_QUEUE, { merchantId: ticket.merchantId, ticketId: ticket.id }, { singletonKey: ticket.id }, em);
    });
    // A notice that becomes due after the case opened (the shop reports a delay, the clock moves on)
    // is sent in the transaction of the decision that requires it.
    this.tickets.onDecided(async (em, ticket, decision) => {
      await this.sendNoticeFor(em, ticket, decision);
    });
    this.pickups.useLinks(this.links);
    this.clocks.on('no_express_consent', (em, ticket, timer) => this.noExpressConsent(em, ticket, timer));
    this.jobs.register<{ merchantId: string; ticketId: string }>(ADDRESS_VERIFY_QUEUE, { retryLimit: 3, retryDelay: 30, retryBackoff: true }, (data) =>
      this.verifyOnOpen(data.merchantId, data.ticketId),
    );
  }

  // ------------------------------------------------------------------ reading

  /** What the link's holder may see: their order, parcel and case, and what the link asks. */
  async view(token: string) {
    const link = await this.links.resolve(token);
    const em = this.ds.manager;
    const ticket = await em.findOneByOrFail(TicketEntity, { merchantId: link.merchantId, id: link.ticketId });
    const ctx = await loadCaseContext(em, ticket);
    const shipment = ctx.shipment ?? (await em.findOne(ShipmentEntity, { where: { merchantId: ticket.merchantId, orderId: ticket.orderId }, order: { createdAt: 'DESC' } }));
    const languages = chooseLanguages({ preferred: ticket.language ?? ctx.customer.preferredLanguage, customerName: ctx.customer.name, merchantDefault: ctx.merchant.defaultLanguage });
    const language = languages[0];
    const ask = await this.askOf(em, link, ticket, ctx.order);
    return {
      language,
      languages,
      merchant: { name: language === 'ja' ? ctx.merchant.nameJa : ctx.merchant.nameEn },
      order: { number: ctx.order.externalId },
      shipment: shipment
        ? {
            status: shipment.status,
            carrier: shipment.carrierName ?? shipment.carrier.toUpperCase(),
            trackingCode: shipment.trackingCode,
            estimatedDelivery: shipment.estimatedDeliveryAt?.toISOString() ?? null,
            trackingUrl: shipment.publicTrackingUrl ?? null,
          }
        : null,
      case: { number: `DD-${ticket.number}`, status: CUSTOMER_STATUS[ticket.status], category: ticket.category },
      link: { purpose: link.purpose, expiresAt: link.expiresAt.toISOString(), answeredAt: link.usedAt?.toISOString() ?? null, answer: link.result ?? null },
      ask,
      // A pickup link keeps asking while the pickup is booked; the others ask once.
      text: linkText(language, link.purpose, ask !== null && (ask.kind === 'pickup' ? ask.choices.length > 0 : !link.usedAt)),
    };
  }

  private async askOf(em: EntityManager, link: CustomerLinkEntity, ticket: TicketEntity, order: OrderEntity) {
    if (link.purpose === 'delay_consent') {
      const [event]: { data: Record<string, any> }[] = await em.query(
        `SELECT data FROM ticket_events WHERE merchant_id = $1 AND ticket_id = $2 AND type = 'delay_notice_sent' AND data->>'linkId' = $3 ORDER BY seq DESC LIMIT 1`,
        [ticket.merchantId, ticket.id, link.id],
      );
      const d = event?.data ?? {};
      return {
        kind: 'delay_consent' as const,
        choices: ['consent', 'cancel'],
        originalShipDate: d.originalShipDate ?? null,
        revisedShipDate: d.revisedShipDate ?? null,
        consentNeededBy: d.autoCancelOn ?? null,
        refund: d.refundMinor != null ? { amountMinor: Number(d.refundMinor), currency: d.currency } : null,
      };
    }
    if (link.purpose === 'address_confirm') {
      const verification = (ticket.details as { addressVerification?: VerificationRecord }).addressVerification;
      const a = addressOnFile(order);
      return {
        kind: 'address_confirm' as const,
        choices: ['confirm', 'correct'],
        addressOnFile: { line1: a.street1, line2: a.street2 ?? null, city: a.city, state: a.state, postalCode: a.zip, country: a.country },
        suggestion:
          verification?.outcome === 'corrected' && verification.subject === 'on_file'
            ? { line1: verification.address.street1, line2: verification.address.street2 ?? null, city: verification.address.city, state: verification.address.state, postalCode: verification.address.zip, country: verification.address.country }
            : null,
      };
    }
    if (link.purpose === 'pickup') {
      const p = (ticket.details as { return?: ReturnState }).return?.pickup ?? null;
      return {
        kind: 'pickup' as const,
        choices: p?.status === 'booked' ? ['reschedule', 'cancel'] : [],
        pickup: p ? customerPickup(p) : null,
      };
    }
    return null;
  }

  // ------------------------------------------------------------------ delay notice

  /** The customer's answer to a delay notice. Single use; the same answer again returns the first result. */
  async answerDelay(token: string, choice: 'consent' | 'cancel'): Promise<LinkAnswer> {
    const useHash = hashOf({ delay: choice });
    return this.ds.transaction(async (em) => {
      const link = await this.links.resolve(token, em, true);
      if (link.purpose !== 'delay_consent') throw ApiError.unprocessable('link_purpose_mismatch', 'This link does not ask about a delayed order.');
      const replay = this.replayOf(link, useHash);
      if (replay) return replay;
      const ticket = await this.openTicket(em, link);
      const actor: Actor = { kind: 'customer', id: `link:${link.id}` };
      const now = this.clock.now();
      const notices = ((ticket.details as { delayNotices?: RecordedDelayNotice[] }).delayNotices ?? []).filter((n) => n.notice === link.ref);
      let result: Record<string, unknown>;
      if (choice === 'consent') {
        ticket.details = { ...ticket.details, expressConsentAt: now.toISOString() };
        await em.save(ticket);
        await this.tickets.appendEvent(em, ticket, actor, 'delay_consent_given', { linkId: link.id, notice: link.ref });
        await this.tickets.redecide(em, ticket, actor);
        await this.tickets.moveTo(em, ticket, 'waiting_carrier', actor, { because: 'buyer_consented_to_delay' });
        result = { choice, outcome: 'waiting', revisedShipDate: notices.at(-1)?.revisedShipDate ?? null };
      } else {
        ticket.details = { ...ticket.details, cancellationRequestedAt: now.toISOString() };
        await em.save(ticket);
        await this.tickets.appendEvent(em, ticket, actor, 'delay_cancel_requested', { linkId: link.id, notice: link.ref });
        const row = await this.tickets.redecide(em, ticket, actor);
        const cancel = row ? cancelOption(row.decision) : null;
        if (!row || !cancel) throw ApiError.unprocessable('cancel_not_available', 'The order can no longer be cancelled here; the shop will contact you.');
        const outcome = await this.runAction(em, ticket, cancel, row, actor);
        result = { choice, outcome: 'cancelling', resolutionId: outcome.resolution.id, refund: { amountMinor: cancel.refundMinor, currency: row.decision.amounts.currency } };
      }
      await this.markUsed(em, link, useHash, result);
      return { replayed: false, result };
    });
  }

  /**
   * Sends the delay notice the ticket's current decision requires, if not sent yet (the notice is
   * sent when a case opens; this serves a case whose position changed since). Returns whether one was sent.
   */
  async sendDueNotice(merchantId: string, ticketId: string): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const ticket = await this.tickets.lockForChange(em, merchantId, ticketId, null);
      const row = await em.findOne(TicketDecisionEntity, { where: { merchantId, ticketId: ticket.id }, order: { decidedAt: 'DESC' } });
      return this.sendNoticeFor(em, ticket, row);
    });
  }

  /** The notice `decision` requires of a tracking case still open, in the caller's transaction (the ticket locked). */
  private async sendNoticeFor(em: EntityManager, ticket: TicketEntity, decision: TicketDecisionEntity | null): Promise<boolean> {
    if (ticket.category !== 'tracking' || ticket.status === 'resolved' || ticket.status === 'closed') return false;
    return sendDelayNotice(em, ticket, decision, this.deps());
  }

  /**
   * The platform reports that an order of an open tracking case will ship late (or a new expected
   * date): the facts are stored on the ticket, audited, and the case is decided again, which sends the
   * delay notice when one is now due. The same report again changes nothing.
   */
  async reportDelay(merchantId: string, ticketId: string, body: unknown, actor: Actor): Promise<{ changed: boolean; report: DelayReport; noticeSent: boolean }> {
    const report = parseDelayReport(body, this.clock.now());
    return this.ds.transaction(async (em) => {
      const ticket = await this.tickets.lockForChange(em, merchantId, ticketId, null);
      if (ticket.category !== 'tracking') {
        throw ApiError.unprocessable('delay_not_applicable', 'Delays of unshipped orders are reported on tracking tickets.', [{ path: 'ticketId', problem: `is a ${ticket.category} ticket` }]);
      }
      if (ticket.status === 'resolved' || ticket.status === 'closed') throw ApiError.conflict('case_closed', 'The ticket is closed; open a new one for the delay.');
      const d = ticket.details as { delayKnownAt?: string; expectedShipDate?: string | null; delayCause?: string };
      const same = d.delayKnownAt === report.delayKnownAt && (d.expectedShipDate ?? null) === report.expectedShipDate && (report.reason === null || d.delayCause === report.reason);
      if (same) return { changed: false, report, noticeSent: false };
      ticket.details = {
        ...ticket.details,
        delayKnownAt: report.delayKnownAt,
        expectedShipDate: report.expectedShipDate,
        ...(report.reason ? { delayCause: report.reason } : {}),
      };
      await em.save(ticket);
      await this.tickets.appendEvent(em, ticket, actor, 'delay_reported', {
        delayKnownAt: report.delayKnownAt,
        expectedShipDate: report.expectedShipDate,
        reason: report.reason,
        previous: { delayKnownAt: d.delayKnownAt ?? null, expectedShipDate: d.expectedShipDate ?? null },
      });
      const [before]: { n: number }[] = await em.query(`SELECT count(*)::int AS n FROM ticket_events WHERE merchant_id = $1 AND ticket_id = $2 AND type = 'delay_notice_sent'`, [merchantId, ticket.id]);
      await this.tickets.redecide(em, ticket, actor);
      const [after]: { n: number }[] = await em.query(`SELECT count(*)::int AS n FROM ticket_events WHERE merchant_id = $1 AND ticket_id = $2 AND type = 'delay_notice_sent'`, [merchantId, ticket.id]);
      return { changed: true, report, noticeSent: after.n > before.n };
    });
  }

  /** FTC: no express consent to a delay that needed it by the deadline: cancel and refund in full. */
  private async noExpressConsent(em: EntityManager, ticket: TicketEntity, timer: TicketTimerEntity): Promise<void> {
    const actor: Actor = { kind: 'system', id: 'clock' };
    await this.tickets.appendEvent(em, ticket, actor, 'no_express_consent', { timerId: timer.id, ...timer.payload });
    if (ticket.status === 'resolved' || ticket.status === 'closed') return;
    if ((ticket.details as { expressConsentAt?: string }).expressConsentAt) return;
    const row = await this.tickets.redecide(em, ticket, actor);
    const cancel = row?.decision.required.find((a) => a.kind === 'CANCEL_ORDER');
    if (!row || !cancel) {
      await this.tickets.appendEvent(em, ticket, actor, 'auto_cancel_not_due', { timerId: timer.id });
      return;
    }
    await this.runAction(em, ticket, cancel, row, actor);
  }

  // ------------------------------------------------------------------ address

  /** Verifies the address on file when an address case opens, records it, and asks the customer. */
  async verifyOnOpen(merchantId: string, ticketId: string): Promise<void> {
    const ticket = await this.ds.getRepository(TicketEntity).findOneBy({ merchantId, id: ticketId });
    if (!ticket || ticket.status === 'resolved' || ticket.status === 'closed') return;
    const order = await this.ds.getRepository(OrderEntity).findOneByOrFail({ merchantId, id: ticket.orderId });
    const shipment = await this.shipmentOf(this.ds.manager, ticket);
    const record = await this.verify(merchantId, shipment, addressOnFile(order), 'on_file');
    const actor: Actor = { kind: 'system', id: 'playbook:address' };
    await this.ds.transaction(async (em) => {
      const t = await this.tickets.lockForChange(em, merchantId, ticketId, null);
      if (t.status === 'resolved' || t.status === 'closed') return;
      const [done] = await em.query(
        `SELECT 1 FROM ticket_events WHERE merchant_id = $1 AND ticket_id = $2 AND type IN ('address_verified', 'address_verification_failed') AND data->>'subject' = 'on_file' LIMIT 1`,
        [merchantId, ticketId],
      );
      const decision = done
        ? await em.findOne(TicketDecisionEntity, { where: { merchantId, ticketId }, order: { decidedAt: 'DESC' } })
        : await recordOnFileVerification(em, t, order, record, this.deps(), actor);
      await requestAddressConfirmation(em, t, decision?.decision ?? null, this.deps(), actor);
    });
  }

  /** The carrier's verdict, or the failure recorded as one (a carrier outage is noted, not fatal). */
  private async verify(merchantId: string, shipment: ShipmentEntity | null, address: PostalAddress, subject: 'on_file' | 'customer'): Promise<VerificationRecord> {
    if (!shipment) return { subject, outcome: 'unsupported' };
    try {
      const adapter = await this.carriers.adapterFor(merchantId, shipment.carrier);
      if (!adapter.capabilities.addressVerify) return { subject, outcome: 'unsupported' };
      return verificationRecord(subject, await adapter.verifyAddress(address));
    } catch (err) {
      this.logger.warn({ merchantId, shipmentId: shipment.id, code: (err as CarrierError).code }, 'address verification failed');
      const e = err instanceof CarrierError ? { code: err.code, message: err.message, retryable: err.retryable } : { code: 'error', message: (err as Error).message, retryable: true };
      return { subject, outcome: 'failed', error: { ...e, message: e.message.slice(0, 300) } };
    }
  }

  /**
   * The customer confirms the address on file or gives a corrected one. The carrier verifies it
   * first (422 `address_undeliverable` with its reasons); a verified address is stored on the ticket,
   * the case is decided again, and where the decision offers a redirect it runs as a resolution.
   */
  async answerAddress(token: string, body: unknown): Promise<LinkAnswer> {
    const answer = parseAddressAnswer(body);
    const useHash = hashOf(answer);
    // Checked before calling the carrier, and again under the lock below.
    const pre = await this.links.resolve(token);
    if (pre.purpose !== 'address_confirm') throw ApiError.unprocessable('link_purpose_mismatch', 'This link does not ask about an address.');
    const early = this.replayOf(pre, useHash);
    if (early) return early;
    const ticket0 = await this.ds.getRepository(TicketEntity).findOneByOrFail({ merchantId: pre.merchantId, id: pre.ticketId });
    const order = await this.ds.getRepository(OrderEntity).findOneByOrFail({ merchantId: pre.merchantId, id: ticket0.orderId });
    const shipment = await this.shipmentOf(this.ds.manager, ticket0);
    const candidate: PostalAddress = 'confirm' in answer ? addressOnFile(order) : { name: order.shipToName, ...answer.address };
    const record = await this.verify(pre.merchantId, shipment, candidate, 'customer');
    if (record.outcome === 'failed') {
      throw new ApiError(503, 'carrier_unavailable', 'We could not check the address with the carrier just now. Please try again in a few minutes.', [], { 'retry-after': '60' });
    }
    const actor: Actor = { kind: 'customer', id: `link:${pre.id}` };
    if (record.outcome === 'invalid') {
      await this.ds.transaction(async (em) => {
        const t = await this.tickets.lockForChange(em, pre.merchantId, pre.ticketId, null);
        await this.tickets.appendEvent(em, t, actor, 'address_rejected', { linkId: pre.id, subject: 'customer', confirmOnFile: 'confirm' in answer, reasons: record.reasons });
      });
      throw ApiError.unprocessable(
        'address_undeliverable',
        `The carrier cannot deliver to this address: ${record.reasons.map((r) => r.message).join('; ')}.`,
        record.reasons.map((r): FieldProblem => ({ path: r.field && CARRIER_FIELD[r.field] ? `address.${CARRIER_FIELD[r.field]}` : 'address', problem: r.message })),
      );
    }
    const verified: TicketAddress = record.outcome === 'unsupported' ? ticketAddress(candidate) : record.address;
    return this.ds.transaction(async (em) => {
      const link = await this.links.resolve(token, em, true);
      const replay = this.replayOf(link, useHash);
      if (replay) return replay;
      const ticket = await this.openTicket(em, link);
      ticket.details = { ...ticket.details, correctAddress: verified, addressConfirmedAt: this.clock.now().toISOString() };
      await em.save(ticket);
      await this.tickets.appendEvent(em, ticket, actor, 'confirm' in answer ? 'address_confirmed' : 'address_corrected', {
        linkId: link.id,
        verification: record.outcome,
        changes: record.outcome === 'corrected' ? record.changes : [],
        address: verified,
      });
      const row = await this.tickets.redecide(em, ticket, actor);
      const redirect = row ? redirectAction(row.decision) : null;
      const shown = { line1: verified.street1, line2: verified.street2 ?? null, city: verified.city, state: verified.state, postalCode: verified.zip, country: verified.country };
      let result: Record<string, unknown>;
      if (row && redirect) {
        const outcome = await this.runAction(em, ticket, redirect, row, actor);
        result = { outcome: 'redirecting', address: shown, resolutionId: outcome.resolution.id };
      } else {
        // Nothing the desk can run on its own (e.g. the carrier cannot redirect): an agent takes it from here.
        await this.tickets.moveTo(em, ticket, 'open', actor, { because: 'address_received' });
        result = { outcome: 'recorded', address: shown };
      }
      await this.markUsed(em, link, useHash, result);
      return { replayed: false, result };
    });
  }

  // ------------------------------------------------------------------ pickup

  /**
   * The customer moves or cancels the booked return pickup through the link from the booking e-mail,
   * with the same checks and carrier calls as the platform's and agents' endpoints. Not single use: a
   * pickup may be moved more than once. The same answer again (or asking for the window it already
   * has) is a replay and changes nothing at the carrier.
   */
  async answerPickup(token: string, body: unknown): Promise<LinkAnswer> {
    const answer = parsePickupAnswer(body);
    const useHash = hashOf(answer);
    const link = await this.links.resolve(token);
    if (link.purpose !== 'pickup') throw ApiError.unprocessable('link_purpose_mismatch', 'This link is not for a return pickup.');
    // A cancel is final, so the same cancel again is its replay; a reschedule is always asked of the
    // pickups service, which answers "unchanged" when the pickup already has that window.
    if (answer.action === 'cancel' && link.usedAt && link.useHash === useHash && link.result) return { replayed: true, result: link.result };
    const actor: Actor = { kind: 'customer', id: `link:${link.id}` };
    let result: Record<string, unknown>;
    let replayed = false;
    if (answer.action === 'reschedule') {
      const { action: _, ...window } = answer;
      const out = await this.pickups.reschedule(link.merchantId, link.ticketId, window, actor);
      replayed = !out.changed;
      result = { action: 'reschedule', pickup: customerPickup(out.pickup) };
    } else {
      try {
        const out = await this.pickups.cancel(link.merchantId, link.ticketId, actor);
        result = { action: 'cancel', pickup: customerPickup(out.pickup) };
      } catch (err) {
        // The same cancel sent twice at once: the one that lost the race finds the pickup cancelled through this link.
        const first = err instanceof ApiError && err.code === 'pickup_cancelled' ? await this.cancelledThrough(link) : null;
        if (!first) throw err;
        return { replayed: true, result: first };
      }
    }
    await this.ds.transaction(async (em) => {
      const row = await em.findOne(CustomerLinkEntity, { where: { merchantId: link.merchantId, id: link.id }, lock: { mode: 'pessimistic_write' } });
      if (row) await this.markUsed(em, row, useHash, result);
    });
    return { replayed, result };
  }

  /** What a cancel through `link` did, if the pickup was cancelled through it. */
  private async cancelledThrough(link: CustomerLinkEntity): Promise<Record<string, unknown> | null> {
    const [event] = await this.ds.query(
      `SELECT 1 FROM ticket_events WHERE merchant_id = $1 AND ticket_id = $2 AND type = 'pickup_cancelled' AND actor_kind = 'customer' AND actor_id = $3 LIMIT 1`,
      [link.merchantId, link.ticketId, `link:${link.id}`],
    );
    if (!event) return null;
    const ticket = await this.ds.getRepository(TicketEntity).findOneByOrFail({ merchantId: link.merchantId, id: link.ticketId });
    const p = (ticket.details as { return?: ReturnState }).return?.pickup;
    return p ? { action: 'cancel', pickup: customerPickup(p) } : null;
  }

  // ------------------------------------------------------------------ shared

  private replayOf(link: CustomerLinkEntity, useHash: string): LinkAnswer | null {
    if (!link.usedAt) return null;
    if (link.useHash === useHash) return { replayed: true, result: link.result ?? {} };
    throw ApiError.conflict('link_used', 'This link was already used to answer. Contact the shop to change your answer.');
  }

  private async markUsed(em: EntityManager, link: CustomerLinkEntity, useHash: string, result: Record<string, unknown>): Promise<void> {
    link.usedAt = this.clock.now();
    link.useHash = useHash;
    link.result = result;
    await em.save(link);
  }

  private async openTicket(em: EntityManager, link: CustomerLinkEntity): Promise<TicketEntity> {
    const ticket = await this.tickets.lockForChange(em, link.merchantId, link.ticketId, null);
    if (ticket.status === 'resolved' || ticket.status === 'closed') throw ApiError.conflict('case_closed', 'This case is already closed; contact the shop if you still need help.');
    return ticket;
  }

  private async shipmentOf(em: EntityManager, ticket: TicketEntity): Promise<ShipmentEntity | null> {
    return ticket.shipmentId
      ? em.findOneBy(ShipmentEntity, { merchantId: ticket.merchantId, id: ticket.shipmentId })
      : em.findOne(ShipmentEntity, { where: { merchantId: ticket.merchantId, orderId: ticket.orderId }, order: { createdAt: 'DESC' } });
  }

  /**
   * Runs an action the decision offers as a resolution, in the caller's transaction. What the
   * customer answers through a link, or the law requires, needs no agent's approval.
   */
  private async runAction(em: EntityManager, ticket: TicketEntity, action: Action, row: TicketDecisionEntity, actor: Actor) {
    return startResolution(em, this.runner, this.tickets, {
      ticket,
      action,
      decision: row,
      requester: { id: 'system:self-service', role: 'system', approvalLimitMinor: Number.MAX_SAFE_INTEGER },
      actor,
    });
  }
}

