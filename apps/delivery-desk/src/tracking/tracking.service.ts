import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CARRIER_CODES, CarrierAdapter, CarrierCode, CarrierError, TrackingStatus, UpsAdapter } from '@app/carriers';
import { Clock } from '../common/clock';
import { SETTINGS, Settings } from '../config/settings';
import { JobQueue } from '../jobs/job-queue.service';
import { ShipmentEntity } from '../orders/shipment.entity';
import { CarrierAccountEntity } from './carrier-account.entity';
import { CarrierRegistry } from './carrier-registry.service';
import { RateLimiter } from './rate-limiter';
import { SignalsService } from './signals.service';
import { ApplyResult, TrackingIngestService } from './tracking-ingest.service';

export const trackQueue = (carrier: CarrierCode) => `tracking-track-${carrier}`;
export const REFRESH_SWEEP_QUEUE = 'tracking-refresh-sweep';
export const ATTENTION_SWEEP_QUEUE = 'tracking-attention-sweep';

interface TrackJob {
  merchantId: string;
  shipmentId: string;
}

/** How long a shipment picked by the sweep is left alone before it may be picked again. */
const SWEEP_LEASE_MS = 10 * 60_000;

/** UPS Track Alert subscriptions lapse after 14 days; they are renewed when less than a day is left. */
const TRACK_ALERT_DAYS = 14;
const RENEW_BEFORE_MS = 24 * 3_600_000;
const FINISHED: readonly TrackingStatus[] = ['delivered', 'return_to_sender', 'cancelled'];

/**
 * Keeps shipments true to their carrier: creates the tracker when a shipment is registered, polls
 * shipments the carrier does not push (with backoff on failure and a rate limit per carrier), and
 * sweeps for stalled and late parcels. All of it runs on the job queue.
 */
@Injectable()
export class TrackingService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(TrackingService.name);
  private readonly limiter: RateLimiter;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly jobs: JobQueue,
    private readonly registry: CarrierRegistry,
    private readonly ingest: TrackingIngestService,
    private readonly signals: SignalsService,
    private readonly clock: Clock,
  ) {
    this.limiter = new RateLimiter(settings.tracking.carrierRequestsPerSecond);
  }

  onModuleInit(): void {
    const retry = { retryLimit: 8, retryDelay: this.settings.jobs.retryDelaySeconds, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 120 };
    for (const carrier of CARRIER_CODES) {
      // 'stately': one queued and one running call per shipment at most, however often it is asked for.
      this.jobs.register<TrackJob>(trackQueue(carrier), { ...retry, policy: 'stately', concurrency: carrier === 'sandbox' ? 8 : 4 }, async (data) => {
        await this.track(data.merchantId, data.shipmentId);
      });
    }
    this.jobs.register(REFRESH_SWEEP_QUEUE, { retryLimit: 1, cron: '* * * * *' }, async () => {
      await this.sweepDue();
    });
    this.jobs.register(ATTENTION_SWEEP_QUEUE, { retryLimit: 1, cron: '*/15 * * * *' }, async () => {
      await this.signals.sweep(this.clock.now());
    });
  }

  /** A sweep soon after boot, rather than at the next quarter hour (the schedule's first run). */
  onApplicationBootstrap(): void {
    if (this.settings.jobs.schedules) {
      this.jobs.whenStarted(async () => {
        await this.jobs.send(ATTENTION_SWEEP_QUEUE, {}, { startAfter: 20 });
      });
    }
  }

  /** Queues the first tracking call for a just-registered shipment, in the registering transaction. */
  async onShipmentRegistered(em: EntityManager, shipment: ShipmentEntity): Promise<void> {
    // Should the first call be lost, the sweep picks the shipment up.
    await em.update(ShipmentEntity, { merchantId: shipment.merchantId, id: shipment.id }, { refreshDueAt: new Date(this.clock.now().getTime() + SWEEP_LEASE_MS) });
    await this.jobs.send(trackQueue(shipment.carrier), { merchantId: shipment.merchantId, shipmentId: shipment.id }, { singletonKey: shipment.id }, em);
  }

  /**
   * Asks the carrier about one shipment and applies the answer. A retryable carrier failure is
   * recorded and rethrown (the queue retries with backoff); a permanent one is recorded and kept for
   * agents to see, and the shipment is left for the next sweep.
   */
  async track(merchantId: string, shipmentId: string): Promise<ApplyResult | null> {
    const shipment = await this.ds.getRepository(ShipmentEntity).findOneBy({ merchantId, id: shipmentId });
    if (!shipment || shipment.status === 'cancelled') return null;
    try {
      const adapter = await this.registry.adapterFor(merchantId, shipment.carrier);
      // The sandbox starts a parcel's story when the shipment was registered, on every replica alike.
      if (shipment.carrier === 'sandbox') this.registry.sandbox.register(shipment.trackingCode, shipment.createdAt);
      await this.limiter.take(shipment.carrier);
      const snapshot = await adapter.track(
        { trackingCode: shipment.trackingCode, carrierHint: shipment.carrierName, trackerId: shipment.trackerId },
        { idempotencyKey: `track:${shipment.id}` },
      );
      const applied = await this.ds.transaction((em) => this.ingest.apply(em, merchantId, shipmentId, snapshot, { source: 'poll', now: this.clock.now() }));
      await this.keepPushesComing(shipment, adapter, applied?.status ?? snapshot.status);
      return applied;
    } catch (err) {
      if (!(err instanceof CarrierError)) throw err;
      const backoffMs = Math.min(3_600_000, 60_000 * 2 ** Math.min(shipment.refreshFailures, 6));
      await this.ds.query(
        `UPDATE shipments SET refresh_failures = refresh_failures + 1, last_refresh_error = $3, refresh_due_at = $4 WHERE merchant_id = $1 AND id = $2`,
        [merchantId, shipmentId, `${err.code}: ${err.message}`.slice(0, 500), new Date(this.clock.now().getTime() + backoffMs)],
      );
      if (err.retryable) throw err;
      this.logger.warn({ shipmentId, carrier: shipment.carrier, code: err.code }, 'carrier refused a tracking call');
      return null;
    }
  }

  /**
   * UPS pushes a parcel's scans only to a Track Alert subscriber, for 14 days at a time: a live parcel
   * is subscribed (with the merchant's webhook token as the credential UPS echoes back) and renewed a
   * day before it lapses; a finished one is left to lapse. A failure here only costs pushes: polling
   * goes on, and the next tracking call tries again.
   */
  private async keepPushesComing(shipment: ShipmentEntity, adapter: CarrierAdapter, status: TrackingStatus): Promise<void> {
    if (!(adapter instanceof UpsAdapter) || FINISHED.includes(status)) return;
    const now = this.clock.now();
    if (shipment.pushSubscribedUntil && shipment.pushSubscribedUntil.getTime() - now.getTime() > RENEW_BEFORE_MS) return;
    const account = await this.ds.getRepository(CarrierAccountEntity).findOneBy({ merchantId: shipment.merchantId, carrier: 'ups', active: true });
    if (!account) return;
    try {
      const credential = await this.registry.webhookSecretOf(account);
      const url = `${this.settings.publicBaseUrl}/webhooks/ups/${account.id}`;
      const { subscribed, rejected } = await adapter.subscribeTrackAlert([shipment.trackingCode], { url, credential });
      if (!subscribed.map((c) => c.toUpperCase()).includes(shipment.trackingCode.toUpperCase())) {
        this.logger.warn({ shipmentId: shipment.id, rejected }, 'UPS refused a Track Alert subscription');
        return;
      }
      await this.ds.query(`UPDATE shipments SET push_subscribed_until = $3 WHERE merchant_id = $1 AND id = $2`, [
        shipment.merchantId,
        shipment.id,
        new Date(now.getTime() + TRACK_ALERT_DAYS * 24 * 3_600_000),
      ]);
    } catch (err) {
      if (!(err instanceof CarrierError)) throw err;
      this.logger.warn({ shipmentId: shipment.id, code: err.code }, 'Track Alert subscription failed; polling continues');
    }
  }

  /**
   * Picks shipments whose refresh is due and queues a tracking call for each. The rows are leased
   * (pushed forward) in the same transaction, so parallel sweeps on several replicas never pick the
   * same shipment twice.
   */
  async sweepDue(limit = 500): Promise<number> {
    const now = this.clock.now();
    return this.ds.transaction(async (em) => {
      const due: { id: string; merchant_id: string; carrier: CarrierCode }[] = await em.query(
        `SELECT id, merchant_id, carrier FROM shipments WHERE refresh_due_at <= $1 ORDER BY refresh_due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      if (!due.length) return 0;
      await em.query(`UPDATE shipments SET refresh_due_at = $2 WHERE id = ANY($1)`, [due.map((d) => d.id), new Date(now.getTime() + SWEEP_LEASE_MS)]);
      for (const d of due) {
        await this.jobs.send(trackQueue(d.carrier), { merchantId: d.merchant_id, shipmentId: d.id }, { singletonKey: d.id }, em);
      }
      return due.length;
    });
  }
}
