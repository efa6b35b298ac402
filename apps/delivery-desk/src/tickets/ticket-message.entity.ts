import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../database/columns';
import { TicketEntity } from './ticket.entity';

/** A message on a ticket: from the customer, to the customer (in the chosen languages), or internal. */
@Entity('ticket_messages')
@Index('ix_ticket_messages_ticket', ['merchantId', 'ticketId', 'createdAt'])
@Check('ck_ticket_messages_direction', `"direction" IN ('inbound', 'outbound', 'internal')`)
@Check('ck_ticket_messages_platform_status', `"platform_status" IN ('none', 'pending', 'sent', 'failed')`)
@Index('ix_ticket_messages_platform_due', ['platformNextAttemptAt'], { where: `"platform_status" = 'pending'` })
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

  /** The platform channel (`message.created` webhooks): none when the merchant has not opted in. */
  @Column({ type: 'varchar', length: 16, default: 'none' })
  platformStatus: 'none' | 'pending' | 'sent' | 'failed';

  /** The webhook's event id, the same on every attempt. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  platformEventId: string | null;

  /** The signed body, frozen when the message is stored. */
  @Column({ type: 'text', nullable: true, select: false })
  platformEventBody: string | null;

  @Column({ type: 'integer', default: 0 })
  platformAttempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  platformNextAttemptAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  platformDeliveredAt: Date | null;

  /** Why the last attempt failed (HTTP status and the start of the answer, or the network error). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  platformLastError: string | null;

  @CreatedAtColumn()
  createdAt: Date;
}
