import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { TrackingSnapshot, TrackingStatus } from '@app/carriers';
import { ShipmentEntity } from '../orders/shipment.entity';
import { SignalsService } from './signals.service';

/** Tie-break between events at the same instant: the further along wins. */
const STATUS_RANK_SQL = `CASE status
  WHEN 'cancelled' THEN 7 WHEN 'return_to_sender' THEN 6 WHEN 'delivered' THEN 5
  WHEN 'available_for_pickup' THEN 4 WHEN 'exception' THEN 4 WHEN 'out_for_delivery' THEN 3
  WHEN 'in_transit' THEN 2 WHEN 'pre_transit' THEN 1 ELSE 0 END`;

/** A shipment's next poll, by where the parcel is; finished parcels are not polled. */
export function nextRefreshDelayMs(status: TrackingStatus, webhookFed: boolean): number | null {
  const H = 3_600_000;
  if (status === 'delivered' || status === 'return_to_sender' || status === 'cancelled') return null;
  if (webhookFed) return 24 * H; // a safety net only: the carrier pushes changes
  switch (status) {
    case 'out_for_delivery':
      return 1 * H;
    case 'exception':
      return 2 * H;
    case 'in_transit':
      return 3 * H;
    default:
      return 6 * H;
  }
}

export interface ApplyResult {
  shipmentId: string;
  newEvents: number;
  status: TrackingStatus;
  changed: boolean;
}

/**
 * Applies what a carrier says to our shipments. The shipment's status is a function of the set of
 * events it has (the newest event wins; ties go to the further-along status), so duplicates,
 * redeliveries and out-of-order events all end in the same state, and an older event never moves a
 * shipment back. Snapshot-wide fields (estimate, signer, URL) come from the newest snapshot.
 */
@Injectable()
export class TrackingIngestService {
  private readonly statusListeners: ((em: EntityManager, shipment: ShipmentEntity, previous: TrackingStatus) => Promise<void>)[] = [];

  /** Called, in the transaction, whenever a shipment's status changes (a lost parcel turning up, say). */
  onStatusChanged(listener: (em: EntityManager, shipment: ShipmentEntity, previous: TrackingStatus) => Promise<void>): void {
    this.statusListeners.push(listener);
  }

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly signals: SignalsService,
  ) {}

  /** Applies `snapshot` to every shipment of ours with its carrier and tracking code (optionally one merchant's). */
  async applyToMatching(
    em: EntityManager,
    snapshot: TrackingSnapshot,
    opts: { merchantId?: string | null; source: 'webhook' | 'poll'; now: Date },
  ): Promise<ApplyResult[]> {
    const rows: { id: string; merchant_id: string }[] = await em.query(
      `SELECT id, merchant_id FROM shipments WHERE carrier = $1 AND tracking_code = $2 AND ($3::uuid IS NULL OR merchant_id = $3) ORDER BY id`,
      [snapshot.carrier, snapshot.trackingCode, opts.merchantId ?? null],
    );
    const results: ApplyResult[] = [];
    for (const r of rows) results.push(await this.apply(em, r.merchant_id, r.id, snapshot, opts));
    return results;
  }

  async apply(em: EntityManager, merchantId: string, shipmentId: string, snapshot: TrackingSnapshot, opts: { source: 'webhook' | 'poll'; now: Date }): Promise<ApplyResult> {
    // One writer per shipment at a time: concurrent webhooks for a parcel queue here.
    const shipment = await em.findOne(ShipmentEntity, { where: { merchantId, id: shipmentId }, lock: { mode: 'pessimistic_write' } });
    if (!shipment) throw new Error(`shipment ${shipmentId} vanished`);
    const before = { status: shipment.status, reason: shipment.exceptionReason, statusAt: shipment.statusAt?.getTime() ?? null };

    let newEvents = 0;
    if (snapshot.events.length) {
      const values: unknown[] = [];
      const tuples = snapshot.events.map((e, i) => {
        values.push(merchantId, shipmentId, e.sourceEventId, e.occurredAt, e.status, e.carrierStatus.slice(0, 64), e.carrierStatusDetail?.slice(0, 128) ?? null, e.exceptionReason ?? null, e.message, e.location ? JSON.stringify(e.location) : null);
        const b = i * 10;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10}::jsonb)`;
      });
      const inserted: unknown[] = await em.query(
        `INSERT INTO tracking_events (merchant_id, shipment_id, source_event_id, occurred_at, status, carrier_status, carrier_status_detail, exception_reason, message, location)
         VALUES ${tuples.join(', ')} ON CONFLICT (merchant_id, shipment_id, source_event_id) DO NOTHING RETURNING id`,
        values,
      );
      newEvents = inserted.length;
    }

    const lastEventBefore = shipment.lastEventAt?.getTime() ?? null;
    if (newEvents > 0 || (!shipment.statusAt && snapshot.events.length === 0)) {
      // Status is a function of the event set: the newest scan, ties to the further-along status.
      const [row]: { status: TrackingStatus | null; exception_reason: ShipmentEntity['exceptionReason']; occurred_at: Date | null; last_event_at: Date | null; delivered_at: Date | null }[] =
        await em.query(
          `SELECT l.status, l.exception_reason, l.occurred_at, a.last_event_at, a.delivered_at
             FROM (SELECT max(occurred_at) AS last_event_at, max(occurred_at) FILTER (WHERE status = 'delivered') AS delivered_at
                     FROM tracking_events WHERE merchant_id = $1 AND shipment_id = $2) a
             LEFT JOIN LATERAL (SELECT status, exception_reason, occurred_at FROM tracking_events WHERE merchant_id = $1 AND shipment_id = $2
                                 ORDER BY occurred_at DESC, ${STATUS_RANK_SQL} DESC, source_event_id DESC LIMIT 1) l ON true`,
          [merchantId, shipmentId],
        );
      if (row.status) {
        shipment.status = row.status;
        shipment.exceptionReason = row.status === 'exception' || row.status === 'return_to_sender' ? row.exception_reason : null;
        shipment.statusAt = row.occurred_at;
      } else if (snapshot.status !== 'unknown') {
        // A carrier that reports a status without any scan yet (e.g. a fresh label).
        shipment.status = snapshot.status;
      }
      shipment.lastEventAt = row.last_event_at;
      shipment.deliveredAt = row.delivered_at;
    }

    if (this.isNewerSnapshot(snapshot, shipment)) {
      shipment.snapshotAt = snapshot.updatedAt ? new Date(snapshot.updatedAt) : shipment.snapshotAt;
      if (snapshot.estimatedDeliveryAt !== undefined) shipment.estimatedDeliveryAt = snapshot.estimatedDeliveryAt ? new Date(snapshot.estimatedDeliveryAt) : null;
      if (snapshot.signedBy ?? snapshot.proofOfDelivery?.signedBy) shipment.signedBy = (snapshot.signedBy ?? snapshot.proofOfDelivery?.signedBy)!.slice(0, 200);
      if (snapshot.publicUrl) shipment.publicTrackingUrl = snapshot.publicUrl.slice(0, 2000);
      // The platform's word for the physical carrier stands; the aggregator's fills it in when missing.
      if (snapshot.underlyingCarrier && !shipment.carrierName) shipment.carrierName = snapshot.underlyingCarrier.slice(0, 40);
    }
    if (snapshot.trackerId) shipment.trackerId = snapshot.trackerId;
    if (opts.source === 'webhook') shipment.webhookSeenAt = opts.now;
    else {
      shipment.lastRefreshedAt = opts.now;
      shipment.refreshFailures = 0;
      shipment.lastRefreshError = null;
    }
    const delay = nextRefreshDelayMs(shipment.status, !!shipment.webhookSeenAt && opts.now.getTime() - shipment.webhookSeenAt.getTime() < 86_400_000);
    shipment.refreshDueAt = delay === null ? null : new Date(opts.now.getTime() + delay);

    // One UPDATE (no read-back): this is the hot path of every carrier push.
    await em.query(
      `UPDATE shipments SET status = $3, exception_reason = $4, status_at = $5, last_event_at = $6, delivered_at = $7, snapshot_at = $8,
              estimated_delivery_at = $9, signed_by = $10, public_tracking_url = $11, carrier_name = $12, tracker_id = $13, webhook_seen_at = $14,
              last_refreshed_at = $15, refresh_failures = $16, last_refresh_error = $17, refresh_due_at = $18, version = version + 1, updated_at = now()
        WHERE merchant_id = $1 AND id = $2`,
      [
        merchantId, shipmentId, shipment.status, shipment.exceptionReason, shipment.statusAt, shipment.lastEventAt, shipment.deliveredAt, shipment.snapshotAt,
        shipment.estimatedDeliveryAt, shipment.signedBy, shipment.publicTrackingUrl, shipment.carrierName, shipment.trackerId, shipment.webhookSeenAt,
        shipment.lastRefreshedAt, shipment.refreshFailures, shipment.lastRefreshError, shipment.refreshDueAt,
      ],
    );
    const changed = before.status !== shipment.status || before.reason !== shipment.exceptionReason || before.statusAt !== (shipment.statusAt?.getTime() ?? null);
    if (before.status !== shipment.status) for (const l of this.statusListeners) await l(em, shipment, before.status);
    // Signals depend only on status and the last scan: a push that changed neither cannot change them.
    if (changed || lastEventBefore !== (shipment.lastEventAt?.getTime() ?? null) || newEvents > 0) await this.signals.onShipmentChanged(em, shipment, opts.now);
    return { shipmentId, newEvents, status: shipment.status, changed };
  }

  /** Newest snapshot wins; equal times are broken by content so any arrival order gives one result. */
  private isNewerSnapshot(snapshot: TrackingSnapshot, shipment: ShipmentEntity): boolean {
    if (!snapshot.updatedAt) return !shipment.snapshotAt;
    if (!shipment.snapshotAt) return true;
    const a = new Date(snapshot.updatedAt).getTime();
    const b = shipment.snapshotAt.getTime();
    if (a !== b) return a > b;
    const est = snapshot.estimatedDeliveryAt ? new Date(snapshot.estimatedDeliveryAt).toISOString() : '';
    const incoming = `${est}|${snapshot.signedBy ?? ''}`;
    const current = `${shipment.estimatedDeliveryAt?.toISOString() ?? ''}|${shipment.signedBy ?? ''}`;
    return incoming > current;
  }
}
