import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * UPS Track Alert subscriptions last 14 days: the shipment remembers until when its pushes are
 * subscribed, so tracking renews the subscription before it lapses and stops once the parcel is done.
 */
export class TrackAlert1795474000000 implements MigrationInterface {
  name = 'TrackAlert1795474000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "shipments" ADD "push_subscribed_until" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "shipments" DROP COLUMN "push_subscribed_until"`);
  }
}
