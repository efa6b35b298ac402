/** Delivery Desk operating conventions (DESIGN.md): ours, stated so decisions can cite them. */
import type { RuleDefinition } from './rule';

const desk = (id: string, title: string) =>
  ({ id, family: 'desk', title, citation: 'Delivery Desk design (DESIGN.md)', status: 'DESK', jurisdiction: 'desk' }) as const;

export const DESK_RULES = [
  desk('DESK-LEDGER-CAP', 'Refunds never exceed what was paid less earlier refunds, and one loss is compensated once.'),
  desk('DESK-SPLIT-SHIPMENT', 'A "missing" line that is still travelling in another shipment is waited for, not replaced.'),
  desk('DESK-WISMO-ESTIMATE', 'A parcel in transit and on time is answered with the carrier\u2019s estimate.'),
  desk('DESK-LATE-IN-TRANSIT', 'A parcel past its estimate but still scanning gets a carrier trace before it is called lost.'),
  desk('DESK-FOUND-AFTER-COMPENSATION', 'A lost parcel that later delivers or returns reopens the case.'),
  desk('DESK-REQUEST-NOT-AVAILABLE', 'A remedy the customer asked for that the rules do not support is recorded as blocked.'),
  desk('DESK-ADDRESS-CONFIRM', 'An undeliverable address is confirmed or corrected by the customer before the parcel is redirected.'),
  desk('DESK-RETURN-INSPECTION', 'A returned item that arrives used, damaged or different from what was sent goes to review.'),
  desk('DESK-CLAIM-DUPLICATE', 'A carrier claim already filed or paid is not filed again.'),
] as const satisfies readonly RuleDefinition[];
