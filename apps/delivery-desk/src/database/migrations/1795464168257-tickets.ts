import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tickets: the case (one order, optionally a shipment and lines), its audit trail (append-only: a
 * trigger refuses UPDATE and DELETE), messages, stored decisions with their facts and policy version,
 * and evidence files; and the per-merchant ticket counter.
 */
export class Tickets1795464168257 implements MigrationInterface {
  name = 'Tickets1795464168257';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "tickets" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "number" integer NOT NULL,
        "order_id" uuid NOT NULL,
        "shipment_id" uuid,
        "lines" jsonb NOT NULL DEFAULT '[]',
        "category" character varying(32) NOT NULL,
        "channel" character varying(16) NOT NULL,
        "status" character varying(24) NOT NULL DEFAULT 'open',
        "priority" character varying(8) NOT NULL DEFAULT 'normal',
        "language" character varying(2),
        "assignee_id" uuid,
        "signal_id" uuid,
        "external_ref" character varying(128),
        "subject" character varying(300) NOT NULL,
        "description" text NOT NULL DEFAULT '',
        "details" jsonb NOT NULL DEFAULT '{}',
        "reported_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "sla_due_at" TIMESTAMP WITH TIME ZONE,
        "resolved_at" TIMESTAMP WITH TIME ZONE,
        "closed_at" TIMESTAMP WITH TIME ZONE,
        "version" integer NOT NULL DEFAULT '1',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "uq_tickets_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "ck_tickets_priority" CHECK ("priority" IN ('low', 'normal', 'high', 'urgent')),
        CONSTRAINT "ck_tickets_status" CHECK ("status" IN ('open', 'waiting_customer', 'waiting_carrier', 'pending_approval', 'resolved', 'closed', 'reopened')),
        CONSTRAINT "ck_tickets_category" CHECK ("category" IN ('tracking', 'delivered_not_received', 'wrong_item', 'missing_item', 'damaged', 'address_issue', 'return_pickup')),
        CONSTRAINT "pk_tickets" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_tickets_order" ON "tickets" ("merchant_id", "order_id")`);
    await q.query(`CREATE INDEX "ix_tickets_queue" ON "tickets" ("merchant_id", "status", "priority", "created_at")`);
    await q.query(`CREATE UNIQUE INDEX "uq_tickets_signal" ON "tickets" ("merchant_id", "signal_id") WHERE "signal_id" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_tickets_merchant_external_ref" ON "tickets" ("merchant_id", "external_ref") WHERE "external_ref" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_tickets_merchant_number" ON "tickets" ("merchant_id", "number")`);
    await q.query(`
      CREATE TABLE "ticket_decisions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "ticket_id" uuid NOT NULL,
        "policy_version" integer NOT NULL,
        "engine_version" character varying(32) NOT NULL,
        "facts" jsonb NOT NULL,
        "decision" jsonb NOT NULL,
        "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "pk_ticket_decisions" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_ticket_decisions_ticket" ON "ticket_decisions" ("merchant_id", "ticket_id", "decided_at")`);
    await q.query(`
      CREATE TABLE "ticket_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "ticket_id" uuid NOT NULL,
        "seq" integer NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "actor_kind" character varying(16) NOT NULL,
        "actor_id" character varying(64),
        "type" character varying(48) NOT NULL,
        "data" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "pk_ticket_events" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE UNIQUE INDEX "uq_ticket_events_seq" ON "ticket_events" ("merchant_id", "ticket_id", "seq")`);
    await q.query(`
      CREATE TABLE "ticket_evidence" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "ticket_id" uuid NOT NULL,
        "kind" character varying(32) NOT NULL,
        "content_type" character varying(64) NOT NULL,
        "size_bytes" integer NOT NULL,
        "sha256" character varying(64) NOT NULL,
        "file_name" character varying(200),
        "data" bytea NOT NULL,
        "uploaded_by_kind" character varying(16) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_ticket_evidence" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE UNIQUE INDEX "uq_ticket_evidence_content" ON "ticket_evidence" ("merchant_id", "ticket_id", "sha256")`);
    await q.query(`
      CREATE TABLE "ticket_messages" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "ticket_id" uuid NOT NULL,
        "direction" character varying(8) NOT NULL,
        "channel" character varying(16) NOT NULL,
        "author_kind" character varying(16) NOT NULL,
        "author_id" character varying(64),
        "languages" text array NOT NULL DEFAULT '{}',
        "template_id" character varying(64),
        "subject" character varying(500) NOT NULL DEFAULT '',
        "body_text" text NOT NULL,
        "body_html" text,
        "delivery_status" character varying(16) NOT NULL DEFAULT 'none',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "ck_ticket_messages_direction" CHECK ("direction" IN ('inbound', 'outbound', 'internal')),
        CONSTRAINT "pk_ticket_messages" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_ticket_messages_ticket" ON "ticket_messages" ("merchant_id", "ticket_id", "created_at")`);
    await q.query(`ALTER TABLE "merchants" ADD "ticket_seq" integer NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE "tickets" ADD CONSTRAINT "fk_tickets_order" FOREIGN KEY ("order_id", "merchant_id") REFERENCES "orders"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "ticket_decisions" ADD CONSTRAINT "fk_ticket_decisions_ticket" FOREIGN KEY ("ticket_id", "merchant_id") REFERENCES "tickets"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "ticket_events" ADD CONSTRAINT "fk_ticket_events_ticket" FOREIGN KEY ("ticket_id", "merchant_id") REFERENCES "tickets"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "ticket_evidence" ADD CONSTRAINT "fk_ticket_evidence_ticket" FOREIGN KEY ("ticket_id", "merchant_id") REFERENCES "tickets"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "ticket_messages" ADD CONSTRAINT "fk_ticket_messages_ticket" FOREIGN KEY ("ticket_id", "merchant_id") REFERENCES "tickets"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`
      CREATE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS \$\$
      BEGIN
        RAISE EXCEPTION 'ticket_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END \$\$
    `);
    await q.query(`CREATE TRIGGER trg_ticket_events_append_only BEFORE UPDATE OR DELETE ON "ticket_events" FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER trg_ticket_events_append_only ON "ticket_events"');
    await q.query('DROP FUNCTION ticket_events_append_only()');
    await q.query(`ALTER TABLE "ticket_messages" DROP CONSTRAINT "fk_ticket_messages_ticket"`);
    await q.query(`ALTER TABLE "ticket_evidence" DROP CONSTRAINT "fk_ticket_evidence_ticket"`);
    await q.query(`ALTER TABLE "ticket_events" DROP CONSTRAINT "fk_ticket_events_ticket"`);
    await q.query(`ALTER TABLE "ticket_decisions" DROP CONSTRAINT "fk_ticket_decisions_ticket"`);
    await q.query(`ALTER TABLE "tickets" DROP CONSTRAINT "fk_tickets_order"`);
    await q.query(`ALTER TABLE "merchants" DROP COLUMN "ticket_seq"`);
    await q.query(`DROP INDEX "public"."ix_ticket_messages_ticket"`);
    await q.query(`DROP TABLE "ticket_messages"`);
    await q.query(`DROP INDEX "public"."uq_ticket_evidence_content"`);
    await q.query(`DROP TABLE "ticket_evidence"`);
    await q.query(`DROP INDEX "public"."uq_ticket_events_seq"`);
    await q.query(`DROP TABLE "ticket_events"`);
    await q.query(`DROP INDEX "public"."ix_ticket_decisions_ticket"`);
    await q.query(`DROP TABLE "ticket_decisions"`);
    await q.query(`DROP INDEX "public"."uq_tickets_merchant_number"`);
    await q.query(`DROP INDEX "public"."uq_tickets_merchant_external_ref"`);
    await q.query(`DROP INDEX "public"."uq_tickets_signal"`);
    await q.query(`DROP INDEX "public"."ix_tickets_queue"`);
    await q.query(`DROP INDEX "public"."ix_tickets_order"`);
    await q.query(`DROP TABLE "tickets"`);
  }
}
