import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, VersionColumn } from 'typeorm';
import type { Language } from '@app/returns';
import { CreatedAtColumn, UpdatedAtColumn } from '../database/columns';
import { OrderEntity } from '../orders/order.entity';

export const TICKET_CATEGORIES = ['tracking', 'delivered_not_received', 'wrong_item', 'missing_item', 'damaged', 'address_issue', 'return_pickup'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const TICKET_STATUSES = ['open', 'waiting_customer', 'waiting_carrier', 'pending_approval', 'resolved', 'closed', 'reopened'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_CHANNELS = ['platform', 'email', 'phone', 'console', 'tracking_link', 'system'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Lines a ticket is about: order line ids with quantities. */
export interface TicketLine {
  lineId: string;
  quantity: number;
}

/**
 * One delivery problem of one order: the case every playbook works on. `details` holds what the
 * category needs beyond lines (what arrived instead, damage extent, the corrected address...).
 */
@Entity('tickets')
@Unique('uq_tickets_merchant_id', ['merchantId', 'id'])
@Index('uq_tickets_merchant_number', ['merchantId', 'number'], { unique: true })
@Index('uq_tickets_merchant_external_ref', ['merchantId', 'externalRef'], { unique: true, where: '"external_ref" IS NOT NULL' })
@Index('uq_tickets_signal', ['merchantId', 'signalId'], { unique: true, where: '"signal_id" IS NOT NULL' })
@Index('ix_tickets_queue', ['merchantId', 'status', 'priority', 'createdAt'])
@Index('ix_tickets_order', ['merchantId', 'orderId'])
@Check('ck_tickets_category', `"category" IN ('tracking', 'delivered_not_received', 'wrong_item', 'missing_item', 'damaged', 'address_issue', 'return_pickup')`)
@Check('ck_tickets_status', `"status" IN ('open', 'waiting_customer', 'waiting_carrier', 'pending_approval', 'resolved', 'closed', 'reopened')`)
@Check('ck_tickets_priority', `"priority" IN ('low', 'normal', 'high', 'urgent')`)
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_tickets' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  /** Human number per merchant (shown as DD-1042). */
  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => OrderEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_tickets_order' },
    { name: 'order_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_tickets_order' },
  ])
  order?: OrderEntity;

  /** The shipment it is about, when one is. */
  @Column({ type: 'uuid', nullable: true })
  shipmentId: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  lines: TicketLine[];

  @Column({ type: 'varchar', length: 32 })
  category: TicketCategory;

  @Column({ type: 'varchar', length: 16 })
  channel: TicketChannel;

  @Column({ type: 'varchar', length: 24, default: 'open' })
  status: TicketStatus;

  @Column({ type: 'varchar', length: 8, default: 'normal' })
  priority: TicketPriority;

  /** The customer's language when known; messages follow it. */
  @Column({ type: 'varchar', length: 2, nullable: true })
  language: Language | null;

  @Column({ type: 'uuid', nullable: true })
  assigneeId: string | null;

  /** The needs-attention signal that opened it (one ticket per signal). */
  @Column({ type: 'uuid', nullable: true })
  signalId: string | null;

  /** The platform's own id for the case, unique per merchant. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  externalRef: string | null;

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** Category-specific facts the customer or platform gave. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  reportedAt: Date;

  /** When the next reply is due (reply SLA). */
  @Column({ type: 'timestamptz', nullable: true })
  slaDueAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** Optimistic lock: a change names the version it was made on; a stale one is refused (409). */
  @VersionColumn({ default: 1 })
  version: number;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
