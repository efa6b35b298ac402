import type { ExceptionReason, TrackingStatus } from '../carrier.model';

/** One row of a status table: our status, and the reason when it is an exception or a return. */
export interface UpsStatusRow {
  status: TrackingStatus;
  reason?: ExceptionReason;
}

/**
 * UPS "Status/Description Codes" (Track API appendix; `status.statusCode` in the Track API,
 * `activityStatus.descriptionCode` in Track Alert). This is the finest-grained code UPS publishes with
 * a stable meaning, so it is consulted first. Keys are the numbers without leading zeros ('011' → '11').
 *
 * Source: karrioapi/karrio `modules/connectors/ups/vendors/Tracking-status-description-codes.html`
 * (a copy of developer.ups.com/api/reference/tracking/appendix). Codes whose meaning does not fit one
 * of our statuses without guessing (43 Voided Pickup, 114 Request Canceled, 127–142 claim and
 * investigation notes, ...) are deliberately absent: they fall through to the activity type and are logged.
 */
export const UPS_DESCRIPTION_CODE_MAP: Readonly<Record<string, UpsStatusRow>> = {
  '3': { status: 'pre_transit' }, // Shipment Ready for UPS
  '5': { status: 'in_transit' }, // On the Way
  '6': { status: 'out_for_delivery' },
  '7': { status: 'cancelled' }, // Shipment Information Voided
  '10': { status: 'in_transit' },
  '11': { status: 'delivered' },
  '12': { status: 'in_transit' }, // Clearance in Progress: moving normally
  '13': { status: 'exception', reason: 'other' }, // bare "Exception"
  '14': { status: 'in_transit' }, // Clearance Completed
  '16': { status: 'in_transit' }, // In Warehouse
  '17': { status: 'available_for_pickup' }, // Held for Customer Pickup
  '18': { status: 'in_transit' }, // Delivery Change Requested: Hold for Pickup
  '19': { status: 'in_transit' }, // Held for Future Delivery
  '20': { status: 'in_transit' }, // Held for Future Delivery Requested
  '21': { status: 'out_for_delivery' },
  '22': { status: 'exception', reason: 'recipient_unavailable' }, // First Attempt Made
  '23': { status: 'exception', reason: 'recipient_unavailable' }, // Second Delivery Attempted
  '24': { status: 'exception', reason: 'recipient_unavailable' }, // Final Attempt Made
  '25': { status: 'in_transit' },
  '26': { status: 'delivered' }, // Delivered by Local Post Office
  '27': { status: 'in_transit' }, // Delivery Address Change Requested
  '28': { status: 'in_transit' }, // Delivery Address Changed
  '29': { status: 'exception', reason: 'other' }, // Exception: Action Required
  '30': { status: 'exception', reason: 'other' }, // Local Post Office Exception
  '32': { status: 'exception', reason: 'delayed' }, // Adverse Weather May Cause Delay
  '33': { status: 'return_to_sender' }, // Return to Sender Requested
  '34': { status: 'return_to_sender' }, // Returned to Sender
  '35': { status: 'return_to_sender' }, // Returning to Sender
  '36': { status: 'return_to_sender' }, // Returning to Sender: In Transit
  '37': { status: 'out_for_delivery' },
  '38': { status: 'in_transit' }, // Picked Up by UPS
  '39': { status: 'in_transit' },
  '40': { status: 'available_for_pickup' }, // Ready for Customer Pickup
  '41': { status: 'in_transit' }, // Service Upgrade Requested
  '42': { status: 'in_transit' }, // Service Upgraded
  '44': { status: 'in_transit' }, // On the Way to UPS
  '45': { status: 'in_transit' },
  '46': { status: 'exception', reason: 'delayed' },
  '47': { status: 'in_transit' },
  '48': { status: 'exception', reason: 'delayed' },
  '49': { status: 'exception', reason: 'delayed' }, // Delay: Action Required
  '50': { status: 'exception', reason: 'address_problem' }, // Address Information Required
  '51': { status: 'exception', reason: 'delayed' }, // Emergency Situation or Severe Weather
  '52': { status: 'exception', reason: 'delayed' },
  '53': { status: 'exception', reason: 'delayed' },
  '54': { status: 'in_transit' }, // Delivery Change Requested
  '55': { status: 'in_transit' }, // Rescheduled Delivery
  '56': { status: 'in_transit' },
  '57': { status: 'in_transit' }, // On the Way to a Local UPS Access Point
  '58': { status: 'exception', reason: 'customs' }, // Clearance Information Required
  '59': { status: 'exception', reason: 'damaged' }, // Damage Reported
  '60': { status: 'exception', reason: 'recipient_unavailable' }, // Delivery Attempted
  '61': { status: 'exception', reason: 'recipient_unavailable' }, // ... Adult Signature Required
  '62': { status: 'exception', reason: 'other' }, // ... Funds Required
  '63': { status: 'in_transit' }, // Delivery Change Completed
  '64': { status: 'exception', reason: 'refused' }, // Delivery Refused
  '65': { status: 'exception', reason: 'other' }, // Pickup Attempted
  '66': { status: 'exception', reason: 'recipient_unavailable' }, // Post Office Delivery Attempted
  '67': { status: 'return_to_sender' }, // Returned to Sender by Post Office
  '68': { status: 'exception', reason: 'lost' }, // Sent to Lost and Found
  '69': { status: 'exception', reason: 'other' }, // Unable to Deliver
  '70': { status: 'in_transit' }, // Package not at UPS Access Point yet
  '71': { status: 'in_transit' }, // Preparing for Delivery
  '72': { status: 'out_for_delivery' }, // Loaded on Delivery Vehicle
  '73': { status: 'in_transit' },
  '74': { status: 'in_transit' },
  '75': { status: 'in_transit' }, // Scheduled for Delivery
  '76': { status: 'exception', reason: 'other' }, // UPS Delivery Partner Exception
  '77': { status: 'pre_transit' }, // Scheduled for Pickup Today
  '78': { status: 'out_for_delivery' }, // Your Driver is Arriving Soon!
  '79': { status: 'pre_transit' }, // Order Processed: In Transit to UPS
  '80': { status: 'pre_transit' }, // Order Processed: Ready for UPS
  '81': { status: 'return_to_sender', reason: 'damaged' }, // Returned - Damage Reported
  '82': { status: 'in_transit' }, // Delivery Instructions Received
  '83': { status: 'exception', reason: 'other' }, // Held
  '85': { status: 'exception', reason: 'other' }, // Held for COD Payment
  '86': { status: 'exception', reason: 'delayed' },
  '87': { status: 'in_transit' },
  '89': { status: 'out_for_delivery' },
  '90': { status: 'exception', reason: 'delayed' },
  '91': { status: 'out_for_delivery' },
  '92': { status: 'in_transit' }, // Customs Clearance in Progress
  '96': { status: 'in_transit' }, // Address Change Confirmed
  '97': { status: 'in_transit' }, // Address Change Requested
  '100': { status: 'in_transit' }, // Hold at UPS Access Point Confirmed
  '106': { status: 'in_transit' }, // Hold for Pickup Confirmed
  '115': { status: 'in_transit' }, // Reschedule Delivery Confirmed
  '118': { status: 'return_to_sender' }, // Return to Sender Confirmed
  '119': { status: 'return_to_sender' }, // Return to Sender Requested
  '123': { status: 'exception', reason: 'customs' }, // Pending Release From Non-UPS Broker
  '124': { status: 'exception', reason: 'customs' }, // Clearance Information Needed
  '125': { status: 'exception', reason: 'customs' },
  '126': { status: 'exception', reason: 'customs' }, // Pending Government Agency Release
  '143': { status: 'delivered' }, // Delivered to Agent
  '144': { status: 'available_for_pickup' }, // Delivered to Post Office for Pickup
  '145': { status: 'exception', reason: 'recipient_unavailable' }, // Delivery Attempted
  '146': { status: 'out_for_delivery' },
  '147': { status: 'exception', reason: 'other' }, // Seized by Law Enforcement
  '149': { status: 'exception', reason: 'other' }, // Prohibited Contents, Package Destroyed
  '153': { status: 'in_transit' }, // Updated Delivery Time
  '154': { status: 'in_transit' }, // Updated Delivery Date
  '155': { status: 'delivered' }, // Delivery Photo (sent after the delivery scan)
  '157': { status: 'pre_transit' }, // Shipment Ready for UPS
  '158': { status: 'in_transit' },
  '159': { status: 'in_transit' },
  '160': { status: 'in_transit' }, // We Have Your Package
  '161': { status: 'available_for_pickup' }, // Delivered to UPS Access Point
  '162': { status: 'out_for_delivery' },
  '164': { status: 'in_transit' },
  '165': { status: 'in_transit' },
  '167': { status: 'in_transit' }, // Dropped off at UPS Store by Customer
  '168': { status: 'in_transit' },
  '169': { status: 'in_transit' },
};

/**
 * Two-character activity codes (`status.code`) whose meaning outranks the activity type.
 * `RS` "Returned to Shipper" comes from UPS's legacy XML activity codes; the JSON Track API appendix
 * we could read does not list it, but returned parcels can still carry it, and a return must never be
 * reported as a plain exception.
 */
export const UPS_ACTIVITY_CODE_MAP: Readonly<Record<string, UpsStatusRow>> = {
  RS: { status: 'return_to_sender' },
};

/**
 * UPS activity status types (Track API appendix "Package Activity Types", Track Alert `activityStatus.type`),
 * the coarse family used when neither code above is known.
 * `P` (pickup) is the legacy XML type still seen in responses; `RS` is accepted as a type for the same reason
 * as above. Freight-only types (DO, DD, W) and `NA` are not mapped.
 */
export const UPS_ACTIVITY_TYPE_MAP: Readonly<Record<string, UpsStatusRow>> = {
  M: { status: 'pre_transit' }, // Manifest / Billing Information Received
  MV: { status: 'cancelled' }, // Manifest Void
  P: { status: 'in_transit' }, // Pickup scan: the parcel is now with UPS
  I: { status: 'in_transit' }, // In Transit (UPS puts Out for Delivery here too; its code says which)
  U: { status: 'in_transit' }, // Updated delivery date or time; the parcel is still moving
  X: { status: 'exception', reason: 'other' },
  D: { status: 'delivered' },
  RS: { status: 'return_to_sender' },
};

/** What the resolver saw that it could not map, for the caller to log. */
export interface UpsUnmappedStatus {
  type: string | null;
  code: string | null;
  descriptionCode: string | null;
  /** `type` when the activity type rescued an unknown description code; `none` when the status is `unknown`. */
  fellBackTo: 'type' | 'none';
}

export interface UpsResolvedStatus {
  status: TrackingStatus;
  exceptionReason: ExceptionReason | null;
  unmapped: UpsUnmappedStatus | null;
}

function clean(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = String(value).trim();
  return text === '' ? null : text.toUpperCase();
}

function normaliseDescriptionCode(value: unknown): string | null {
  const text = clean(value);
  if (text === null) return null;
  if (!/^\d+$/.test(text)) return text;
  // '011' (Track API, Track Alert) and 11 (a YAML example with an unquoted 011) are the same code;
  // 0 is UPS's "Status Not Available", which says nothing, so the activity type decides instead.
  const numeric = String(Number(text));
  return numeric === '0' ? null : numeric;
}

/**
 * Resolves a UPS status to ours: description code first, then the activity code, then the activity type.
 * Never guesses: anything not in a table becomes `unknown`, and `unmapped` says what to log.
 *
 * @example
 * ```ts
 * resolveUpsStatus({ type: 'I', code: 'OT', descriptionCode: '021' });
 * // { status: 'out_for_delivery', exceptionReason: null, unmapped: null }
 * ```
 */
export function resolveUpsStatus(input: { type?: unknown; code?: unknown; descriptionCode?: unknown }): UpsResolvedStatus {
  const type = clean(input.type);
  const code = clean(input.code);
  const descriptionCode = normaliseDescriptionCode(input.descriptionCode);

  const row =
    (descriptionCode !== null ? UPS_DESCRIPTION_CODE_MAP[descriptionCode] : undefined) ??
    (code !== null ? UPS_ACTIVITY_CODE_MAP[code] : undefined);
  if (row) return { status: row.status, exceptionReason: row.reason ?? null, unmapped: null };

  const byType = type !== null ? UPS_ACTIVITY_TYPE_MAP[type] : undefined;
  if (byType) {
    return {
      status: byType.status,
      exceptionReason: byType.reason ?? null,
      // A description code we do not know is still worth a log line, so the table can grow.
      unmapped: descriptionCode !== null ? { type, code, descriptionCode, fellBackTo: 'type' } : null,
    };
  }
  return { status: 'unknown', exceptionReason: null, unmapped: { type, code, descriptionCode, fellBackTo: 'none' } };
}
