import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { CarrierCode } from '@app/carriers';
import { CreatedAtColumn, UpdatedAtColumn } from '../database/columns';
import { MerchantEntity } from '../merchants/merchant.entity';

/**
 * A merchant's own account at a carrier (EasyPost, UPS). Credentials are sealed with SECRETS_KEY and
 * bound to this merchant and carrier, so a copied envelope does not open elsewhere.
 */
@Entity('carrier_accounts')
@Index('uq_carrier_accounts_merchant_carrier', ['merchantId', 'carrier'], { unique: true })
@Check('ck_carrier_accounts_carrier', `"carrier" IN ('easypost', 'ups')`)
export class CarrierAccountEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_carrier_accounts' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @ManyToOne(() => MerchantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_carrier_accounts_merchant' })
  merchant?: MerchantEntity;

  @Column({ type: 'varchar', length: 16 })
  carrier: Exclude<CarrierCode, 'sandbox'>;

  /** Sealed JSON of the carrier's credentials (see libs/carriers credentials). */
  @Column({ type: 'text' })
  credentialsEnc: string;

  /** Another API base URL (a regional endpoint, a proxy, or a test server). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  apiBaseUrl: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
