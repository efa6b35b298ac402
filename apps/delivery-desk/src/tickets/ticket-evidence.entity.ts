import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../database/columns';
import { TicketEntity } from './ticket.entity';

/** A photo or document given as evidence, stored with the ticket (type and size checked on upload). */
@Entity('ticket_evidence')
@Index('uq_ticket_evidence_content', ['merchantId', 'ticketId', 'sha256'], { unique: true })
export class TicketEvidenceEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_ticket_evidence' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => TicketEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_ticket_evidence_ticket' },
    { name: 'ticket_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_ticket_evidence_ticket' },
  ])
  ticket?: TicketEntity;

  /** An evidence kind of the policy engine (photo_item, photo_packaging, photo_label, invoice...). */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  /** Detected from the bytes, not taken from the client. */
  @Column({ type: 'varchar', length: 64 })
  contentType: string;

  @Column({ type: 'integer' })
  sizeBytes: number;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  fileName: string | null;

  @Column({ type: 'bytea', select: false })
  data: Buffer;

  @Column({ type: 'varchar', length: 16 })
  uploadedByKind: string;

  @CreatedAtColumn()
  createdAt: Date;
}
