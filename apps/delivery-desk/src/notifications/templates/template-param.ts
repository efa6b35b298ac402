import { isLocalDate, isValidTimeZone, type Language } from '@app/returns';
import { TemplateError } from '../template.error';
import { type CauseCode, isCauseCode } from './cause.catalogue';

/** An amount in integer minor units (cents, yen) and its ISO 4217 currency. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** An instant: a `Date` or an ISO 8601 string with a time and offset. */
export type Instant = Date | string;

/** A calendar date `YYYY-MM-DD`, or an instant shown as a date in the customer's time zone. */
export type DateValue = Date | string;

/** A carrier pickup or delivery window. */
export interface TimeWindow {
  start: Instant;
  end: Instant;
}

/** An order line as the customer knows it; `nameJa` is used in Japanese when the shop has one. */
export interface ItemLine {
  name: string;
  nameJa?: string | null;
  quantity: number;
}

/** Merchants answer under their own name in each language. */
export interface MerchantNames {
  nameJa: string;
  nameEn: string;
}

/** What caused a problem; the free texts replace the catalogue's default Japanese wording. */
export interface CauseParam {
  code: CauseCode;
  causeJa?: string | null;
  preventionJa?: string | null;
}

/** The TypeScript type of each parameter kind. */
interface KindValues {
  text: string;
  /** A non-negative whole number (hours, parcels). */
  count: number;
  flag: boolean;
  money: Money;
  date: DateValue;
  instant: Instant;
  window: TimeWindow;
  /** An absolute http(s) URL. */
  url: string;
  lines: readonly ItemLine[];
  merchant: MerchantNames;
  cause: CauseParam;
  /** An IANA time-zone name. */
  timeZone: string;
}

type PlainKind = keyof KindValues;

interface SpecFlags {
  /** May be absent in every language. */
  readonly optional?: boolean;
  /** Needed only when this language is rendered (free text written per language, the 原因 section). */
  readonly onlyFor?: Language;
}

export type ParamSpec =
  | ({ readonly kind: PlainKind } & SpecFlags)
  | ({ readonly kind: 'choice'; readonly values: readonly string[] } & SpecFlags);

export type ParamSchema = Readonly<Record<string, ParamSpec>>;

type ValueOf<S> = S extends { kind: 'choice'; values: readonly (infer V)[] }
  ? V
  : S extends { kind: infer K extends PlainKind }
    ? KindValues[K]
    : never;

// A parameter needed in one language only cannot be required by the type: which languages are
// rendered is only known at run time, where validateParams checks it.
type IsLoose<S> = S extends { optional: true } ? true : S extends { onlyFor: Language } ? true : false;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The parameter object a schema asks for. */
export type ParamValues<S extends ParamSchema> = Simplify<
  { readonly [K in keyof S as IsLoose<S[K]> extends true ? never : K]: ValueOf<S[K]> } & {
    readonly [K in keyof S as IsLoose<S[K]> extends true ? K : never]?: ValueOf<S[K]> | null;
  }
>;

/** Parameter kinds, for writing schemas: `{ carrier: p.text, refund: optional(p.money) }`. */
export const p = {
  text: { kind: 'text' },
  count: { kind: 'count' },
  flag: { kind: 'flag' },
  money: { kind: 'money' },
  date: { kind: 'date' },
  instant: { kind: 'instant' },
  window: { kind: 'window' },
  url: { kind: 'url' },
  lines: { kind: 'lines' },
  merchant: { kind: 'merchant' },
  cause: { kind: 'cause' },
  timeZone: { kind: 'timeZone' },
} as const satisfies Record<PlainKind, ParamSpec>;

/** One of a fixed set of strings. */
export function choice<const V extends readonly string[]>(...values: V): { readonly kind: 'choice'; readonly values: V } {
  return { kind: 'choice', values };
}

export function optional<const S extends ParamSpec>(spec: S): S & { readonly optional: true } {
  return { ...spec, optional: true };
}

/** Needed only when the Japanese variant is rendered. */
export function jaOnly<const S extends ParamSpec>(spec: S): S & { readonly onlyFor: 'ja' } {
  return { ...spec, onlyFor: 'ja' };
}

/** Needed only when the English variant is rendered. */
export function enOnly<const S extends ParamSpec>(spec: S): S & { readonly onlyFor: 'en' } {
  return { ...spec, onlyFor: 'en' };
}

/** True for what a template must treat as "not given". */
export function isAbsent(value: unknown): value is null | undefined | '' {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const CURRENCY = /^[A-Z]{3}$/;

function isInstant(value: unknown): boolean {
  if (value instanceof Date) return Number.isFinite(value.getTime());
  // An instant without an offset would be read in the server's zone: refuse it.
  return typeof value === 'string' && INSTANT.test(value) && Number.isFinite(Date.parse(value));
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Why a present value is unusable, or null when it is fine. */
function problemWith(spec: ParamSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'text':
      return typeof value === 'string' ? null : 'must be a string';
    case 'count':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? null : 'must be a whole number ≥ 0';
    case 'flag':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'money': {
      const m = value as Partial<Money>;
      if (typeof m !== 'object' || !Number.isSafeInteger(m.amountMinor) || (m.amountMinor as number) < 0) {
        return 'must have a whole, non-negative amountMinor';
      }
      return typeof m.currency === 'string' && CURRENCY.test(m.currency) ? null : 'must have an ISO 4217 currency';
    }
    case 'date':
      return isLocalDate(value) || isInstant(value) ? null : 'must be YYYY-MM-DD or an instant with an offset';
    case 'instant':
      return isInstant(value) ? null : 'must be a Date or an ISO 8601 instant with an offset';
    case 'window': {
      const w = value as Partial<TimeWindow>;
      if (typeof w !== 'object' || !isInstant(w.start) || !isInstant(w.end)) return 'must have start and end instants';
      return new Date(w.end!).getTime() > new Date(w.start!).getTime() ? null : 'must end after it starts';
    }
    case 'url': {
      if (typeof value !== 'string') return 'must be a URL';
      try {
        const url = new URL(value);
        // Links go into href attributes: anything but http(s) could run script in a mail client.
        return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'must be an http(s) URL';
      } catch {
        return 'must be an absolute URL';
      }
    }
    case 'lines': {
      if (!Array.isArray(value) || value.length === 0) return 'must list at least one item';
      for (const line of value as Partial<ItemLine>[]) {
        if (typeof line !== 'object' || !isNonEmptyString(line.name)) return 'must give every item a name';
        if (!Number.isSafeInteger(line.quantity) || (line.quantity as number) < 1) return 'must give every item a quantity ≥ 1';
        if (line.nameJa !== undefined && line.nameJa !== null && typeof line.nameJa !== 'string') return 'has a non-text nameJa';
      }
      return null;
    }
    case 'merchant': {
      const m = value as Partial<MerchantNames>;
      return typeof m === 'object' && isNonEmptyString(m.nameJa) && isNonEmptyString(m.nameEn) ? null : 'must have nameJa and nameEn';
    }
    case 'cause': {
      const c = value as Partial<CauseParam>;
      if (typeof c !== 'object' || !isCauseCode(c.code)) return 'must have a known cause code';
      for (const key of ['causeJa', 'preventionJa'] as const) {
        if (c[key] !== undefined && c[key] !== null && typeof c[key] !== 'string') return `has a non-text ${key}`;
      }
      return null;
    }
    case 'timeZone':
      return typeof value === 'string' && isValidTimeZone(value) ? null : 'must be an IANA time zone';
    case 'choice':
      return spec.values.includes(value as string) ? null : `must be one of ${spec.values.join(', ')}`;
  }
}

/**
 * Checks `params` against `schema` for the languages being rendered; throws a `TemplateError`
 * naming the first missing or unusable parameter. Unknown extra keys are ignored so a caller
 * may pass one bag of case facts to several templates.
 */
export function validateParams(templateId: string, schema: ParamSchema, params: object, languages: readonly Language[]): void {
  const values = params as Record<string, unknown>;
  for (const [name, spec] of Object.entries(schema)) {
    const value = values[name];
    const needed = !spec.optional && (!spec.onlyFor || languages.includes(spec.onlyFor));
    if (isAbsent(value)) {
      if (needed) throw TemplateError.missing(templateId, name);
      continue;
    }
    const problem = problemWith(spec, value);
    if (problem) throw TemplateError.invalid(templateId, name, problem);
  }
}
