import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { MoneyMinorColumn } from '../database/columns';
import { OrderEntity } from './order.entity';

/** One line of an order. `taxMinor` is the tax for the whole line (all units). */
@Entity('order_lines')
@Unique('uq_order_lines_merchant_id', ['merchantId', 'id'])
@Index('uq_order_lines_order_external', ['merchantId', 'orderId', 'externalId'], { unique: true })
@Check('ck_order_lines_amounts', `"quantity" > 0 AND "unit_price_minor" >= 0 AND "tax_minor" >= 0 AND "discount_minor" >= 0`)
export class OrderLineEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_order_lines' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => OrderEntity, (order) => order.lines, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_order_lines_order' },
    { name: 'order_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_order_lines_order' },
  ])
  order?: OrderEntity;

  /** The platform's line id (or the SKU when the platform has none); unique within the order. */
  @Column({ type: 'varchar', length: 128 })
  externalId: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 128 })
  sku: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  category: string | null;

  @Column({ type: 'integer' })
  quantity: number;

  @MoneyMinorColumn()
  unitPriceMinor: number;

  @MoneyMinorColumn({ default: 0 })
  discountMinor: number;

  @MoneyMinorColumn({ default: 0 })
  taxMinor: number;

  @Column({ type: 'boolean', default: false })
  perishable: boolean;

  @Column({ type: 'boolean', default: false })
  alcohol: boolean;

  /** Hazardous material, lithium batteries included. */
  @Column({ type: 'boolean', default: false })
  hazmat: boolean;

  @Column({ type: 'boolean', default: false })
  personalized: boolean;

  @Column({ type: 'boolean', default: false })
  finalSale: boolean;
}
