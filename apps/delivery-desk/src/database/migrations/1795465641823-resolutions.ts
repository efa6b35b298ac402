import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resolutions and the compensation ledger: resolutions (sagas) with their steps and the signals that
 * resume waiting steps; ledger entries per order (refund, store credit, reship, carrier payout,
 * chargeback, reversal) and the flags raised when a loss compensated as final turns up. Every table
 * carries merchant_id, and its keys and foreign keys include it.
 */
export class Resolutions1795465641823 implements MigrationInterface {
  name = 'Resolutions1795465641823';

  async up(q: QueryRunner): Promise<void> {
    // One action on an order, run as a saga; the idempotency key is unique per merchant.
    await q.query(`
      CREATE TABLE "resolutions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "order_id" uuid NOT NULL,
        "ticket_id" uuid,
        "kind" character varying(48) NOT NULL,
        "status" character varying(24) NOT NULL,
        "requested_by" character varying(64) NOT NULL,
        "approved_by" character varying(64),
        "decided_at" TIMESTAMP WITH TIME ZONE,
        "decision_note" character varying(500),
        "amount_minor" bigint NOT NULL,
        "currency" character(3) NOT NULL,
        "idempotency_key" character varying(255) NOT NULL,
        "request_hash" character(64) NOT NULL,
        "plan" jsonb NOT NULL,
        "error" character varying(2000),
        "needs_attention" boolean NOT NULL DEFAULT false,
        "started_at" TIMESTAMP WITH TIME ZONE,
        "finished_at" TIMESTAMP WITH TIME ZONE,
        "version" integer NOT NULL DEFAULT '1',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "uq_resolutions_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "ck_resolutions_amount" CHECK ("amount_minor" >= 0),
        CONSTRAINT "ck_resolutions_status" CHECK ("status" IN ('pending_approval', 'approved', 'rejected', 'running', 'waiting', 'completed', 'compensating', 'compensated', 'failed')),
        CONSTRAINT "pk_resolutions" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_resolutions_attention" ON "resolutions" ("merchant_id", "updated_at") WHERE "needs_attention"`);
    await q.query(`CREATE INDEX "ix_resolutions_active" ON "resolutions" ("status", "updated_at") WHERE "status" IN ('approved', 'running', 'compensating')`);
    await q.query(`CREATE INDEX "ix_resolutions_ticket" ON "resolutions" ("merchant_id", "ticket_id") WHERE "ticket_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_resolutions_order" ON "resolutions" ("merchant_id", "order_id", "created_at")`);
    await q.query(`CREATE UNIQUE INDEX "uq_resolutions_idempotency" ON "resolutions" ("merchant_id", "idempotency_key")`);
    await q.query(`ALTER TABLE "resolutions" ADD CONSTRAINT "fk_resolutions_merchant" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "resolutions" ADD CONSTRAINT "fk_resolutions_order" FOREIGN KEY ("order_id", "merchant_id") REFERENCES "orders"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // Its steps, recorded before and after they run: what a restarted process resumes from.
    await q.query(`
      CREATE TABLE "resolution_steps" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "resolution_id" uuid NOT NULL,
        "position" integer NOT NULL,
        "key" character varying(64) NOT NULL,
        "name" character varying(64) NOT NULL,
        "status" character varying(16) NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT '0',
        "compensation_attempts" integer NOT NULL DEFAULT '0',
        "idempotency_key" character varying(128) NOT NULL,
        "input" jsonb NOT NULL DEFAULT '{}',
        "output" jsonb,
        "last_error" character varying(2000),
        "wait_kind" character varying(64),
        "wait_ref" character varying(200),
        "wait_until" TIMESTAMP WITH TIME ZONE,
        "wait_on_timeout" character varying(8),
        "lease_until" TIMESTAMP WITH TIME ZONE,
        "started_at" TIMESTAMP WITH TIME ZONE,
        "finished_at" TIMESTAMP WITH TIME ZONE,
        "compensated_at" TIMESTAMP WITH TIME ZONE,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "uq_resolution_steps_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "ck_resolution_steps_attempts" CHECK ("attempts" >= 0 AND "compensation_attempts" >= 0),
        CONSTRAINT "ck_resolution_steps_status" CHECK ("status" IN ('pending', 'running', 'waiting', 'done', 'failed', 'compensating', 'compensated', 'skipped')),
        CONSTRAINT "pk_resolution_steps" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_resolution_steps_wait_until" ON "resolution_steps" ("wait_until") WHERE "status" = 'waiting' AND "wait_until" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_resolution_steps_lease" ON "resolution_steps" ("lease_until") WHERE "lease_until" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_resolution_steps_wait" ON "resolution_steps" ("merchant_id", "wait_kind", "wait_ref") WHERE "wait_kind" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_resolution_steps_idempotency" ON "resolution_steps" ("merchant_id", "idempotency_key")`);
    await q.query(`CREATE UNIQUE INDEX "uq_resolution_steps_key" ON "resolution_steps" ("merchant_id", "resolution_id", "key")`);
    await q.query(`CREATE UNIQUE INDEX "uq_resolution_steps_position" ON "resolution_steps" ("merchant_id", "resolution_id", "position")`);
    await q.query(`ALTER TABLE "resolution_steps" ADD CONSTRAINT "fk_resolution_steps_resolution" FOREIGN KEY ("resolution_id", "merchant_id") REFERENCES "resolutions"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // Confirmations for waiting steps, kept when they arrive before the step parks.
    await q.query(`
      CREATE TABLE "resolution_signals" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "wait_kind" character varying(64) NOT NULL,
        "ref" character varying(200) NOT NULL,
        "outcome" jsonb NOT NULL,
        "status" character varying(16) NOT NULL,
        "resolution_id" uuid,
        "step_id" uuid,
        "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "applied_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "ck_resolution_signals_status" CHECK ("status" IN ('pending', 'applied', 'ignored')),
        CONSTRAINT "pk_resolution_signals" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_resolution_signals_resolution" ON "resolution_signals" ("merchant_id", "resolution_id") WHERE "resolution_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_resolution_signals_pending" ON "resolution_signals" ("merchant_id", "wait_kind", "ref", "received_at") WHERE "status" = 'pending'`);
    await q.query(`ALTER TABLE "resolution_signals" ADD CONSTRAINT "fk_resolution_signals_merchant" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // The compensation ledger. The partial unique indexes back "one loss, one compensation" per side.
    await q.query(`
      CREATE TABLE "ledger_entries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "order_id" uuid NOT NULL,
        "resolution_id" uuid,
        "kind" character varying(24) NOT NULL,
        "beneficiary" character varying(16) NOT NULL,
        "loss_key" character varying(200) NOT NULL,
        "amount_minor" bigint NOT NULL,
        "currency" character(3) NOT NULL,
        "status" character varying(16) NOT NULL,
        "reverses_entry_id" uuid,
        "external_ref" character varying(200),
        "note" character varying(500),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "confirmed_at" TIMESTAMP WITH TIME ZONE,
        "released_at" TIMESTAMP WITH TIME ZONE,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "uq_ledger_entries_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "ck_ledger_entries_reversal" CHECK (("kind" = 'refund_reversal') = ("reverses_entry_id" IS NOT NULL)),
        CONSTRAINT "ck_ledger_entries_amount" CHECK ("amount_minor" >= 0 AND ("amount_minor" > 0 OR "kind" = 'reship')),
        CONSTRAINT "ck_ledger_entries_beneficiary" CHECK (("beneficiary" = 'merchant') = ("kind" IN ('carrier_payout', 'refund_reversal')) AND "beneficiary" IN ('customer', 'merchant')),
        CONSTRAINT "ck_ledger_entries_status" CHECK ("status" IN ('reserved', 'confirmed', 'released', 'reversed')),
        CONSTRAINT "ck_ledger_entries_kind" CHECK ("kind" IN ('refund', 'store_credit', 'reship', 'carrier_payout', 'chargeback', 'refund_reversal')),
        CONSTRAINT "pk_ledger_entries" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE UNIQUE INDEX "uq_ledger_entries_payout_loss" ON "ledger_entries" ("merchant_id", "order_id", "loss_key") WHERE "kind" = 'carrier_payout' AND "status" IN ('reserved', 'confirmed')`);
    await q.query(`CREATE UNIQUE INDEX "uq_ledger_entries_customer_loss" ON "ledger_entries" ("merchant_id", "order_id", "loss_key") WHERE "beneficiary" = 'customer' AND "status" IN ('reserved', 'confirmed')`);
    await q.query(`CREATE INDEX "ix_ledger_entries_reverses" ON "ledger_entries" ("merchant_id", "reverses_entry_id") WHERE "reverses_entry_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_ledger_entries_resolution" ON "ledger_entries" ("merchant_id", "resolution_id") WHERE "resolution_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_ledger_entries_order" ON "ledger_entries" ("merchant_id", "order_id", "created_at")`);
    await q.query(`ALTER TABLE "ledger_entries" ADD CONSTRAINT "fk_ledger_entries_order" FOREIGN KEY ("order_id", "merchant_id") REFERENCES "orders"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "ledger_entries" ADD CONSTRAINT "fk_ledger_entries_resolution" FOREIGN KEY ("resolution_id", "merchant_id") REFERENCES "resolutions"("id","merchant_id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "ledger_entries" ADD CONSTRAINT "fk_ledger_entries_reverses" FOREIGN KEY ("reverses_entry_id", "merchant_id") REFERENCES "ledger_entries"("id","merchant_id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    // A loss compensated, then found (delivered or returned): at most one open flag per loss.
    await q.query(`
      CREATE TABLE "compensation_flags" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "order_id" uuid NOT NULL,
        "loss_key" character varying(200) NOT NULL,
        "reason" character varying(48) NOT NULL,
        "details" jsonb NOT NULL DEFAULT '{}',
        "entries" jsonb NOT NULL DEFAULT '[]',
        "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "resolved_at" TIMESTAMP WITH TIME ZONE,
        "resolved_by" character varying(64),
        "resolution_note" character varying(500),
        CONSTRAINT "uq_compensation_flags_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "pk_compensation_flags" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_compensation_flags_merchant_open" ON "compensation_flags" ("merchant_id", "raised_at") WHERE "resolved_at" IS NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_compensation_flags_open" ON "compensation_flags" ("merchant_id", "order_id", "loss_key") WHERE "resolved_at" IS NULL`);
    await q.query(`ALTER TABLE "compensation_flags" ADD CONSTRAINT "fk_compensation_flags_order" FOREIGN KEY ("order_id", "merchant_id") REFERENCES "orders"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "compensation_flags"`);
    await q.query(`DROP TABLE "ledger_entries"`);
    await q.query(`DROP TABLE "resolution_signals"`);
    await q.query(`DROP TABLE "resolution_steps"`);
    await q.query(`DROP TABLE "resolutions"`);
  }
}
