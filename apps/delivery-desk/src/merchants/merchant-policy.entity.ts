import type { MerchantPolicy } from '@app/returns';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../database/columns';
import { MerchantEntity } from './merchant.entity';

/**
 * One version of a merchant's return/refund policy. Versions are immutable: a decision stores the
 * version it was made under, so it can be explained and replayed later.
 */
@Entity('merchant_policies')
@Index('uq_merchant_policies_version', ['merchantId', 'version'], { unique: true })
export class MerchantPolicyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_merchant_policies' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @ManyToOne(() => MerchantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_merchant_policies_merchant' })
  merchant?: MerchantEntity;

  @Column({ type: 'integer' })
  version: number;

  /** The policy document (validated by the policy engine's schema). */
  @Column({ type: 'jsonb' })
  policy: MerchantPolicy;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @CreatedAtColumn()
  createdAt: Date;
}
