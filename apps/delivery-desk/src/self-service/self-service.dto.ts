import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiError, FieldProblem } from '../common/api-error';

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
