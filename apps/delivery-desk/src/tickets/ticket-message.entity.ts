import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../database/columns';
import { TicketEntity } from './ticket.entity';

/** A message on a ticket: from the customer, to the customer (in the chosen languages), or internal. */
@Entity('ticket_messages')
@Index('ix_ticket_messages_ticket', ['merchantId', 'ticketId', 'createdAt'])
@Check('ck_ticket_messages_direction', `"direction" IN ('inbound', 'outbound', 'internal')`)
export class TicketMessageEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_ticket_messages' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => TicketEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_ticket_messages_ticket' },
    { name: 'ticket_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_ticket_messages_ticket' },
  ])
  ticket?: TicketEntity;

  @Column({ type: 'varchar', length: 8 })
  direction: 'inbound' | 'outbound' | 'internal';

  /** email, platform, console, tracking_link. */
  @Column({ type: 'varchar', length: 16 })
  channel: string;

  @Column({ type: 'varchar', length: 16 })
  authorKind: 'customer' | 'agent' | 'system' | 'platform';

  @Column({ type: 'varchar', length: 64, nullable: true })
  authorId: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  languages: string[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  templateId: string | null;

  @Column({ type: 'varchar', length: 500, default: '' })
  subject: string;

  @Column({ type: 'text' })
  bodyText: string;

  @Column({ type: 'text', nullable: true })
  bodyHtml: string | null;

  /** For outbound messages: pending until the channel accepts it. */
  @Column({ type: 'varchar', length: 16, default: 'none' })
  deliveryStatus: 'none' | 'pending' | 'sent' | 'failed';

  @CreatedAtColumn()
  createdAt: Date;
}
