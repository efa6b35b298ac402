import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Language } from '@app/returns';
import type { PostalAddress } from '@app/carriers';
import { CreatedAtColumn, UpdatedAtColumn } from '../database/columns';

/** A shop using Delivery Desk: the tenant every other row belongs to. */
@Entity('merchants')
@Check('ck_merchants_default_language', `"default_language" IN ('ja', 'en')`)
export class MerchantEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_merchants' })
  id: string;

  /** Short stable handle used in URLs and logs. */
  @Index('uq_merchants_slug', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  slug: string;

  /** The name the desk answers with, in English. */
  @Column({ type: 'varchar', length: 200 })
  nameEn: string;

  /** The name the desk answers with, in Japanese. */
  @Column({ type: 'varchar', length: 200 })
  nameJa: string;

  @Column({ type: 'varchar', length: 2, default: 'en' })
  defaultLanguage: Language;

  /** IANA time zone of the shop (e.g. America/Los_Angeles). */
  @Column({ type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ type: 'jsonb' })
  shipFrom: PostalAddress;

  /** Where platform commands (refund, reship, cancel) are sent; null until the platform is connected. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  platformWebhookUrl: string | null;

  /** Signing secret for platform webhooks, encrypted with SECRETS_KEY. */
  @Column({ type: 'text', nullable: true })
  platformWebhookSecretEnc: string | null;

  /** Also deliver every customer message of a ticket to the platform (`message.created` webhooks). */
  @Column({ type: 'boolean', default: false })
  platformMessageEvents: boolean;

  /** Version number of the policy currently in force (see merchant_policies). */
  @Column({ type: 'integer', default: 1 })
  policyVersion: number;

  /** Last ticket number given out for this merchant. */
  @Column({ type: 'integer', default: 0 })
  ticketSeq: number;

  /** Days without a carrier scan after which a moving parcel counts as stalled. */
  @Column({ type: 'integer', default: 5 })
  stallAfterDays: number;

  /** Hours past the carrier's estimated delivery before a parcel counts as late. */
  @Column({ type: 'integer', default: 24 })
  lateAfterHours: number;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
