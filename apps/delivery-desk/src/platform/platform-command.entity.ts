import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, VersionColumn } from 'typeorm';
import type { PostalAddress } from '@app/carriers';
import { CreatedAtColumn, MoneyMinorColumn, UpdatedAtColumn } from '../database/columns';
import { OrderEntity } from '../orders/order.entity';
import type { PlatformCommandKind, PlatformCommandStatus } from './platform-command-state';

/** An order line a command acts on, with the platform's own ids so the event is self-contained. */
export interface PlatformCommandLine {
  /** Our order line id. */
  lineId: string;
  /** The platform's line id (or SKU) as it pushed the order. */
  lineExternalId: string;
  sku: string;
  quantity: number;
}

/** What the platform is asked to do. Amounts in integer minor units of `currency`. */
export interface PlatformCommandPayload {
  /** refund, store_credit: the amount to give back. */
  amountMinor?: number;
  currency?: string;
  /** reship, cancel_lines (required); refund (optional: the lines the refund is for). */
  lines?: PlatformCommandLine[];
  /** A short machine-readable reason, e.g. `lost_in_transit`, `damaged`, `customer_cancelled`. */
  reason: string;
  /** Free text for the merchant's staff. */
  note?: string;
  /** reship: where to send the replacement when not to the order's address. */
  shipTo?: PostalAddress;
}

/** Why a command failed: we could not deliver it, the platform refused the webhook, or the platform reported failure. */
export type PlatformCommandFailureCode = 'undeliverable' | 'rejected' | 'platform_reported';

/**
 * One instruction to the merchant's platform (refund, reship, cancel...), delivered as a signed
 * webhook and settled when the platform confirms or fails it through the API. The event body is
 * frozen at issue time, so every attempt and replay sends the same bytes under the same event id.
 */
@Entity('platform_commands')
@Unique('uq_platform_commands_merchant_id', ['merchantId', 'id'])
@Index('uq_platform_commands_idempotency', ['merchantId', 'idempotencyKey'], { unique: true })
@Index('uq_platform_commands_event', ['merchantId', 'eventId'], { unique: true })
@Index('ix_platform_commands_order', ['merchantId', 'orderId', 'createdAt'])
@Index('ix_platform_commands_ticket', ['merchantId', 'ticketId'], { where: '"ticket_id" IS NOT NULL' })
@Index('ix_platform_commands_status', ['merchantId', 'status', 'createdAt'])
@Index('ix_platform_commands_dispatch_due', ['nextAttemptAt'], { where: '"dispatch_open"' })
@Index('ix_platform_commands_expiry', ['expiresAt'], { where: `"status" IN ('pending', 'delivering', 'delivered')` })
@Check('ck_platform_commands_kind', `"kind" IN ('refund', 'reship', 'cancel_order', 'cancel_lines', 'store_credit')`)
@Check('ck_platform_commands_status', `"status" IN ('pending', 'delivering', 'delivered', 'confirmed', 'failed', 'expired', 'cancelled')`)
@Check('ck_platform_commands_failure_code', `"failure_code" IS NULL OR "failure_code" IN ('undeliverable', 'rejected', 'platform_reported')`)
@Check('ck_platform_commands_counters', `"attempts" >= 0 AND "dispatch_attempts" >= 0 AND "dispatch_attempts" <= "attempts"`)
@Check('ck_platform_commands_refunded', `"refunded_minor" IS NULL OR "refunded_minor" >= 0`)
export class PlatformCommandEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_platform_commands' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => OrderEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_platform_commands_order' },
    { name: 'order_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_platform_commands_order' },
  ])
  order?: OrderEntity;

  /** The ticket it resolves (no foreign key yet: tickets and commands are built side by side). */
  @Column({ type: 'uuid', nullable: true })
  ticketId: string | null;

  /** The resolution (saga) step that issued it. */
  @Column({ type: 'uuid', nullable: true })
  resolutionId: string | null;

  @Column({ type: 'varchar', length: 16 })
  kind: PlatformCommandKind;

  @Column({ type: 'jsonb' })
  payload: PlatformCommandPayload;

  /** The issuer's key: issuing again with it returns this command. */
  @Column({ type: 'varchar', length: 255 })
  idempotencyKey: string;

  /** `evt_...`: the same on every attempt and replay, so platforms can de-duplicate. */
  @Column({ type: 'varchar', length: 40 })
  eventId: string;

  /** The exact JSON body every attempt sends (text, not jsonb, so its bytes never change). */
  @Column({ type: 'text' })
  eventBody: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: PlatformCommandStatus;

  /** The platform's id for what it did (refund id, replacement order number...). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  platformReference: string | null;

  /** refund, store_credit: the amount the platform confirmed. */
  @MoneyMinorColumn({ nullable: true })
  refundedMinor: number | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  platformNote: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  failureCode: PlatformCommandFailureCode | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  failureReason: string | null;

  /** From the platform's fail call: whether trying again (a new command) may work. */
  @Column({ type: 'boolean', nullable: true })
  failureRetryable: boolean | null;

  /** Why the last attempt did not get through, or why none can be made (`platform_not_connected`). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  lastErrorCode: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  /** Delivery attempts made, replays included. The n-th attempt's job carries n: a stale or duplicate job finds a different count and does nothing. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Attempts in the current dispatch (the first delivery, or a replay); the retry limit counts these. */
  @Column({ type: 'integer', default: 0 })
  dispatchAttempts: number;

  /** True while the current dispatch still needs a 2xx. */
  @Column({ type: 'boolean', default: true })
  dispatchOpen: boolean;

  /** When the next attempt is due; the sweep re-queues open dispatches whose time has long passed (a lost job, a crashed worker). */
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  /** Set while an attempt is on the wire: no second attempt (or replay) starts before it ends or this passes. */
  @Column({ type: 'timestamptz', nullable: true })
  inFlightUntil: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  /** First 2xx. */
  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  settledAt: Date | null;

  /** Unsettled by then, the command expires (the platform never confirmed or failed it). */
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @VersionColumn({ default: 1 })
  version: number;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
