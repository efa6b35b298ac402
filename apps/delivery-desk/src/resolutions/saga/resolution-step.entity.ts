import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { UpdatedAtColumn } from '../../database/columns';
import type { StepStatus } from './saga-state';
import { ResolutionEntity } from './resolution.entity';

/**
 * One step of a resolution, written before it runs (`running`, with a lease) and after (`done`,
 * `waiting`, `failed`...). This table is what a restarted process resumes from.
 */
@Entity('resolution_steps')
@Unique('uq_resolution_steps_merchant_id', ['merchantId', 'id'])
@Index('uq_resolution_steps_position', ['merchantId', 'resolutionId', 'position'], { unique: true })
@Index('uq_resolution_steps_key', ['merchantId', 'resolutionId', 'key'], { unique: true })
@Index('uq_resolution_steps_idempotency', ['merchantId', 'idempotencyKey'], { unique: true })
@Index('ix_resolution_steps_wait', ['merchantId', 'waitKind', 'waitRef'], { where: '"wait_kind" IS NOT NULL' })
@Index('ix_resolution_steps_lease', ['leaseUntil'], { where: '"lease_until" IS NOT NULL' })
@Index('ix_resolution_steps_wait_until', ['waitUntil'], { where: `"status" = 'waiting' AND "wait_until" IS NOT NULL` })
@Check('ck_resolution_steps_status', `"status" IN ('pending', 'running', 'waiting', 'done', 'failed', 'compensating', 'compensated', 'skipped')`)
@Check('ck_resolution_steps_attempts', `"attempts" >= 0 AND "compensation_attempts" >= 0`)
export class ResolutionStepEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_resolution_steps' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  resolutionId: string;

  @ManyToOne(() => ResolutionEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_resolution_steps_resolution' },
    { name: 'resolution_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_resolution_steps_resolution' },
  ])
  resolution?: ResolutionEntity;

  /** 0-based order in the plan. */
  @Column({ type: 'integer' })
  position: number;

  /** Unique within the resolution (the plan item's key, by default the step name). */
  @Column({ type: 'varchar', length: 64 })
  key: string;

  /** The registered step that runs it. */
  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: StepStatus;

  /** Invocations started, crashed ones included. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'integer', default: 0 })
  compensationAttempts: number;

  /** `<resolution id>:<key>`: what every external call of this step carries. */
  @Column({ type: 'varchar', length: 128 })
  idempotencyKey: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  input: Record<string, unknown>;

  @Column({ type: 'jsonb', nullable: true })
  output: unknown;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  lastError: string | null;

  /** Set while the step waits for (or has waited for) a signal. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  waitKind: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  waitRef: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  waitUntil: Date | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  waitOnTimeout: 'fail' | 'retry' | null;

  /** While set and in the future, one worker owns the running invoke or compensation. */
  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  compensatedAt: Date | null;

  @UpdatedAtColumn()
  updatedAt: Date;
}
