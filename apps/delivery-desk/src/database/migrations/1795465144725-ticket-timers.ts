import { MigrationInterface, QueryRunner } from 'typeorm';

/** Deadline clocks on tickets: one pending timer per ticket and kind, swept when due. */
export class TicketTimers1795465144725 implements MigrationInterface {
  name = 'TicketTimers1795465144725';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "ticket_timers" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "merchant_id" uuid NOT NULL,
        "ticket_id" uuid NOT NULL,
        "kind" character varying(32) NOT NULL,
        "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "payload" jsonb NOT NULL DEFAULT '{}',
        "status" character varying(16) NOT NULL DEFAULT 'pending',
        "fired_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_ticket_timers" PRIMARY KEY ("id")
      )
    `);
    await q.query(`CREATE INDEX "ix_ticket_timers_due" ON "ticket_timers" ("due_at") WHERE "status" = 'pending'`);
    await q.query(`CREATE UNIQUE INDEX "uq_ticket_timers_pending" ON "ticket_timers" ("merchant_id", "ticket_id", "kind") WHERE "status" = 'pending'`);
    await q.query(`ALTER TABLE "ticket_timers" ADD CONSTRAINT "fk_ticket_timers_ticket" FOREIGN KEY ("ticket_id", "merchant_id") REFERENCES "tickets"("id","merchant_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ticket_timers" DROP CONSTRAINT "fk_ticket_timers_ticket"`);
    await q.query(`DROP INDEX "public"."uq_ticket_timers_pending"`);
    await q.query(`DROP INDEX "public"."ix_ticket_timers_due"`);
    await q.query(`DROP TABLE "ticket_timers"`);
  }
}
