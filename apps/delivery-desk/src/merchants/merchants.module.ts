import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { MerchantsService } from './merchants.service';

@Module({
  controllers: [AdminController],
  providers: [MerchantsService],
  exports: [MerchantsService],
})
export class MerchantsModule {}
