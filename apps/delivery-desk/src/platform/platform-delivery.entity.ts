import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { AttemptOutcome } from './platform-retry.policy';
import { PlatformCommandEntity } from './platform-command.entity';

/** What started an attempt. */
export type DeliveryTrigger = 'issue' | 'retry' | 'replay' | 'redeliver' | 'sweep';

/**
 * One HTTP attempt to deliver a command's event: what was sent when, what came back. Written after
 * the call returns, never during it. Append-only by use.
 */
@Entity('platform_deliveries')
@Index('uq_platform_deliveries_attempt', ['merchantId', 'commandId', 'attempt'], { unique: true })
@Check('ck_platform_deliveries_outcome', `"outcome" IN ('success', 'transient', 'permanent')`)
export class PlatformDeliveryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_platform_deliveries' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  commandId: string;

  @ManyToOne(() => PlatformCommandEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_platform_deliveries_command' },
    { name: 'command_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_platform_deliveries_command' },
  ])
  command?: PlatformCommandEntity;

  @Column({ type: 'varchar', length: 40 })
  eventId: string;

  /** 1, 2, ... over the command's life, replays included. */
  @Column({ type: 'integer' })
  attempt: number;

  @Column({ type: 'varchar', length: 16 })
  trigger: DeliveryTrigger;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  /** The signed `X-DeliveryDesk-Timestamp` of this attempt. */
  @Column({ type: 'timestamptz' })
  requestedAt: Date;

  /** Null when no HTTP answer came (timeout, refused connection). */
  @Column({ type: 'integer', nullable: true })
  responseStatus: number | null;

  /** The start of the answer's body, capped, for operators to read. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  responseBody: string | null;

  @Column({ type: 'integer' })
  durationMs: number;

  @Column({ type: 'varchar', length: 16 })
  outcome: AttemptOutcome;

  /** `timeout`, `network_error`, `http_status`... */
  @Column({ type: 'varchar', length: 32, nullable: true })
  errorCode: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;
}
