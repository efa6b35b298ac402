import type { ExceptionReason, TrackingStatus } from '../carrier.model';

const H = 60 * 60 * 1000;
const M = 60 * 1000;
const D = 24 * H;

export interface StoryPlace {
  city: string | null;
  state: string | null;
  zip: string | null;
  country: string | null;
}

/** One scan of a scripted parcel, `at` ms after the story start (negative: before it). */
export interface StoryStep {
  at: number;
  status: TrackingStatus;
  /** The carrier's words for the status, EasyPost-style, kept as `carrierStatus` / `carrierStatusDetail`. */
  carrierStatus: string;
  carrierStatusDetail?: string | null;
  reason?: ExceptionReason | null;
  message: string;
  place?: StoryPlace | null;
  /** On a delivered scan: where it was left. */
  leftAt?: string;
}

/** Something the demo should make happen outside the carrier (a customer writes in, a clock expires). */
export interface StoryCue {
  at: number;
  cue: 'customer_reports_missing' | 'customer_reports_damage' | 'address_exception' | 'hold_expires' | 'past_estimated_delivery' | 'no_scan_for_5_days';
  note: string;
}

export interface Story {
  name: SandboxStoryName;
  underlyingCarrier: string;
  steps: StoryStep[];
  /** Offset of the estimated delivery from the start, or `null` when the carrier gives none. */
  estimatedDeliveryAt: number | null;
  signedBy?: string | null;
  cues: StoryCue[];
}

/** Scripted parcels: `SBX-<STORY>-...` tracking codes. */
export const SANDBOX_STORY_NAMES = ['OK', 'DNR', 'ADDR', 'DAMAGED', 'STALL'] as const;
export type SandboxStoryName = (typeof SANDBOX_STORY_NAMES)[number] | EasyPostTestCode | 'INVALID';

/** EasyPost's seven test tracking codes. */
export const EASYPOST_TEST_CODES = ['EZ1000000001', 'EZ2000000002', 'EZ3000000003', 'EZ4000000004', 'EZ5000000005', 'EZ6000000006', 'EZ7000000007'] as const;
export type EasyPostTestCode = (typeof EASYPOST_TEST_CODES)[number];

const OAKLAND: StoryPlace = { city: 'Oakland', state: 'CA', zip: '94612', country: 'US' };
const CHICAGO: StoryPlace = { city: 'Chicago', state: 'IL', zip: '60290', country: 'US' };
const RADNOR: StoryPlace = { city: 'Radnor', state: 'PA', zip: '19087', country: 'US' };
const NOWHERE: StoryPlace | null = null;

// ------------------------------------------------------------------ EasyPost test mode

/**
 * The scans EasyPost's test mode returns for EZ1…EZ7, as recorded in 2020 (go client,
 * TestTrackerValues.yaml): the first scan 30 days before the tracker was created, then fixed gaps.
 * Test mode shows the whole history at once, so every step is at or before the start.
 */
const EZ_BASE = -30 * D;
const EZ_STEPS: StoryStep[] = [
  { at: EZ_BASE, status: 'pre_transit', carrierStatus: 'pre_transit', message: 'Pre-Shipment information received', place: NOWHERE },
  { at: EZ_BASE + 18 * H + 49 * M, status: 'pre_transit', carrierStatus: 'pre_transit', message: 'Shipping label created', place: NOWHERE },
  { at: EZ_BASE + 1 * D, status: 'in_transit', carrierStatus: 'in_transit', message: 'Picked Up', place: OAKLAND },
  { at: EZ_BASE + 1 * D + 18 * H + 27 * M, status: 'in_transit', carrierStatus: 'in_transit', message: 'Arrived at Sort Facility', place: CHICAGO },
  { at: EZ_BASE + 2 * D + 19 * H + 7 * M, status: 'in_transit', carrierStatus: 'in_transit', message: 'Departed Sort Facility', place: CHICAGO },
  { at: EZ_BASE + 3 * D, status: 'in_transit', carrierStatus: 'in_transit', message: 'Arrived at Distribution Center', place: RADNOR },
  { at: EZ_BASE + 3 * D + 17 * H + 46 * M, status: 'out_for_delivery', carrierStatus: 'out_for_delivery', message: 'Out For Delivery', place: RADNOR },
];
const EZ_LAST = EZ_BASE + 4 * D + 1 * H + 9 * M;

function ez(name: EasyPostTestCode, steps: StoryStep[], extra: Partial<Story> = {}): Story {
  return { name, underlyingCarrier: 'USPS', steps, estimatedDeliveryAt: 0, cues: [], ...extra };
}

const EZ_STORIES: Record<EasyPostTestCode, Story> = {
  EZ1000000001: ez('EZ1000000001', EZ_STEPS.slice(0, 2)),
  EZ2000000002: ez('EZ2000000002', EZ_STEPS.slice(0, 6)),
  EZ3000000003: ez('EZ3000000003', EZ_STEPS.slice(0, 7)),
  EZ4000000004: ez('EZ4000000004', [...EZ_STEPS, { at: EZ_LAST, status: 'delivered', carrierStatus: 'delivered', message: 'Delivered', place: RADNOR }], {
    signedBy: 'John Tester',
  }),
  EZ5000000005: ez('EZ5000000005', [
    ...EZ_STEPS,
    { at: EZ_LAST, status: 'return_to_sender', carrierStatus: 'return_to_sender', reason: 'other', message: 'Address Does Not Exist - Returning to Sender', place: RADNOR },
  ]),
  EZ6000000006: ez('EZ6000000006', [
    ...EZ_STEPS.slice(0, 3),
    {
      at: EZ_BASE + 1 * D + 18 * H + 2 * M,
      status: 'exception',
      carrierStatus: 'failure',
      reason: 'other',
      message: 'Prohibited articles - Item not delivered - Item seized or destroyed',
      place: OAKLAND,
    },
  ]),
  // EasyPost gives this one no time at all; it is shown at the start.
  EZ7000000007: ez('EZ7000000007', [{ at: 0, status: 'unknown', carrierStatus: 'unknown', message: 'Shipment Information Unavailable', place: NOWHERE }], {
    estimatedDeliveryAt: null,
  }),
};

/** Any other code in EasyPost test mode: a tracker in `error` (recorded message, verbatim). */
const INVALID_STORY: Story = {
  name: 'INVALID',
  underlyingCarrier: 'USPS',
  estimatedDeliveryAt: null,
  cues: [],
  steps: [
    {
      at: 0,
      status: 'unknown',
      carrierStatus: 'error',
      message: 'In test mode, only test tracking numbers are valid. Test tracking numbers are EZ1000000001, EZ2000000002, ... , EZ7000000007',
      place: NOWHERE,
    },
  ],
};

// ------------------------------------------------------------------ scripted stories

/** The common first half: label, pick-up, the sort hub, the destination post office. */
const OUTBOUND: StoryStep[] = [
  { at: 0, status: 'pre_transit', carrierStatus: 'pre_transit', carrierStatusDetail: 'label_created', message: 'Shipping label created', place: OAKLAND },
  { at: 4 * H, status: 'in_transit', carrierStatus: 'in_transit', carrierStatusDetail: 'departed_origin_facility', message: 'Picked up', place: OAKLAND },
  { at: 12 * H, status: 'in_transit', carrierStatus: 'in_transit', carrierStatusDetail: 'arrived_at_facility', message: 'Arrived at sort facility', place: CHICAGO },
  { at: 30 * H, status: 'in_transit', carrierStatus: 'in_transit', carrierStatusDetail: 'departed_facility', message: 'Departed sort facility', place: CHICAGO },
];
const ARRIVAL: StoryStep[] = [
  { at: 50 * H, status: 'in_transit', carrierStatus: 'in_transit', carrierStatusDetail: 'arrived_at_destination', message: 'Arrived at post office', place: RADNOR },
  { at: 56 * H, status: 'out_for_delivery', carrierStatus: 'out_for_delivery', carrierStatusDetail: 'out_for_delivery', message: 'Out for delivery', place: RADNOR },
];
const DELIVERED_AT = 62 * H;

function delivered(leftAt: string): StoryStep {
  return { at: DELIVERED_AT, status: 'delivered', carrierStatus: 'delivered', carrierStatusDetail: 'arrived_at_destination', message: `Delivered, ${leftAt}`, place: RADNOR, leftAt };
}

const HOLD_DAYS = 5;

const SCRIPTED: Record<(typeof SANDBOX_STORY_NAMES)[number], Story> = {
  OK: {
    name: 'OK',
    underlyingCarrier: 'SANDBOX',
    estimatedDeliveryAt: 72 * H,
    cues: [],
    steps: [...OUTBOUND, ...ARRIVAL, delivered('Front Door/Porch')],
  },
  DNR: {
    name: 'DNR',
    underlyingCarrier: 'SANDBOX',
    estimatedDeliveryAt: 72 * H,
    cues: [{ at: DELIVERED_AT + 24 * H, cue: 'customer_reports_missing', note: 'The customer says the parcel never arrived.' }],
    steps: [...OUTBOUND, ...ARRIVAL, delivered('Front Door/Porch')],
  },
  ADDR: {
    name: 'ADDR',
    underlyingCarrier: 'SANDBOX',
    estimatedDeliveryAt: 72 * H,
    cues: [
      { at: 60 * H, cue: 'address_exception', note: 'The carrier could not deliver: insufficient address.' },
      { at: 66 * H + HOLD_DAYS * D, cue: 'hold_expires', note: `The ${HOLD_DAYS}-day hold ends; the parcel goes back to the sender.` },
    ],
    steps: [
      ...OUTBOUND,
      ...ARRIVAL,
      {
        at: 60 * H,
        status: 'exception',
        carrierStatus: 'failure',
        carrierStatusDetail: 'address_correction',
        reason: 'address_problem',
        message: 'Delivery attempted - insufficient address',
        place: RADNOR,
      },
      {
        at: 66 * H,
        status: 'available_for_pickup',
        carrierStatus: 'available_for_pickup',
        carrierStatusDetail: 'held',
        reason: 'address_problem',
        message: `Held at post office for ${HOLD_DAYS} days, addressee unknown`,
        place: RADNOR,
      },
      {
        at: 66 * H + HOLD_DAYS * D,
        status: 'return_to_sender',
        carrierStatus: 'return_to_sender',
        carrierStatusDetail: 'return',
        reason: 'address_problem',
        message: 'Unclaimed - returning to sender',
        place: RADNOR,
      },
      {
        at: 66 * H + HOLD_DAYS * D + 3 * D,
        status: 'return_to_sender',
        carrierStatus: 'return_to_sender',
        carrierStatusDetail: 'return',
        reason: 'address_problem',
        message: 'Returned to sender',
        place: OAKLAND,
      },
    ],
  },
  DAMAGED: {
    name: 'DAMAGED',
    underlyingCarrier: 'SANDBOX',
    estimatedDeliveryAt: 72 * H,
    cues: [{ at: DELIVERED_AT + 12 * H, cue: 'customer_reports_damage', note: 'The customer sends photos of a crushed box.' }],
    steps: [
      ...OUTBOUND.slice(0, 3),
      { at: 20 * H, status: 'exception', carrierStatus: 'failure', carrierStatusDetail: 'damaged', reason: 'damaged', message: 'Package damaged in handling', place: CHICAGO },
      { at: 26 * H, status: 'in_transit', carrierStatus: 'in_transit', carrierStatusDetail: 'departed_facility', message: 'Rewrapped and forwarded', place: CHICAGO },
      ...ARRIVAL,
      delivered('Front Door/Porch'),
    ],
  },
  STALL: {
    name: 'STALL',
    underlyingCarrier: 'SANDBOX',
    estimatedDeliveryAt: 72 * H,
    cues: [
      { at: 72 * H, cue: 'past_estimated_delivery', note: 'The estimated delivery passes with no new scan.' },
      { at: 30 * H + 5 * D, cue: 'no_scan_for_5_days', note: 'No scan for five days: time for a trace.' },
    ],
    steps: [...OUTBOUND],
  },
};

const STORY_CODE = /^SBX-([A-Z]+)-(.*)$/;
const STAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(?:-|$)/;

export interface ResolvedStory {
  story: Story;
  /** Start written into the code (`SBX-DNR-202607011200-...`), if any. */
  stampedStart: Date | null;
}

/**
 * Which story a tracking code plays. `SBX-<STORY>-<rest>` plays a scripted story (`<rest>` may
 * begin with a `YYYYMMDDHHmm` UTC start); EZ codes play EasyPost's test mode; anything else is
 * the test-mode "error" tracker.
 */
export function resolveStory(trackingCode: string): ResolvedStory {
  const code = trackingCode.trim().toUpperCase();
  if (Object.hasOwn(EZ_STORIES, code)) return { story: EZ_STORIES[code as EasyPostTestCode], stampedStart: null };
  const match = STORY_CODE.exec(code);
  if (match && Object.hasOwn(SCRIPTED, match[1])) {
    return { story: SCRIPTED[match[1] as keyof typeof SCRIPTED], stampedStart: parseStamp(match[2]) };
  }
  return { story: INVALID_STORY, stampedStart: null };
}

function parseStamp(rest: string): Date | null {
  const m = STAMP.exec(rest);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number);
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi));
  // Reject 20261399xxxx rather than let Date roll it into another month.
  return at.getUTCMonth() === mo - 1 && at.getUTCDate() === d && at.getUTCHours() === h && at.getUTCMinutes() === mi ? at : null;
}

/** `YYYYMMDDHHmm` in UTC, the stamp format of story codes. */
export function formatStamp(at: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(at.getUTCFullYear(), 4)}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}${p(at.getUTCHours())}${p(at.getUTCMinutes())}`;
}

export const SANDBOX_HOLD_DAYS = HOLD_DAYS;
export const SANDBOX_TIME = { H, D, M };
