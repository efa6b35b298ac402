import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../database/columns';
import { MerchantEntity } from './merchant.entity';

/** Scopes an API key may carry. */
export const API_KEY_SCOPES = ['orders:read', 'orders:write', 'tickets:read', 'tickets:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * A platform's key to the API. The secret is shown once at creation; only its SHA-256 is kept
 * (keys are 256-bit random, so a slow hash would add latency and no strength).
 */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_api_keys' })
  id: string;

  @Index('ix_api_keys_merchant')
  @Column({ type: 'uuid' })
  merchantId: string;

  @ManyToOne(() => MerchantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_api_keys_merchant' })
  merchant?: MerchantEntity;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Public lookup part of the key (`dd_<prefix>_...`), safe to show and log. */
  @Index('uq_api_keys_prefix', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  prefix: string;

  /** hex SHA-256 of the whole key. */
  @Column({ type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ type: 'text', array: true })
  scopes: ApiKeyScope[];

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}
