import type { TicketCategory } from '../../tickets/ticket.entity';
import { addressPlaybook } from './address.playbook';
import { dnrPlaybook } from './dnr.playbook';
import { itemPlaybook } from './item.playbook';
import type { Playbook } from './playbook';
import { returnPlaybook } from './return.playbook';
import { trackingPlaybook } from './tracking.playbook';

/** The five playbooks; the ticket's category picks one. */
export const PLAYBOOKS: readonly Playbook[] = [trackingPlaybook, dnrPlaybook, itemPlaybook, addressPlaybook, returnPlaybook];

export function playbookFor(category: TicketCategory): Playbook {
  const found = PLAYBOOKS.find((p) => p.categories.includes(category));
  if (!found) throw new Error(`No playbook for ${category}`);
  return found;
}
