import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ExceptionReason, TrackingStatus } from '@app/carriers';
import { ShipmentEntity } from '../orders/shipment.entity';

/**
 * One carrier scan, append-only. The fastest-growing table: no updates, indexed by time so it can
 * later be partitioned by `occurred_at`.
 */
@Entity('tracking_events')
@Index('uq_tracking_events_source', ['merchantId', 'shipmentId', 'sourceEventId'], { unique: true })
@Index('ix_tracking_events_shipment_time', ['merchantId', 'shipmentId', 'occurredAt'])
export class TrackingEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_tracking_events' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  shipmentId: string;

  @ManyToOne(() => ShipmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_tracking_events_shipment' },
    { name: 'shipment_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_tracking_events_shipment' },
  ])
  shipment?: ShipmentEntity;

  /** The carrier's (or our hash's) id for this event; duplicates are ignored. */
  @Column({ type: 'varchar', length: 200 })
  sourceEventId: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 24 })
  status: TrackingStatus;

  @Column({ type: 'varchar', length: 64 })
  carrierStatus: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  carrierStatusDetail: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  exceptionReason: ExceptionReason | null;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'jsonb', nullable: true })
  location: { city?: string | null; state?: string | null; zip?: string | null; country?: string | null } | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;
}
