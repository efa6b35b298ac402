import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { OrderEntity } from '../../orders/order.entity';

/** What a flag keeps of the compensations it is about, as they stood when it was raised. */
export interface FlaggedEntry {
  id: string;
  kind: string;
  beneficiary: string;
  status: string;
  amountMinor: number;
  resolutionId: string | null;
}

/**
 * A loss compensated as if it were final that turned out not to be: the "lost" parcel was delivered
 * or came back. At most one open flag per order and loss; a person resolves it (recover the goods,
 * ask the carrier to take back its payout...).
 */
@Entity('compensation_flags')
@Unique('uq_compensation_flags_merchant_id', ['merchantId', 'id'])
@Index('uq_compensation_flags_open', ['merchantId', 'orderId', 'lossKey'], { unique: true, where: '"resolved_at" IS NULL' })
@Index('ix_compensation_flags_merchant_open', ['merchantId', 'raisedAt'], { where: '"resolved_at" IS NULL' })
export class CompensationFlagEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_compensation_flags' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => OrderEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_compensation_flags_order' },
    { name: 'order_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_compensation_flags_order' },
  ])
  order?: OrderEntity;

  @Column({ type: 'varchar', length: 200 })
  lossKey: string;

  /** A stable code from the caller: `delivered_after_loss`, `returned_after_loss`... */
  @Column({ type: 'varchar', length: 48 })
  reason: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  entries: FlaggedEntry[];

  @Column({ type: 'timestamptz' })
  raisedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  resolutionNote: string | null;
}
