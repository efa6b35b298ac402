import type { Playbook } from './playbook';

/**
 * Return pickup. Eligibility is the decision's (merchant policy and state law); the desk issues the
 * return label and books the carrier's pickup, and tells the customer the window.
 */
export const returnPlaybook: Playbook = {
  name: 'return-pickup',
  categories: ['return_pickup'],
  templates: { refund: 'return.received_refund', reship: 'item.replacement_sent' },
  cause: 'unknown',
};
