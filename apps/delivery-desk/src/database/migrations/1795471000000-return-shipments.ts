import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Return parcels are shipments too: tracked by the same webhooks and sweeps, but flowing back to the
 * shop. `direction` keeps them out of the outbound signals and facts; `ticket_id` ties a return to
 * the case whose label created it (a return always belongs to one).
 */
export class ReturnShipments1795471000000 implements MigrationInterface {
  name = 'ReturnShipments1795471000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "shipments" ADD "direction" character varying(16) NOT NULL DEFAULT 'outbound'`);
    await q.query(`ALTER TABLE "shipments" ADD "ticket_id" uuid`);
    await q.query(`ALTER TABLE "shipments" ADD CONSTRAINT "ck_shipments_direction" CHECK ("direction" IN ('outbound', 'return'))`);
    await q.query(`ALTER TABLE "shipments" ADD CONSTRAINT "ck_shipments_return_ticket" CHECK ("direction" = 'outbound' OR "ticket_id" IS NOT NULL)`);
    await q.query(`CREATE INDEX "ix_shipments_ticket" ON "shipments" ("merchant_id", "ticket_id") WHERE "ticket_id" IS NOT NULL`);
    await q.query(
      `ALTER TABLE "shipments" ADD CONSTRAINT "fk_shipments_ticket" FOREIGN KEY ("merchant_id", "ticket_id") REFERENCES "tickets"("merchant_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "shipments" DROP CONSTRAINT "fk_shipments_ticket"`);
    await q.query(`DROP INDEX "public"."ix_shipments_ticket"`);
    await q.query(`ALTER TABLE "shipments" DROP CONSTRAINT "ck_shipments_return_ticket"`);
    await q.query(`ALTER TABLE "shipments" DROP CONSTRAINT "ck_shipments_direction"`);
    await q.query(`ALTER TABLE "shipments" DROP COLUMN "ticket_id"`);
    await q.query(`ALTER TABLE "shipments" DROP COLUMN "direction"`);
  }
}
