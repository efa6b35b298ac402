import { Module } from '@nestjs/common';
import { TrackingModule } from '../tracking/tracking.module';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { ShipmentsService } from './shipments.service';

@Module({
  imports: [TrackingModule],
  controllers: [OrdersController],
  providers: [OrdersService, ShipmentsService],
  exports: [OrdersService, ShipmentsService],
})
export class OrdersModule {}
