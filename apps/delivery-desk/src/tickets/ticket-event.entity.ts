import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TicketEntity } from './ticket.entity';

export type ActorKind = 'agent' | 'platform' | 'customer' | 'system' | 'carrier' | 'operator';

/**
 * The audit trail: every change to a ticket, who made it and what changed. Append-only (a database
 * trigger refuses UPDATE and DELETE), numbered per ticket.
 */
@Entity('ticket_events')
@Index('uq_ticket_events_seq', ['merchantId', 'ticketId', 'seq'], { unique: true })
export class TicketEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_ticket_events' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => TicketEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_ticket_events_ticket' },
    { name: 'ticket_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_ticket_events_ticket' },
  ])
  ticket?: TicketEntity;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'varchar', length: 16 })
  actorKind: ActorKind;

  /** Agent id, API key id, or a system component name. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 48 })
  type: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;
}
