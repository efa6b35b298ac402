import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer links for a booked return pickup: the `pickup` purpose lets the customer move or cancel
 * the pickup through the link in the booking e-mail.
 */
export class PickupLinks1795473500000 implements MigrationInterface {
  name = 'PickupLinks1795473500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "customer_links" DROP CONSTRAINT "ck_customer_links_purpose"`);
    await q.query(`ALTER TABLE "customer_links" ADD CONSTRAINT "ck_customer_links_purpose" CHECK ("purpose" IN ('case', 'delay_consent', 'address_confirm', 'pickup'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "customer_links" WHERE "purpose" = 'pickup'`);
    await q.query(`ALTER TABLE "customer_links" DROP CONSTRAINT "ck_customer_links_purpose"`);
    await q.query(`ALTER TABLE "customer_links" ADD CONSTRAINT "ck_customer_links_purpose" CHECK ("purpose" IN ('case', 'delay_consent', 'address_confirm'))`);
  }
}
