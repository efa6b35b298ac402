import { randomBytes } from 'node:crypto';
import type { CarrierCode } from '../carrier.model';
import { CredentialCipherError, type CredentialCipher } from './credential-cipher';

/** A merchant's own EasyPost account. */
export interface EasyPostCredentials {
  carrier: 'easypost';
  apiKey: string;
  /** Secret for the `X-Hmac-Signature` check on EasyPost webhooks. */
  webhookSecret: string;
}

/** A merchant's UPS developer app and shipper account. */
export interface UpsCredentials {
  carrier: 'ups';
  /** OAuth client id of the merchant's app on developer.ups.com. */
  clientId: string;
  clientSecret: string;
  /** 6-character UPS shipper number that pays for pickups and return labels. */
  accountNumber: string;
  /** Opaque secret given to Track Alert as `credential`; UPS echoes it on every push. */
  webhookToken: string;
}

export type CarrierCredentials = EasyPostCredentials | UpsCredentials;

const REQUIRED: Record<CarrierCredentials['carrier'], readonly string[]> = {
  easypost: ['apiKey', 'webhookSecret'],
  ups: ['clientId', 'clientSecret', 'accountNumber', 'webhookToken'],
};

/**
 * Checks an untrusted value (a decrypted JSON document, an admin form) is a complete credential set.
 *
 * @example
 * ```ts
 * const creds = parseCarrierCredentials({ carrier: 'ups', clientId, clientSecret, accountNumber, webhookToken });
 * ```
 */
export function parseCarrierCredentials(value: unknown): CarrierCredentials {
  if (typeof value !== 'object' || value === null) throw new CredentialCipherError('invalid_credentials', 'Credentials must be an object');
  const record = value as Record<string, unknown>;
  const carrier = record.carrier;
  if (carrier !== 'easypost' && carrier !== 'ups') {
    throw new CredentialCipherError('invalid_credentials', 'Credentials must name carrier "easypost" or "ups"');
  }
  const fields = REQUIRED[carrier];
  const missing = fields.filter((f) => typeof record[f] !== 'string' || (record[f] as string).trim() === '');
  if (missing.length > 0) throw new CredentialCipherError('invalid_credentials', `Missing ${carrier} credential fields: ${missing.join(', ')}`);
  // Copy only the known fields so stray input never ends up encrypted and forgotten.
  return Object.fromEntries([['carrier', carrier], ...fields.map((f) => [f, (record[f] as string).trim()])]) as CarrierCredentials;
}

/** The AAD that binds an envelope to one merchant and one carrier. */
export function carrierCredentialContext(merchantId: string, carrier: CarrierCode): string {
  return `carrier-credentials:${merchantId}:${carrier}`;
}

/**
 * Encrypts a merchant's carrier credentials for storage.
 *
 * @example
 * ```ts
 * row.credentials = sealCarrierCredentials(cipher, merchant.id, upsCredentials);
 * ```
 */
export function sealCarrierCredentials(cipher: CredentialCipher, merchantId: string, credentials: CarrierCredentials): string {
  const clean = parseCarrierCredentials(credentials);
  return cipher.encrypt(JSON.stringify(clean), carrierCredentialContext(merchantId, clean.carrier));
}

/**
 * Decrypts and validates stored credentials; the envelope must have been sealed for this merchant and carrier.
 *
 * @example
 * ```ts
 * const ups = openCarrierCredentials(cipher, merchant.id, 'ups', row.credentials);
 * ```
 */
export function openCarrierCredentials<C extends CarrierCredentials['carrier']>(
  cipher: CredentialCipher,
  merchantId: string,
  carrier: C,
  envelope: string,
): Extract<CarrierCredentials, { carrier: C }> {
  const plaintext = cipher.decrypt(envelope, carrierCredentialContext(merchantId, carrier));
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext);
  } catch {
    throw new CredentialCipherError('invalid_credentials', 'Decrypted credentials are not JSON');
  }
  const credentials = parseCarrierCredentials(parsed);
  if (credentials.carrier !== carrier) throw new CredentialCipherError('invalid_credentials', `Envelope holds ${credentials.carrier} credentials, not ${carrier}`);
  return credentials as Extract<CarrierCredentials, { carrier: C }>;
}

/** Safe-to-log view: every secret reduced to its last four characters. */
export function redactCarrierCredentials(credentials: CarrierCredentials): Record<string, string> {
  return Object.fromEntries(
    Object.entries(credentials).map(([k, v]) => [k, k === 'carrier' || k === 'accountNumber' ? String(v) : `…${String(v).slice(-4)}`]),
  );
}

/** A random per-merchant webhook token (256 bits, base64url). */
export function generateWebhookToken(): string {
  return randomBytes(32).toString('base64url');
}
