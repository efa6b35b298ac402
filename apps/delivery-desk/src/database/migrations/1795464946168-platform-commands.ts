import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Platform commands: instructions to merchants' platforms (refund, reship, cancel, store credit)
 * with their delivery state and frozen event body (one event id per command, unique per merchant;
 * one command per merchant and idempotency key); every delivery attempt with the platform's answer;
 * and each command's history (append-only: a trigger refuses UPDATE and DELETE). All keyed by
 * merchant, with composite foreign keys to orders(merchant_id, id) and platform_commands(merchant_id, id).
 */
export class PlatformCommands1795464946168 implements MigrationInterface {
  name = 'PlatformCommands1795464946168';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "platform_commands" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "order_id" uuid NOT NULL,
        "ticket_id" uuid,
        "resolution_id" uuid,
        "kind" character varying(16) NOT NULL,
        "payload" jsonb NOT NULL,
        "idempotency_key" character varying(255) NOT NULL,
        "event_id" character varying(40) NOT NULL,
        "event_body" text NOT NULL,
        "status" character varying(16) NOT NULL DEFAULT 'pending',
        "platform_reference" character varying(255),
        "refunded_minor" bigint,
        "platform_note" character varying(1000),
        "failure_code" character varying(24),
        "failure_reason" character varying(1000),
        "failure_retryable" boolean,
        "last_error_code" character varying(32),
        "last_error" character varying(500),
        "attempts" integer NOT NULL DEFAULT '0',
        "dispatch_attempts" integer NOT NULL DEFAULT '0',
        "dispatch_open" boolean NOT NULL DEFAULT true,
        "next_attempt_at" TIMESTAMP WITH TIME ZONE,
        "in_flight_until" TIMESTAMP WITH TIME ZONE,
        "last_attempt_at" TIMESTAMP WITH TIME ZONE,
        "delivered_at" TIMESTAMP WITH TIME ZONE,
        "settled_at" TIMESTAMP WITH TIME ZONE,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "version" integer NOT NULL DEFAULT '1',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "uq_platform_commands_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "ck_platform_commands_refunded" CHECK ("refunded_minor" IS NULL OR "refunded_minor" >= 0),
        CONSTRAINT "ck_platform_commands_counters" CHECK ("attempts" >= 0 AND "dispatch_attempts" >= 0 AND "dispatch_attempts" <= "attempts"),
        CONSTRAINT "ck_platform_commands_failure_code" CHECK ("failure_code" IS NULL OR "failure_code" IN ('undeliverable', 'rejected', 'platform_reported')),
        CONSTRAINT "ck_platform_commands_status" CHECK ("status" IN ('pending', 'delivering', 'delivered', 'confirmed', 'failed', 'expired', 'cancelled')),
        CONSTRAINT "ck_platform_commands_kind" CHECK ("kind" IN ('refund', 'reship', 'cancel_order', 'cancel_lines', 'store_credit')),
        CONSTRAINT "pk_platform_commands" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_platform_commands_expiry" ON "platform_commands" ("expires_at") WHERE "status" IN ('pending', 'delivering', 'delivered')`);
    await q.query(`CREATE INDEX "ix_platform_commands_dispatch_due" ON "platform_commands" ("next_attempt_at") WHERE "dispatch_open"`);
    await q.query(`CREATE INDEX "ix_platform_commands_status" ON "platform_commands" ("merchant_id", "status", "created_at")`);
    await q.query(`CREATE INDEX "ix_platform_commands_ticket" ON "platform_commands" ("merchant_id", "ticket_id") WHERE "ticket_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "ix_platform_commands_order" ON "platform_commands" ("merchant_id", "order_id", "created_at")`);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_commands_event" ON "platform_commands" ("merchant_id", "event_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_commands_idempotency" ON "platform_commands" ("merchant_id", "idempotency_key")`);
    await q.query(`
      CREATE TABLE "platform_command_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "command_id" uuid NOT NULL,
        "seq" integer NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "type" character varying(32) NOT NULL,
        "from_status" character varying(16),
        "to_status" character varying(16),
        "actor_kind" character varying(16) NOT NULL,
        "actor_id" character varying(64),
        "data" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "pk_platform_command_events" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_command_events_seq" ON "platform_command_events" ("merchant_id", "command_id", "seq")`);
    await q.query(`
      CREATE TABLE "platform_deliveries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "command_id" uuid NOT NULL,
        "event_id" character varying(40) NOT NULL,
        "attempt" integer NOT NULL,
        "trigger" character varying(16) NOT NULL,
        "url" character varying(2000) NOT NULL,
        "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "response_status" integer,
        "response_body" character varying(2000),
        "duration_ms" integer NOT NULL,
        "outcome" character varying(16) NOT NULL,
        "error_code" character varying(32),
        "error" character varying(500),
        CONSTRAINT "ck_platform_deliveries_outcome" CHECK ("outcome" IN ('success', 'transient', 'permanent')),
        CONSTRAINT "pk_platform_deliveries" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_deliveries_attempt" ON "platform_deliveries" ("merchant_id", "command_id", "attempt")`);
    await q.query(`ALTER TABLE "platform_commands" ADD CONSTRAINT "fk_platform_commands_order" FOREIGN KEY ("order_id", "merchant_id") REFERENCES "orders"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "platform_command_events" ADD CONSTRAINT "fk_platform_command_events_command" FOREIGN KEY ("command_id", "merchant_id") REFERENCES "platform_commands"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "platform_deliveries" ADD CONSTRAINT "fk_platform_deliveries_command" FOREIGN KEY ("command_id", "merchant_id") REFERENCES "platform_commands"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`
      CREATE FUNCTION platform_command_events_append_only() RETURNS trigger LANGUAGE plpgsql AS \$\$
      BEGIN
        RAISE EXCEPTION 'platform_command_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END \$\$
    `);
    await q.query(`CREATE TRIGGER trg_platform_command_events_append_only BEFORE UPDATE OR DELETE ON "platform_command_events" FOR EACH ROW EXECUTE FUNCTION platform_command_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER trg_platform_command_events_append_only ON "platform_command_events"');
    await q.query('DROP FUNCTION platform_command_events_append_only()');
    await q.query(`ALTER TABLE "platform_deliveries" DROP CONSTRAINT "fk_platform_deliveries_command"`);
    await q.query(`ALTER TABLE "platform_command_events" DROP CONSTRAINT "fk_platform_command_events_command"`);
    await q.query(`ALTER TABLE "platform_commands" DROP CONSTRAINT "fk_platform_commands_order"`);
    await q.query(`DROP INDEX "public"."uq_platform_deliveries_attempt"`);
    await q.query(`DROP TABLE "platform_deliveries"`);
    await q.query(`DROP INDEX "public"."uq_platform_command_events_seq"`);
    await q.query(`DROP TABLE "platform_command_events"`);
    await q.query(`DROP INDEX "public"."uq_platform_commands_idempotency"`);
    await q.query(`DROP INDEX "public"."uq_platform_commands_event"`);
    await q.query(`DROP INDEX "public"."ix_platform_commands_order"`);
    await q.query(`DROP INDEX "public"."ix_platform_commands_ticket"`);
    await q.query(`DROP INDEX "public"."ix_platform_commands_status"`);
    await q.query(`DROP INDEX "public"."ix_platform_commands_dispatch_due"`);
    await q.query(`DROP INDEX "public"."ix_platform_commands_expiry"`);
    await q.query(`DROP TABLE "platform_commands"`);
  }
}
