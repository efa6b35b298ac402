import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, VersionColumn } from 'typeorm';
import type { CardDispute, CardNetwork } from '@app/returns';
import { CreatedAtColumn, MoneyMinorColumn, UpdatedAtColumn } from '../../database/columns';
import { OrderEntity } from '../../orders/order.entity';
import { LedgerEntryEntity } from '../ledger/ledger-entry.entity';

export const DISPUTE_STATUSES = ['open', 'won', 'lost', 'accepted'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
export const DISPUTE_CATEGORIES = ['not_received', 'not_as_described', 'credit_not_processed', 'cancelled', 'fraud', 'other'] as const;
export type DisputeCategory = CardDispute['category'];

/**
 * A card dispute (chargeback) on an order, as the platform relays it from the payment processor.
 * One row per processor dispute id and merchant: the platform posts it again on every change. A
 * dispute the merchant lost or accepted sent money back to the customer through the bank; that is a
 * `chargeback` ledger entry, linked here.
 */
@Entity('card_disputes')
@Unique('uq_card_disputes_merchant_id', ['merchantId', 'id'])
@Unique('uq_card_disputes_processor_id', ['merchantId', 'processorDisputeId'])
@Index('ix_card_disputes_order', ['merchantId', 'orderId', 'noticeAt'])
@Check('ck_card_disputes_status', `"status" IN ('open', 'won', 'lost', 'accepted')`)
@Check('ck_card_disputes_network', `"network" IN ('visa', 'mastercard', 'amex', 'discover', 'other')`)
@Check('ck_card_disputes_category', `"category" IN ('not_received', 'not_as_described', 'credit_not_processed', 'cancelled', 'fraud', 'other')`)
@Check('ck_card_disputes_amount', `"amount_minor" > 0`)
export class CardDisputeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_card_disputes' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => OrderEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_card_disputes_order' },
    { name: 'order_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_card_disputes_order' },
  ])
  order?: OrderEntity;

  /** The processor's id for the dispute (Stripe `dp_...`, Adyen PSP reference...). */
  @Column({ type: 'varchar', length: 200 })
  processorDisputeId: string;

  @Column({ type: 'varchar', length: 16 })
  network: CardNetwork;

  @Column({ type: 'varchar', length: 32 })
  reasonCode: string;

  @Column({ type: 'varchar', length: 32 })
  category: DisputeCategory;

  @Column({ type: 'timestamptz' })
  noticeAt: Date;

  @Column({ type: 'varchar', length: 16 })
  status: DisputeStatus;

  @MoneyMinorColumn()
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** The processor's response deadline, a calendar date. */
  @Column({ type: 'date', nullable: true })
  respondBy: string | null;

  /** The `chargeback` entry a lost or accepted dispute made. */
  @Column({ type: 'uuid', nullable: true })
  ledgerEntryId: string | null;

  @ManyToOne(() => LedgerEntryEntity, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_card_disputes_ledger_entry' },
    { name: 'ledger_entry_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_card_disputes_ledger_entry' },
  ])
  ledgerEntry?: LedgerEntryEntity;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;

  @VersionColumn({ default: 1 })
  version: number;
}
