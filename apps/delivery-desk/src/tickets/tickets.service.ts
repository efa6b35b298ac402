import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { decide, Decision, ENGINE_VERSION, parseFacts } from '@app/returns';
import { ApiError, FieldProblem } from '../common/api-error';
import { Clock } from '../common/clock';
import { MerchantPolicyEntity } from '../merchants/merchant-policy.entity';
import { OrderLineEntity } from '../orders/order-line.entity';
import { OrderEntity } from '../orders/order.entity';
import { ShipmentEntity } from '../orders/shipment.entity';
import { ShipmentSignalEntity } from '../tracking/shipment-signal.entity';
import { SignalsService, SUPERSEDING_RESOLUTIONS } from '../tracking/signals.service';
import { createHash } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import { sniffEvidenceType } from './evidence-type';
import { FactsGatherer } from './facts.gatherer';
import { PlatformMessageDelivery } from '../platform/platform-message-delivery.service';
import { TicketClocks } from './ticket-clocks.service';
import { TicketTimerEntity } from './ticket-timer.entity';
import { TicketEvidenceEntity } from './ticket-evidence.entity';
import { assertTransition } from './ticket-state';
import { TicketDecisionEntity } from './ticket-decision.entity';
import { ActorKind, TicketEventEntity } from './ticket-event.entity';
import { TicketMessageEntity } from './ticket-message.entity';
import { OpenTicketDto, QueueQueryDto } from './ticket.dto';
import { TicketCategory, TicketEntity, TicketLine, TicketPriority, TicketStatus } from './ticket.entity';

export interface Actor {
  kind: ActorKind;
  id: string | null;
}

const OPEN_STATUSES: TicketStatus[] = ['open', 'waiting_customer', 'waiting_carrier', 'pending_approval', 'reopened'];

/** How a needs-attention signal becomes a ticket. */
function categoryForSignal(s: ShipmentSignalEntity): { category: TicketCategory; priority: TicketPriority; subject: string } {
  switch (s.kind) {
    case 'return_to_sender':
      return { category: 'address_issue', priority: 'high', subject: 'Parcel returning to sender' };
    case 'exception':
      if (s.reason === 'address_problem' || s.reason === 'refused') return { category: 'address_issue', priority: 'high', subject: 'Delivery exception: address problem' };
      if (s.reason === 'damaged') return { category: 'damaged', priority: 'high', subject: 'Carrier reports the parcel damaged' };
      return { category: 'tracking', priority: 'normal', subject: `Delivery exception (${s.reason ?? 'other'})` };
    case 'stalled':
      return { category: 'tracking', priority: 'high', subject: 'No carrier scan for several days' };
    case 'late':
      return { category: 'tracking', priority: 'normal', subject: 'Parcel past its estimated delivery' };
  }
}

/** Reply SLA by priority. */
const SLA_HOURS: Record<TicketPriority, number> = { urgent: 2, high: 8, normal: 24, low: 72 };

/**
 * The case model: opening tickets (from platforms, customers and needs-attention signals), their
 * decision by the policy engine, messages, status changes with optimistic locking, and the audit trail
 * every change writes to.
 */
@Injectable()
export class TicketsService implements OnModuleInit {
  private readonly logger = new Logger(TicketsService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly facts: FactsGatherer,
    private readonly signals: SignalsService,
    private readonly clocks: TicketClocks,
    private readonly platformMessages: PlatformMessageDelivery,
  ) {}

  private readonly openedListeners: ((em: EntityManager, ticket: TicketEntity, decision: TicketDecisionEntity | null) => Promise<void>)[] = [];

  /** Called in the opening transaction of every ticket, after its first decision (playbooks acknowledge here). */
  onOpened(listener: (em: EntityManager, ticket: TicketEntity, decision: TicketDecisionEntity | null) => Promise<void>): void {
    this.openedListeners.push(listener);
  }

  private readonly decidedListeners: ((em: EntityManager, ticket: TicketEntity, decision: TicketDecisionEntity, actor: Actor) => Promise<void>)[] = [];
  /** Tickets whose decided-listeners are already running (or that are being opened) in this call chain. */
  private readonly deciding = new AsyncLocalStorage<ReadonlySet<string>>();

  /**
   * Called in the transaction of every later decision of a ticket (not while it is being opened: the
   * opened-listeners act on that one). A decision a listener makes in turn does not call the listeners
   * again, so a listener that decides again cannot loop.
   */
  onDecided(listener: (em: EntityManager, ticket: TicketEntity, decision: TicketDecisionEntity, actor: Actor) => Promise<void>): void {
    this.decidedListeners.push(listener);
  }

  private quietly<T>(ticketId: string, run: () => Promise<T>): Promise<T> {
    return this.deciding.run(new Set([...(this.deciding.getStore() ?? []), ticketId]), run);
  }

  onModuleInit(): void {
    this.signals.onOpened((em, signal) => this.openForSignal(em, signal));
    this.signals.onResolved((em, signal) => this.onSignalResolved(em, signal));
    const clock: Actor = { kind: 'system', id: 'clock' };
    // What every case does when its clocks fire; playbooks add their own actions on top.
    this.clocks.on('dnr_followup', async (em, ticket, timer) => {
      await this.appendEvent(em, ticket, clock, 'dnr_wait_over', { timerId: timer.id, ...timer.payload });
      if (ticket.status === 'waiting_customer' || ticket.status === 'waiting_carrier') await this.setStatus(em, ticket, 'open', clock, { because: 'dnr_wait_over' });
      await this.redecide(em, ticket, clock);
    });
    this.clocks.on('claim_opens', async (em, ticket, timer) => {
      await this.appendEvent(em, ticket, clock, 'claim_window_open', { timerId: timer.id, ...timer.payload });
      await this.redecide(em, ticket, clock);
    });
    this.clocks.on('claim_file_by', async (em, ticket, timer) => {
      await this.escalate(em, ticket, 'urgent', clock, 'claim_file_by_today', timer);
    });
    this.clocks.on('hold_expiry_warning', async (em, ticket, timer) => {
      await this.escalate(em, ticket, 'high', clock, 'hold_expires_tomorrow', timer);
    });
    this.clocks.on('refund_chase', async (em, ticket, timer) => {
      await this.escalate(em, ticket, 'urgent', clock, 'refund_overdue', timer);
    });
    this.clocks.on('sla_breach', async (em, ticket, timer) => {
      // Only a ticket still waiting for our reply has breached its SLA.
      if (ticket.status === 'open' || ticket.status === 'reopened') await this.escalate(em, ticket, ticket.priority === 'urgent' ? 'urgent' : 'high', clock, 'sla_breached', timer);
    });
  }

  private async escalate(em: EntityManager, ticket: TicketEntity, priority: TicketPriority, actor: Actor, type: string, timer: TicketTimerEntity): Promise<void> {
    const order: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
    const from = ticket.priority;
    if (order.indexOf(priority) > order.indexOf(ticket.priority)) {
      ticket.priority = priority;
      await em.save(ticket);
    }
    await this.appendEvent(em, ticket, actor, type, { timerId: timer.id, priority: { from, to: ticket.priority }, ...timer.payload });
  }

  /** Opens a ticket; with an `externalRef` already used, returns that ticket (`created: false`). */
  async open(merchantId: string, dto: OpenTicketDto, actor: Actor): Promise<{ created: boolean; ticket: TicketEntity }> {
    // The number is taken in its own short statement: holding the merchant row for the whole
    // transaction would serialise every ticket of a merchant. A failed open leaves a gap, as numbers may.
    const number = await this.nextNumber(this.ds.manager, merchantId);
    return this.ds.transaction(async (em) => {
      if (dto.externalRef) {
        const existing = await em.findOneBy(TicketEntity, { merchantId, externalRef: dto.externalRef });
        if (existing) return { created: false, ticket: existing };
      }
      const order = await em.findOneBy(OrderEntity, { merchantId, externalId: dto.orderExternalId });
      if (!order) throw ApiError.unprocessable('order_not_found', 'No order with this external id.', [{ path: 'orderExternalId', problem: 'is not an order of this merchant' }]);
      const problems: FieldProblem[] = [];
      if (dto.shipmentId && !(await em.existsBy(ShipmentEntity, { merchantId, id: dto.shipmentId, orderId: order.id }))) {
        problems.push({ path: 'shipmentId', problem: 'is not a shipment of this order' });
      }
      const lines: TicketLine[] = [];
      let orderLines: OrderLineEntity[] | undefined;
      if (dto.lines?.length) {
        orderLines = await em.find(OrderLineEntity, { where: { merchantId, orderId: order.id }, order: { position: 'ASC' } });
        const byExternal = new Map(orderLines.map((l) => [l.externalId, l]));
        dto.lines.forEach((l, i) => {
          const line = byExternal.get(l.lineExternalId);
          if (!line) return problems.push({ path: `lines[${i}].lineExternalId`, problem: 'is not a line of this order' });
          if (l.quantity > line.quantity) return problems.push({ path: `lines[${i}].quantity`, problem: `exceeds the ${line.quantity} ordered` });
          lines.push({ lineId: line.id, quantity: l.quantity });
        });
      }
      if (problems.length) throw ApiError.unprocessable('ticket_invalid', 'The ticket does not fit the order.', problems);
      const ticket = await this.insert(em, number, {
        merchantId,
        orderId: order.id,
        shipmentId: dto.shipmentId ?? null,
        lines,
        category: dto.category,
        channel: dto.channel ?? 'platform',
        priority: 'normal',
        language: dto.language ?? null,
        externalRef: dto.externalRef ?? null,
        subject: dto.subject ?? `${dto.category.replace(/_/g, ' ')}: order ${order.externalId}`,
        description: dto.description ?? '',
        details: dto.details ?? {},
        reportedAt: dto.reportedAt ? new Date(dto.reportedAt) : this.clock.now(),
        signalId: null,
      }, actor);
      if (dto.description) {
        await em.insert(TicketMessageEntity, {
          merchantId,
          ticketId: ticket.id,
          direction: 'inbound',
          channel: ticket.channel === 'system' ? 'platform' : ticket.channel,
          authorKind: actor.kind === 'platform' ? 'customer' : (actor.kind as TicketMessageEntity['authorKind']),
          authorId: actor.id,
          languages: dto.language ? [dto.language] : [],
          subject: ticket.subject,
          bodyText: dto.description,
          bodyHtml: null,
          templateId: null,
          deliveryStatus: 'none',
        });
      }
      await this.quietly(ticket.id, async () => {
        const decision = await this.redecide(em, ticket, actor, { order, lines: orderLines });
        for (const l of this.openedListeners) await l(em, ticket, decision);
      });
      return { created: true, ticket };
    });
  }

  private async nextNumber(em: EntityManager, merchantId: string): Promise<number> {
    const [rows]: [{ ticket_seq: number }[], number] = await em.query(`UPDATE merchants SET ticket_seq = ticket_seq + 1 WHERE id = $1 RETURNING ticket_seq`, [merchantId]);
    if (!rows.length) throw ApiError.notFound('Merchant');
    return rows[0].ticket_seq;
  }

  private async insert(
    em: EntityManager,
    number: number,
    values: Omit<TicketEntity, 'id' | 'number' | 'status' | 'assigneeId' | 'slaDueAt' | 'resolvedAt' | 'closedAt' | 'version' | 'createdAt' | 'updatedAt'>,
    actor: Actor,
  ): Promise<TicketEntity> {
    const now = this.clock.now();
    const ticket = await em.save(
      em.create(TicketEntity, { ...values, number, status: 'open', slaDueAt: new Date(now.getTime() + SLA_HOURS[values.priority] * 3_600_000) }),
    );
    await this.appendEvent(em, ticket, actor, 'created', {
      number,
      category: ticket.category,
      channel: ticket.channel,
      orderId: ticket.orderId,
      shipmentId: ticket.shipmentId,
      lines: ticket.lines,
      signalId: ticket.signalId,
    });
    return ticket;
  }

  /** Gathers the facts, asks the policy engine, stores the decision with the policy version. */
  async redecide(em: EntityManager, ticket: TicketEntity, actor: Actor, known: { order?: OrderEntity; lines?: OrderLineEntity[] } = {}): Promise<TicketDecisionEntity | null> {
    const [row]: { version: number; policy: MerchantPolicyEntity['policy'] }[] = await em.query(
      `SELECT p.version, p.policy FROM merchant_policies p JOIN merchants m ON m.id = p.merchant_id AND p.version = m.policy_version WHERE m.id = $1`,
      [ticket.merchantId],
    );
    const now = this.clock.now();
    let decision: Decision;
    const facts = await this.facts.load(em, ticket, known);
    try {
      decision = decide(parseFacts(facts), row.policy, now);
    } catch (err) {
      // A gap between what we store and what the engine needs must not lose the ticket: record it.
      this.logger.error({ err, ticketId: ticket.id }, 'policy engine refused the facts');
      await this.appendEvent(em, ticket, { kind: 'system', id: 'policy-engine' }, 'decision_failed', { message: (err as Error).message.slice(0, 1000) });
      return null;
    }
    const stored = await em.save(
      em.create(TicketDecisionEntity, { merchantId: ticket.merchantId, ticketId: ticket.id, policyVersion: row.version, engineVersion: ENGINE_VERSION, facts, decision, decidedAt: now }),
    );
    await this.clocks.schedule(em, ticket, decision);
    await this.appendEvent(em, ticket, actor, 'decision_made', {
      decisionId: stored.id,
      policyVersion: row.version,
      approval: decision.approval,
      required: decision.required.map((a) => a.kind),
      customerChoice: decision.customerChoice.map((a) => a.kind),
    });
    if (this.decidedListeners.length && !this.deciding.getStore()?.has(ticket.id)) {
      await this.quietly(ticket.id, async () => {
        for (const l of this.decidedListeners) await l(em, ticket, stored, actor);
      });
    }
    return stored;
  }

  /** One ticket per signal: the partial unique index on (merchant, signal) settles any race. */
  private async openForSignal(em: EntityManager, signal: ShipmentSignalEntity): Promise<void> {
    const shipment = await em.findOneByOrFail(ShipmentEntity, { merchantId: signal.merchantId, id: signal.shipmentId });
    // A problem already being worked for this shipment gets the signal noted rather than a second ticket.
    const existing = await em
      .createQueryBuilder(TicketEntity, 't')
      .where('t.merchant_id = :m AND t.shipment_id = :s AND t.status IN (:...open)', { m: signal.merchantId, s: signal.shipmentId, open: OPEN_STATUSES })
      .orderBy('t.created_at', 'ASC')
      .setLock('pessimistic_write')
      .getOne();
    if (existing) {
      const [current]: { resolved_at: Date | null }[] = existing.signalId
        ? await em.query(`SELECT resolved_at FROM shipment_signals WHERE merchant_id = $1 AND id = $2`, [existing.merchantId, existing.signalId])
        : [];
      // The ticket follows the live signal, so its recovery closes the ticket.
      if (!current || current.resolved_at) {
        existing.signalId = signal.id;
        await em.save(existing);
      }
      await this.appendEvent(em, existing, { kind: 'carrier', id: shipment.carrier }, existing.signalId === signal.id ? 'signal_linked' : 'signal_raised', {
        signalId: signal.id,
        kind: signal.kind,
        reason: signal.reason,
      });
      return;
    }
    const { category, priority, subject } = categoryForSignal(signal);
    const ticket = await this.insert(em, await this.nextNumber(em, signal.merchantId), {
      merchantId: signal.merchantId,
      orderId: shipment.orderId,
      shipmentId: shipment.id,
      lines: [],
      category,
      channel: 'system',
      priority,
      language: null,
      externalRef: null,
      subject,
      description: '',
      details: { signal: { kind: signal.kind, reason: signal.reason, details: signal.details } },
      reportedAt: signal.openedAt,
      signalId: signal.id,
    }, { kind: 'carrier', id: shipment.carrier });
    await this.quietly(ticket.id, async () => {
      const decision = await this.redecide(em, ticket, { kind: 'system', id: 'tracking' });
      // Playbooks act on a case the carrier opened as on any other (address verification, delay notices).
      for (const l of this.openedListeners) await l(em, ticket, decision);
    });
  }

  /** The shipment recovered: a ticket opened by that signal and still open is resolved, with the reason. */
  private async onSignalResolved(em: EntityManager, signal: ShipmentSignalEntity): Promise<void> {
    const ticket = await em.findOne(TicketEntity, { where: { merchantId: signal.merchantId, signalId: signal.id }, lock: { mode: 'pessimistic_write' } });
    if (!ticket || !OPEN_STATUSES.includes(ticket.status)) return;
    if (signal.resolution && SUPERSEDING_RESOLUTIONS.includes(signal.resolution)) {
      await this.appendEvent(em, ticket, { kind: 'system', id: 'tracking' }, 'signal_superseded', { signalId: signal.id, resolution: signal.resolution });
      return;
    }
    // A ticket someone is working on (a customer wrote, an agent took it) stays open for them.
    if (ticket.assigneeId || ticket.channel !== 'system') {
      await this.appendEvent(em, ticket, { kind: 'system', id: 'tracking' }, 'signal_resolved', { signalId: signal.id, resolution: signal.resolution });
      return;
    }
    await this.setStatus(em, ticket, 'resolved', { kind: 'system', id: 'tracking' }, { reason: 'shipment_recovered', resolution: signal.resolution });
  }

  async get(merchantId: string, ticketId: string, em: EntityManager = this.ds.manager): Promise<TicketEntity> {
    const ticket = /^[0-9a-f-]{36}$/i.test(ticketId) ? await em.findOneBy(TicketEntity, { merchantId, id: ticketId }) : null;
    if (!ticket) throw ApiError.notFound('Ticket');
    return ticket;
  }

  async currentDecision(merchantId: string, ticketId: string): Promise<TicketDecisionEntity | null> {
    return this.ds.getRepository(TicketDecisionEntity).findOne({ where: { merchantId, ticketId }, order: { decidedAt: 'DESC' } });
  }

  async timeline(merchantId: string, ticketId: string) {
    const [events, messages] = await Promise.all([
      this.ds.getRepository(TicketEventEntity).find({ where: { merchantId, ticketId }, order: { seq: 'ASC' } }),
      this.ds.getRepository(TicketMessageEntity).find({ where: { merchantId, ticketId }, order: { createdAt: 'ASC' } }),
    ]);
    return { events, messages };
  }

  /**
   * Locks the ticket and checks the version the caller saw: of two agents acting on one ticket at
   * once, the second gets 409 and reloads.
   */
  async lockForChange(em: EntityManager, merchantId: string, ticketId: string, expectedVersion: number | null): Promise<TicketEntity> {
    const ticket = /^[0-9a-f-]{36}$/i.test(ticketId) ? await em.findOne(TicketEntity, { where: { merchantId, id: ticketId }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!ticket) throw ApiError.notFound('Ticket');
    if (expectedVersion !== null && ticket.version !== expectedVersion) {
      throw ApiError.conflict('ticket_version_conflict', `The ticket changed since version ${expectedVersion}; reload it (now version ${ticket.version}).`, [
        { path: 'version', problem: `is ${ticket.version} now` },
      ]);
    }
    return ticket;
  }

  async transition(merchantId: string, ticketId: string, to: TicketStatus, expectedVersion: number, actor: Actor, note?: string): Promise<TicketEntity> {
    return this.ds.transaction(async (em) => {
      const ticket = await this.lockForChange(em, merchantId, ticketId, expectedVersion);
      assertTransition(ticket.status, to);
      return this.setStatus(em, ticket, to, actor, note ? { note } : {});
    });
  }

  /** Resolves the case (a finished resolution, a recovery); a ticket already resolved or closed is left as it is. */
  async resolveBy(em: EntityManager, ticket: TicketEntity, actor: Actor, data: Record<string, unknown>): Promise<TicketEntity> {
    if (ticket.status === 'resolved' || ticket.status === 'closed') return ticket;
    return this.setStatus(em, ticket, 'resolved', actor, data);
  }

  /** Moves the case when a resolution changes it (waiting for approval, back to work); audited. */
  async moveTo(em: EntityManager, ticket: TicketEntity, to: TicketStatus, actor: Actor, data: Record<string, unknown>): Promise<TicketEntity> {
    if (ticket.status === to) return ticket;
    return this.setStatus(em, ticket, to, actor, data);
  }

  private async setStatus(em: EntityManager, ticket: TicketEntity, to: TicketStatus, actor: Actor, data: Record<string, unknown>): Promise<TicketEntity> {
    assertTransition(ticket.status, to);
    const from = ticket.status;
    const now = this.clock.now();
    ticket.status = to;
    if (to === 'resolved') ticket.resolvedAt = now;
    if (to === 'closed') ticket.closedAt = now;
    if (to === 'reopened') {
      ticket.resolvedAt = null;
      ticket.closedAt = null;
    }
    const saved = await em.save(ticket);
    if (to === 'resolved' || to === 'closed') await this.clocks.cancelAll(em, saved);
    await this.appendEvent(em, saved, actor, 'status_changed', { from, to, ...data });
    return saved;
  }

  async assign(merchantId: string, ticketId: string, agentId: string | null, expectedVersion: number, actor: Actor, priority?: TicketPriority): Promise<TicketEntity> {
    return this.ds.transaction(async (em) => {
      const ticket = await this.lockForChange(em, merchantId, ticketId, expectedVersion);
      if (agentId) {
        const [agent] = await em.query(`SELECT active FROM agents WHERE merchant_id = $1 AND id = $2`, [merchantId, agentId]);
        if (!agent?.active) throw ApiError.unprocessable('agent_not_found', 'No active agent with this id.', [{ path: 'agentId', problem: 'is not an active agent of this merchant' }]);
      }
      const from = { assigneeId: ticket.assigneeId, priority: ticket.priority };
      ticket.assigneeId = agentId;
      if (priority) ticket.priority = priority;
      const saved = await em.save(ticket);
      await this.appendEvent(em, saved, actor, 'assigned', { from, to: { assigneeId: agentId, priority: saved.priority } });
      return saved;
    });
  }

  async addMessage(
    merchantId: string,
    ticketId: string,
    msg: { body: string; language?: string | null; direction: TicketMessageEntity['direction']; channel: string; authorKind: TicketMessageEntity['authorKind'] },
    actor: Actor,
    expectedVersion: number | null,
  ): Promise<{ ticket: TicketEntity; message: TicketMessageEntity }> {
    return this.ds.transaction(async (em) => {
      const ticket = await this.lockForChange(em, merchantId, ticketId, expectedVersion);
      const message = await em.save(
        em.create(TicketMessageEntity, {
          merchantId,
          ticketId: ticket.id,
          direction: msg.direction,
          channel: msg.channel,
          authorKind: msg.authorKind,
          authorId: actor.id,
          languages: msg.language ? [msg.language] : [],
          subject: ticket.subject,
          bodyText: msg.body,
          bodyHtml: null,
          templateId: null,
          deliveryStatus: msg.direction === 'outbound' ? 'pending' : 'none',
        }),
      );
      // A customer writing again wakes the ticket; an agent's reply waits for the customer.
      let to: TicketStatus | null = null;
      if (msg.direction === 'inbound' && (ticket.status === 'waiting_customer' || ticket.status === 'resolved' || ticket.status === 'closed')) to = ticket.status === 'waiting_customer' ? 'open' : 'reopened';
      if (msg.direction === 'outbound' && (ticket.status === 'open' || ticket.status === 'reopened')) to = 'waiting_customer';
      if (msg.direction === 'outbound') ticket.slaDueAt = null;
      if (msg.direction === 'inbound') ticket.slaDueAt = new Date(this.clock.now().getTime() + SLA_HOURS[ticket.priority] * 3_600_000);
      const saved = to ? await this.setStatus(em, ticket, to, actor, { because: `${msg.direction}_message` }) : await em.save(ticket);
      await this.appendEvent(em, saved, actor, 'message_added', { messageId: message.id, direction: msg.direction, channel: msg.channel });
      await this.platformMessages.enqueue(em, message);
      return { ticket: saved, message };
    });
  }

  /**
   * Stores an evidence file with the ticket (its type from its bytes; the same file twice is kept
   * once) and decides again, since evidence can change what is allowed.
   */
  async addEvidence(merchantId: string, ticketId: string, file: { kind: string; bytes: Buffer; fileName: string | null }, actor: Actor): Promise<{ created: boolean; evidence: TicketEvidenceEntity }> {
    const contentType = sniffEvidenceType(file.bytes);
    if (!contentType) {
      throw new ApiError(415, 'unsupported_evidence_type', 'Send a JPEG, PNG, WebP or HEIC photo, or a PDF.', [{ path: 'body', problem: 'is not a supported image or PDF' }]);
    }
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    return this.ds.transaction(async (em) => {
      const ticket = await this.lockForChange(em, merchantId, ticketId, null);
      const existing = await em.findOneBy(TicketEvidenceEntity, { merchantId, ticketId: ticket.id, sha256 });
      if (existing) return { created: false, evidence: existing };
      const evidence = await em.save(
        em.create(TicketEvidenceEntity, {
          merchantId,
          ticketId: ticket.id,
          kind: file.kind,
          contentType,
          sizeBytes: file.bytes.length,
          sha256,
          fileName: file.fileName,
          data: file.bytes,
          uploadedByKind: actor.kind,
        }),
      );
      await this.appendEvent(em, ticket, actor, 'evidence_added', { evidenceId: evidence.id, kind: file.kind, contentType, sizeBytes: file.bytes.length });
      await this.redecide(em, ticket, actor);
      return { created: true, evidence };
    });
  }

  /** A ticket's evidence (without the bytes); pass the ticket when it is already loaded. */
  async evidenceList(merchantId: string, ticket: string | TicketEntity): Promise<TicketEvidenceEntity[]> {
    const t = typeof ticket === 'string' ? await this.get(merchantId, ticket) : ticket;
    return this.ds.getRepository(TicketEvidenceEntity).find({ where: { merchantId, ticketId: t.id }, order: { createdAt: 'ASC' } });
  }

  async evidenceFile(merchantId: string, ticketId: string, evidenceId: string): Promise<TicketEvidenceEntity> {
    const ticket = await this.get(merchantId, ticketId);
    const row = /^[0-9a-f-]{36}$/i.test(evidenceId)
      ? await this.ds.getRepository(TicketEvidenceEntity).createQueryBuilder('e').addSelect('e.data').where('e.merchant_id = :m AND e.ticket_id = :t AND e.id = :id', { m: merchantId, t: ticket.id, id: evidenceId }).getOne()
      : null;
    if (!row) throw ApiError.notFound('Evidence');
    return row;
  }

  /** The desk queue: filters, and search by order number, tracking code, e-mail or ticket number. */
  async queue(merchantId: string, q: QueueQueryDto, me: string | null): Promise<TicketEntity[]> {
    const qb = this.ds
      .getRepository(TicketEntity)
      .createQueryBuilder('t')
      .where('t.merchant_id = :merchantId', { merchantId })
      .orderBy(`CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END`, 'ASC')
      .addOrderBy('t.sla_due_at', 'ASC', 'NULLS LAST')
      .addOrderBy('t.created_at', 'ASC')
      .limit(q.limit ?? 50);
    const statuses = q.status ? q.status.split(',') : OPEN_STATUSES;
    qb.andWhere('t.status IN (:...statuses)', { statuses });
    if (q.category) qb.andWhere('t.category = :category', { category: q.category });
    if (q.assignee === 'none') qb.andWhere('t.assignee_id IS NULL');
    else if (q.assignee === 'me') qb.andWhere('t.assignee_id = :me', { me });
    else if (q.assignee) qb.andWhere('t.assignee_id = :assignee', { assignee: q.assignee });
    if (q.q) {
      const term = q.q.trim();
      const number = /^(?:DD-)?(\d{1,9})$/i.exec(term)?.[1];
      qb.andWhere(
        `(t.number = :number OR EXISTS (SELECT 1 FROM orders o JOIN customers c ON c.merchant_id = o.merchant_id AND c.id = o.customer_id
            WHERE o.merchant_id = t.merchant_id AND o.id = t.order_id AND (o.external_id = :term OR c.email = lower(:term)))
          OR EXISTS (SELECT 1 FROM shipments s WHERE s.merchant_id = t.merchant_id AND s.order_id = t.order_id AND s.tracking_code = :term))`,
        { term, number: number ? Number(number) : -1 },
      );
    }
    return qb.getMany();
  }

  /** Appends to the audit trail; `seq` numbers events per ticket (the ticket row is locked by the caller). */
  async appendEvent(em: EntityManager, ticket: TicketEntity, actor: Actor, type: string, data: Record<string, unknown>): Promise<void> {
    await em.query(
      `INSERT INTO ticket_events (merchant_id, ticket_id, seq, at, actor_kind, actor_id, type, data)
       SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7::jsonb FROM ticket_events WHERE merchant_id = $1 AND ticket_id = $2`,
      [ticket.merchantId, ticket.id, this.clock.now(), actor.kind, actor.id, type, JSON.stringify(data)],
    );
  }

}
