import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAtColumn } from '../database/columns';
import { TicketEntity } from '../tickets/ticket.entity';

export const LINK_PURPOSES = ['case', 'delay_consent', 'address_confirm', 'pickup'] as const;
/**
 * `case` only shows the case; `delay_consent` and `address_confirm` ask the customer for one answer
 * (single use); `pickup` moves the booked return pickup as often as needed, or cancels it.
 */
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

/**
 * The row behind a signed customer link. The token carries only this row's id and merchant, signed;
 * expiry, use and revocation are read from here, so a link can be stopped after it was sent.
 */
@Entity('customer_links')
@Unique('uq_customer_links_merchant_id', ['merchantId', 'id'])
@Index('ix_customer_links_ticket', ['merchantId', 'ticketId'])
@Index('uq_customer_links_ref', ['merchantId', 'ticketId', 'purpose', 'ref'], { unique: true, where: '"ref" IS NOT NULL' })
@Check('ck_customer_links_purpose', `"purpose" IN ('case', 'delay_consent', 'address_confirm', 'pickup')`)
export class CustomerLinkEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_customer_links' })
  id: string;

  @Column({ type: 'uuid' })
  merchantId: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => TicketEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'merchant_id', referencedColumnName: 'merchantId', foreignKeyConstraintName: 'fk_customer_links_ticket' },
    { name: 'ticket_id', referencedColumnName: 'id', foreignKeyConstraintName: 'fk_customer_links_ticket' },
  ])
  ticket?: TicketEntity;

  @Column({ type: 'varchar', length: 24 })
  purpose: LinkPurpose;

  /** The occasion, unique per ticket and purpose (e.g. `first` / `renewed` for delay notices). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ref: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  /** Hash of the answer that used the link: the same answer again gets the same result. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  useHash: string | null;

  /** What the answer did, returned again on a replay. */
  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}

/** Where a link stands for the desk: `used` is an answer given (for `pickup`: the pickup cancelled through it). */
export type LinkStatus = 'active' | 'used' | 'expired' | 'revoked';

export function linkStatus(link: Pick<CustomerLinkEntity, 'purpose' | 'usedAt' | 'revokedAt' | 'expiresAt' | 'result'>, now: Date): LinkStatus {
  if (link.revokedAt) return 'revoked';
  // A pickup link stays open after a reschedule (the customer may move it again); a cancel ends it.
  if (link.usedAt && (link.purpose !== 'pickup' || link.result?.action === 'cancel')) return 'used';
  if (link.expiresAt <= now) return 'expired';
  return 'active';
}
