import type { Playbook } from './playbook';

/**
 * Address unknown or undeliverable. Opened by the carrier's exception; the desk can have the carrier
 * hold or intercept the parcel (where the carrier can), the hold-expiry clock warns before it goes back,
 * and on a return to sender the customer gets a refund or a reship.
 */
export const addressPlaybook: Playbook = {
  name: 'address',
  categories: ['address_issue'],
  templates: { refund: 'address.rts_refund', reship: 'address.rts_reship' },
  cause: 'address_incomplete',
};
