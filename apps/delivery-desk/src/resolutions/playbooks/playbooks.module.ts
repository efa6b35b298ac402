import { Module } from '@nestjs/common';
import { PlatformModule } from '../../platform/platform.module';
import { TicketsModule } from '../../tickets/tickets.module';
import { TrackingModule } from '../../tracking/tracking.module';
import { ResolutionsModule } from '../resolutions.module';
import { CaseMessages } from './case-messages.service';
import { PlaybookSteps } from './playbook.steps';
import { DeskResolutionsController, TicketResolutionsController } from './playbooks.controller';
import { PlaybooksService } from './playbooks.service';
import { ClaimClock } from './claim-clock';
import { CarrierTrace } from './carrier-trace';
import { HoldReminder } from './hold-reminder';
import { DeskPickupController, TicketPickupController } from './return-pickups.controller';
import { ReturnPickupsService } from './return-pickups.service';

/**
 * The playbooks' actions: the saga steps resolutions are made of, customer messages, and choosing and
 * approving resolutions. Decisions themselves come from the tickets module (facts → policy engine).
 */
@Module({
  imports: [ResolutionsModule, PlatformModule, TicketsModule, TrackingModule],
  controllers: [TicketResolutionsController, DeskResolutionsController, TicketPickupController, DeskPickupController],
  providers: [CaseMessages, PlaybookSteps, PlaybooksService, ReturnPickupsService, ClaimClock, CarrierTrace, HoldReminder],
  exports: [CaseMessages, PlaybooksService, ReturnPickupsService],
})
export class PlaybooksModule {}
