import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CarrierAdapter, CarrierError, Pickup, PickupRequest, TrackingStatus } from '@app/carriers';
import { endOfLocalDay, isBusinessDay, isLocalDate, localDateOf, type Action, type LineQuantity, type ScheduleTrigger } from '@app/returns';
import { ApiError, FieldProblem } from '../../common/api-error';
import { Clock } from '../../common/clock';
import { ShipmentEntity } from '../../orders/shipment.entity';
import type { LinkIssuer } from '../../self-service/link-issuer';
import { TicketDecisionEntity } from '../../tickets/ticket-decision.entity';
import type { TicketEntity } from '../../tickets/ticket.entity';
import { Actor, TicketsService } from '../../tickets/tickets.service';
import { CarrierRegistry } from '../../tracking/carrier-registry.service';
import { TrackingIngestService } from '../../tracking/tracking-ingest.service';
import { TrackingService } from '../../tracking/tracking.service';
import type { ResolutionActor } from '../saga/approval';
import { ResolutionEntity } from '../saga/resolution.entity';
import type { SagaStep } from '../saga/saga-step';
import { SagaRunner } from '../saga/saga-runner.service';
import { StepRegistry } from '../saga/step-registry.service';
import { planFor } from './action-plan';
import { startResolution } from './start-resolution';
import { loadCaseContext } from './case-context';
import { CaseMessages, customerParams } from './case-messages.service';

/** Where the booked pickup stands, as the ticket view shows it (`details.return.pickup`). */
export interface PickupState {
  status: 'booked' | 'cancelled' | 'picked_up';
  pickupId: string;
  confirmation: string;
  carrier: string;
  windowStart: string;
  windowEnd: string;
  /** The decision's pickup window (ship-to local dates): reschedules must stay inside it. */
  allowedFrom: string;
  allowedTo: string;
  previousWindow: { start: string; end: string } | null;
  updatedAt: string;
}

/** The return the desk issued a label for, kept on the ticket (`details.return`). */
export interface ReturnState {
  shipmentId: string;
  carrier: string;
  trackingCode: string;
  labelUrl: string;
  /** The label's shipment at the carrier (EasyPost `shp_...`): pickups are booked for it. */
  labelShipmentId: string | null;
  lines: LineQuantity[];
  paidBy: 'merchant' | 'customer' | null;
  requestedAt: string;
  status: TrackingStatus;
  firstScanAt: string | null;
  receivedAt: string | null;
  pickup: PickupState | null;
}

export interface RegisterReturnInput {
  lines: LineQuantity[];
  paidBy: 'merchant' | 'customer' | null;
  windowFrom?: string;
  windowTo?: string;
}

export interface RescheduleRequest {
  date: string;
  windowFrom?: string;
  windowTo?: string;
}

const SCANNED = (s: TrackingStatus) => s !== 'pre_transit' && s !== 'unknown' && s !== 'cancelled';
const REFUNDS = new Set(['REFUND_FULL', 'REFUND_PARTIAL']);
/** Attempts at a carrier call whose failure is transient (the adapter retries briefly inside each). */
const CARRIER_ATTEMPTS = 3;

/**
 * The return parcel after the label: registers it as a tracked return shipment of the order, follows
 * its scans (first scan, received back) into the case's facts and runs the refund the decision
 * scheduled for that moment, and lets the platform or an agent move or cancel the booked pickup.
 */
@Injectable()
export class ReturnPickupsService implements OnModuleInit {
  private readonly logger = new Logger(ReturnPickupsService.name);
  /** Signed links for the customer (set by the self-service module, which depends on this one). */
  private links: LinkIssuer | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly registry: StepRegistry,
    private readonly tickets: TicketsService,
    private readonly tracking: TrackingService,
    private readonly ingest: TrackingIngestService,
    private readonly carriers: CarrierRegistry,
    private readonly runner: SagaRunner,
    private readonly messages: CaseMessages,
    private readonly clock: Clock,
  ) {}

  /** Lets booking and rescheduling e-mails carry the customer's link to move or cancel the pickup. */
  useLinks(issuer: LinkIssuer): void {
    this.links = issuer;
  }

  /**
   * The customer's link to move or cancel the pickup: one per return parcel, working until the end of
   * the pickup window's last day. Null when links are not available or an agent withdrew it (an e-mail
   * must not send a dead link).
   */
  async pickupLink(em: EntityManager, ticket: TicketEntity, state: ReturnState, timeZone: string): Promise<{ linkId: string; url: string; expiresAt: Date; created: boolean } | null> {
    if (!this.links || !state.pickup) return null;
    const ref = `return:${state.shipmentId}`;
    const [existing]: { id: string }[] = await em.query(`SELECT id FROM customer_links WHERE merchant_id = $1 AND ticket_id = $2 AND purpose = 'pickup' AND ref = $3`, [ticket.merchantId, ticket.id, ref]);
    const issued = await this.links.issue(em, ticket, 'pickup', { ref, expiresAt: new Date(endOfLocalDay(state.pickup.allowedTo, timeZone)) });
    const [row]: { revoked_at: Date | null }[] = await em.query(`SELECT revoked_at FROM customer_links WHERE merchant_id = $1 AND id = $2`, [ticket.merchantId, issued.linkId]);
    return row?.revoked_at ? null : { ...issued, created: !existing };
  }

  onModuleInit(): void {
    this.registry.register(this.registerReturnStep() as SagaStep);
    this.ingest.onStatusChanged((em, shipment, previous) => this.onReturnMoved(em, shipment, previous));
  }

  // ---------------------------------------------------------------- the return shipment

  /**
   * Local step after the label (and pickup): the label's tracking code becomes a return shipment of the
   * order, tracked like any parcel; the ticket records it and is decided again with the return in its facts.
   */
  private registerReturnStep(): SagaStep<RegisterReturnInput, { returnShipmentId: string; rescheduleUrl?: string }> {
    return {
      name: 'register-return',
      mode: 'local',
      invoke: async ({ em, resolution, input, results }) => {
        const label = results['carrier-return-label'] as { labelUrl: string; trackingCode: string; carrier: string; shipmentId?: string } | undefined;
        if (!label) throw new CarrierError('sandbox', 'invalid_request', 'No return label to register', false);
        const pickup = results['carrier-pickup'] as { pickupId: string; confirmation: string; window: { start: string; end: string }; carrier: string } | undefined;
        const ticket = await this.tickets.lockForChange(em, resolution.merchantId, resolution.ticketId!, null);
        const outbound = ticket.shipmentId
          ? await em.findOneByOrFail(ShipmentEntity, { merchantId: ticket.merchantId, id: ticket.shipmentId })
          : await em.findOneOrFail(ShipmentEntity, { where: { merchantId: ticket.merchantId, orderId: ticket.orderId, direction: 'outbound' }, order: { createdAt: 'DESC' } });
        let shipment = await em.findOneBy(ShipmentEntity, { merchantId: ticket.merchantId, carrier: outbound.carrier, trackingCode: label.trackingCode });
        if (!shipment) {
          shipment = await em.save(
            em.create(ShipmentEntity, {
              merchantId: ticket.merchantId,
              orderId: ticket.orderId,
              carrier: outbound.carrier,
              carrierName: label.carrier,
              trackingCode: label.trackingCode,
              direction: 'return',
              ticketId: ticket.id,
              status: 'pre_transit',
            }),
          );
          await this.tracking.onShipmentRegistered(em, shipment);
        }
        const now = this.clock.now().toISOString();
        const state: ReturnState = {
          shipmentId: shipment.id,
          carrier: label.carrier,
          trackingCode: label.trackingCode,
          labelUrl: label.labelUrl,
          labelShipmentId: label.shipmentId ?? null,
          lines: input.lines,
          paidBy: input.paidBy,
          requestedAt: now,
          status: shipment.status,
          firstScanAt: null,
          receivedAt: null,
          pickup: pickup
            ? {
                status: 'booked',
                pickupId: pickup.pickupId,
                confirmation: pickup.confirmation,
                carrier: pickup.carrier,
                windowStart: pickup.window.start,
                windowEnd: pickup.window.end,
                allowedFrom: input.windowFrom ?? pickup.window.start.slice(0, 10),
                allowedTo: input.windowTo ?? pickup.window.end.slice(0, 10),
                previousWindow: null,
                updatedAt: now,
              }
            : null,
        };
        await this.saveState(em, ticket, state);
        const actor: Actor = { kind: 'system', id: 'resolution' };
        await this.tickets.appendEvent(em, ticket, actor, 'return_shipment_registered', {
          resolutionId: resolution.id,
          shipmentId: shipment.id,
          carrier: label.carrier,
          trackingCode: label.trackingCode,
          pickup: state.pickup ? { pickupId: state.pickup.pickupId, confirmation: state.pickup.confirmation, windowStart: state.pickup.windowStart, windowEnd: state.pickup.windowEnd } : null,
        });
        await this.tickets.redecide(em, ticket, actor);
        const link = state.pickup ? await this.pickupLink(em, ticket, state, (await loadCaseContext(em, ticket)).timeZone) : null;
        if (link?.created) await this.tickets.appendEvent(em, ticket, actor, 'customer_link_issued', { linkId: link.linkId, purpose: 'pickup', expiresAt: link.expiresAt.toISOString() });
        // The booking e-mail (the next step) carries the link.
        return { returnShipmentId: shipment.id, ...(link ? { rescheduleUrl: link.url } : {}) };
      },
    };
  }

  /**
   * A return parcel's status changed (in the ingest transaction, the shipment row locked): record the
   * milestone, decide again, and run the refund scheduled for it. The resolution's key is per ticket and
   * trigger, so a redelivered webhook or a second replica finds the one already requested.
   */
  private async onReturnMoved(em: EntityManager, shipment: ShipmentEntity, previous: TrackingStatus): Promise<void> {
    if (shipment.direction !== 'return' || !shipment.ticketId) return;
    const firstScan = !SCANNED(previous) && SCANNED(shipment.status);
    const received = shipment.status === 'delivered';
    if (!firstScan && !received) return;
    const ticket = await this.tickets.lockForChange(em, shipment.merchantId, shipment.ticketId, null);
    const actor: Actor = { kind: 'carrier', id: shipment.carrier };
    const at = shipment.statusAt?.toISOString() ?? this.clock.now().toISOString();
    const state = this.stateOf(ticket);
    if (state) {
      state.status = shipment.status;
      if (firstScan) state.firstScanAt = state.firstScanAt ?? at;
      if (received) state.receivedAt = (shipment.deliveredAt ?? shipment.statusAt)?.toISOString() ?? at;
      // The parcel is with the carrier: the pickup (if any) has happened.
      if (state.pickup?.status === 'booked') state.pickup = { ...state.pickup, status: 'picked_up', updatedAt: this.clock.now().toISOString() };
      await this.saveState(em, ticket, state);
    }
    const milestone = { shipmentId: shipment.id, trackingCode: shipment.trackingCode, status: shipment.status, at };
    if (firstScan) await this.tickets.appendEvent(em, ticket, actor, 'return_first_scan', milestone);
    if (received) await this.tickets.appendEvent(em, ticket, actor, 'return_received', milestone);
    if (ticket.status === 'resolved' || ticket.status === 'closed') return;

    const before = await em.findOne(TicketDecisionEntity, { where: { merchantId: ticket.merchantId, ticketId: ticket.id }, order: { decidedAt: 'DESC' } });
    // A receipt also means the parcel was scanned, should the first scan never have reached us.
    const fired = new Set<ScheduleTrigger>(received ? ['return_first_scan', 'return_received'] : ['return_first_scan']);
    const due = before?.decision.scheduled.find((s) => REFUNDS.has(s.action.kind) && fired.has(s.trigger));
    const after = await this.tickets.redecide(em, ticket, { kind: 'system', id: 'return-tracking' });
    if (!due || !after) return;
    const idempotencyKey = `ticket:${ticket.id}:scheduled:${due.trigger}`;
    if (await em.existsBy(ResolutionEntity, { merchantId: ticket.merchantId, idempotencyKey })) return;
    const action = after.decision.required.find((a) => REFUNDS.has(a.kind));
    if (!action) {
      // E.g. the return came back used: the engine asks for review instead of the refund.
      await this.tickets.appendEvent(em, ticket, { kind: 'system', id: 'return-tracking' }, 'scheduled_refund_held', { trigger: due.trigger, decisionId: after.id, required: after.decision.required.map((a) => a.kind) });
      return;
    }
    await this.runScheduled(em, ticket, action, after, due.trigger, idempotencyKey);
  }

  private async runScheduled(em: EntityManager, ticket: TicketEntity, action: Action, row: TicketDecisionEntity, trigger: ScheduleTrigger, idempotencyKey: string): Promise<void> {
    const planned = planFor(ticket, action, row.decision);
    // The refund message says which moment released the money: the carrier's scan, or the parcel's arrival.
    const state = this.stateOf(ticket);
    const at = trigger === 'return_first_scan' ? state?.firstScanAt : state?.receivedAt;
    planned.plan = planned.plan.map((item) => {
      const input = item.input as { templateId?: string; params?: Record<string, unknown> } | undefined;
      if (item.step !== 'notify-customer' || input?.templateId !== 'return.received_refund') return item;
      return { ...item, input: { ...input, params: { ...input.params, stage: trigger === 'return_first_scan' ? 'first_scan' : 'received', ...(at ? { receivedAt: at } : {}) } } };
    });
    // Policy-scheduled: no one chose it, so only an action that needs no approval runs without an agent.
    await startResolution(em, this.runner, this.tickets, {
      ticket,
      action,
      decision: row,
      planned,
      idempotencyKey,
      requester: { id: 'system:return-tracking', role: 'system', approvalLimitMinor: 'approval' in action && action.approval === 'none' ? Number.MAX_SAFE_INTEGER : 0 },
      actor: { kind: 'system', id: 'return-tracking' },
      audit: { trigger },
    });
  }

  // ---------------------------------------------------------------- pickup reschedule / cancel

  /**
   * Moves the booked pickup to another business day inside the decision's pickup window. The new
   * window is checked before anything is written; the carrier call runs with the ticket locked, so two
   * requests at once cannot both move it. Asking again for the window it already has changes nothing.
   */
  async reschedule(merchantId: string, ticketId: string, req: RescheduleRequest, actor: Actor, expectedVersion: number | null = null): Promise<{ changed: boolean; ticket: TicketEntity; pickup: PickupState }> {
    const seen = await this.tickets.get(merchantId, ticketId);
    const { state, pickup } = this.bookedPickup(seen);
    const ctx = await loadCaseContext(this.ds.manager, seen);
    const window = this.checkWindow(req, pickup, ctx.timeZone);
    const adapter = await this.carriers.adapterFor(merchantId, (await this.returnShipment(merchantId, state)).carrier);
    try {
      return await this.ds.transaction(async (em) => {
        const ticket = await this.tickets.lockForChange(em, merchantId, ticketId, expectedVersion);
        const current = this.bookedPickup(ticket);
        if (Date.parse(current.pickup.windowStart) === Date.parse(window.start) && Date.parse(current.pickup.windowEnd) === Date.parse(window.end)) return { changed: false, ticket, pickup: current.pickup };
        const o = ctx.order;
        const request: PickupRequest = {
          address: { name: o.shipToName, street1: o.shipToStreet1, street2: o.shipToStreet2 ?? undefined, city: o.shipToCity, state: o.shipToState, zip: o.shipToZip, country: o.shipToCountry, phone: o.shipToPhone ?? undefined },
          shipmentId: current.state.labelShipmentId,
          trackingCodes: [current.state.trackingCode],
          windowStart: window.start,
          windowEnd: window.end,
          reference: `DD-${ticket.number}`,
        };
        const key = `ticket:${ticket.id}:pickup:${current.pickup.pickupId}:reschedule:${window.start}/${window.end}`;
        const booked = await this.callCarrier(adapter, () => adapter.reschedulePickup(current.pickup.pickupId, request, { idempotencyKey: key }));
        const now = this.clock.now().toISOString();
        const next: PickupState = {
          ...current.pickup,
          status: 'booked',
          pickupId: booked.pickupId,
          confirmation: booked.confirmation ?? booked.pickupId,
          carrier: booked.carrier ?? current.pickup.carrier,
          windowStart: booked.windowStart,
          windowEnd: booked.windowEnd,
          previousWindow: { start: current.pickup.windowStart, end: current.pickup.windowEnd },
          updatedAt: now,
        };
        await this.saveState(em, ticket, { ...current.state, pickup: next });
        await this.tickets.appendEvent(em, ticket, actor, 'pickup_rescheduled', {
          from: { pickupId: current.pickup.pickupId, windowStart: current.pickup.windowStart, windowEnd: current.pickup.windowEnd },
          to: { pickupId: next.pickupId, confirmation: next.confirmation, windowStart: next.windowStart, windowEnd: next.windowEnd },
        });
        const c = await loadCaseContext(em, ticket);
        const link = await this.pickupLink(em, ticket, { ...current.state, pickup: next }, c.timeZone);
        if (link?.created) await this.tickets.appendEvent(em, ticket, { kind: 'system', id: 'return-pickups' }, 'customer_link_issued', { linkId: link.linkId, purpose: 'pickup', expiresAt: link.expiresAt.toISOString() });
        await this.messages.send(em, c, 'return.pickup_rescheduled', {
          ...customerParams(c),
          carrier: next.carrier,
          pickupWindow: { start: next.windowStart, end: next.windowEnd },
          previousWindow: next.previousWindow!,
          confirmationNumber: next.confirmation,
          ...(link ? { rescheduleUrl: link.url } : {}),
        } as never);
        return { changed: true, ticket, pickup: next };
      });
    } catch (err) {
      throw await this.carrierFailure(err, merchantId, ticketId, actor, 'pickup_reschedule_failed', { date: req.date });
    }
  }

  /** Cancels the booked pickup at the carrier and tells the customer; the label stays valid for a drop-off. */
  async cancel(merchantId: string, ticketId: string, actor: Actor, expectedVersion: number | null = null): Promise<{ ticket: TicketEntity; pickup: PickupState }> {
    const seen = await this.tickets.get(merchantId, ticketId);
    const { state } = this.bookedPickup(seen);
    const adapter = await this.carriers.adapterFor(merchantId, (await this.returnShipment(merchantId, state)).carrier);
    try {
      return await this.ds.transaction(async (em) => {
        const ticket = await this.tickets.lockForChange(em, merchantId, ticketId, expectedVersion);
        const current = this.bookedPickup(ticket);
        await this.callCarrier(adapter, () => adapter.cancelPickup(current.pickup.pickupId, { idempotencyKey: `ticket:${ticket.id}:pickup:${current.pickup.pickupId}:cancel` }));
        const next: PickupState = { ...current.pickup, status: 'cancelled', updatedAt: this.clock.now().toISOString() };
        await this.saveState(em, ticket, { ...current.state, pickup: next });
        await this.tickets.appendEvent(em, ticket, actor, 'pickup_cancelled', { pickupId: next.pickupId, confirmation: next.confirmation, windowStart: next.windowStart, windowEnd: next.windowEnd });
        const c = await loadCaseContext(em, ticket);
        await this.messages.send(em, c, 'return.pickup_cancelled', { ...customerParams(c), carrier: next.carrier, confirmationNumber: next.confirmation, reason: 'customer_request' } as never);
        return { ticket, pickup: next };
      });
    } catch (err) {
      throw await this.carrierFailure(err, merchantId, ticketId, actor, 'pickup_cancel_failed', {});
    }
  }

  /** The booked pickup, or 409: none was booked, it was cancelled, or the carrier already has the parcel. */
  private bookedPickup(ticket: TicketEntity): { state: ReturnState; pickup: PickupState } {
    const state = this.stateOf(ticket);
    if (!state?.pickup) throw ApiError.conflict('no_pickup', 'This ticket has no booked return pickup.');
    if (state.pickup.status === 'cancelled') throw ApiError.conflict('pickup_cancelled', 'The return pickup was cancelled; book a new one.');
    if (state.pickup.status === 'picked_up') throw ApiError.conflict('pickup_completed', 'The carrier already has the return parcel.');
    return { state, pickup: state.pickup };
  }

  /** Validates the requested day and times: a future business day in the pickup window, a sensible time range. */
  private checkWindow(req: RescheduleRequest, pickup: PickupState, timeZone: string): { start: string; end: string } {
    const problems: FieldProblem[] = [];
    const today = localDateOf(this.clock.now(), timeZone);
    if (!isLocalDate(req.date)) problems.push({ path: 'date', problem: 'is not a calendar date (YYYY-MM-DD)' });
    else {
      if (req.date <= today) problems.push({ path: 'date', problem: `must be after today (${today})` });
      else if (req.date < pickup.allowedFrom || req.date > pickup.allowedTo) problems.push({ path: 'date', problem: `must be within the pickup window ${pickup.allowedFrom} to ${pickup.allowedTo}` });
      else if (!isBusinessDay(req.date)) problems.push({ path: 'date', problem: 'must be a business day (not a weekend or federal holiday)' });
    }
    const from = req.windowFrom ?? '09:00';
    const to = req.windowTo ?? '17:00';
    if (from >= to) problems.push({ path: 'windowTo', problem: 'must be later than windowFrom' });
    if (problems.length) throw ApiError.unprocessable('pickup_reschedule_invalid', 'The new pickup time does not fit.', problems);
    return { start: `${req.date}T${from}:00${offsetOf(timeZone, req.date)}`, end: `${req.date}T${to}:00${offsetOf(timeZone, req.date)}` };
  }

  /** Transient carrier failures are tried again a few times; anything else is the carrier's answer. */
  private async callCarrier<T extends Pickup>(adapter: CarrierAdapter, call: () => Promise<T>): Promise<T> {
    if (!adapter.capabilities.pickup) throw new CarrierError(adapter.code, 'unsupported', 'This carrier books no pickups here', false);
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (!(err instanceof CarrierError) || !err.retryable || attempt >= CARRIER_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, Math.min(2_000, err.details.retryAfterMs ?? 250 * 2 ** attempt)));
      }
    }
  }

  /** The carrier's refusal as the caller sees it (422, its message), recorded on the case; the pickup is unchanged. */
  private async carrierFailure(err: unknown, merchantId: string, ticketId: string, actor: Actor, type: string, data: Record<string, unknown>): Promise<unknown> {
    if (!(err instanceof CarrierError)) return err;
    try {
      await this.ds.transaction(async (em) => {
        const ticket = await this.tickets.lockForChange(em, merchantId, ticketId, null);
        await this.tickets.appendEvent(em, ticket, actor, type, { ...data, carrier: err.carrier, code: err.code, message: err.message.slice(0, 500), retryable: err.retryable });
      });
    } catch (auditErr) {
      this.logger.warn({ err: auditErr, ticketId }, 'could not record the carrier failure');
    }
    if (err.retryable) return new ApiError(503, 'carrier_unavailable', `The carrier did not answer; nothing was changed. Try again shortly. (${err.message})`, [], { 'retry-after': '30' });
    return ApiError.unprocessable('carrier_refused', `The carrier refused: ${err.message}`, [{ path: 'pickup', problem: err.message.slice(0, 300) }]);
  }

  private async returnShipment(merchantId: string, state: ReturnState): Promise<ShipmentEntity> {
    return this.ds.getRepository(ShipmentEntity).findOneByOrFail({ merchantId, id: state.shipmentId });
  }

  private stateOf(ticket: TicketEntity): ReturnState | null {
    const r = (ticket.details as { return?: ReturnState }).return;
    return r && typeof r === 'object' ? { ...r } : null;
  }

  private async saveState(em: EntityManager, ticket: TicketEntity, state: ReturnState): Promise<void> {
    ticket.details = { ...ticket.details, return: state };
    await em.save(ticket);
  }
}

/** The UTC offset of a zone on a civil date, e.g. `-08:00`. */
function offsetOf(timeZone: string, day: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(`${day}T12:00:00Z`));
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return m ? `${m[1]}:${m[2] ?? '00'}` : 'Z';
}
