import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clocks that act and the platform message channel:
 * - shipments remember the carrier trace we asked for, when we declared the parcel lost, and the
 *   carrier claim filed for it (so the policy engine sees both);
 * - merchants opt in to receiving customer messages as platform webhooks;
 * - ticket messages keep the platform channel's delivery state next to the e-mail one.
 */
export class DeclaredLost1795472000000 implements MigrationInterface {
  name = 'DeclaredLost1795472000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "shipments" ADD "trace_requested_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "shipments" ADD "declared_lost_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "shipments" ADD "claim_id" character varying(64)`);
    await q.query(`ALTER TABLE "shipments" ADD "claim_kind" character varying(16)`);
    await q.query(`ALTER TABLE "shipments" ADD "claim_status" character varying(16)`);
    await q.query(`ALTER TABLE "shipments" ADD "claim_filed_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "merchants" ADD "platform_message_events" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "ticket_messages" ADD "platform_status" character varying(16) NOT NULL DEFAULT 'none'`);
    await q.query(`ALTER TABLE "ticket_messages" ADD "platform_event_id" character varying(40)`);
    await q.query(`ALTER TABLE "ticket_messages" ADD "platform_event_body" text`);
    await q.query(`ALTER TABLE "ticket_messages" ADD "platform_attempts" integer NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE "ticket_messages" ADD "platform_next_attempt_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "ticket_messages" ADD "platform_delivered_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "ticket_messages" ADD "platform_last_error" character varying(500)`);
    await q.query(
      `ALTER TABLE "ticket_messages" ADD CONSTRAINT "ck_ticket_messages_platform_status" CHECK ("platform_status" IN ('none', 'pending', 'sent', 'failed'))`,
    );
    // The sweep looks only at messages still waiting for the platform.
    await q.query(`CREATE INDEX "ix_ticket_messages_platform_due" ON "ticket_messages" ("platform_next_attempt_at") WHERE "platform_status" = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."ix_ticket_messages_platform_due"`);
    await q.query(`ALTER TABLE "ticket_messages" DROP CONSTRAINT "ck_ticket_messages_platform_status"`);
    for (const c of ['platform_last_error', 'platform_delivered_at', 'platform_next_attempt_at', 'platform_attempts', 'platform_event_body', 'platform_event_id', 'platform_status']) {
      await q.query(`ALTER TABLE "ticket_messages" DROP COLUMN "${c}"`);
    }
    await q.query(`ALTER TABLE "merchants" DROP COLUMN "platform_message_events"`);
    for (const c of ['claim_filed_at', 'claim_status', 'claim_kind', 'claim_id', 'declared_lost_at', 'trace_requested_at']) {
      await q.query(`ALTER TABLE "shipments" DROP COLUMN "${c}"`);
    }
  }
}
