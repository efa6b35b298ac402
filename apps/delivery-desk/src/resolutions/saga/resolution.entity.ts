import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, VersionColumn } from 'typeorm';
import { CreatedAtColumn, MoneyMinorColumn, UpdatedAtColumn } from '../../database/columns';
import { MerchantEntity } from '../../merchants/merchant.entity';
import { OrderEntity } from '../../orders/order.entity';
import type { ResolutionStatus } from './saga-state';

/** One entry of a resolution's plan: a registered step name, its input, and a key unique in the plan. */
export interface PlanItem {
  step: string;
  /** Defaults to `step`; set it when a plan uses one step twice (`notify-customer`, `notify-merchant`). */
  key?: string;
  input?: Record<string, unknown>;
}

/**
 * A resolution: one action on an order (a refund, a reship...) run as a saga of steps. The plan is
 * fixed when it is requested; its steps live in `resolution_steps`. Rows change only under a row
 * lock (`FOR UPDATE`) and every change bumps `version`, which desk screens send back to detect a
 * stale view.
 */
@Entity('resolutions')
@Unique('uq_resolutions_merchant_id', ['merchantId', 'id'])
@Index('uq_resolutions_idempotency', ['merchantId', 'idempotencyKey'], { unique: true })
@Index('ix_resolutions_order', ['merchantId', 'orderId', 'createdAt'])
@Index('ix_resolutions_ticket', ['merchantId', 'ticketId'], { where: '"ticket_id" IS NOT NULL' })
@Index('ix_resolutions_active', ['status', 'updatedAt'], { where: `"status" IN ('approved', 'running', 'compensating')` })
@Index('ix_resolutions_attention', ['merchantId', 'updatedAt'], { where: '"needs_attention"' })
@Check('ck_resolutions_status', `"status" IN ('pending_approval', 'approved', 'rejected', 'running', 'waiting', 'completed', 'compensating', 'compensated', 'failed')`)
@Check('ck_resolutions_amount', `"amount_minor" >= 0`)
export class ResolutionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_resolutions' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @ManyToOne(() => MerchantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_resolutions_merchant' })
  merchant?: MerchantEntity;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => OrderEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_resolutions_order' },
    { name: 'order_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_resolutions_order' },
  ])
  order?: OrderEntity;

  /** The ticket this resolves, if any (no foreign key: resolutions do not depend on the tickets module). */
  @Column({ type: 'uuid', nullable: true })
  ticketId: string | null;

  /** What it does, for people and reports: `refund`, `reship`, `dnr-refund`... */
  @Column({ type: 'varchar', length: 48 })
  kind: string;

  @Column({ type: 'varchar', length: 24 })
  status: ResolutionStatus;

  /** Agent id, or `system:<component>` for automation. */
  @Column({ type: 'varchar', length: 64 })
  requestedBy: string;

  /** The supervisor who approved or rejected it; null when the requester's own limit sufficed. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  approvedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  decisionNote: string | null;

  /** The value at stake, compared with approval limits. */
  @MoneyMinorColumn()
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** The caller's key: the same key returns the same resolution instead of making another. */
  @Column({ type: 'varchar', length: 255 })
  idempotencyKey: string;

  /** Hash of what was asked (kind, order, amount, plan): the same key with another request is refused. */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'jsonb' })
  plan: PlanItem[];

  /** The permanent failure that started compensation, or why compensation failed. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  error: string | null;

  /** A compensation failed for good: money or goods may be out of place until a person acts. */
  @Column({ type: 'boolean', default: false })
  needsAttention: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
