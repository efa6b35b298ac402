import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every verified carrier push, stored before it is applied. Carriers deliver at least once: the
 * unique (carrier, event id) makes a redelivery a no-op.
 */
@Entity('carrier_webhook_events')
@Index('uq_carrier_webhook_events_event', ['carrier', 'eventId'], { unique: true })
@Index('ix_carrier_webhook_events_received', ['receivedAt'])
export class CarrierWebhookEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_carrier_webhook_events' })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  carrier: string;

  /** The carrier account it came in for; null on the deployment-wide endpoint. */
  @Column({ type: 'uuid', nullable: true })
  carrierAccountId: string | null;

  @Column({ type: 'varchar', length: 200 })
  eventId: string;

  @Column({ type: 'varchar', length: 100 })
  description: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  trackingCode: string | null;

  @Column({ type: 'jsonb' })
  payload: unknown;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** `applied` (n shipments updated), `no_shipment` (not one of ours), or `ignored` (not about a parcel). */
  @Column({ type: 'varchar', length: 16 })
  outcome: 'applied' | 'no_shipment' | 'ignored';

  @Column({ type: 'integer', default: 0 })
  shipmentsUpdated: number;
}
