import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { CustomerLinkEntity } from '../self-service/customer-link.entity';
import { TicketEntity } from './ticket.entity';
import { TicketsService } from './tickets.service';
import { customerLinkView, decisionView, eventView, evidenceView, messageView, TicketContext, ticketView } from './ticket.views';

/** Assembles what the API shows for a ticket: the case, its decision, messages and audit trail. */
@Injectable()
export class TicketReader {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
  ) {}

  async context(t: TicketEntity): Promise<TicketContext> {
    const rows: { external_id: string; line_id: string | null; line_external_id: string | null }[] = await this.ds.query(
      `SELECT o.external_id, l.id AS line_id, l.external_id AS line_external_id
         FROM orders o LEFT JOIN order_lines l ON l.merchant_id = o.merchant_id AND l.order_id = o.id
        WHERE o.merchant_id = $1 AND o.id = $2`,
      [t.merchantId, t.orderId],
    );
    return { orderExternalId: rows[0]?.external_id ?? '', lineExternalIds: new Map(rows.filter((r) => r.line_id).map((r) => [r.line_id!, r.line_external_id!])) };
  }

  async summary(t: TicketEntity) {
    return ticketView(t, await this.context(t));
  }

  async full(merchantId: string, ticketId: string) {
    const t = await this.tickets.get(merchantId, ticketId);
    // Independent reads of committed rows: asked at once, so a ticket costs one round trip after the first.
    const [decision, timeline, context, evidence, links] = await Promise.all([
      this.tickets.currentDecision(merchantId, t.id),
      this.tickets.timeline(merchantId, t.id),
      this.context(t),
      this.tickets.evidenceList(merchantId, t),
      this.ds.getRepository(CustomerLinkEntity).find({ where: { merchantId, ticketId: t.id }, order: { createdAt: 'ASC' } }),
    ]);
    const now = this.clock.now();
    return {
      ...ticketView(t, context),
      decision: decisionView(decision),
      messages: timeline.messages.map(messageView),
      evidence: evidence.map(evidenceView),
      links: links.map((l) => customerLinkView(l, now)),
      events: timeline.events.map(eventView),
    };
  }

  async options(merchantId: string, ticketId: string) {
    const t = await this.tickets.get(merchantId, ticketId);
    const d = decisionView(await this.tickets.currentDecision(merchantId, t.id));
    return {
      ticketId: t.id,
      version: t.version,
      status: t.status,
      decidedAt: d?.decidedAt ?? null,
      approval: d?.approval ?? null,
      required: d?.required ?? [],
      customerChoice: d?.customerChoice ?? [],
      allowed: d?.allowed ?? [],
      blocked: d?.blocked ?? [],
      scheduled: d?.scheduled ?? [],
      deadlines: d?.deadlines ?? {},
      explanation: d?.explanation ?? { en: [], ja: [] },
    };
  }
}
