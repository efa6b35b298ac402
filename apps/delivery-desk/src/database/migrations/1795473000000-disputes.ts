import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money after the case:
 * - card disputes (chargebacks) the platform reports, one row per processor dispute id and merchant;
 *   a lost or accepted one points at the `chargeback` ledger entry it made;
 * - shipments follow their carrier claim after filing: the carrier's detail (a rejection reason),
 *   what the carrier paid, and when to ask again (backed off on errors, less often as the claim ages).
 */
export class Disputes1795473000000 implements MigrationInterface {
  name = 'Disputes1795473000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "card_disputes" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "order_id" uuid NOT NULL,
        "processor_dispute_id" character varying(200) NOT NULL,
        "network" character varying(16) NOT NULL,
        "reason_code" character varying(32) NOT NULL,
        "category" character varying(32) NOT NULL,
        "notice_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "status" character varying(16) NOT NULL,
        "amount_minor" bigint NOT NULL,
        "currency" character(3) NOT NULL,
        "respond_by" date,
        "ledger_entry_id" uuid,
        "closed_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "version" integer NOT NULL DEFAULT 1,
        CONSTRAINT "pk_card_disputes" PRIMARY KEY ("id"),
        CONSTRAINT "uq_card_disputes_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "uq_card_disputes_processor_id" UNIQUE ("merchant_id", "processor_dispute_id"),
        CONSTRAINT "ck_card_disputes_status" CHECK ("status" IN ('open', 'won', 'lost', 'accepted')),
        CONSTRAINT "ck_card_disputes_network" CHECK ("network" IN ('visa', 'mastercard', 'amex', 'discover', 'other')),
        CONSTRAINT "ck_card_disputes_category" CHECK ("category" IN ('not_received', 'not_as_described', 'credit_not_processed', 'cancelled', 'fraud', 'other')),
        CONSTRAINT "ck_card_disputes_amount" CHECK ("amount_minor" > 0),
        CONSTRAINT "fk_card_disputes_order" FOREIGN KEY ("merchant_id", "order_id") REFERENCES "orders"("merchant_id", "id") ON DELETE CASCADE,
        CONSTRAINT "fk_card_disputes_ledger_entry" FOREIGN KEY ("merchant_id", "ledger_entry_id") REFERENCES "ledger_entries"("merchant_id", "id") ON DELETE NO ACTION
      )`,
    );
    await q.query(`CREATE INDEX "ix_card_disputes_order" ON "card_disputes" ("merchant_id", "order_id", "notice_at")`);
    await q.query(`ALTER TABLE "shipments" ADD "claim_status_detail" character varying(500)`);
    await q.query(`ALTER TABLE "shipments" ADD "claim_paid_minor" bigint`);
    await q.query(`ALTER TABLE "shipments" ADD "claim_checked_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "shipments" ADD "claim_check_due_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "shipments" ADD "claim_check_failures" integer NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE "shipments" ADD "claim_last_error" character varying(500)`);
    // The claim sweep looks only at claims still moving.
    await q.query(`CREATE INDEX "ix_shipments_claim_check_due" ON "shipments" ("claim_check_due_at") WHERE "claim_check_due_at" IS NOT NULL`);
    // Claims filed before this migration are followed from now on.
    await q.query(
      `UPDATE "shipments" SET "claim_check_due_at" = now() WHERE "claim_id" IS NOT NULL AND COALESCE("claim_status", '') NOT IN ('paid', 'rejected', 'cancelled')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."ix_shipments_claim_check_due"`);
    for (const c of ['claim_last_error', 'claim_check_failures', 'claim_check_due_at', 'claim_checked_at', 'claim_paid_minor', 'claim_status_detail']) {
      await q.query(`ALTER TABLE "shipments" DROP COLUMN "${c}"`);
    }
    await q.query(`DROP INDEX "public"."ix_card_disputes_order"`);
    await q.query(`DROP TABLE "card_disputes"`);
  }
}
