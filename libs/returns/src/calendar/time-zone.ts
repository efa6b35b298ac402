/**
 * Instants ⇄ civil dates in an IANA time zone, and the ship-to time zone of an address.
 * Uses the runtime's time-zone database (Intl) only; no clock is read here.
 */
import { formatYmd, type LocalDate, isLocalDate, parseYmd } from './local-date';

/** An instant (`Date`, or an ISO 8601 string with a time) or a civil date `YYYY-MM-DD`. */
export type DateInput = Date | string;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows this IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds since the epoch for an instant; throws on an unparseable string. */
export function toEpochMs(input: Date | string): number {
  const ms = input instanceof Date ? input.getTime() : Date.parse(input);
  if (!Number.isFinite(ms)) throw new RangeError(`Not a valid instant: ${String(input)}`);
  return ms;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(epochMs: number, timeZone: string): WallClock {
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatterFor(timeZone).formatToParts(epochMs)) {
    if (p.type in out) out[p.type as keyof WallClock] = Number(p.value);
  }
  return out;
}

const QUARTER_HOUR_MS = 900_000;
const offsetCache = new Map<string, Map<number, number>>();

/**
 * Offset of local wall-clock time from UTC at an instant, in ms (New York in winter: -5 h).
 * Zone transitions fall on quarter hours of UTC, so one lookup per zone and quarter hour is
 * exact; the cache makes the engine's many date conversions cheap.
 */
function offsetMs(epochMs: number, timeZone: string): number {
  const bucket = Math.floor(epochMs / QUARTER_HOUR_MS);
  let zone = offsetCache.get(timeZone);
  if (!zone) offsetCache.set(timeZone, (zone = new Map()));
  let offset = zone.get(bucket);
  if (offset === undefined) {
    const at = bucket * QUARTER_HOUR_MS;
    const w = wallClock(at, timeZone);
    offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - at;
    if (zone.size > 50_000) zone.clear();
    zone.set(bucket, offset);
  }
  return offset;
}

/**
 * The civil date of an instant in a zone. A `YYYY-MM-DD` input is already civil and is
 * returned as is. Example: `localDateOf('2026-03-03T03:00:00Z', 'America/Los_Angeles')` → `2026-03-02`.
 */
export function localDateOf(input: DateInput, timeZone: string): LocalDate {
  if (typeof input === 'string' && isLocalDate(input)) return input;
  const ms = toEpochMs(input);
  const local = new Date(ms + offsetMs(ms, timeZone));
  return formatYmd(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
}

/** The UTC instant (ms) of a wall-clock time in a zone; the later offset wins in a DST gap. */
export function zonedTimeToEpochMs(
  date: LocalDate,
  timeZone: string,
  time: { hour: number; minute: number; second: number; ms: number },
): number {
  const { year, month, day } = parseYmd(date);
  const guess = Date.UTC(year, month - 1, day, time.hour, time.minute, time.second, time.ms);
  const first = offsetMs(guess, timeZone);
  const candidate = guess - first;
  const second = offsetMs(candidate, timeZone);
  return second === first ? candidate : guess - second;
}

/** ISO instant of the last millisecond of a civil date in a zone: when a day-based deadline passes. */
export function endOfLocalDay(date: LocalDate, timeZone: string): string {
  return new Date(zonedTimeToEpochMs(date, timeZone, { hour: 23, minute: 59, second: 59, ms: 999 })).toISOString();
}

/** ISO instant of the first millisecond of a civil date in a zone. */
export function startOfLocalDay(date: LocalDate, timeZone: string): string {
  return new Date(zonedTimeToEpochMs(date, timeZone, { hour: 0, minute: 0, second: 0, ms: 0 })).toISOString();
}

/** Zone of each state's most populous part; ZIP prefixes below refine the split states. */
const STATE_TIME_ZONES: Readonly<Record<string, string>> = {
  AL: 'America/Chicago', AK: 'America/Anchorage', AZ: 'America/Phoenix', AR: 'America/Chicago',
  CA: 'America/Los_Angeles', CO: 'America/Denver', CT: 'America/New_York', DE: 'America/New_York',
  DC: 'America/New_York', FL: 'America/New_York', GA: 'America/New_York', HI: 'Pacific/Honolulu',
  ID: 'America/Boise', IL: 'America/Chicago', IN: 'America/Indiana/Indianapolis', IA: 'America/Chicago',
  KS: 'America/Chicago', KY: 'America/New_York', LA: 'America/Chicago', ME: 'America/New_York',
  MD: 'America/New_York', MA: 'America/New_York', MI: 'America/Detroit', MN: 'America/Chicago',
  MS: 'America/Chicago', MO: 'America/Chicago', MT: 'America/Denver', NE: 'America/Chicago',
  NV: 'America/Los_Angeles', NH: 'America/New_York', NJ: 'America/New_York', NM: 'America/Denver',
  NY: 'America/New_York', NC: 'America/New_York', ND: 'America/Chicago', OH: 'America/New_York',
  OK: 'America/Chicago', OR: 'America/Los_Angeles', PA: 'America/New_York', RI: 'America/New_York',
  SC: 'America/New_York', SD: 'America/Chicago', TN: 'America/Chicago', TX: 'America/Chicago',
  UT: 'America/Denver', VT: 'America/New_York', VA: 'America/New_York', WA: 'America/Los_Angeles',
  WV: 'America/New_York', WI: 'America/Chicago', WY: 'America/Denver',
  PR: 'America/Puerto_Rico', VI: 'America/St_Thomas', GU: 'Pacific/Guam', AS: 'Pacific/Pago_Pago',
  MP: 'Pacific/Saipan', AA: 'America/New_York', AE: 'Europe/Berlin', AP: 'Pacific/Guam',
};

/** ZIP3 prefixes whose zone differs from their state's main zone. */
const ZIP3_TIME_ZONES: ReadonlyArray<readonly [from: number, to: number, zone: string]> = [
  [324, 325, 'America/Chicago'], // Florida panhandle
  [373, 374, 'America/New_York'], // Chattanooga
  [376, 379, 'America/New_York'], // East Tennessee
  [420, 424, 'America/Chicago'], // Western Kentucky
  [463, 464, 'America/Chicago'], // Northwest Indiana
  [476, 477, 'America/Chicago'], // Southwest Indiana
  [498, 499, 'America/Menominee'], // Michigan's Upper Peninsula border counties
  [677, 679, 'America/Denver'], // Western Kansas
  [690, 693, 'America/Denver'], // Western Nebraska
  [575, 577, 'America/Denver'], // Western South Dakota
  [798, 799, 'America/Denver'], // El Paso
  [835, 838, 'America/Los_Angeles'], // North Idaho
  [979, 979, 'America/Boise'], // Malheur County, Oregon
];

const CANADA_TIME_ZONES: Readonly<Record<string, string>> = {
  BC: 'America/Vancouver', AB: 'America/Edmonton', SK: 'America/Regina', MB: 'America/Winnipeg',
  ON: 'America/Toronto', QC: 'America/Toronto', NB: 'America/Moncton', NS: 'America/Halifax',
  PE: 'America/Halifax', NL: 'America/St_Johns', YT: 'America/Whitehorse', NT: 'America/Yellowknife',
  NU: 'America/Iqaluit',
};

/** Used when nothing better is known: the zone of the largest US population share. */
export const FALLBACK_TIME_ZONE = 'America/New_York';

/**
 * The ship-to zone derived from an address, for facts that do not carry one. Example:
 * `timeZoneForAddress({ country: 'US', state: 'FL', zip: '32501' })` → `America/Chicago`.
 */
export function timeZoneForAddress(address: { country?: string | null; state?: string | null; zip?: string | null }): string {
  const country = (address.country ?? 'US').toUpperCase();
  const state = (address.state ?? '').toUpperCase();
  if (country === 'JP') return 'Asia/Tokyo';
  if (country === 'CA') return CANADA_TIME_ZONES[state] ?? 'America/Toronto';
  if (country === 'US' || country === 'PR' || country === 'GU' || country === 'VI') {
    const zip3 = Number((address.zip ?? '').slice(0, 3));
    if (Number.isInteger(zip3)) {
      for (const [from, to, zone] of ZIP3_TIME_ZONES) if (zip3 >= from && zip3 <= to) return zone;
    }
    return STATE_TIME_ZONES[state] ?? (country === 'US' ? FALLBACK_TIME_ZONE : (STATE_TIME_ZONES[country] ?? FALLBACK_TIME_ZONE));
  }
  return FALLBACK_TIME_ZONE;
}
