import type { CarrierCode, TrackingSnapshot } from '../carrier.model';
import type { Claim } from '../carrier.port';

/**
 * A carrier push notification after verification and mapping. The same shape comes from EasyPost
 * webhooks and from the sandbox's `eventsBetween()`, so the service ingests both the same way.
 * Delivery is at least once: de-duplicate on `carrier` + `eventId`.
 *
 * @example
 * ```ts
 * const event = mapper.toWebhookEvent(verifyEasyPostWebhook(req.rawBody, req.headers, secret));
 * if (event.snapshot) await tracking.ingest(event.snapshot);
 * ```
 */
export interface CarrierWebhookEvent {
  carrier: CarrierCode;
  eventId: string;
  /** The carrier's event name, e.g. `tracker.updated`. */
  description: string;
  /** When the carrier created the event (ISO 8601, UTC). */
  occurredAt: string;
  /** Present when the event is about a parcel. */
  snapshot: TrackingSnapshot | null;
  /** Present when the event is about a claim. */
  claim: Claim | null;
}
