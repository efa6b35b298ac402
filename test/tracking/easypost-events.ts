import { signEasyPostWebhook } from '@app/carriers';
import { buildEvent, buildTracker, epId, epTime, Json } from '../fakes/easypost/fake-easypost.builder';

const H = 3_600_000;

/** A realistic parcel journey as EasyPost tracker snapshots: each one carries the whole history so far. */
export function trackerJourney(trackingCode: string, startMs: number, variant: number): Json[] {
  const steps: [string, string, string | null][] = [
    ['pre_transit', 'Shipping Label Created', null],
    ['in_transit', 'Accepted at USPS Origin Facility', null],
    ['in_transit', 'Arrived at USPS Regional Facility', null],
    ['in_transit', 'Departed USPS Regional Facility', null],
    ['out_for_delivery', 'Out for Delivery', null],
  ];
  // Some parcels end delivered, some in an address exception, some returned.
  if (variant % 3 === 0) steps.push(['delivered', 'Delivered, Front Door/Porch', null]);
  else if (variant % 3 === 1) steps.push(['failure', 'Notice Left (No Authorized Recipient Available)', 'address_not_found']);
  else steps.push(['failure', 'Insufficient Address', 'address_not_found'], ['return_to_sender', 'Return to Sender Processed', 'return_to_sender']);
  const template = buildTracker('EZ4000000004', 'USPS', startMs);
  const id = epId('trk');
  const snapshots: Json[] = [];
  const details: Json[] = [];
  steps.forEach(([status, message, detail], i) => {
    const at = startMs + i * 7 * H;
    details.push({
      ...template.tracking_details[0],
      object: 'TrackingDetail',
      message,
      description: message,
      status,
      status_detail: detail ?? (status === 'delivered' ? 'arrived_at_destination' : 'in_transit'),
      datetime: epTime(at),
      source: 'USPS',
      tracking_location: { object: 'TrackingLocation', city: 'RADNOR', state: 'PA', country: 'US', zip: '19087' },
    });
    snapshots.push({
      ...template,
      id,
      tracking_code: trackingCode,
      status,
      status_detail: detail ?? template.status_detail,
      signed_by: status === 'delivered' ? 'J DOE' : null,
      updated_at: epTime(at + 60_000),
      est_delivery_date: epTime(startMs + (4 + (i % 2)) * 24 * H),
      tracking_details: details.map((d) => ({ ...d })),
    });
  });
  return snapshots;
}

/** A signed `tracker.updated` webhook delivery, ready to POST. */
export function signedEvent(tracker: Json, secret: string, url: string, now: number): { rawBody: string; signature: string; eventId: string } {
  const event = buildEvent('tracker.updated', tracker, {}, url, now);
  const rawBody = JSON.stringify(event);
  return { rawBody, signature: signEasyPostWebhook(rawBody, secret), eventId: event.id };
}

export async function postSigned(url: string, d: { rawBody: string; signature: string }): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hmac-signature': d.signature }, body: d.rawBody });
  return { status: res.status, body: await res.json().catch(() => null) };
}
