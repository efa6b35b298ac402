import type { Decision, Facts } from '@app/returns';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TicketEntity } from './ticket.entity';

/**
 * What the policy engine decided for a ticket, with the facts it was given and the policy version,
 * so every outcome can be explained later and replayed against a draft policy.
 */
@Entity('ticket_decisions')
@Index('ix_ticket_decisions_ticket', ['merchantId', 'ticketId', 'decidedAt'])
export class TicketDecisionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_ticket_decisions' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => TicketEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_ticket_decisions_ticket' },
    { name: 'ticket_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_ticket_decisions_ticket' },
  ])
  ticket?: TicketEntity;

  @Column({ type: 'integer' })
  policyVersion: number;

  @Column({ type: 'varchar', length: 32 })
  engineVersion: string;

  @Column({ type: 'jsonb' })
  facts: Facts;

  @Column({ type: 'jsonb' })
  decision: Decision;

  @Column({ type: 'timestamptz' })
  decidedAt: Date;
}
