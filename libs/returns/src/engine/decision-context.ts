/**
 * Everything an evaluator needs to read while deciding: the facts, the policy, `now` as a civil
 * date in the ship-to zone, and the effective rule numbers (catalogue values with the
 * merchant's overrides for V2 / UNVERIFIED numbers). Read-only.
 */
import { addCalendarDays, addCalendarMonths, addWorkingDays, lastBusinessDayOnOrBefore } from '../calendar/business-calendar';
import { type LocalDate, isLocalDate } from '../calendar/local-date';
import { endOfLocalDay, isValidTimeZone, localDateOf, timeZoneForAddress, toEpochMs } from '../calendar/time-zone';
import type { Facts, LineQuantity, OrderLine, ShipmentFacts } from '../facts/facts';
import type { MerchantPolicy } from '../policy/merchant-policy';
import { isConfigurableStatus } from '../rules/rule';
import { RULES, type RuleId, type RuleParamName } from '../rules/rule-catalogue';
import type { Deadline } from './decision';

export class DecisionContext {
  readonly timeZone: string;
  readonly nowMs: number;
  readonly nowIso: string;
  /** Today in the ship-to zone. */
  readonly today: LocalDate;
  readonly currency: string;
  private readonly lines = new Map<string, OrderLine>();
  /** Rule numbers actually read, for the decision's citations. */
  readonly paramsUsed = new Map<string, Record<string, number>>();

  constructor(
    readonly facts: Facts,
    readonly policy: MerchantPolicy,
    now: Date | string,
  ) {
    this.nowMs = toEpochMs(now);
    this.nowIso = new Date(this.nowMs).toISOString();
    const tz = facts.timeZone;
    this.timeZone = tz && isValidTimeZone(tz) ? tz : timeZoneForAddress(facts.order.shipTo);
    this.today = localDateOf(this.nowIso, this.timeZone);
    this.currency = facts.order.currency;
    for (const l of facts.order.lines) this.lines.set(l.id, l);
  }

  /** The civil date of an instant (or a date) in the ship-to zone. */
  date(input: string): LocalDate {
    return localDateOf(input, this.timeZone);
  }

  ms(input: string): number {
    return isLocalDate(input) ? toEpochMs(endOfLocalDay(input, this.timeZone)) : toEpochMs(input);
  }

  addDays(anchor: string, days: number): LocalDate {
    return addCalendarDays(anchor, days, this.timeZone);
  }

  addWorkingDays(anchor: string, days: number): LocalDate {
    return addWorkingDays(anchor, days, this.timeZone);
  }

  addMonths(anchor: string, months: number): LocalDate {
    return addCalendarMonths(anchor, months, this.timeZone);
  }

  /** A deadline on a civil date: passes at the end of that day in the ship-to zone. */
  deadline(date: LocalDate, ruleIds: string[]): Deadline {
    return { date, at: endOfLocalDay(date, this.timeZone), ruleIds };
  }

  /** A deadline at an exact instant (hour-based windows). */
  deadlineAt(epochMs: number, ruleIds: string[]): Deadline {
    const at = new Date(epochMs).toISOString();
    return { date: this.date(at), at, ruleIds };
  }

  fileBy(date: LocalDate): LocalDate {
    return lastBusinessDayOnOrBefore(date);
  }

  /** A rule number after the merchant's overrides (only V2 / UNVERIFIED numbers can be overridden). */
  param<I extends RuleId>(id: I, name: RuleParamName<I>): number {
    const p = RULES[id].params?.[name];
    if (!p) throw new Error(`Rule ${id} has no parameter ${name}`);
    const override = this.policy.ruleSettings[id]?.params?.[name];
    const value = override !== undefined && isConfigurableStatus(p.status) ? override : p.value;
    const used = this.paramsUsed.get(id) ?? {};
    used[name] = value;
    this.paramsUsed.set(id, used);
    return value;
  }

  /** False when the merchant switched a V2 / UNVERIFIED rule off. */
  enabled(id: RuleId): boolean {
    const setting = this.policy.ruleSettings[id];
    return !(setting?.enabled === false && isConfigurableStatus(RULES[id].status));
  }

  line(lineId: string): OrderLine {
    const l = this.lines.get(lineId);
    if (!l) throw new Error(`Unknown order line ${lineId}`);
    return l;
  }

  hasLine(lineId: string): boolean {
    return this.lines.has(lineId);
  }

  shipment(id: string | null | undefined): ShipmentFacts | undefined {
    return id ? this.facts.shipments.find((s) => s.id === id) : undefined;
  }

  /** The shipment the problem names, or the one carrying its first line, or the only one. */
  problemShipment(): ShipmentFacts | undefined {
    const p = this.facts.problem;
    const named = 'shipmentId' in p ? this.shipment(p.shipmentId) : undefined;
    if (named) return named;
    if ('lines' in p && p.lines.length > 0) {
      const first = p.lines[0]!.lineId;
      const carrying = this.facts.shipments.filter((s) => s.lines.some((l) => l.lineId === first) && isShipped(s));
      if (carrying.length > 0) return carrying[carrying.length - 1];
    }
    return this.facts.shipments.length === 1 ? this.facts.shipments[0] : undefined;
  }

  get paidMinor(): number {
    return this.facts.order.charges.totalMinor;
  }

  get alreadyRefundedMinor(): number {
    return this.facts.order.alreadyRefundedMinor ?? 0;
  }

  get refundableMinor(): number {
    return Math.max(0, this.paidMinor - this.alreadyRefundedMinor);
  }

  get disputeOpen(): boolean {
    return this.facts.payment.dispute?.status === 'open';
  }

  /** All units of every line. */
  allLines(): LineQuantity[] {
    return this.facts.order.lines.map((l) => ({ lineId: l.id, quantity: l.quantity }));
  }

  /** Units of each line that the carrier has taken (tendered shipments). */
  shippedQuantities(): Map<string, number> {
    const shipped = new Map<string, number>();
    for (const s of this.facts.shipments) {
      if (!isShipped(s)) continue;
      for (const l of s.lines) shipped.set(l.lineId, (shipped.get(l.lineId) ?? 0) + l.quantity);
    }
    return shipped;
  }

  /** Units not yet handed to a carrier. */
  unshippedLines(): LineQuantity[] {
    const shipped = this.shippedQuantities();
    const out: LineQuantity[] = [];
    for (const l of this.facts.order.lines) {
      const left = l.quantity - Math.min(l.quantity, shipped.get(l.id) ?? 0);
      if (left > 0) out.push({ lineId: l.id, quantity: left });
    }
    return out;
  }
}

/** "Shipment" = in the carrier's possession (16 CFR 435.2(c)); a label alone is not. */
export function isShipped(s: ShipmentFacts): boolean {
  if (s.status === 'cancelled') return false;
  if (s.tenderedAt) return true;
  return s.status !== 'pre_transit' && s.status !== 'unknown' && s.events.some((e) => e.kind !== 'label_created');
}
