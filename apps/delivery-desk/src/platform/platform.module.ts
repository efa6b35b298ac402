import { Module } from '@nestjs/common';
import { PlatformCommandReader } from './platform-command.reader';
import { PlatformCommandsAdminController } from './platform-commands-admin.controller';
import { PlatformCommandsController } from './platform-commands.controller';
import { PlatformCommandsService } from './platform-commands.service';
import { PlatformDeliveryOptions } from './platform-delivery.options';
import { PlatformDeliveryService } from './platform-delivery.service';
import { PlatformMessageDelivery } from './platform-message-delivery.service';
import { PlatformWebhookClient } from './platform-webhook.client';

/**
 * Platform commands: signed outbound webhooks to merchants' platforms, their retries and replays,
 * and the API through which platforms confirm or fail them. Import it to issue commands
 * (`PlatformCommandsService`) and to show them on a ticket (`PlatformCommandReader.forTicket`).
 */
@Module({
  controllers: [PlatformCommandsController, PlatformCommandsAdminController],
  providers: [PlatformDeliveryOptions, PlatformWebhookClient, PlatformCommandsService, PlatformDeliveryService, PlatformCommandReader, PlatformMessageDelivery],
  exports: [PlatformCommandsService, PlatformCommandReader, PlatformDeliveryOptions, PlatformMessageDelivery],
})
export class PlatformModule {}
