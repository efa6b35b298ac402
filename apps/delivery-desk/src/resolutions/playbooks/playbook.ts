import type { EntityManager } from 'typeorm';
import type { CauseCode, TemplateId } from '../../notifications';
import type { Clock } from '../../common/clock';
import type { TicketDecisionEntity } from '../../tickets/ticket-decision.entity';
import type { TicketCategory, TicketEntity } from '../../tickets/ticket.entity';
import type { TicketsService } from '../../tickets/tickets.service';
import type { CaseMessages } from './case-messages.service';

export interface PlaybookDeps {
  messages: CaseMessages;
  tickets: TicketsService;
  clock: Clock;
}

/**
 * One of the five playbooks: what the desk does on its own when a case opens, and how it words the
 * remedies the customer or an agent chooses (those run as sagas planned in `action-plan.ts`).
 */
export interface Playbook {
  name: string;
  categories: readonly TicketCategory[];
  /** The message that tells the customer about each money or goods remedy. */
  templates: { refund: TemplateId; reship: TemplateId };
  /** The cause told to Japanese-speaking customers unless an agent names another. */
  cause: CauseCode;
  /** The first answer when a case opens, in its opening transaction. */
  acknowledge?(em: EntityManager, ticket: TicketEntity, decision: TicketDecisionEntity | null, deps: PlaybookDeps): Promise<void>;
}
