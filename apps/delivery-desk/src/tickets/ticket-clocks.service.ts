import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Decision, startOfLocalDay } from '@app/returns';
import { Clock } from '../common/clock';
import { SETTINGS, Settings } from '../config/settings';
import { JobQueue } from '../jobs/job-queue.service';
import { TicketEntity } from './ticket.entity';
import { PLAYBOOK_TIMER_KINDS, TicketTimerEntity, TimerKind } from './ticket-timer.entity';

export const TIMERS_QUEUE = 'ticket-timers';

export type TimerHandler = (em: EntityManager, ticket: TicketEntity, timer: TicketTimerEntity) => Promise<void>;

interface Planned {
  kind: TimerKind;
  dueAt: Date;
  payload: Record<string, unknown>;
}

/** The timers a decision starts: its deadlines, turned into moments something must happen. */
export function timersFromDecision(decision: Decision): Planned[] {
  const d = decision.deadlines;
  const tz = decision.timeZone;
  const out: Planned[] = [];
  if (d.dnrWaitUntil) out.push({ kind: 'dnr_followup', dueAt: new Date(d.dnrWaitUntil.at), payload: { ruleIds: d.dnrWaitUntil.ruleIds, date: d.dnrWaitUntil.date } });
  if (d.carrierClaim) {
    const c = d.carrierClaim;
    const claim = { shipmentId: c.shipmentId, carrier: c.carrier, claimType: c.claimType, opensOn: c.opensOn.date, fileBy: c.fileBy.date, lastDay: c.lastDay.date };
    out.push({ kind: 'claim_opens', dueAt: new Date(startOfLocalDay(c.opensOn.date, tz)), payload: { ...claim, ruleIds: c.opensOn.ruleIds } });
    // The morning of the file-by day: the last business day on which filing is still safe.
    out.push({ kind: 'claim_file_by', dueAt: new Date(startOfLocalDay(c.fileBy.date, tz)), payload: { ...claim, ruleIds: c.fileBy.ruleIds } });
  }
  if (d.holdExpiresOn) out.push({ kind: 'hold_expiry_warning', dueAt: new Date(new Date(d.holdExpiresOn.at).getTime() - 24 * 3_600_000), payload: { expiresOn: d.holdExpiresOn.date, ruleIds: d.holdExpiresOn.ruleIds } });
  // FTC: without the buyer's express consent the order cancels itself at the start of this day.
  if (d.autoCancelOn) out.push({ kind: 'no_express_consent', dueAt: new Date(startOfLocalDay(d.autoCancelOn.date, tz)), payload: { autoCancelOn: d.autoCancelOn.date, ruleIds: d.autoCancelOn.ruleIds } });
  if (d.refundDueBy) out.push({ kind: 'refund_chase', dueAt: new Date(d.refundDueBy.at), payload: { dueBy: d.refundDueBy.date, ruleIds: d.refundDueBy.ruleIds } });
  return out;
}

/**
 * Deadline clocks on cases. Decisions and the reply SLA set timers; a sweep on the job queue fires
 * those that are due, each in its own transaction, by calling the handler registered for its kind
 * (playbooks register theirs). Time is the service clock, so tests move it instead of waiting.
 */
@Injectable()
export class TicketClocks implements OnModuleInit {
  private readonly logger = new Logger(TicketClocks.name);
  private readonly handlers = new Map<TimerKind, TimerHandler[]>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register(TIMERS_QUEUE, { retryLimit: 1, cron: '* * * * *' }, async () => {
      await this.fireDue();
    });
  }

  on(kind: TimerKind, handler: TimerHandler): void {
    this.handlers.set(kind, [...(this.handlers.get(kind) ?? []), handler]);
  }

  /** Sets (or moves) the ticket's pending timers to match `decision` and its SLA. */
  async schedule(em: EntityManager, ticket: TicketEntity, decision: Decision | null): Promise<void> {
    const planned = decision ? timersFromDecision(decision) : [];
    if (ticket.slaDueAt) planned.push({ kind: 'sla_breach', dueAt: ticket.slaDueAt, payload: {} });
    // A hold the desk arranged has the carrier's own end date; it stands when the engine has no estimate.
    const hold = (ticket.details as { hold?: { until?: unknown } }).hold;
    if (typeof hold?.until === 'string' && !planned.some((p) => p.kind === 'hold_expiry_warning')) {
      planned.push({ kind: 'hold_expiry_warning', dueAt: new Date(startOfLocalDay(hold.until, decision?.timeZone ?? 'UTC')), payload: { expiresOn: hold.until, source: 'carrier_hold' } });
    }
    // Timers the new decision no longer has (e.g. the claim is no longer needed) are cancelled.
    const keep = [...planned.map((p) => p.kind), ...PLAYBOOK_TIMER_KINDS];
    // One statement: the upsert and the cancellation touch disjoint rows (kinds kept / not kept).
    // A deadline that already fired stays fired: deciding again must not start the same clock twice.
    await em.query(
      `WITH planned AS (SELECT * FROM unnest($3::varchar[], $4::timestamptz[], $5::jsonb[]) AS p(kind, due_at, payload)),
       upserted AS (
         INSERT INTO ticket_timers (merchant_id, ticket_id, kind, due_at, payload)
         SELECT $1::uuid, $2::uuid, p.kind, p.due_at, p.payload FROM planned p
          WHERE NOT EXISTS (SELECT 1 FROM ticket_timers f WHERE f.merchant_id = $1 AND f.ticket_id = $2 AND f.kind = p.kind AND f.status = 'fired' AND f.due_at = p.due_at)
         ON CONFLICT (merchant_id, ticket_id, kind) WHERE status = 'pending' DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload
         RETURNING 1)
       UPDATE ticket_timers SET status = 'cancelled' WHERE merchant_id = $1 AND ticket_id = $2 AND status = 'pending' AND NOT (kind = ANY($6::varchar[]))`,
      [ticket.merchantId, ticket.id, planned.map((p) => p.kind), planned.map((p) => p.dueAt), planned.map((p) => JSON.stringify(p.payload)), keep],
    );
  }

  /** Starts (or moves) a playbook's own timer, e.g. the follow-up of a carrier trace. */
  async start(em: EntityManager, ticket: TicketEntity, kind: TimerKind, dueAt: Date, payload: Record<string, unknown>): Promise<void> {
    await em.query(
      `INSERT INTO ticket_timers (merchant_id, ticket_id, kind, due_at, payload) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (merchant_id, ticket_id, kind) WHERE status = 'pending' DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload`,
      [ticket.merchantId, ticket.id, kind, dueAt, JSON.stringify(payload)],
    );
  }

  /** Cancels every pending timer of a ticket (it is resolved or closed). */
  async cancelAll(em: EntityManager, ticket: TicketEntity): Promise<void> {
    await em.query(`UPDATE ticket_timers SET status = 'cancelled' WHERE merchant_id = $1 AND ticket_id = $2 AND status = 'pending'`, [ticket.merchantId, ticket.id]);
  }

  async pending(merchantId: string, ticketId: string): Promise<TicketTimerEntity[]> {
    return this.ds.getRepository(TicketTimerEntity).find({ where: { merchantId, ticketId, status: 'pending' }, order: { dueAt: 'ASC' } });
  }

  /**
   * Fires the timers due by now. Each is claimed with SKIP LOCKED and fired in its own transaction, so
   * several replicas can sweep at once and a failing handler only retries its own timer.
   */
  async fireDue(limit = 200): Promise<number> {
    const now = this.clock.now();
    let fired = 0;
    // Tickets another sweep is firing a timer of right now: their other timers are left to it.
    const busy: string[] = [];
    for (let i = 0; i < limit; i++) {
      const done = await this.ds.transaction(async (em) => {
        const qb = em
          .createQueryBuilder(TicketTimerEntity, 't')
          .where(`t.status = 'pending' AND t.due_at <= :now`, { now });
        if (busy.length) qb.andWhere('t.ticket_id NOT IN (:...busy)', { busy });
        const [timer] = await qb.orderBy('t.due_at', 'ASC').limit(1).setLock('pessimistic_write').setOnLocked('skip_locked').getMany();
        if (!timer) return false;
        // A handler deciding again rewrites the ticket's other timers: waiting here for the ticket while
        // another sweep holds it and waits for this timer's row would deadlock, so a busy ticket is skipped.
        const ticket = await em.findOne(TicketEntity, { where: { merchantId: timer.merchantId, id: timer.ticketId }, lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' } });
        if (!ticket) {
          busy.push(timer.ticketId);
          return 'busy';
        }
        timer.status = 'fired';
        timer.firedAt = now;
        await em.save(timer);
        for (const h of this.handlers.get(timer.kind) ?? []) await h(em, ticket, timer);
        return true;
      });
      if (!done) break;
      if (done === true) fired++;
    }
    if (fired) this.logger.log({ fired }, 'ticket timers fired');
    return fired;
  }
}
