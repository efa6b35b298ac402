import { Injectable } from '@nestjs/common';
import type { PlatformCommandEntity } from './platform-command.entity';
import { platformCommandEventView, platformCommandView, platformDeliveryView } from './platform-command.views';
import { ListFilter, PlatformCommandsService } from './platform-commands.service';

/**
 * Builds what the platform and operator endpoints answer (commands with their order's external id,
 * one command with its deliveries and history), so both controllers stay thin; the ticket view uses
 * {@link forTicket}.
 *
 * @example
 * const view = { ...ticketView, platformCommands: await reader.forTicket(merchantId, ticket.id) };
 */
@Injectable()
export class PlatformCommandReader {
  constructor(private readonly commands: PlatformCommandsService) {}

  async view(c: PlatformCommandEntity) {
    const ids = await this.commands.orderExternalIds(c.merchantId, [c.orderId]);
    return platformCommandView(c, ids.get(c.orderId) ?? null);
  }

  async detail(merchantId: string, id: string) {
    const c = await this.commands.get(merchantId, id);
    const [view, deliveries, history] = await Promise.all([this.view(c), this.commands.deliveries(merchantId, id), this.commands.history(merchantId, id)]);
    return { ...view, deliveries: deliveries.map(platformDeliveryView), history: history.map(platformCommandEventView) };
  }

  /** What a ticket shows: its commands, oldest first, as the API renders them. */
  async forTicket(merchantId: string, ticketId: string) {
    const commands = await this.commands.listForTicket(merchantId, ticketId);
    const ids = await this.commands.orderExternalIds(merchantId, commands.map((c) => c.orderId));
    return commands.map((c) => platformCommandView(c, ids.get(c.orderId) ?? null));
  }

  async page(merchantId: string, filter: ListFilter) {
    const { data, nextCursor } = await this.commands.list(merchantId, filter);
    const ids = await this.commands.orderExternalIds(merchantId, data.map((c) => c.orderId));
    return { data: data.map((c) => platformCommandView(c, ids.get(c.orderId) ?? null)), nextCursor };
  }
}
