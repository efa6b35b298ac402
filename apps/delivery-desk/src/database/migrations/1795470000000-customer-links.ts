import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed customer links: the row behind each token (the token itself is never stored). Expiry, use
 * and revocation live here so a leaked token can be stopped; `ref` makes one link per ticket, purpose
 * and occasion (e.g. one delay notice per notice kind).
 */
export class CustomerLinks1795470000000 implements MigrationInterface {
  name = 'CustomerLinks1795470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "customer_links" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "ticket_id" uuid NOT NULL,
        "purpose" character varying(24) NOT NULL,
        "ref" character varying(64),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "use_hash" character varying(64),
        "result" jsonb,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_customer_links" PRIMARY KEY ("id"),
        CONSTRAINT "uq_customer_links_merchant_id" UNIQUE ("merchant_id", "id"),
        CONSTRAINT "ck_customer_links_purpose" CHECK ("purpose" IN ('case', 'delay_consent', 'address_confirm'))
      )
    `);
    await q.query(`CREATE INDEX "ix_customer_links_ticket" ON "customer_links" ("merchant_id", "ticket_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_customer_links_ref" ON "customer_links" ("merchant_id", "ticket_id", "purpose", "ref") WHERE "ref" IS NOT NULL`);
    await q.query(`ALTER TABLE "customer_links" ADD CONSTRAINT "fk_customer_links_ticket" FOREIGN KEY ("ticket_id", "merchant_id") REFERENCES "tickets"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "customer_links" DROP CONSTRAINT "fk_customer_links_ticket"`);
    await q.query(`DROP INDEX "public"."uq_customer_links_ref"`);
    await q.query(`DROP INDEX "public"."ix_customer_links_ticket"`);
    await q.query(`DROP TABLE "customer_links"`);
  }
}
