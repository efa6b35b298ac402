import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { MerchantEntity } from '../../merchants/merchant.entity';

/** What a signal says about the awaited event. */
export type SignalOutcome = { ok: true; output?: unknown } | { ok: false; error: string; retryable?: boolean };

/**
 * Every signal received for waiting steps: `applied` to a step, `ignored` (the step had moved on:
 * a duplicate or late confirmation), or `pending` (it came before the step parked; the step takes
 * it when it does).
 */
@Entity('resolution_signals')
@Index('ix_resolution_signals_pending', ['merchantId', 'waitKind', 'ref', 'receivedAt'], { where: `"status" = 'pending'` })
@Index('ix_resolution_signals_resolution', ['merchantId', 'resolutionId'], { where: '"resolution_id" IS NOT NULL' })
@Check('ck_resolution_signals_status', `"status" IN ('pending', 'applied', 'ignored')`)
export class ResolutionSignalEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_resolution_signals' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @ManyToOne(() => MerchantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_resolution_signals_merchant' })
  merchant?: MerchantEntity;

  @Column({ type: 'varchar', length: 64 })
  waitKind: string;

  @Column({ type: 'varchar', length: 200 })
  ref: string;

  @Column({ type: 'jsonb' })
  outcome: SignalOutcome;

  @Column({ type: 'varchar', length: 16 })
  status: 'pending' | 'applied' | 'ignored';

  @Column({ type: 'uuid', nullable: true })
  resolutionId: string | null;

  @Column({ type: 'uuid', nullable: true })
  stepId: string | null;

  @Column({ type: 'timestamptz' })
  receivedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  appliedAt: Date | null;
}
