import type { Playbook } from './playbook';

/**
 * Wrong, missing or damaged items. Line-level: the decision checks split shipments first (a "missing"
 * item may be in another parcel), offers remedies for the affected lines only, keep-the-item where a
 * return makes no sense, and a carrier damage claim with its deadline (the claim clocks run).
 */
export const itemPlaybook: Playbook = {
  name: 'item-issue',
  categories: ['wrong_item', 'missing_item', 'damaged'],
  templates: { refund: 'item.refund_issued', reship: 'item.replacement_sent' },
  cause: 'picking_error',
};
