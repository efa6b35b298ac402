import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { chooseLanguages, composeMessage, EmailChannel, EmailSendError, TemplateId, TemplateParams } from '../../notifications';
import { SETTINGS, Settings } from '../../config/settings';
import { JobQueue } from '../../jobs/job-queue.service';
import { CustomerEntity } from '../../orders/customer.entity';
import { OrderEntity } from '../../orders/order.entity';
import { TicketMessageEntity } from '../../tickets/ticket-message.entity';
import { TicketEntity } from '../../tickets/ticket.entity';
import { TicketsService } from '../../tickets/tickets.service';
import { PlatformMessageDelivery } from '../../platform/platform-message-delivery.service';
import { CaseContext } from './case-context';

export const MESSAGE_EMAIL_QUEUE = 'ticket-message-email';

/** Customer-facing params every template takes, from the case. */
export function customerParams(ctx: CaseContext) {
  return { customerName: ctx.customer.name, merchant: ctx.merchantNames, orderNumber: ctx.order.externalId, timeZone: ctx.timeZone };
}

/**
 * Customer messages of a case: composed from a template in the customer's language(s), stored on the
 * ticket in the same transaction as the change that caused them, then e-mailed by a job (retried
 * on transient SMTP failures; the Message-ID stays the same across retries).
 */
@Injectable()
export class CaseMessages implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CaseMessages.name);
  private readonly email: EmailChannel | null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SETTINGS) settings: Settings,
    private readonly jobs: JobQueue,
    private readonly tickets: TicketsService,
    private readonly platformMessages: PlatformMessageDelivery,
  ) {
    const smtp = settings.smtp;
    this.email = smtp
      ? new EmailChannel({ host: smtp.host, port: smtp.port, secure: smtp.secure, user: smtp.user ?? undefined, pass: smtp.pass ?? undefined, from: smtp.from, requireTls: settings.env === 'production' })
      : null;
  }

  onModuleInit(): void {
    this.jobs.register<{ merchantId: string; messageId: string }>(
      MESSAGE_EMAIL_QUEUE,
      { retryLimit: 8, retryDelay: 30, retryBackoff: true, retryDelayMax: 3600, concurrency: 2 },
      (data) => this.deliver(data.merchantId, data.messageId),
    );
  }

  onModuleDestroy(): void {
    this.email?.close();
  }

  /** Composes, stores and queues a message to the customer. Returns the stored message. */
  async send<T extends TemplateId>(em: EntityManager, ctx: CaseContext, templateId: T, params: TemplateParams<T>, actor = { kind: 'system' as const, id: 'playbook' }): Promise<TicketMessageEntity> {
    const languages = chooseLanguages({ preferred: ctx.ticket.language ?? ctx.customer.preferredLanguage, customerName: ctx.customer.name, merchantDefault: ctx.merchant.defaultLanguage });
    const composed = composeMessage(templateId, params, languages);
    const message = await em.save(
      em.create(TicketMessageEntity, {
        merchantId: ctx.ticket.merchantId,
        ticketId: ctx.ticket.id,
        direction: 'outbound',
        channel: 'email',
        authorKind: 'system',
        authorId: actor.id,
        languages: [...composed.languages],
        templateId,
        subject: composed.subject.slice(0, 500),
        bodyText: composed.text,
        bodyHtml: composed.html,
        deliveryStatus: this.email ? 'pending' : 'none',
      }),
    );
    await this.tickets.appendEvent(em, ctx.ticket, actor, 'message_added', { messageId: message.id, direction: 'outbound', channel: 'email', templateId, languages: composed.languages });
    if (this.email) await this.jobs.send(MESSAGE_EMAIL_QUEUE, { merchantId: ctx.ticket.merchantId, messageId: message.id }, { singletonKey: message.id }, em);
    await this.platformMessages.enqueue(em, message);
    return message;
  }

  /** The e-mail job: a transient SMTP failure is rethrown for the queue to retry; a permanent one is recorded. */
  private async deliver(merchantId: string, messageId: string): Promise<void> {
    if (!this.email) return;
    const message = await this.ds.getRepository(TicketMessageEntity).findOneBy({ merchantId, id: messageId });
    if (!message || message.deliveryStatus !== 'pending') return;
    const ticket = await this.ds.getRepository(TicketEntity).findOneByOrFail({ merchantId, id: message.ticketId });
    const order = await this.ds.getRepository(OrderEntity).findOneByOrFail({ merchantId, id: ticket.orderId });
    const customer = await this.ds.getRepository(CustomerEntity).findOneByOrFail({ merchantId, id: order.customerId });
    try {
      await this.email.send({
        to: customer.email,
        subject: message.subject,
        text: message.bodyText,
        html: message.bodyHtml,
        languages: message.languages,
        templateId: message.templateId,
        idempotencyKey: `message:${message.id}`,
        ticketRef: `DD-${ticket.number}`,
      });
      await this.ds.query(`UPDATE ticket_messages SET delivery_status = 'sent' WHERE merchant_id = $1 AND id = $2`, [merchantId, messageId]);
    } catch (err) {
      if (err instanceof EmailSendError && err.retryable) throw err;
      this.logger.warn({ messageId, code: (err as EmailSendError).code }, 'e-mail refused for good');
      await this.ds.query(`UPDATE ticket_messages SET delivery_status = 'failed' WHERE merchant_id = $1 AND id = $2`, [merchantId, messageId]);
    }
  }
}
