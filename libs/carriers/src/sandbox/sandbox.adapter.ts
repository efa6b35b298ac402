import { createHash } from 'node:crypto';
import { CarrierError } from '../carrier.error';
import type { Money, PostalAddress, TrackingEvent, TrackingSnapshot, TrackingStatus } from '../carrier.model';
import type {
  AddressVerdict,
  CallOptions,
  CarrierActionResult,
  CarrierAdapter,
  CarrierCapabilities,
  Claim,
  ClaimRequest,
  ClaimStatus,
  HoldRequest,
  InterceptRequest,
  Pickup,
  PickupRequest,
  ReturnLabel,
  ReturnLabelRequest,
  TrackRequest,
} from '../carrier.port';
import { addressChanges } from '../shared/address-diff';
import type { CarrierWebhookEvent } from '../shared/carrier-webhook-event';
import { IdempotencyCache } from '../shared/idempotency-cache';
import { faultError, findMagic, refusedError, type SandboxFault, type SandboxMethod } from './sandbox.fault';
import {
  formatStamp,
  resolveStory,
  SANDBOX_HOLD_DAYS,
  SANDBOX_TIME,
  type SandboxStoryName,
  type Story,
  type StoryCue,
  type StoryPlace,
  type StoryStep,
} from './sandbox.story';

const { H, D } = SANDBOX_TIME;

export interface SandboxAdapterOptions {
  /** The sandbox's notion of now. Inject a fake clock in tests and in the demo's time machine. */
  clock?: () => Date;
  /**
   * Start of every story whose code carries no start stamp and that was never `register()`ed.
   * Default: the moment the sandbox first sees the code.
   */
  storyStartedAt?: Date | string;
  /** How long a simulated timeout waits before failing. Default 0 (fail at once). */
  simulatedTimeoutMs?: number;
  /** Used by simulated timeouts; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

type Override =
  | { kind: 'redirect'; at: number; newAddress: PostalAddress }
  | { kind: 'return_to_sender'; at: number }
  | { kind: 'reschedule'; at: number; deliverAt: number }
  | { kind: 'hold'; at: number; location: string; holdUntil: number };

interface Parcel {
  code: string;
  story: Story;
  startedAt: number;
  override: Override | null;
}

interface StoredPickup {
  pickup: Pickup;
}

interface StoredClaim {
  claimId: string;
  req: ClaimRequest;
  submittedAt: number;
  timeline: { at: number; status: ClaimStatus; detail: string }[];
}

interface PlacedStep {
  id: string;
  time: number;
  step: StoryStep;
  /** Scripted by an intercept or hold rather than by the story. */
  overridden: boolean;
}

/** Rates the sandbox quotes for a return label, the ones EasyPost recorded for USPS test labels. */
const RETURN_RATES: Record<string, number> = { GroundAdvantage: 820, Priority: 1101, Express: 5120 };

/** Fees the sandbox charges for parcel actions, in US cents. */
const ACTION_FEES: Record<InterceptRequest['kind'] | 'hold', number> = { redirect: 1795, return_to_sender: 1795, reschedule: 0, hold: 0 };

const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP AA AE AP'.split(' '),
);

/** USPS Publication 28 abbreviations the sandbox's "standardisation" applies, like EasyPost's verifier. */
const STREET_ABBREVIATIONS: [RegExp, string][] = [
  [/\bSTREET\b/g, 'ST'],
  [/\bAVENUE\b/g, 'AVE'],
  [/\bROAD\b/g, 'RD'],
  [/\bBOULEVARD\b/g, 'BLVD'],
  [/\bDRIVE\b/g, 'DR'],
  [/\bLANE\b/g, 'LN'],
  [/\bCOURT\b/g, 'CT'],
  [/\bPLACE\b/g, 'PL'],
  [/\bSUITE\b/g, 'STE'],
  [/\bAPARTMENT\b/g, 'APT'],
  [/\bFLOOR\b/g, 'FL'],
  [/\bNORTH\b/g, 'N'],
  [/\bSOUTH\b/g, 'S'],
  [/\bEAST\b/g, 'E'],
  [/\bWEST\b/g, 'W'],
];

function usd(amountMinor: number): Money {
  return { amountMinor, currency: 'USD' };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function hash(text: string, length = 12): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function pad(n: number, width = 6): string {
  return String(n).padStart(width, '0');
}

function invalid(message: string): CarrierError {
  return new CarrierError('sandbox', 'invalid_request', message, false);
}

/**
 * The offline, deterministic carrier for the demo and for tests. Every capability is implemented.
 *
 * Tracking codes:
 * - `EZ1000000001` … `EZ7000000007` behave as EasyPost's test mode (recorded scans and statuses);
 *   any other unknown code is EasyPost's test-mode "error" tracker (status `unknown`).
 * - `SBX-<STORY>-<rest>` plays a scripted story over the clock: `OK`, `DNR` (delivered, then reported
 *   missing), `ADDR` (address exception → hold → return to sender), `DAMAGED`, `STALL` (no scans
 *   after the hub). The story starts at the `YYYYMMDDHHmm` UTC stamp that may open `<rest>`
 *   (`SBX-DNR-202607011200-42`; see {@link SandboxAdapter.storyTrackingCode}), else at `register()`,
 *   else at `storyStartedAt`, else when the sandbox first sees the code.
 *
 * Failures on purpose: `FAIL-TIMEOUT`, `FAIL-5XX`, `FAIL-429` (optionally `-N`: only the first N
 * calls) and `REFUSE` in a tracking code, address name or street, reference, pickup instructions or
 * claim description; or {@link SandboxAdapter.failNext}. A claim whose description says `REJECT` is
 * rejected after review; `NEEDS-ACTION` asks for more documents.
 *
 * State (pickups, claims, intercepts) lives in memory. Stamped codes make tracking identical on
 * every replica; the rest is per instance.
 *
 * @example
 * ```ts
 * let now = new Date('2026-07-01T12:00:00Z');
 * const sandbox = new SandboxAdapter({ clock: () => now });
 * const code = SandboxAdapter.storyTrackingCode('DNR', now);
 * (await sandbox.track({ trackingCode: code })).status; // 'pre_transit'
 * now = new Date('2026-07-04T12:00:00Z');
 * (await sandbox.track({ trackingCode: code })).status; // 'delivered'
 * ```
 */
export class SandboxAdapter implements CarrierAdapter {
  readonly code = 'sandbox' as const;
  readonly capabilities: CarrierCapabilities = {
    track: true,
    webhook: true,
    returnLabel: true,
    pickup: true,
    addressVerify: true,
    claim: true,
    intercept: true,
    hold: true,
  };

  private readonly clock: () => Date;
  private readonly defaultStart: number | null;
  private readonly parcels = new Map<string, Parcel>();
  private readonly pickups = new Map<string, StoredPickup>();
  private readonly claims = new Map<string, StoredClaim>();
  private readonly injected: { method: SandboxMethod | '*'; fault: SandboxFault; remaining: number }[] = [];
  private readonly magicCalls = new Map<string, number>();
  private readonly idempotency: IdempotencyCache;
  private sequence = 0;

  constructor(private readonly options: SandboxAdapterOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.defaultStart = options.storyStartedAt === undefined ? null : new Date(options.storyStartedAt).getTime();
    this.idempotency = new IdempotencyCache('sandbox', { now: () => this.now() });
  }

  /** A story tracking code that starts at `startedAt`, the same on every replica. */
  static storyTrackingCode(story: 'OK' | 'DNR' | 'ADDR' | 'DAMAGED' | 'STALL', startedAt: Date, suffix = '1'): string {
    return `SBX-${story}-${formatStamp(startedAt)}-${suffix}`;
  }

  /**
   * Pins when a parcel's story starts (a stamp in the code still wins) and starts watching it for
   * {@link eventsBetween}. Call it when the service registers a shipment.
   */
  register(trackingCode: string, startedAt?: Date | string): { trackingCode: string; story: SandboxStoryName; startedAt: string } {
    const parcel = this.parcel(trackingCode, startedAt === undefined ? undefined : new Date(startedAt).getTime());
    return { trackingCode: parcel.code, story: parcel.story.name, startedAt: iso(parcel.startedAt) };
  }

  /** The script of a parcel: its story, start, and the cues the demo should act on (a customer writing in...). */
  describeStory(trackingCode: string): { story: SandboxStoryName; startedAt: string; cues: (Omit<StoryCue, 'at'> & { at: string })[] } {
    const parcel = this.parcel(trackingCode);
    return {
      story: parcel.story.name,
      startedAt: iso(parcel.startedAt),
      cues: parcel.story.cues.map((c) => ({ ...c, at: iso(parcel.startedAt + c.at) })),
    };
  }

  /** Makes the next `times` calls of `method` (or of any method, `'*'`) fail with `fault`. */
  failNext(method: SandboxMethod | '*', fault: SandboxFault, times = 1): void {
    this.injected.push({ method, fault, remaining: times });
  }

  clearFaults(): void {
    this.injected.length = 0;
    this.magicCalls.clear();
  }

  // ---------------------------------------------------------------- tracking

  async track(req: TrackRequest, _opts?: CallOptions): Promise<TrackingSnapshot> {
    await this.guard('track', [req.trackingCode, req.trackerId]);
    return this.snapshotAt(this.parcel(req.trackingCode), this.now());
  }

  /**
   * Webhook-style events that became due in `(from, to]`, oldest first: one `tracker.updated` per
   * scan of every watched parcel (each with the snapshot as of that scan), and claim status changes.
   * Ids are deterministic, so polling overlapping windows yields duplicates the service de-duplicates.
   */
  eventsBetween(from: Date, to: Date = this.clock()): CarrierWebhookEvent[] {
    const lo = from.getTime();
    const hi = to.getTime();
    const out: CarrierWebhookEvent[] = [];
    for (const parcel of this.parcels.values()) {
      for (const placed of this.placedSteps(parcel)) {
        if (placed.time <= lo || placed.time > hi) continue;
        out.push({
          carrier: 'sandbox',
          eventId: `sbx_evt_${hash(`${parcel.code}|${placed.id}`, 24)}`,
          description: 'tracker.updated',
          occurredAt: iso(placed.time),
          snapshot: this.snapshotAt(parcel, placed.time),
          claim: null,
        });
      }
    }
    for (const stored of this.claims.values()) {
      for (const entry of stored.timeline) {
        const time = stored.submittedAt + entry.at;
        if (time <= lo || time > hi) continue;
        out.push({
          carrier: 'sandbox',
          eventId: `sbx_evt_${hash(`${stored.claimId}|${entry.status}`, 24)}`,
          description: CLAIM_EVENT[entry.status] ?? 'claim.updated',
          occurredAt: iso(time),
          snapshot: null,
          claim: this.claimAt(stored, time),
        });
      }
    }
    return out.sort((a, b) => (a.occurredAt === b.occurredAt ? (a.eventId < b.eventId ? -1 : 1) : a.occurredAt < b.occurredAt ? -1 : 1));
  }

  // ---------------------------------------------------------------- return labels

  async createReturnLabel(req: ReturnLabelRequest, opts?: CallOptions): Promise<ReturnLabel> {
    return this.idempotency.run('returnLabel', opts?.idempotencyKey, req, async () => {
      await this.guardOrRefuse('createReturnLabel', [req.from.name, req.from.street1, req.to.name, req.to.street1, req.reference]);
      if (!(req.parcel.weightOz > 0)) throw invalid('Parcel weight must be positive');
      const service = req.service ? Object.keys(RETURN_RATES).find((s) => s.toLowerCase() === req.service?.toLowerCase()) : 'GroundAdvantage';
      if (!service) throw invalid(`Service "${req.service}" is not offered; offered: ${Object.keys(RETURN_RATES).join(', ')}`);
      const seq = ++this.sequence;
      const shipmentId = `sbx_shp_${pad(seq)}`;
      const trackingCode = SandboxAdapter.storyTrackingCode('OK', this.clock(), `R${pad(seq)}`);
      this.parcel(trackingCode);
      return {
        shipmentId,
        trackingCode,
        labelUrl: `https://sandbox.delivery-desk.invalid/labels/${shipmentId}.pdf`,
        carrier: 'USPS',
        service,
        cost: usd(RETURN_RATES[service]),
      };
    });
  }

  // ---------------------------------------------------------------- pickups

  async bookPickup(req: PickupRequest, opts?: CallOptions): Promise<Pickup> {
    return this.idempotency.run('bookPickup', opts?.idempotencyKey, req, async () => {
      await this.guardOrRefuse('bookPickup', [req.address.name, req.address.street1, req.instructions, req.reference, req.shipmentId], 'No pickup is available at this address');
      return this.book(req);
    });
  }

  async cancelPickup(pickupId: string, _opts?: CallOptions): Promise<Pickup> {
    await this.guardOrRefuse('cancelPickup', [pickupId]);
    return this.cancel(pickupId);
  }

  /** Books the new window, then cancels the old pickup (as with EasyPost, the new pickup has a new id). */
  async reschedulePickup(pickupId: string, req: PickupRequest, opts?: CallOptions): Promise<Pickup> {
    return this.idempotency.run('reschedulePickup', opts?.idempotencyKey, { pickupId, req }, async () => {
      await this.guardOrRefuse('reschedulePickup', [pickupId, req.address.name, req.address.street1, req.instructions, req.reference]);
      const old = this.pickups.get(pickupId);
      if (!old) throw new CarrierError('sandbox', 'not_found', `No pickup ${pickupId}`, false);
      if (old.pickup.status === 'canceled') throw invalid(`Pickup ${pickupId} was canceled; book a new one`);
      this.assertNotPast(old.pickup);
      const booked = this.book(req);
      this.cancel(pickupId);
      return booked;
    });
  }

  // ---------------------------------------------------------------- addresses

  async verifyAddress(address: PostalAddress, _opts?: CallOptions): Promise<AddressVerdict> {
    await this.guardOrRefuse('verifyAddress', [address.name, address.street1, address.street2]);
    if (address.country.toUpperCase() !== 'US') {
      throw new CarrierError('sandbox', 'unsupported', 'The sandbox verifies US addresses only', false, { carrierCode: 'ADDRESS.VERIFY.ONLY_US' });
    }
    const reasons: { code: string; message: string; field: string | null }[] = [];
    const house = /^\s*(\d+)\b/.exec(address.street1);
    const notFound =
      !house ||
      Number(house[1]) === 0 ||
      /\b(UNKNOWN|INVALID)\b/i.test(address.street1) ||
      !US_STATES.has(address.state.trim().toUpperCase()) ||
      !/^\d{5}(-\d{4})?$/.test(address.zip.trim());
    if (notFound) reasons.push({ code: 'E.ADDRESS.NOT_FOUND', field: 'address', message: 'Address not found' });
    if (!house) reasons.push({ code: 'E.HOUSE_NUMBER.MISSING', field: 'street1', message: 'House number is missing' });
    if (reasons.length > 0) return { verdict: 'invalid', reasons };

    const zip5 = address.zip.trim().slice(0, 5);
    const zip4 = address.zip.trim().length > 5 ? address.zip.trim().slice(6) : String(1000 + (parseInt(hash(`${address.street1}|${zip5}`, 6), 16) % 9000));
    const verified: PostalAddress = {
      ...address,
      street1: standardise(address.street1),
      ...(address.street2 && { street2: standardise(address.street2) }),
      city: address.city.trim().toUpperCase(),
      state: address.state.trim().toUpperCase(),
      zip: `${zip5}-${zip4}`,
      country: 'US',
      residential: !address.company,
    };
    const changes = addressChanges(address, verified);
    return changes.length === 0 ? { verdict: 'valid', address: verified } : { verdict: 'corrected', address: verified, suggestions: [verified], changes };
  }

  // ---------------------------------------------------------------- claims

  async fileClaim(req: ClaimRequest, opts?: CallOptions): Promise<Claim> {
    return this.idempotency.run('fileClaim', opts?.idempotencyKey, req, async () => {
      await this.guardOrRefuse('fileClaim', [req.trackingCode, req.description], 'The carrier does not accept a claim for this parcel');
      if (req.amount.currency !== 'USD' || !(req.amount.amountMinor > 0)) throw invalid('A claim needs a positive amount in USD');
      if ((req.type === 'damage' || req.type === 'theft') && !(req.evidence ?? []).some((e) => e.kind !== 'invoice')) {
        // EasyPost's rule too: supporting documentation is required for damage and theft.
        throw invalid(`A ${req.type} claim needs supporting documentation (photos)`);
      }
      const now = this.now();
      const open = [...this.claims.values()].find(
        (c) => c.req.trackingCode === req.trackingCode && !['cancelled', 'rejected'].includes(this.claimAt(c, now).status),
      );
      if (open) throw invalid(`Claim ${open.claimId} is already open for ${req.trackingCode}`);
      const stored: StoredClaim = { claimId: `sbx_clm_${pad(++this.sequence)}`, req, submittedAt: now, timeline: claimTimeline(req) };
      this.claims.set(stored.claimId, stored);
      return this.claimAt(stored, now);
    });
  }

  async getClaim(claimId: string, _opts?: CallOptions): Promise<Claim> {
    await this.guardOrRefuse('getClaim', [claimId]);
    const stored = this.claims.get(claimId);
    if (!stored) throw new CarrierError('sandbox', 'not_found', `No claim ${claimId}`, false);
    return this.claimAt(stored, this.now());
  }

  // ---------------------------------------------------------------- intercept and hold

  async intercept(req: InterceptRequest, opts?: CallOptions): Promise<CarrierActionResult> {
    return this.idempotency.run('intercept', opts?.idempotencyKey, req, async () => {
      if ((await this.guard('intercept', [req.trackingCode])) === 'refuse') return REFUSED;
      const parcel = this.parcel(req.trackingCode);
      const now = this.now();
      const tooLate = this.actionRefusal(parcel, now);
      if (tooLate) return tooLate;
      const at = now - parcel.startedAt;
      if (req.kind === 'redirect') {
        if (!req.newAddress) throw invalid('A redirect needs the new address');
        parcel.override = { kind: 'redirect', at, newAddress: req.newAddress };
      } else if (req.kind === 'reschedule') {
        const day = req.deliveryDate && /^\d{4}-\d{2}-\d{2}$/.test(req.deliveryDate) ? Date.parse(`${req.deliveryDate}T00:00:00Z`) : NaN;
        if (Number.isNaN(day) || day <= now) throw invalid('A reschedule needs a future delivery date (YYYY-MM-DD)');
        parcel.override = { kind: 'reschedule', at, deliverAt: day + 14 * H - parcel.startedAt };
      } else {
        parcel.override = { kind: 'return_to_sender', at };
      }
      return { outcome: 'accepted', reference: `SBX-INT-${pad(++this.sequence)}`, fee: usd(ACTION_FEES[req.kind]) };
    });
  }

  async holdAtLocation(req: HoldRequest, opts?: CallOptions): Promise<CarrierActionResult> {
    return this.idempotency.run('holdAtLocation', opts?.idempotencyKey, req, async () => {
      if ((await this.guard('holdAtLocation', [req.trackingCode, req.locationId])) === 'refuse') return REFUSED;
      const parcel = this.parcel(req.trackingCode);
      const now = this.now();
      const tooLate = this.actionRefusal(parcel, now);
      if (tooLate) return tooLate;
      const at = now - parcel.startedAt;
      const location = req.locationId ?? 'Radnor Post Office, 100 W Lancaster Ave, Wayne PA 19087';
      const holdUntil = at + 4 * H + SANDBOX_HOLD_DAYS * D;
      parcel.override = { kind: 'hold', at, location, holdUntil };
      return {
        outcome: 'accepted',
        reference: `SBX-HOLD-${pad(++this.sequence)}`,
        fee: usd(ACTION_FEES.hold),
        holdUntil: iso(parcel.startedAt + holdUntil),
        location,
      };
    });
  }

  // ---------------------------------------------------------------- internals

  private now(): number {
    return this.clock().getTime();
  }

  private parcel(trackingCode: string, registeredStart?: number): Parcel {
    const key = trackingCode.trim().toUpperCase();
    const existing = this.parcels.get(key);
    const { story, stampedStart } = resolveStory(key);
    if (existing) {
      if (registeredStart !== undefined && !stampedStart) existing.startedAt = registeredStart;
      return existing;
    }
    const startedAt = stampedStart?.getTime() ?? registeredStart ?? this.defaultStart ?? this.now();
    const parcel: Parcel = { code: trackingCode.trim(), story, startedAt, override: null };
    this.parcels.set(key, parcel);
    return parcel;
  }

  /** The steps as they will play: the story, cut and continued by an intercept or hold. */
  private placedSteps(parcel: Parcel): PlacedStep[] {
    const prefix = hash(parcel.code.toUpperCase(), 8);
    const placed = parcel.story.steps.map((step, i) => ({ id: `sbx_${prefix}_s${i}`, time: parcel.startedAt + step.at, step, overridden: false }));
    const ov = parcel.override;
    if (!ov) return placed;
    const kept = placed.filter((p) => p.step.at <= ov.at);
    const here = kept.at(-1)?.step.place ?? null;
    return [...kept, ...overrideSteps(ov, here).map((step, i) => ({ id: `sbx_${prefix}_o${i}`, time: parcel.startedAt + step.at, step, overridden: true }))];
  }

  private snapshotAt(parcel: Parcel, at: number): TrackingSnapshot {
    const all = this.placedSteps(parcel);
    const visible = all.filter((p) => p.time <= at);
    const last = visible.at(-1);
    const status: TrackingStatus = last?.step.status ?? 'unknown';
    const delivered = status === 'delivered' ? last : undefined;
    const signedBy = delivered ? (parcel.story.signedBy ?? null) : null;
    const leftAt = delivered?.step.leftAt ?? null;
    const plannedDelivery = all.find((p) => p.overridden && p.step.status === 'delivered');
    const estimate = plannedDelivery ? plannedDelivery.time : parcel.story.estimatedDeliveryAt === null ? null : parcel.startedAt + parcel.story.estimatedDeliveryAt;
    return {
      carrier: 'sandbox',
      underlyingCarrier: parcel.story.underlyingCarrier,
      trackingCode: parcel.code,
      trackerId: `sbx_trk_${hash(parcel.code.toUpperCase(), 16)}`,
      status,
      exceptionReason: last?.step.reason ?? (status === 'exception' || status === 'return_to_sender' ? 'other' : null),
      events: visible.map((p) => toEvent(p)),
      estimatedDeliveryAt: estimate === null ? null : iso(estimate),
      deliveredAt: delivered ? iso(delivered.time) : null,
      signedBy,
      proofOfDelivery: signedBy || leftAt ? { signedBy, leftAt } : null,
      publicUrl: `https://sandbox.delivery-desk.invalid/track/${encodeURIComponent(parcel.code)}`,
      updatedAt: iso(last?.time ?? parcel.startedAt),
    };
  }

  /** Why the carrier cannot intercept or hold now, or `null` when it can. */
  private actionRefusal(parcel: Parcel, now: number): CarrierActionResult | null {
    if (parcel.override) return { outcome: 'refused', reason: 'An intercept or hold is already in place for this parcel', code: 'SANDBOX.ALREADY_REQUESTED' };
    const { status } = this.snapshotAt(parcel, now);
    if (status === 'delivered') return { outcome: 'refused', reason: 'The parcel was already delivered', code: 'SANDBOX.TOO_LATE' };
    if (status === 'return_to_sender') return { outcome: 'refused', reason: 'The parcel is already returning to the sender', code: 'SANDBOX.TOO_LATE' };
    if (status === 'cancelled' || status === 'unknown') {
      return { outcome: 'refused', reason: 'The carrier has no parcel in its network under this code', code: 'SANDBOX.NOT_IN_NETWORK' };
    }
    return null;
  }

  private book(req: PickupRequest): Pickup {
    const start = Date.parse(req.windowStart);
    const end = Date.parse(req.windowEnd);
    if (Number.isNaN(start) || Number.isNaN(end)) throw invalid('The pickup window needs two ISO 8601 times');
    if (end < start) throw invalid('The pickup window ends before it starts');
    if (end < this.now()) throw invalid('The pickup window is in the past');
    if (new Date(start).getUTCDay() === 0 && new Date(end).getUTCDay() === 0) {
      // As EasyPost's USPS test notes say: next-day pickups include Saturday, never Sunday.
      throw refusedError('bookPickup', 'USPS does not pick up on Sundays');
    }
    const seq = ++this.sequence;
    const pickup: Pickup = {
      pickupId: `sbx_pickup_${pad(seq)}`,
      status: 'scheduled',
      confirmation: `SBX${pad(seq, 8)}`,
      windowStart: iso(start),
      windowEnd: iso(end),
      cost: usd(0),
      carrier: 'USPS',
      service: 'NextDay',
    };
    this.pickups.set(pickup.pickupId, { pickup });
    return { ...pickup };
  }

  private cancel(pickupId: string): Pickup {
    const stored = this.pickups.get(pickupId);
    if (!stored) throw new CarrierError('sandbox', 'not_found', `No pickup ${pickupId}`, false);
    if (stored.pickup.status !== 'canceled') {
      this.assertNotPast(stored.pickup);
      stored.pickup = { ...stored.pickup, status: 'canceled' };
    }
    return { ...stored.pickup };
  }

  private assertNotPast(pickup: Pickup): void {
    if (Date.parse(pickup.windowEnd) < this.now()) throw refusedError('cancelPickup', 'The pickup window has already passed');
  }

  private claimAt(stored: StoredClaim, at: number): Claim {
    const elapsed = at - stored.submittedAt;
    const entry = [...stored.timeline].reverse().find((e) => e.at <= elapsed) ?? stored.timeline[0];
    const approved = entry.status === 'approved' || entry.status === 'paid';
    return {
      claimId: stored.claimId,
      type: stored.req.type,
      status: entry.status,
      statusDetail: entry.detail,
      requestedAmount: { ...stored.req.amount },
      approvedAmount: approved ? { ...stored.req.amount } : null,
      submittedAt: iso(stored.submittedAt),
      updatedAt: iso(stored.submittedAt + entry.at),
    };
  }

  /** Injected faults first, then magic values. Returns `'refuse'` for the caller to interpret. */
  private async guard(method: SandboxMethod, values: (string | null | undefined)[]): Promise<'refuse' | null> {
    const queued = this.injected.find((f) => (f.method === method || f.method === '*') && f.remaining > 0);
    let fault: SandboxFault | null = null;
    if (queued) {
      queued.remaining--;
      fault = queued.fault;
    } else {
      const magic = findMagic(values);
      if (magic) {
        const key = `${method}|${magic.value}`;
        const calls = (this.magicCalls.get(key) ?? 0) + 1;
        this.magicCalls.set(key, calls);
        if (magic.times === null || calls <= magic.times) fault = magic.fault;
      }
    }
    if (fault === null) return null;
    if (fault === 'refuse') return 'refuse';
    if (fault === 'timeout') await (this.options.sleep ?? defaultSleep)(this.options.simulatedTimeoutMs ?? 0);
    throw faultError(fault, method);
  }

  private async guardOrRefuse(method: SandboxMethod, values: (string | null | undefined)[], reason?: string): Promise<void> {
    if ((await this.guard(method, values)) === 'refuse') throw refusedError(method, reason);
  }
}

const REFUSED: CarrierActionResult = { outcome: 'refused', reason: 'The carrier declined the request (simulated)', code: 'SANDBOX.REFUSED' };

const CLAIM_EVENT: Partial<Record<ClaimStatus, string>> = {
  submitted: 'claim.submitted',
  approved: 'claim.approved',
  rejected: 'claim.rejected',
  cancelled: 'claim.cancelled',
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function standardise(line: string): string {
  let out = line.trim().replace(/\s+/g, ' ').replace(/[.,]/g, '').toUpperCase();
  for (const [pattern, abbreviation] of STREET_ABBREVIATIONS) out = out.replace(pattern, abbreviation);
  return out;
}

function claimTimeline(req: ClaimRequest): StoredClaim['timeline'] {
  const start = [
    { at: 0, status: 'submitted' as const, detail: 'Claim was created.' },
    { at: 1 * D, status: 'in_review' as const, detail: 'Claim is being reviewed.' },
  ];
  if (/REJECT/i.test(req.description)) return [...start, { at: 3 * D, status: 'rejected', detail: 'Claim denied: the evidence does not show a loss in transit.' }];
  if (/NEEDS-ACTION/i.test(req.description)) return [...start, { at: 2 * D, status: 'needs_action', detail: 'More information is needed: upload a photo of the packaging.' }];
  return [...start, { at: 3 * D, status: 'approved', detail: 'Claim approved.' }, { at: 5 * D, status: 'paid', detail: 'Claim paid.' }];
}

function toEvent(placed: PlacedStep): TrackingEvent {
  const { step } = placed;
  return {
    sourceEventId: placed.id,
    occurredAt: iso(placed.time),
    status: step.status,
    carrierStatus: step.carrierStatus,
    carrierStatusDetail: step.carrierStatusDetail ?? null,
    exceptionReason: step.reason ?? (step.status === 'exception' || step.status === 'return_to_sender' ? 'other' : null),
    message: step.message,
    location: step.place ? { ...step.place } : null,
  };
}

function placeOf(address: PostalAddress): StoryPlace {
  return { city: address.city, state: address.state, zip: address.zip, country: address.country };
}

/** What happens after an accepted intercept or hold; `at` values are offsets from the story start. */
function overrideSteps(ov: Override, here: StoryPlace | null): StoryStep[] {
  switch (ov.kind) {
    case 'redirect': {
      const there = placeOf(ov.newAddress);
      return [
        { at: ov.at, status: 'in_transit', carrierStatus: 'in_transit', carrierStatusDetail: 'status_update', message: 'Intercepted: redirect to a new address requested', place: here },
        { at: ov.at + 18 * H, status: 'in_transit', carrierStatus: 'in_transit', carrierStatusDetail: 'arrived_at_destination', message: 'Arrived at post office', place: there },
        { at: ov.at + 22 * H, status: 'out_for_delivery', carrierStatus: 'out_for_delivery', carrierStatusDetail: 'out_for_delivery', message: 'Out for delivery', place: there },
        { at: ov.at + 28 * H, status: 'delivered', carrierStatus: 'delivered', carrierStatusDetail: 'arrived_at_destination', message: 'Delivered, Front Door/Porch', place: there, leftAt: 'Front Door/Porch' },
      ];
    }
    case 'return_to_sender':
      return [
        { at: ov.at, status: 'return_to_sender', carrierStatus: 'return_to_sender', carrierStatusDetail: 'return', message: 'Intercepted: return to sender requested', place: here },
        { at: ov.at + 72 * H, status: 'return_to_sender', carrierStatus: 'return_to_sender', carrierStatusDetail: 'return', message: 'Returned to sender', place: null },
      ];
    case 'reschedule':
      return [
        { at: ov.at, status: 'in_transit', carrierStatus: 'in_transit', carrierStatusDetail: 'status_update', message: 'Delivery rescheduled at the recipient\'s request', place: here },
        { at: ov.deliverAt - 6 * H, status: 'out_for_delivery', carrierStatus: 'out_for_delivery', carrierStatusDetail: 'out_for_delivery', message: 'Out for delivery', place: here },
        { at: ov.deliverAt, status: 'delivered', carrierStatus: 'delivered', carrierStatusDetail: 'arrived_at_destination', message: 'Delivered, Front Door/Porch', place: here, leftAt: 'Front Door/Porch' },
      ];
    case 'hold':
      return [
        { at: ov.at, status: 'in_transit', carrierStatus: 'in_transit', carrierStatusDetail: 'status_update', message: 'Hold at location requested', place: here },
        { at: ov.at + 4 * H, status: 'available_for_pickup', carrierStatus: 'available_for_pickup', carrierStatusDetail: 'arrived_at_pickup_location', message: `Held for pickup at ${ov.location}`, place: here },
        { at: ov.holdUntil, status: 'return_to_sender', carrierStatus: 'return_to_sender', carrierStatusDetail: 'return', message: 'Hold expired - returning to sender', place: here },
      ];
  }
}
