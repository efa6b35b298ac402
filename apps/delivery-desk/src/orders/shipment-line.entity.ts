import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrderLineEntity } from './order-line.entity';
import { ShipmentEntity } from './shipment.entity';

/** How many units of an order line travel in a shipment. */
@Entity('shipment_lines')
@Check('ck_shipment_lines_quantity', `"quantity" > 0`)
export class ShipmentLineEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_shipment_lines' })
  merchantId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_shipment_lines' })
  shipmentId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_shipment_lines' })
  orderLineId: string;

  @ManyToOne(() => ShipmentEntity, (s) => s.lines, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_shipment_lines_shipment' },
    { name: 'shipment_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_shipment_lines_shipment' },
  ])
  shipment?: ShipmentEntity;

  @ManyToOne(() => OrderLineEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_shipment_lines_order_line' },
    { name: 'order_line_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_shipment_lines_order_line' },
  ])
  orderLine?: OrderLineEntity;

  @Column({ type: 'integer' })
  quantity: number;
}
