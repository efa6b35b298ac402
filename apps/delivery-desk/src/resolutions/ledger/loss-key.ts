/**
 * Names of losses, so every playbook (and tracking, when a lost parcel turns up) names the same loss
 * the same way. A loss key is compared as a whole: pick one per loss and keep to it — a whole parcel
 * is `shipment:<id>`, affected items of an order are `lines:<lineId>x<qty>`.
 *
 * @example
 * await ledger.reserve(em, { ..., kind: 'refund', lossKey: lossKey.shipment(ticket.shipmentId) });
 * await ledger.flagDoubleCompensation(em, { merchantId, orderId, lossKey: lossKey.shipment(id), reason: 'delivered_after_loss' });
 */
export const lossKey = {
  /** A whole parcel lost, stolen, or delivered and not received. */
  shipment: (shipmentId: string) => `shipment:${shipmentId}`,
  /** Some units of one line: damaged, missing, wrong. */
  lines: (lineId: string, quantity: number) => `lines:${lineId}x${quantity}`,
  /** The order as a whole (a late-shipment cancellation under the FTC Mail Order Rule). */
  order: (orderId: string) => `order:${orderId}`,
};

export const LOSS_KEY_PATTERN = /^[a-z_]+:[A-Za-z0-9._:x,-]{1,190}$/;
