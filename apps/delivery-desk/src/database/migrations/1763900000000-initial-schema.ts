import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: tenants (merchants, policies, API keys, agents), customers, orders with lines,
 * shipments with their lines, tracking events and idempotency records.
 *
 * Every tenant-owned table carries merchant_id, and its foreign keys include it, so one merchant's
 * row can never point at another's and the schema can later be distributed by merchant.
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "merchants" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "slug" character varying(64) NOT NULL,
        "name_en" character varying(200) NOT NULL,
        "name_ja" character varying(200) NOT NULL,
        "default_language" character varying(2) NOT NULL DEFAULT 'en',
        "time_zone" character varying(64) NOT NULL,
        "ship_from" jsonb NOT NULL,
        "platform_webhook_url" character varying(2000),
        "platform_webhook_secret_enc" text,
        "policy_version" integer NOT NULL DEFAULT '1',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "ck_merchants_default_language" CHECK ("default_language" IN ('ja', 'en')),
        CONSTRAINT "pk_merchants" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE UNIQUE INDEX "uq_merchants_slug" ON "merchants"("slug")`);
    await q.query(`
      CREATE TABLE "agents" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "email" character varying(320) NOT NULL,
        "name" character varying(200) NOT NULL,
        "role" character varying(16) NOT NULL,
        "password_hash" character varying(300) NOT NULL,
        "approval_limit_minor" bigint NOT NULL DEFAULT '0',
        "languages" text array NOT NULL DEFAULT '{}',
        "active" boolean NOT NULL DEFAULT true,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "ck_agents_approval_limit" CHECK ("approval_limit_minor" >= 0),
        CONSTRAINT "ck_agents_role" CHECK ("role" IN ('agent', 'supervisor', 'admin')),
        CONSTRAINT "pk_agents" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE UNIQUE INDEX "uq_agents_merchant_email" ON "agents"("merchant_id", "email")`);
    await q.query(`
      CREATE TABLE "api_keys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "name" character varying(100) NOT NULL,
        "prefix" character varying(32) NOT NULL,
        "secret_hash" character varying(64) NOT NULL,
        "scopes" text array NOT NULL,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_api_keys" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_api_keys_merchant" ON "api_keys"("merchant_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_api_keys_prefix" ON "api_keys"("prefix")`);
    await q.query(`
      CREATE TABLE "merchant_policies" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "policy" jsonb NOT NULL,
        "note" character varying(500),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_merchant_policies" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE UNIQUE INDEX "uq_merchant_policies_version" ON "merchant_policies"("merchant_id", "version")`);
    await q.query(`
      CREATE TABLE "customers" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "email" character varying(320) NOT NULL,
        "name" character varying(200) NOT NULL,
        "phone" character varying(40),
        "preferred_language" character varying(2),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "uq_customers_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "pk_customers" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE UNIQUE INDEX "uq_customers_merchant_email" ON "customers"("merchant_id", "email")`);
    await q.query(`
      CREATE TABLE "orders" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "external_id" character varying(128) NOT NULL,
        "customer_id" uuid NOT NULL,
        "placed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "channel" character varying(8) NOT NULL,
        "currency" character(3) NOT NULL,
        "subtotal_minor" bigint NOT NULL,
        "shipping_minor" bigint NOT NULL,
        "tax_minor" bigint NOT NULL,
        "discount_minor" bigint NOT NULL,
        "total_minor" bigint NOT NULL,
        "payment_method_kind" character varying(24) NOT NULL,
        "ship_to_name" character varying(200) NOT NULL,
        "ship_to_street1" character varying(200) NOT NULL,
        "ship_to_street2" character varying(200),
        "ship_to_city" character varying(100) NOT NULL,
        "ship_to_state" character varying(3) NOT NULL,
        "ship_to_zip" character varying(16) NOT NULL,
        "ship_to_country" character(2) NOT NULL,
        "ship_to_phone" character varying(40),
        "gift" boolean NOT NULL DEFAULT false,
        "gift_recipient_name" character varying(200),
        "gift_recipient_email" character varying(320),
        "shipping_promise" jsonb NOT NULL DEFAULT '{"kind": "none"}',
        "refund_policy_disclosed" boolean NOT NULL DEFAULT false,
        "refund_policy" jsonb,
        "version" integer NOT NULL DEFAULT '1',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "uq_orders_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "ck_orders_amounts" CHECK ("subtotal_minor" >= 0 AND "shipping_minor" >= 0 AND "tax_minor" >= 0 AND "discount_minor" >= 0 AND "total_minor" = "subtotal_minor" + "shipping_minor" + "tax_minor" - "discount_minor" AND "total_minor" >= 0),
        CONSTRAINT "ck_orders_channel" CHECK ("channel" IN ('web', 'phone', 'fax', 'mail')),
        CONSTRAINT "pk_orders" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_orders_merchant_customer" ON "orders"("merchant_id", "customer_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_orders_merchant_external" ON "orders"("merchant_id", "external_id")`);
    await q.query(`
      CREATE TABLE "order_lines" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "order_id" uuid NOT NULL,
        "external_id" character varying(128) NOT NULL,
        "position" integer NOT NULL,
        "sku" character varying(128) NOT NULL,
        "name" character varying(300) NOT NULL,
        "category" character varying(100),
        "quantity" integer NOT NULL,
        "unit_price_minor" bigint NOT NULL,
        "discount_minor" bigint NOT NULL DEFAULT '0',
        "tax_minor" bigint NOT NULL DEFAULT '0',
        "perishable" boolean NOT NULL DEFAULT false,
        "alcohol" boolean NOT NULL DEFAULT false,
        "hazmat" boolean NOT NULL DEFAULT false,
        "personalized" boolean NOT NULL DEFAULT false,
        "final_sale" boolean NOT NULL DEFAULT false,
        CONSTRAINT "uq_order_lines_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "ck_order_lines_amounts" CHECK ("quantity" > 0 AND "unit_price_minor" >= 0 AND "tax_minor" >= 0 AND "discount_minor" >= 0),
        CONSTRAINT "pk_order_lines" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE UNIQUE INDEX "uq_order_lines_order_external" ON "order_lines"("merchant_id", "order_id", "external_id")`);
    await q.query(`
      CREATE TABLE "shipments" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "order_id" uuid NOT NULL,
        "carrier" character varying(16) NOT NULL,
        "carrier_name" character varying(40),
        "service" character varying(64),
        "tracking_code" character varying(64) NOT NULL,
        "tracker_id" character varying(64),
        "shipped_at" TIMESTAMP WITH TIME ZONE,
        "declared_value_minor" bigint NOT NULL DEFAULT '0',
        "insured_value_minor" bigint NOT NULL DEFAULT '0',
        "insurance_provider" character varying(16) NOT NULL DEFAULT 'none',
        "signature_option" character varying(16) NOT NULL DEFAULT 'none',
        "status" character varying(24) NOT NULL DEFAULT 'pre_transit',
        "exception_reason" character varying(24),
        "status_at" TIMESTAMP WITH TIME ZONE,
        "last_event_at" TIMESTAMP WITH TIME ZONE,
        "estimated_delivery_at" TIMESTAMP WITH TIME ZONE,
        "delivered_at" TIMESTAMP WITH TIME ZONE,
        "signed_by" character varying(200),
        "public_tracking_url" character varying(2000),
        "version" integer NOT NULL DEFAULT '1',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "uq_shipments_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "ck_shipments_values" CHECK ("declared_value_minor" >= 0 AND "insured_value_minor" >= 0),
        CONSTRAINT "ck_shipments_signature" CHECK ("signature_option" IN ('none', 'signature', 'adult_signature')),
        CONSTRAINT "ck_shipments_status" CHECK ("status" IN ('pre_transit', 'in_transit', 'out_for_delivery', 'available_for_pickup', 'delivered', 'exception', 'return_to_sender', 'cancelled', 'unknown')),
        CONSTRAINT "pk_shipments" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_shipments_tracking_code" ON "shipments"("tracking_code")`);
    await q.query(`CREATE INDEX "ix_shipments_order" ON "shipments"("merchant_id", "order_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_shipments_tracking" ON "shipments"("merchant_id", "carrier", "tracking_code")`);
    await q.query(`
      CREATE TABLE "shipment_lines" (
        "merchant_id" uuid NOT NULL,
        "shipment_id" uuid NOT NULL,
        "order_line_id" uuid NOT NULL,
        "quantity" integer NOT NULL,
        CONSTRAINT "ck_shipment_lines_quantity" CHECK ("quantity" > 0),
        CONSTRAINT "pk_shipment_lines" PRIMARY KEY ("merchant_id", "shipment_id", "order_line_id")
      )
    `);
    await q.query(`
      CREATE TABLE "tracking_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "shipment_id" uuid NOT NULL,
        "source_event_id" character varying(200) NOT NULL,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "status" character varying(24) NOT NULL,
        "carrier_status" character varying(64) NOT NULL,
        "carrier_status_detail" character varying(128),
        "exception_reason" character varying(24),
        "message" text NOT NULL,
        "location" jsonb,
        "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_tracking_events" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_tracking_events_shipment_time" ON "tracking_events"("merchant_id", "shipment_id", "occurred_at")`);
    await q.query(`CREATE UNIQUE INDEX "uq_tracking_events_source" ON "tracking_events"("merchant_id", "shipment_id", "source_event_id")`);
    await q.query(`
      CREATE TABLE "idempotency_keys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "scope" character varying(64) NOT NULL,
        "key" character varying(255) NOT NULL,
        "request_hash" character varying(64) NOT NULL,
        "response_status" integer,
        "response_body" jsonb,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "completed_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_idempotency_keys_created" ON "idempotency_keys"("created_at")`);
    await q.query(`CREATE UNIQUE INDEX "uq_idempotency_keys_scope_key" ON "idempotency_keys"("scope", "key")`);
    await q.query(`ALTER TABLE "agents" ADD CONSTRAINT "fk_agents_merchant" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "fk_api_keys_merchant" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "merchant_policies" ADD CONSTRAINT "fk_merchant_policies_merchant" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "customers" ADD CONSTRAINT "fk_customers_merchant" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "orders" ADD CONSTRAINT "fk_orders_merchant" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "orders" ADD CONSTRAINT "fk_orders_customer" FOREIGN KEY ("customer_id", "merchant_id") REFERENCES "customers"("id","merchant_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "order_lines" ADD CONSTRAINT "fk_order_lines_order" FOREIGN KEY ("order_id", "merchant_id") REFERENCES "orders"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "shipments" ADD CONSTRAINT "fk_shipments_order" FOREIGN KEY ("order_id", "merchant_id") REFERENCES "orders"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "shipment_lines" ADD CONSTRAINT "fk_shipment_lines_shipment" FOREIGN KEY ("shipment_id", "merchant_id") REFERENCES "shipments"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "shipment_lines" ADD CONSTRAINT "fk_shipment_lines_order_line" FOREIGN KEY ("order_line_id", "merchant_id") REFERENCES "order_lines"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "tracking_events" ADD CONSTRAINT "fk_tracking_events_shipment" FOREIGN KEY ("shipment_id", "merchant_id") REFERENCES "shipments"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "idempotency_keys"`);
    await q.query(`DROP TABLE "tracking_events"`);
    await q.query(`DROP TABLE "shipment_lines"`);
    await q.query(`DROP TABLE "shipments"`);
    await q.query(`DROP TABLE "order_lines"`);
    await q.query(`DROP TABLE "orders"`);
    await q.query(`DROP TABLE "customers"`);
    await q.query(`DROP TABLE "merchant_policies"`);
    await q.query(`DROP TABLE "api_keys"`);
    await q.query(`DROP TABLE "agents"`);
    await q.query(`DROP TABLE "merchants"`);
  }
}
