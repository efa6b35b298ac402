import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Language } from '@app/returns';
import { CreatedAtColumn, UpdatedAtColumn } from '../database/columns';
import { MerchantEntity } from '../merchants/merchant.entity';

/** A buyer of one merchant, identified by e-mail within that merchant. */
@Entity('customers')
@Unique('uq_customers_merchant_id', ['merchantId', 'id'])
@Index('uq_customers_merchant_email', ['merchantId', 'email'], { unique: true })
export class CustomerEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_customers' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @ManyToOne(() => MerchantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_customers_merchant' })
  merchant?: MerchantEntity;

  /** Lower-cased. */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  /** null when the customer never said; messages then follow the name and the merchant's default. */
  @Column({ type: 'varchar', length: 2, nullable: true })
  preferredLanguage: Language | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
