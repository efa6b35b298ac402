import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ShipmentEntity } from '../orders/shipment.entity';
import { ShipmentSignalEntity, SignalKind } from './shipment-signal.entity';

const FINISHED = ['delivered', 'return_to_sender', 'cancelled'];

/**
 * Raises and clears "needs attention" signals: at most one open signal per shipment and kind
 * (a partial unique index decides races). Tickets are opened from open signals and closed when the
 * signal resolves.
 */
export type SignalListener = (em: EntityManager, signal: ShipmentSignalEntity) => Promise<void>;

/** Resolutions that mean "the problem continues under another signal", not "the shipment recovered". */
export const SUPERSEDING_RESOLUTIONS = ['returning_to_sender', 'stalled'];

interface SignalRow {
  id: string;
  merchant_id: string;
  shipment_id: string;
  kind: SignalKind;
  reason: ShipmentSignalEntity['reason'];
  details: Record<string, unknown>;
  opened_at: Date;
  resolved_at: Date | null;
  resolution: string | null;
}

const toEntity = (r: SignalRow): ShipmentSignalEntity =>
  Object.assign(new ShipmentSignalEntity(), {
    id: r.id,
    merchantId: r.merchant_id,
    shipmentId: r.shipment_id,
    kind: r.kind,
    reason: r.reason,
    details: r.details,
    openedAt: r.opened_at,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
  });

@Injectable()
export class SignalsService {
  private readonly opened: SignalListener[] = [];
  private readonly resolved: SignalListener[] = [];

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Called, in the transaction, for every signal that opens (tickets are opened from here). */
  onOpened(listener: SignalListener): void {
    this.opened.push(listener);
  }

  /** Called, in the transaction, for every signal that closes. */
  onResolved(listener: SignalListener): void {
    this.resolved.push(listener);
  }

  private async notify(em: EntityManager, rows: SignalRow[], listeners: SignalListener[]): Promise<void> {
    for (const row of rows) for (const l of listeners) await l(em, toEntity(row));
  }

  /** Called in the transaction that changed a shipment's tracking state. */
  async onShipmentChanged(em: EntityManager, s: ShipmentEntity, now: Date): Promise<void> {
    // A return coming back to the shop is not a delivery to the customer: it raises no outbound signals.
    if (s.direction === 'return') return;
    if (s.status === 'exception') {
      await this.open(em, s, 'exception', now, { carrierStatus: s.status, reason: s.exceptionReason, at: s.statusAt?.toISOString() ?? null }, s.exceptionReason);
    }
    if (s.status === 'return_to_sender') {
      // The return supersedes the exception that led to it: one problem, one open signal.
      await this.resolve(em, s, ['exception', 'stalled', 'late'], 'returning_to_sender', now);
      await this.open(em, s, 'return_to_sender', now, { reason: s.exceptionReason, at: s.statusAt?.toISOString() ?? null }, s.exceptionReason);
    }
    if (s.status === 'delivered') {
      await this.resolve(em, s, ['exception', 'stalled', 'late'], 'delivered', now);
    } else if (s.status !== 'exception' && s.status !== 'return_to_sender' && s.status !== 'available_for_pickup') {
      // Held at a location is not recovered: the problem stays open until pickup or delivery.
      await this.resolve(em, s, ['exception'], 'moving_again', now);
    }
    // Any scan newer than a stall signal means the parcel moves again.
    if (s.lastEventAt) {
      const rows: [SignalRow[], number] = await em.query(
        `UPDATE shipment_signals SET resolved_at = $3, resolution = 'scanned_again'
          WHERE merchant_id = $1 AND shipment_id = $2 AND kind = 'stalled' AND resolved_at IS NULL AND opened_at < $4 RETURNING *`,
        [s.merchantId, s.id, now, s.lastEventAt],
      );
      await this.notify(em, rows[0], this.resolved);
    }
  }

  /**
   * Finds parcels with no scan for the merchant's stall period and parcels past their estimated
   * delivery plus the merchant's grace, and opens their signals. Returns how many were opened.
   */
  async sweep(now: Date): Promise<{ stalled: number; late: number }> {
    return this.ds.transaction((em) => this.sweepIn(em, now));
  }

  private async sweepIn(em: EntityManager, now: Date): Promise<{ stalled: number; late: number }> {
    const stalled: SignalRow[] = await em.query(
      `INSERT INTO shipment_signals (merchant_id, shipment_id, kind, details, opened_at)
       SELECT s.merchant_id, s.id, 'stalled',
              jsonb_build_object('lastScanAt', COALESCE(s.last_event_at, s.shipped_at, s.created_at), 'stallAfterDays', m.stall_after_days),
              $1
         FROM shipments s JOIN merchants m ON m.id = s.merchant_id
        WHERE s.status <> ALL($2) AND s.direction = 'outbound'
          AND COALESCE(s.last_event_at, s.shipped_at, s.created_at) < $1::timestamptz - make_interval(days => m.stall_after_days)
       ON CONFLICT (merchant_id, shipment_id, kind) WHERE resolved_at IS NULL DO NOTHING
       RETURNING *`,
      [now, FINISHED],
    );
    await this.notify(em, stalled, this.opened);
    // A stalled parcel is late too, but it is one problem: the stall (which leads to a trace) wins.
    const superseded: [SignalRow[], number] = await em.query(
      `UPDATE shipment_signals l SET resolved_at = $1, resolution = 'stalled'
         FROM shipment_signals st
        WHERE l.kind = 'late' AND l.resolved_at IS NULL AND st.kind = 'stalled' AND st.resolved_at IS NULL
          AND st.merchant_id = l.merchant_id AND st.shipment_id = l.shipment_id
       RETURNING l.*`,
      [now],
    );
    await this.notify(em, superseded[0], this.resolved);
    const late: SignalRow[] = await em.query(
      `INSERT INTO shipment_signals (merchant_id, shipment_id, kind, details, opened_at)
       SELECT s.merchant_id, s.id, 'late', jsonb_build_object('estimatedDeliveryAt', s.estimated_delivery_at, 'lateAfterHours', m.late_after_hours), $1
         FROM shipments s JOIN merchants m ON m.id = s.merchant_id
        WHERE s.status <> ALL($2) AND s.direction = 'outbound' AND s.estimated_delivery_at IS NOT NULL
          AND s.estimated_delivery_at < $1::timestamptz - make_interval(hours => m.late_after_hours)
          AND NOT EXISTS (SELECT 1 FROM shipment_signals st WHERE st.merchant_id = s.merchant_id AND st.shipment_id = s.id AND st.kind = 'stalled' AND st.resolved_at IS NULL)
       ON CONFLICT (merchant_id, shipment_id, kind) WHERE resolved_at IS NULL DO NOTHING
       RETURNING *`,
      [now, FINISHED],
    );
    await this.notify(em, late, this.opened);
    // A new estimate that puts the parcel back on time clears its lateness.
    const onTime: [SignalRow[], number] = await em.query(
      `UPDATE shipment_signals g SET resolved_at = $1, resolution = 'new_estimate'
         FROM shipments s JOIN merchants m ON m.id = s.merchant_id
        WHERE g.kind = 'late' AND g.resolved_at IS NULL AND s.merchant_id = g.merchant_id AND s.id = g.shipment_id
          AND s.estimated_delivery_at >= $1::timestamptz - make_interval(hours => m.late_after_hours)
       RETURNING g.*`,
      [now],
    );
    await this.notify(em, onTime[0], this.resolved);
    return { stalled: stalled.length, late: late.length };
  }


  private async open(em: EntityManager, s: ShipmentEntity, kind: SignalKind, now: Date, details: Record<string, unknown>, reason: ShipmentEntity['exceptionReason'] = null): Promise<void> {
    const rows: SignalRow[] = await em.query(
      `INSERT INTO shipment_signals (merchant_id, shipment_id, kind, reason, details, opened_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (merchant_id, shipment_id, kind) WHERE resolved_at IS NULL DO NOTHING RETURNING *`,
      [s.merchantId, s.id, kind, reason, JSON.stringify(details), now],
    );
    await this.notify(em, rows, this.opened);
  }

  private async resolve(em: EntityManager, s: ShipmentEntity, kinds: SignalKind[], resolution: string, now: Date): Promise<void> {
    const rows: [SignalRow[], number] = await em.query(
      `UPDATE shipment_signals SET resolved_at = $4, resolution = $5 WHERE merchant_id = $1 AND shipment_id = $2 AND kind = ANY($3) AND resolved_at IS NULL RETURNING *`,
      [s.merchantId, s.id, kinds, now, resolution],
    );
    await this.notify(em, rows[0], this.resolved);
  }
}
