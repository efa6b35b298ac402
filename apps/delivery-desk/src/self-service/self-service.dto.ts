import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { isLocalDate } from '@app/returns';
import { ApiError, FieldProblem } from '../common/api-error';
import { CAUSE_CODES, type CauseCode } from '../notifications';

export class DelayChoiceDto {
  @ApiProperty({ enum: ['consent', 'cancel'], description: 'Wait for the new ship date, or cancel the order for a full refund.' })
  @IsIn(['consent', 'cancel'])
  choice: 'consent' | 'cancel';
}

export class AddressFieldsDoc {
  @ApiProperty({ maxLength: 200, example: '417 Montgomery St' }) line1: string;
  @ApiPropertyOptional({ maxLength: 200, example: 'Suite 500' }) line2?: string;
  @ApiProperty({ maxLength: 100, example: 'San Francisco' }) city: string;
  @ApiProperty({ description: 'Two-letter state code', example: 'CA' }) state: string;
  @ApiProperty({ description: 'ZIP or ZIP+4 for the US', example: '94104' }) postalCode: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'US' }) country: string;
}

/** Documentation only: the body is checked by {@link parseAddressAnswer} (422 with field paths). */
export class AddressAnswerDoc {
  @ApiPropertyOptional({ enum: [true], description: 'The address on file is right.' }) confirm?: true;
  @ApiPropertyOptional({ type: AddressFieldsDoc, description: 'The corrected address (instead of confirm).' }) address?: AddressFieldsDoc;
}

export class IssueLinkDto {
  @ApiProperty({ enum: ['case'], description: 'A link that shows the customer their case (answer links are made by the playbooks).' })
  @IsIn(['case'])
  purpose: 'case';

  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  expiresInDays?: number;
}

/** The customer's answer to an address link, in the carrier's field names. */
export type AddressAnswer =
  | { confirm: true }
  | { address: { street1: string; street2?: string; city: string; state: string; zip: string; country: string } };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks an address answer field by field: every problem at once, each with its path
 * (`address.postalCode`), as 422 `address_invalid`. Unknown fields are problems too.
 */
export function parseAddressAnswer(body: unknown): AddressAnswer {
  const problems: FieldProblem[] = [];
  const fail = () => ApiError.unprocessable('address_invalid', 'The address has problems; see fields.', problems);
  if (!isObject(body)) {
    problems.push({ path: 'body', problem: 'must be a JSON object' });
    throw fail();
  }
  for (const k of Object.keys(body)) if (k !== 'confirm' && k !== 'address') problems.push({ path: k, problem: 'is not allowed' });
  if ('confirm' in body && 'address' in body) problems.push({ path: 'body', problem: 'give either confirm or address, not both' });
  else if ('confirm' in body) {
    if (body.confirm !== true) problems.push({ path: 'confirm', problem: 'must be true' });
  } else if (!('address' in body)) problems.push({ path: 'body', problem: 'give confirm: true or an address' });
  if (problems.length || 'confirm' in body) {
    if (problems.length) throw fail();
    return { confirm: true };
  }
  const a = body.address;
  if (!isObject(a)) {
    problems.push({ path: 'address', problem: 'must be an object' });
    throw fail();
  }
  for (const k of Object.keys(a)) if (!['line1', 'line2', 'city', 'state', 'postalCode', 'country'].includes(k)) problems.push({ path: `address.${k}`, problem: 'is not allowed' });
  const text = (key: string, max: number, required: boolean): string | undefined => {
    const v = a[key];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '' && !required)) {
      if (required) problems.push({ path: `address.${key}`, problem: 'is required' });
      return undefined;
    }
    if (typeof v !== 'string') return void problems.push({ path: `address.${key}`, problem: 'must be a string' });
    const t = v.trim().replace(/\s+/g, ' ');
    if (!t) return void problems.push({ path: `address.${key}`, problem: 'must not be empty' });
    if (t.length > max) return void problems.push({ path: `address.${key}`, problem: `must be at most ${max} characters` });
    if (/[\u0000-\u001f\u007f]/.test(t)) return void problems.push({ path: `address.${key}`, problem: 'must not contain control characters' });
    return t;
  };
  const street1 = text('line1', 200, true);
  const street2 = text('line2', 200, false);
  const city = text('city', 100, true);
  const country = text('country', 2, true)?.toUpperCase();
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) problems.push({ path: 'address.country', problem: 'must be a two-letter ISO 3166-1 code' });
  const state = text('state', 3, true)?.toUpperCase();
  if (state !== undefined && country === 'US' && !/^[A-Z]{2}$/.test(state)) problems.push({ path: 'address.state', problem: 'must be a two-letter state code' });
  const zip = text('postalCode', 16, true);
  if (zip !== undefined && country === 'US' && !/^\d{5}(-\d{4})?$/.test(zip)) problems.push({ path: 'address.postalCode', problem: 'must be a ZIP code (12345 or 12345-6789)' });
  if (problems.length) throw fail();
  return { address: { street1: street1!, ...(street2 ? { street2 } : {}), city: city!, state: state!, zip: zip!, country: country! } };
}

/** Agents may hand out a case link, or a fresh pickup link (e.g. after withdrawing a leaked one). */
export class DeskIssueLinkDto {
  @ApiProperty({ enum: ['case', 'pickup'], description: '`case` shows the case; `pickup` lets the customer move or cancel the booked return pickup.' })
  @IsIn(['case', 'pickup'])
  purpose: 'case' | 'pickup';

  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 30, description: 'A pickup link never outlives the pickup window.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  expiresInDays?: number;
}

/** Documentation only: the body is checked by {@link parsePickupAnswer}. */
export class PickupAnswerDoc {
  @ApiProperty({ enum: ['reschedule', 'cancel'] }) action: 'reschedule' | 'cancel';
  @ApiPropertyOptional({ example: '2026-12-08', description: 'For reschedule: a future business day in the pickup window (ship-to local date).' }) date?: string;
  @ApiPropertyOptional({ example: '09:00', description: 'For reschedule: earliest time, ship-to local (default 09:00).' }) windowFrom?: string;
  @ApiPropertyOptional({ example: '17:00', description: 'For reschedule: latest time, ship-to local (default 17:00).' }) windowTo?: string;
}

/** The customer's pickup answer. */
export type PickupAnswer = { action: 'reschedule'; date: string; windowFrom?: string; windowTo?: string } | { action: 'cancel' };

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/**
 * Checks a pickup answer's shape (400 `validation_failed`, every problem with its path), as the
 * platform's reschedule body is checked; whether the day fits the pickup is the pickups service's 422.
 */
export function parsePickupAnswer(body: unknown): PickupAnswer {
  const problems: FieldProblem[] = [];
  if (!isObject(body)) throw ApiError.validation([{ path: 'body', problem: 'must be a JSON object' }]);
  const action = body.action;
  if (action !== 'reschedule' && action !== 'cancel') problems.push({ path: 'action', problem: 'must be one of reschedule, cancel' });
  const allowed = action === 'cancel' ? ['action'] : ['action', 'date', 'windowFrom', 'windowTo'];
  for (const k of Object.keys(body)) if (!allowed.includes(k)) problems.push({ path: k, problem: action === 'cancel' ? 'is not allowed with cancel' : 'is not allowed' });
  if (action === 'reschedule') {
    if (typeof body.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body.date)) problems.push({ path: 'date', problem: 'must be YYYY-MM-DD' });
    for (const k of ['windowFrom', 'windowTo'] as const) {
      if (body[k] !== undefined && (typeof body[k] !== 'string' || !TIME.test(body[k] as string))) problems.push({ path: k, problem: 'must be HH:MM (24-hour)' });
    }
  }
  if (problems.length) throw ApiError.validation(problems);
  if (action === 'cancel') return { action };
  return {
    action: 'reschedule',
    date: body.date as string,
    ...(body.windowFrom !== undefined ? { windowFrom: body.windowFrom as string } : {}),
    ...(body.windowTo !== undefined ? { windowTo: body.windowTo as string } : {}),
  };
}

/** Documentation only: the body is checked by {@link parseDelayReport}. */
export class DelayReportDoc {
  @ApiProperty({ example: '2026-12-04T09:00:00Z', description: 'When the shop learned the order will ship late (not in the future).' }) delayKnownAt: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-18', description: 'The date the shop now expects to ship (ship-to local), or null when it does not know.' })
  expectedShipDate: string | null;
  @ApiPropertyOptional({ enum: CAUSE_CODES, description: 'Why, as told to the customer in the notice (default stock_shortage).' }) reason?: CauseCode;
}

/** What the platform reports about a late order. */
export interface DelayReport {
  delayKnownAt: string;
  expectedShipDate: string | null;
  reason: CauseCode | null;
}

/** Allowance for the platform's clock running ahead of ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Checks a delay report field by field (400 `validation_failed` with paths). */
export function parseDelayReport(body: unknown, now: Date): DelayReport {
  if (!isObject(body)) throw ApiError.validation([{ path: 'body', problem: 'must be a JSON object' }]);
  const problems: FieldProblem[] = [];
  for (const k of Object.keys(body)) if (!['delayKnownAt', 'expectedShipDate', 'reason'].includes(k)) problems.push({ path: k, problem: 'is not allowed' });
  let known: string | null = null;
  const k = body.delayKnownAt;
  if (k === undefined || k === null) problems.push({ path: 'delayKnownAt', problem: 'is required' });
  else if (typeof k !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(k) || Number.isNaN(Date.parse(k))) {
    problems.push({ path: 'delayKnownAt', problem: 'must be an ISO 8601 date-time with a time zone' });
  } else if (Date.parse(k) > now.getTime() + CLOCK_SKEW_MS) problems.push({ path: 'delayKnownAt', problem: 'must not be in the future' });
  else known = new Date(k).toISOString();
  const e = body.expectedShipDate;
  if (e === undefined) problems.push({ path: 'expectedShipDate', problem: 'is required (null when not known)' });
  else if (e !== null && !isLocalDate(e)) problems.push({ path: 'expectedShipDate', problem: 'must be a calendar date (YYYY-MM-DD) or null' });
  const r = body.reason;
  if (r !== undefined && r !== null && !(CAUSE_CODES as readonly unknown[]).includes(r)) problems.push({ path: 'reason', problem: `must be one of ${CAUSE_CODES.join(', ')}` });
  if (problems.length) throw ApiError.validation(problems);
  return { delayKnownAt: known!, expectedShipDate: (e as string | null) ?? null, reason: (r as CauseCode | undefined) ?? null };
}
