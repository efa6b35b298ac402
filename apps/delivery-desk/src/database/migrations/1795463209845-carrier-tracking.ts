import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Carrier tracking: merchants' carrier accounts (sealed credentials), the stored carrier webhook
 * events (unique per carrier event id), shipment signals ("needs attention", one open row per
 * shipment and kind), and on shipments the refresh schedule and snapshot time.
 */
export class CarrierTracking1795463209845 implements MigrationInterface {
  name = 'CarrierTracking1795463209845';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "carrier_accounts" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "carrier" character varying(16) NOT NULL,
        "credentials_enc" text NOT NULL,
        "api_base_url" character varying(500),
        "active" boolean NOT NULL DEFAULT true,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "ck_carrier_accounts_carrier" CHECK ("carrier" IN ('easypost', 'ups')),
        CONSTRAINT "pk_carrier_accounts" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE UNIQUE INDEX "uq_carrier_accounts_merchant_carrier" ON "carrier_accounts" ("merchant_id", "carrier")`);
    await q.query(`
      CREATE TABLE "carrier_webhook_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "carrier" character varying(16) NOT NULL,
        "carrier_account_id" uuid,
        "event_id" character varying(200) NOT NULL,
        "description" character varying(100) NOT NULL,
        "tracking_code" character varying(64),
        "payload" jsonb NOT NULL,
        "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "outcome" character varying(16) NOT NULL,
        "shipments_updated" integer NOT NULL DEFAULT '0',
        CONSTRAINT "pk_carrier_webhook_events" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_carrier_webhook_events_received" ON "carrier_webhook_events" ("received_at")`);
    await q.query(`CREATE UNIQUE INDEX "uq_carrier_webhook_events_event" ON "carrier_webhook_events" ("carrier", "event_id")`);
    await q.query(`
      CREATE TABLE "shipment_signals" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "shipment_id" uuid NOT NULL,
        "kind" character varying(24) NOT NULL,
        "reason" character varying(24),
        "details" jsonb NOT NULL DEFAULT '{}',
        "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "resolved_at" TIMESTAMP WITH TIME ZONE,
        "resolution" character varying(64),
        CONSTRAINT "ck_shipment_signals_kind" CHECK ("kind" IN ('exception', 'return_to_sender', 'stalled', 'late')),
        CONSTRAINT "pk_shipment_signals" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_shipment_signals_open_time" ON "shipment_signals" ("merchant_id", "opened_at") WHERE "resolved_at" IS NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_shipment_signals_open" ON "shipment_signals" ("merchant_id", "shipment_id", "kind") WHERE "resolved_at" IS NULL`);
    await q.query(`ALTER TABLE "merchants" ADD "stall_after_days" integer NOT NULL DEFAULT '5'`);
    await q.query(`ALTER TABLE "merchants" ADD "late_after_hours" integer NOT NULL DEFAULT '24'`);
    await q.query(`ALTER TABLE "shipments" ADD "snapshot_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "shipments" ADD "refresh_due_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "shipments" ADD "last_refreshed_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "shipments" ADD "refresh_failures" integer NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE "shipments" ADD "last_refresh_error" character varying(500)`);
    await q.query(`ALTER TABLE "shipments" ADD "webhook_seen_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE INDEX "ix_shipments_refresh_due" ON "shipments" ("refresh_due_at") WHERE "refresh_due_at" IS NOT NULL`);
    await q.query(`ALTER TABLE "carrier_accounts" ADD CONSTRAINT "fk_carrier_accounts_merchant" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "shipment_signals" ADD CONSTRAINT "fk_shipment_signals_shipment" FOREIGN KEY ("shipment_id", "merchant_id") REFERENCES "shipments"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "shipment_signals" DROP CONSTRAINT "fk_shipment_signals_shipment"`);
    await q.query(`ALTER TABLE "carrier_accounts" DROP CONSTRAINT "fk_carrier_accounts_merchant"`);
    await q.query(`DROP INDEX "public"."ix_shipments_refresh_due"`);
    await q.query(`ALTER TABLE "shipments" DROP COLUMN "webhook_seen_at"`);
    await q.query(`ALTER TABLE "shipments" DROP COLUMN "last_refresh_error"`);
    await q.query(`ALTER TABLE "shipments" DROP COLUMN "refresh_failures"`);
    await q.query(`ALTER TABLE "shipments" DROP COLUMN "last_refreshed_at"`);
    await q.query(`ALTER TABLE "shipments" DROP COLUMN "refresh_due_at"`);
    await q.query(`ALTER TABLE "shipments" DROP COLUMN "snapshot_at"`);
    await q.query(`ALTER TABLE "merchants" DROP COLUMN "late_after_hours"`);
    await q.query(`ALTER TABLE "merchants" DROP COLUMN "stall_after_days"`);
    await q.query(`DROP INDEX "public"."uq_shipment_signals_open"`);
    await q.query(`DROP INDEX "public"."ix_shipment_signals_open_time"`);
    await q.query(`DROP TABLE "shipment_signals"`);
    await q.query(`DROP INDEX "public"."uq_carrier_webhook_events_event"`);
    await q.query(`DROP INDEX "public"."ix_carrier_webhook_events_received"`);
    await q.query(`DROP TABLE "carrier_webhook_events"`);
    await q.query(`DROP INDEX "public"."uq_carrier_accounts_merchant_carrier"`);
    await q.query(`DROP TABLE "carrier_accounts"`);
  }
}
