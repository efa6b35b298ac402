import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { PlatformCommandStatus } from './platform-command-state';
import { PlatformCommandEntity } from './platform-command.entity';

/** Who changed a command: the service itself, the platform (API key), an operator, or the issuing code. */
export type CommandActorKind = 'system' | 'platform' | 'operator' | 'service';

export interface CommandActor {
  kind: CommandActorKind;
  /** API key id for the platform; a component name for the system. */
  id: string | null;
}

/**
 * A command's history: every state change and every replay request, who made it and with what.
 * Append-only (a trigger refuses UPDATE and DELETE), numbered per command.
 */
@Entity('platform_command_events')
@Index('uq_platform_command_events_seq', ['merchantId', 'commandId', 'seq'], { unique: true })
export class PlatformCommandEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_platform_command_events' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  commandId: string;

  @ManyToOne(() => PlatformCommandEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_platform_command_events_command' },
    { name: 'command_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_platform_command_events_command' },
  ])
  command?: PlatformCommandEntity;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'timestamptz' })
  at: Date;

  /** `issued`, `delivering`, `delivered`, `confirmed`, `failed`, `expired`, `cancelled`, `blocked`, `replay_requested`. */
  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromStatus: PlatformCommandStatus | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  toStatus: PlatformCommandStatus | null;

  @Column({ type: 'varchar', length: 16 })
  actorKind: CommandActorKind;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actorId: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;
}
