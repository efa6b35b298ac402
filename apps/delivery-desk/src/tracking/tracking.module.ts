import { Module } from '@nestjs/common';
import { CarrierAccountsController } from './carrier-accounts.controller';
import { CarrierRegistry } from './carrier-registry.service';
import { CarrierWebhooksController } from './carrier-webhooks.controller';
import { CarrierWebhooksService } from './carrier-webhooks.service';
import { SignalsService } from './signals.service';
import { TrackingIngestService } from './tracking-ingest.service';
import { TrackingService } from './tracking.service';

@Module({
  controllers: [CarrierWebhooksController, CarrierAccountsController],
  providers: [CarrierRegistry, TrackingIngestService, SignalsService, TrackingService, CarrierWebhooksService],
  exports: [CarrierRegistry, TrackingService, SignalsService, TrackingIngestService, CarrierWebhooksService],
})
export class TrackingModule {}
