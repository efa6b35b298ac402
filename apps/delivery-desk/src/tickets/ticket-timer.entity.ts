import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../database/columns';
import { TicketEntity } from './ticket.entity';

export const TIMER_KINDS = ['dnr_followup', 'claim_opens', 'claim_file_by', 'hold_expiry_warning', 'refund_chase', 'sla_breach', 'no_express_consent', 'trace_followup'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** Timers a playbook starts itself (not from a decision's deadlines): deciding again leaves them running. */
export const PLAYBOOK_TIMER_KINDS: readonly TimerKind[] = ['trace_followup'];

/**
 * A clock on a case: a deadline from the decision (or the reply SLA) that makes something happen when
 * it comes due. One pending timer per ticket and kind; a new decision moves it.
 */
@Entity('ticket_timers')
@Index('uq_ticket_timers_pending', ['merchantId', 'ticketId', 'kind'], { unique: true, where: `"status" = 'pending'` })
@Index('ix_ticket_timers_due', ['dueAt'], { where: `"status" = 'pending'` })
export class TicketTimerEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_ticket_timers' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => TicketEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_ticket_timers_ticket' },
    { name: 'ticket_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_ticket_timers_ticket' },
  ])
  ticket?: TicketEntity;

  @Column({ type: 'varchar', length: 32 })
  kind: TimerKind;

  @Column({ type: 'timestamptz' })
  dueAt: Date;

  /** What the deadline was about (the rule ids, the shipment, the amount...). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: 'pending' | 'fired' | 'cancelled';

  @Column({ type: 'timestamptz', nullable: true })
  firedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}
