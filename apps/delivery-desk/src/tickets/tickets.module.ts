import { Module } from '@nestjs/common';
import { TrackingModule } from '../tracking/tracking.module';
import { DeskController } from './desk.controller';
import { FactsGatherer } from './facts.gatherer';
import { TicketClocks } from './ticket-clocks.service';
import { TicketReader } from './ticket-reader.service';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';
import { PlatformModule } from '../platform/platform.module';

@Module({
  imports: [TrackingModule, PlatformModule],
  controllers: [TicketsController, DeskController],
  providers: [TicketsService, TicketReader, FactsGatherer, TicketClocks],
  exports: [TicketsService, TicketReader, TicketClocks],
})
export class TicketsModule {}
