import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAtColumn, MoneyMinorColumn, UpdatedAtColumn } from '../../database/columns';
import { OrderEntity } from '../../orders/order.entity';
import { ResolutionEntity } from '../saga/resolution.entity';
import type { Beneficiary, LedgerEntryKind, LedgerEntryStatus } from './ledger-rules';

/**
 * One compensation (or its reversal) for one order. Entries are never deleted: a reservation that is
 * not used is `released`, a confirmed refund that is undone gets a `refund_reversal` entry and, when
 * wholly undone, the status `reversed`. Partial unique indexes back the "one loss, one compensation"
 * rule in the database itself.
 */
@Entity('ledger_entries')
@Unique('uq_ledger_entries_merchant_id', ['merchantId', 'id'])
@Index('ix_ledger_entries_order', ['merchantId', 'orderId', 'createdAt'])
@Index('ix_ledger_entries_resolution', ['merchantId', 'resolutionId'], { where: '"resolution_id" IS NOT NULL' })
@Index('ix_ledger_entries_reverses', ['merchantId', 'reversesEntryId'], { where: '"reverses_entry_id" IS NOT NULL' })
@Index('uq_ledger_entries_customer_loss', ['merchantId', 'orderId', 'lossKey'], {
  unique: true,
  where: `"beneficiary" = 'customer' AND "status" IN ('reserved', 'confirmed')`,
})
@Index('uq_ledger_entries_payout_loss', ['merchantId', 'orderId', 'lossKey'], {
  unique: true,
  where: `"kind" = 'carrier_payout' AND "status" IN ('reserved', 'confirmed')`,
})
@Check('ck_ledger_entries_kind', `"kind" IN ('refund', 'store_credit', 'reship', 'carrier_payout', 'chargeback', 'refund_reversal')`)
@Check('ck_ledger_entries_status', `"status" IN ('reserved', 'confirmed', 'released', 'reversed')`)
@Check(
  'ck_ledger_entries_beneficiary',
  `("beneficiary" = 'merchant') = ("kind" IN ('carrier_payout', 'refund_reversal')) AND "beneficiary" IN ('customer', 'merchant')`,
)
@Check('ck_ledger_entries_amount', `"amount_minor" >= 0 AND ("amount_minor" > 0 OR "kind" = 'reship')`)
@Check('ck_ledger_entries_reversal', `("kind" = 'refund_reversal') = ("reverses_entry_id" IS NOT NULL)`)
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_ledger_entries' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => OrderEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_ledger_entries_order' },
    { name: 'order_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_ledger_entries_order' },
  ])
  order?: OrderEntity;

  /** The resolution that made it; null for facts recorded from outside (a refund done on the platform). */
  @Column({ type: 'uuid', nullable: true })
  resolutionId: string | null;

  @ManyToOne(() => ResolutionEntity, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_ledger_entries_resolution' },
    { name: 'resolution_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_ledger_entries_resolution' },
  ])
  resolution?: ResolutionEntity;

  @Column({ type: 'varchar', length: 24 })
  kind: LedgerEntryKind;

  /** Who it compensates: the customer (refund, credit, reship, chargeback) or the merchant (carrier payout, reversal). */
  @Column({ type: 'varchar', length: 16 })
  beneficiary: Beneficiary;

  /** The loss it compensates, e.g. `shipment:<id>` or `lines:<lineId>x<qty>` (see `lossKey`). */
  @Column({ type: 'varchar', length: 200 })
  lossKey: string;

  @MoneyMinorColumn()
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 16 })
  status: LedgerEntryStatus;

  /** For a `refund_reversal`: the entry it undoes. */
  @Column({ type: 'uuid', nullable: true })
  reversesEntryId: string | null;

  @ManyToOne(() => LedgerEntryEntity, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_ledger_entries_reverses' },
    { name: 'reverses_entry_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_ledger_entries_reverses' },
  ])
  reverses?: LedgerEntryEntity;

  /** The platform's, carrier's or bank's id for it (refund id, claim id, dispute id). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  externalRef: string | null;

  /** Why it was released or reversed. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  releasedAt: Date | null;

  @UpdatedAtColumn()
  updatedAt: Date;
}
