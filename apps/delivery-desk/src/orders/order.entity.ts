import { Check, Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, Unique, VersionColumn } from 'typeorm';
import type { OrderChannel, PaymentMethodKind } from '@app/returns';
import { CreatedAtColumn, MoneyMinorColumn, UpdatedAtColumn } from '../database/columns';
import { MerchantEntity } from '../merchants/merchant.entity';
import { CustomerEntity } from './customer.entity';
import type { OrderLineEntity } from './order-line.entity';

/** What the shop promised about shipping at listing or checkout (FTC Mail Order Rule clock). */
export type ShippingPromise =
  | { kind: 'none' }
  | { kind: 'ships_within'; businessDays: number }
  | { kind: 'ships_within_calendar_days'; days: number }
  | { kind: 'delivery_by'; date: string };

/** The refund policy the buyer saw (state disclosure laws turn on this). */
export interface DisclosedRefundPolicy {
  text?: string;
  returnWindowDays?: number;
  restockingFeePercent?: number;
  restockingFeeMinor?: number;
  noRefunds?: boolean;
  storeCreditOnly?: boolean;
}

/** An order as the platform pushed it. Money in integer minor units of `currency`. */
@Entity('orders')
@Unique('uq_orders_merchant_id', ['merchantId', 'id'])
@Index('uq_orders_merchant_external', ['merchantId', 'externalId'], { unique: true })
@Index('ix_orders_merchant_customer', ['merchantId', 'customerId'])
@Check('ck_orders_channel', `"channel" IN ('web', 'phone', 'fax', 'mail')`)
@Check(
  'ck_orders_amounts',
  `"subtotal_minor" >= 0 AND "shipping_minor" >= 0 AND "tax_minor" >= 0 AND "discount_minor" >= 0 AND "total_minor" = "subtotal_minor" + "shipping_minor" + "tax_minor" - "discount_minor" AND "total_minor" >= 0`,
)
export class OrderEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_orders' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @ManyToOne(() => MerchantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_orders_merchant' })
  merchant?: MerchantEntity;

  /** The platform's own order id; unique per merchant. */
  @Column({ type: 'varchar', length: 128 })
  externalId: string;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_orders_customer' },
    { name: 'customer_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_orders_customer' },
  ])
  customer?: CustomerEntity;

  @Column({ type: 'timestamptz' })
  placedAt: Date;

  @Column({ type: 'varchar', length: 8 })
  channel: OrderChannel;

  /** ISO 4217, upper case. */
  @Column({ type: 'char', length: 3 })
  currency: string;

  @MoneyMinorColumn()
  subtotalMinor: number;

  @MoneyMinorColumn()
  shippingMinor: number;

  @MoneyMinorColumn()
  taxMinor: number;

  @MoneyMinorColumn()
  discountMinor: number;

  @MoneyMinorColumn()
  totalMinor: number;

  @Column({ type: 'varchar', length: 24 })
  paymentMethodKind: PaymentMethodKind;

  @Column({ type: 'varchar', length: 200 })
  shipToName: string;

  @Column({ type: 'varchar', length: 200 })
  shipToStreet1: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  shipToStreet2: string | null;

  @Column({ type: 'varchar', length: 100 })
  shipToCity: string;

  /** Two-letter state or province code. */
  @Column({ type: 'varchar', length: 3 })
  shipToState: string;

  @Column({ type: 'varchar', length: 16 })
  shipToZip: string;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'char', length: 2 })
  shipToCountry: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  shipToPhone: string | null;

  @Column({ type: 'boolean', default: false })
  gift: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  giftRecipientName: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  giftRecipientEmail: string | null;

  @Column({ type: 'jsonb', default: () => `'{"kind": "none"}'` })
  shippingPromise: ShippingPromise;

  @Column({ type: 'boolean', default: false })
  refundPolicyDisclosed: boolean;

  @Column({ type: 'jsonb', nullable: true })
  refundPolicy: DisclosedRefundPolicy | null;

  @OneToMany('OrderLineEntity', (line: OrderLineEntity) => line.order)
  lines?: OrderLineEntity[];

  /** Bumped on every change; used for optimistic concurrency. */
  @VersionColumn({ default: 1 })
  version: number;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
