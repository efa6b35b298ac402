import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ExceptionReason } from '@app/carriers';
import { ShipmentEntity } from '../orders/shipment.entity';

export const SIGNAL_KINDS = ['exception', 'return_to_sender', 'stalled', 'late'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/**
 * "This shipment needs attention": one open row per shipment and problem kind. Tickets are opened
 * from these; a signal closes when the shipment recovers (delivered, moving again).
 */
@Entity('shipment_signals')
@Index('uq_shipment_signals_open', ['merchantId', 'shipmentId', 'kind'], { unique: true, where: '"resolved_at" IS NULL' })
@Index('ix_shipment_signals_open_time', ['merchantId', 'openedAt'], { where: '"resolved_at" IS NULL' })
@Check('ck_shipment_signals_kind', `"kind" IN ('exception', 'return_to_sender', 'stalled', 'late')`)
export class ShipmentSignalEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_shipment_signals' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  shipmentId: string;

  @ManyToOne(() => ShipmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_shipment_signals_shipment' },
    { name: 'shipment_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_shipment_signals_shipment' },
  ])
  shipment?: ShipmentEntity;

  @Column({ type: 'varchar', length: 24 })
  kind: SignalKind;

  @Column({ type: 'varchar', length: 24, nullable: true })
  reason: ExceptionReason | null;

  /** What was seen: the carrier status, the last scan time, the missed estimate. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  openedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** Why it closed: delivered, moving again, ... */
  @Column({ type: 'varchar', length: 64, nullable: true })
  resolution: string | null;
}
