import { Module } from '@nestjs/common';
import { PlaybooksModule } from '../resolutions/playbooks/playbooks.module';
import { ResolutionsModule } from '../resolutions/resolutions.module';
import { TicketsModule } from '../tickets/tickets.module';
import { TrackingModule } from '../tracking/tracking.module';
import { CustomerLinksService } from './customer-links.service';
import { LinkPageController } from './link-page.controller';
import { DeskLinksController, SelfServiceController, TicketDelayController, TicketLinksController } from './self-service.controller';
import { SelfServiceService } from './self-service.service';

/**
 * Signed customer links and what a customer does through them (no login): the case page's API,
 * answering a delay notice, confirming or correcting the address, moving or cancelling a return
 * pickup; the platform's delay report; agents' handling of a case's links.
 */
@Module({
  imports: [TicketsModule, ResolutionsModule, PlaybooksModule, TrackingModule],
  controllers: [SelfServiceController, TicketLinksController, DeskLinksController, TicketDelayController, LinkPageController],
  providers: [CustomerLinksService, SelfServiceService],
  exports: [CustomerLinksService],
})
export class SelfServiceModule {}
