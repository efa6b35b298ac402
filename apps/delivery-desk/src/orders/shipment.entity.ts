import { Check, Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, Unique, VersionColumn } from 'typeorm';
import type { CarrierCode, ExceptionReason, TrackingStatus } from '@app/carriers';
import type { SignatureOption } from '@app/returns';
import { CreatedAtColumn, MoneyMinorColumn, UpdatedAtColumn } from '../database/columns';
import { OrderEntity } from './order.entity';
import type { ShipmentLineEntity } from './shipment-line.entity';

export type ShipmentDirection = 'outbound' | 'return';

/** A parcel sent for an order (part of it, when the order ships split). */
@Entity('shipments')
@Unique('uq_shipments_merchant_id', ['merchantId', 'id'])
@Index('uq_shipments_tracking', ['merchantId', 'carrier', 'trackingCode'], { unique: true })
@Index('ix_shipments_order', ['merchantId', 'orderId'])
@Index('ix_shipments_tracking_code', ['trackingCode'])
@Index('ix_shipments_refresh_due', ['refreshDueAt'], { where: '"refresh_due_at" IS NOT NULL' })
@Index('ix_shipments_claim_check_due', ['claimCheckDueAt'], { where: '"claim_check_due_at" IS NOT NULL' })
@Check(
  'ck_shipments_status',
  `"status" IN ('pre_transit', 'in_transit', 'out_for_delivery', 'available_for_pickup', 'delivered', 'exception', 'return_to_sender', 'cancelled', 'unknown')`,
)
@Check('ck_shipments_direction', `"direction" IN ('outbound', 'return')`)
@Check('ck_shipments_return_ticket', `"direction" = 'outbound' OR "ticket_id" IS NOT NULL`)
@Index('ix_shipments_ticket', ['merchantId', 'ticketId'], { where: '"ticket_id" IS NOT NULL' })
@Check('ck_shipments_signature', `"signature_option" IN ('none', 'signature', 'adult_signature')`)
@Check('ck_shipments_values', `"declared_value_minor" >= 0 AND "insured_value_minor" >= 0`)
export class ShipmentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_shipments' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => OrderEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_shipments_order' },
    { name: 'order_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_shipments_order' },
  ])
  order?: OrderEntity;

  /** Which adapter tracks it: easypost, ups or sandbox. */
  @Column({ type: 'varchar', length: 16 })
  carrier: CarrierCode;

  /** The physical carrier's name when going through an aggregator (e.g. USPS via EasyPost). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  carrierName: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  service: string | null;

  @Column({ type: 'varchar', length: 64 })
  trackingCode: string;

  /** The tracker's id at the carrier (e.g. EasyPost trk_...), once created. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  trackerId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  shippedAt: Date | null;

  @MoneyMinorColumn({ default: 0 })
  declaredValueMinor: number;

  @MoneyMinorColumn({ default: 0 })
  insuredValueMinor: number;

  /** Who insures beyond the carrier's included cover: carrier, third party, or none. */
  @Column({ type: 'varchar', length: 16, default: 'none' })
  insuranceProvider: 'none' | 'carrier' | 'third_party';

  @Column({ type: 'varchar', length: 16, default: 'none' })
  signatureOption: SignatureOption;

  @Column({ type: 'varchar', length: 24, default: 'pre_transit' })
  status: TrackingStatus;

  @Column({ type: 'varchar', length: 24, nullable: true })
  exceptionReason: ExceptionReason | null;

  /** Time of the carrier event that set `status` (out-of-order events never move it back). */
  @Column({ type: 'timestamptz', nullable: true })
  statusAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastEventAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  estimatedDeliveryAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  signedBy: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  publicTrackingUrl: string | null;

  /** Update time of the carrier snapshot last applied; older snapshots do not overwrite its fields. */
  @Column({ type: 'timestamptz', nullable: true })
  snapshotAt: Date | null;

  /** When the refresh sweep should next ask the carrier (null: never, e.g. a finished parcel). */
  @Column({ type: 'timestamptz', nullable: true })
  refreshDueAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastRefreshedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  refreshFailures: number;

  /** Until when the carrier pushes this parcel's scans to us (UPS Track Alert: 14 days per subscription). */
  @Column({ type: 'timestamptz', nullable: true })
  pushSubscribedUntil: Date | null;

  /** The carrier's last refusal or failure, shown to agents. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  lastRefreshError: string | null;

  /** Last time a carrier webhook updated this shipment: webhook-fed parcels are polled rarely. */
  @Column({ type: 'timestamptz', nullable: true })
  webhookSeenAt: Date | null;

  /** `return`: a parcel coming back to the shop on a label the desk issued (no signals, not in outbound facts). */
  @Column({ type: 'varchar', length: 16, default: 'outbound' })
  direction: ShipmentDirection;

  /** The case a return parcel belongs to (null for outbound parcels). */
  @Column({ type: 'uuid', nullable: true })
  ticketId: string | null;

  @ManyToOne('TicketEntity', { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_shipments_ticket' },
    { name: 'ticket_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_shipments_ticket' },
  ])
  ticket?: unknown;

  /** When we asked the carrier to trace the parcel (a stalled one); null when never. */
  @Column({ type: 'timestamptz', nullable: true })
  traceRequestedAt: Date | null;

  /** When we declared the parcel lost (a trace found nothing); the policy engine then treats it as lost. */
  @Column({ type: 'timestamptz', nullable: true })
  declaredLostAt: Date | null;

  /** The carrier claim filed for this parcel, if any (at most one that is not denied). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  claimId: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  claimKind: 'loss' | 'damage' | 'missing_contents' | null;

  /** The carrier's claim status when last seen (`submitted`, `approved`, `rejected`, `paid`...). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  claimStatus: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  claimFiledAt: Date | null;

  /** The carrier's words on the claim's last status (a rejection's reason). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  claimStatusDetail: string | null;

  /** What the carrier paid on the claim, once it did (recorded in the ledger as a `carrier_payout`). */
  @MoneyMinorColumn({ nullable: true })
  claimPaidMinor: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  claimCheckedAt: Date | null;

  /** When the claim sweep asks the carrier again; null once the claim reached a final state. */
  @Column({ type: 'timestamptz', nullable: true })
  claimCheckDueAt: Date | null;

  @Column({ type: 'int', default: 0 })
  claimCheckFailures: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  claimLastError: string | null;

  @OneToMany('ShipmentLineEntity', (line: ShipmentLineEntity) => line.shipment)
  lines?: ShipmentLineEntity[];

  @VersionColumn({ default: 1 })
  version: number;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
