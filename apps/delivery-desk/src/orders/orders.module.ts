import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { ShipmentsService } from './shipments.service';

@Module({
  controllers: [OrdersController],
  providers: [OrdersService, ShipmentsService],
  exports: [OrdersService, ShipmentsService],
})
export class OrdersModule {}
