import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  CarrierError,
  CarrierWebhookEvent,
  Claim,
  EasyPostMapper,
  EasyPostSignatureError,
  parseUpsTrackAlertWebhook,
  TrackingSnapshot,
  verifyEasyPostWebhook,
} from '@app/carriers';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { SETTINGS, Settings } from '../config/settings';
import { CarrierAccountEntity } from './carrier-account.entity';
import { CarrierRegistry } from './carrier-registry.service';
import { TrackingIngestService } from './tracking-ingest.service';

/**
 * Applies a pushed claim event in the webhook's transaction; returns how many shipments it changed.
 * `merchantId` is the carrier account's merchant (null for the service-wide endpoint).
 */
export type ClaimEventHandler = (em: EntityManager, claim: Claim, ctx: { merchantId: string | null; eventId: string; description: string }) => Promise<number>;

export interface WebhookReceipt {
  received: true;
  duplicate: boolean;
  shipmentsUpdated: number;
}

/**
 * Carrier pushes: verify, store the raw event once (by carrier event id), apply it to our shipments,
 * all in one transaction, so a failure leaves nothing behind and the carrier's redelivery succeeds.
 * A bad signature stores nothing.
 */
@Injectable()
export class CarrierWebhooksService {
  private readonly logger = new Logger(CarrierWebhooksService.name);
  private readonly easypostMapper = new EasyPostMapper((u) => this.logger.warn({ unmapped: u }, 'unmapped EasyPost code'));

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly registry: CarrierRegistry,
    private readonly ingest: TrackingIngestService,
    private readonly clock: Clock,
  ) {}

  private readonly claimHandlers: ClaimEventHandler[] = [];

  /** Claim events (`claim.*`, `claims.*`) are applied by whoever follows claims (the resolutions side). */
  onClaim(handler: ClaimEventHandler): void {
    this.claimHandlers.push(handler);
  }

  async easypost(rawBody: Buffer | undefined, headers: Record<string, string | string[] | undefined>, accountId: string | null): Promise<WebhookReceipt> {
    const account = accountId ? await this.account(accountId, 'easypost') : null;
    const secret = account ? await this.registry.webhookSecretOf(account) : this.settings.tracking.easypost.webhookSecret;
    if (!secret) throw ApiError.notFound('Webhook endpoint');
    if (!rawBody) throw ApiError.validation([{ path: 'body', problem: 'is required' }]);
    let event: CarrierWebhookEvent;
    try {
      event = this.easypostMapper.toWebhookEvent(verifyEasyPostWebhook(rawBody, headers, secret));
    } catch (e) {
      if (e instanceof EasyPostSignatureError) {
        if (e.reason === 'invalid_body') throw ApiError.validation([{ path: 'body', problem: 'is not an EasyPost event' }]);
        throw ApiError.unauthenticated('invalid_signature', 'The webhook signature does not match.');
      }
      if (e instanceof CarrierError) throw ApiError.validation([{ path: 'body', problem: e.message }]);
      throw e;
    }
    return this.record(event, rawBody, account);
  }

  async ups(rawBody: Buffer | undefined, headers: Record<string, string | string[] | undefined>, accountId: string): Promise<WebhookReceipt> {
    const account = await this.account(accountId, 'ups');
    const credential = await this.registry.webhookSecretOf(account);
    let update;
    try {
      update = parseUpsTrackAlertWebhook({ headers, body: rawBody ?? '', expectedCredential: credential });
    } catch (e) {
      if (e instanceof CarrierError && e.code === 'unauthorized') throw ApiError.unauthenticated('invalid_signature', 'The Track Alert credential does not match.');
      if (e instanceof CarrierError) throw ApiError.validation([{ path: 'body', problem: e.message }]);
      throw e;
    }
    const snapshot: TrackingSnapshot = {
      carrier: 'ups',
      trackingCode: update.trackingCode,
      status: update.status,
      exceptionReason: update.exceptionReason,
      events: [update.event],
      estimatedDeliveryAt: update.estimatedDeliveryAt,
      deliveredAt: update.deliveredAt,
      signedBy: update.proofOfDelivery?.signedBy ?? null,
      proofOfDelivery: update.proofOfDelivery,
      updatedAt: update.event.occurredAt,
    };
    return this.record(
      { carrier: 'ups', eventId: update.event.sourceEventId, description: 'track_alert', occurredAt: update.event.occurredAt, snapshot, claim: null },
      rawBody!,
      account,
    );
  }

  private async account(id: string, carrier: 'easypost' | 'ups'): Promise<CarrierAccountEntity> {
    const account = /^[0-9a-f-]{36}$/i.test(id) ? await this.ds.getRepository(CarrierAccountEntity).findOneBy({ id, carrier, active: true }) : null;
    if (!account) throw ApiError.notFound('Webhook endpoint');
    return account;
  }

  private async record(event: CarrierWebhookEvent, rawBody: Buffer, account: CarrierAccountEntity | null): Promise<WebhookReceipt> {
    const now = this.clock.now();
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody.toString('utf8'));
    } catch {
      payload = { raw: rawBody.toString('base64') };
    }
    return this.ds.transaction(async (em) => {
      const inserted: { id: string }[] = await em.query(
        `INSERT INTO carrier_webhook_events (carrier, carrier_account_id, event_id, description, tracking_code, payload, received_at, outcome)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, 'ignored') ON CONFLICT (carrier, event_id) DO NOTHING RETURNING id`,
        [event.carrier, account?.id ?? null, event.eventId.slice(0, 200), event.description.slice(0, 100), event.snapshot?.trackingCode ?? null, JSON.stringify(payload), now],
      );
      if (!inserted.length) return { received: true as const, duplicate: true, shipmentsUpdated: 0 };
      if (event.claim) {
        let updated = 0;
        for (const handler of this.claimHandlers) updated += await handler(em, event.claim, { merchantId: account?.merchantId ?? null, eventId: event.eventId, description: event.description });
        await em.query(`UPDATE carrier_webhook_events SET outcome = $2, shipments_updated = $3 WHERE id = $1`, [inserted[0].id, updated ? 'applied' : 'no_shipment', updated]);
        return { received: true as const, duplicate: false, shipmentsUpdated: updated };
      }
      if (!event.snapshot) return { received: true as const, duplicate: false, shipmentsUpdated: 0 };
      const results = await this.ingest.applyToMatching(em, event.snapshot, { merchantId: account?.merchantId ?? null, source: 'webhook', now });
      await em.query(`UPDATE carrier_webhook_events SET outcome = $2, shipments_updated = $3 WHERE id = $1`, [
        inserted[0].id,
        results.length ? 'applied' : 'no_shipment',
        results.length,
      ]);
      return { received: true as const, duplicate: false, shipmentsUpdated: results.length };
    });
  }
}
