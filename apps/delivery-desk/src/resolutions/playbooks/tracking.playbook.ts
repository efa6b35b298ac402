import { ShipmentEntity } from '../../orders/shipment.entity';
import { loadCaseContext } from './case-context';
import { customerParams } from './case-messages.service';
import type { Playbook } from './playbook';

/**
 * Tracking / where is my order. A parcel moving on time is answered with its estimate and the case
 * closes; a late, stalled or troubled one stays with the desk (the decision offers a delay notice or
 * a trace), and the reply SLA clock runs.
 */
export const trackingPlaybook: Playbook = {
  name: 'tracking',
  categories: ['tracking'],
  templates: { refund: 'item.refund_issued', reship: 'item.replacement_sent' },
  cause: 'carrier_delay',
  async acknowledge(em, ticket, _decision, { messages, tickets, clock }) {
    const ctx = await loadCaseContext(em, ticket);
    const s = ctx.shipment ?? (await em.findOne(ShipmentEntity, { where: { merchantId: ticket.merchantId, orderId: ticket.orderId }, order: { createdAt: 'DESC' } }));
    const moving = s && ['pre_transit', 'in_transit', 'out_for_delivery'].includes(s.status);
    if (!s || !moving || !s.estimatedDeliveryAt || s.estimatedDeliveryAt < clock.now() || !s.lastEventAt) return;
    const troubled = await em.query(`SELECT 1 FROM shipment_signals WHERE merchant_id = $1 AND shipment_id = $2 AND resolved_at IS NULL LIMIT 1`, [ticket.merchantId, s.id]);
    if (troubled.length) return;
    await messages.send(em, { ...ctx, shipment: s }, 'tracking.on_time', {
      ...customerParams(ctx),
      carrier: s.carrierName ?? s.carrier.toUpperCase(),
      trackingCode: s.trackingCode,
      lastScanAt: s.lastEventAt,
      estimatedDelivery: s.estimatedDeliveryAt,
      ...(s.publicTrackingUrl ? { trackingUrl: s.publicTrackingUrl } : {}),
    });
    await tickets.resolveBy(em, ticket, { kind: 'system', id: 'playbook:tracking' }, { reason: 'answered_on_time', shipmentId: s.id });
  },
};
