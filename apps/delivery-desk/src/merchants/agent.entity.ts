import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Language } from '@app/returns';
import { CreatedAtColumn, MoneyMinorColumn, UpdatedAtColumn } from '../database/columns';
import { MerchantEntity } from './merchant.entity';

export const AGENT_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/** A support person who works the desk console for one merchant. */
@Entity('agents')
@Index('uq_agents_merchant_email', ['merchantId', 'email'], { unique: true })
@Check('ck_agents_role', `"role" IN ('agent', 'supervisor', 'admin')`)
@Check('ck_agents_approval_limit', `"approval_limit_minor" >= 0`)
export class AgentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_agents' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @ManyToOne(() => MerchantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_agents_merchant' })
  merchant?: MerchantEntity;

  /** Stored lower-cased; unique per merchant. */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  role: AgentRole;

  /** `scrypt$N$r$p$salt$hash` (base64 parts). */
  @Column({ type: 'varchar', length: 300 })
  passwordHash: string;

  /** The largest refund/reship value this agent may approve alone, in the merchant's currency. */
  @MoneyMinorColumn({ default: 0 })
  approvalLimitMinor: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  languages: Language[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
