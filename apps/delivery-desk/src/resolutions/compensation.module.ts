import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { TrackingModule } from '../tracking/tracking.module';
import { ClaimTracker } from './claims/claim-tracker.service';
import { CardDisputesController } from './disputes/card-disputes.controller';
import { CardDisputesService } from './disputes/card-disputes.service';
import { DeskLedgerController, OrderLedgerController } from './ledger/ledger.controller';
import { ResolutionsModule } from './resolutions.module';

/**
 * Money after the case: carrier claims followed to payout or rejection, card disputes and their
 * chargebacks, and the order ledger as the platform and the desk read it.
 */
@Module({
  imports: [ResolutionsModule, TicketsModule, TrackingModule],
  controllers: [OrderLedgerController, DeskLedgerController, CardDisputesController],
  providers: [ClaimTracker, CardDisputesService],
  exports: [ClaimTracker, CardDisputesService],
})
export class CompensationModule {}
