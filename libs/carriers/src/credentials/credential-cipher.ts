import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12; // the GCM nonce size NIST recommends
const TAG_BYTES = 16;
const KEY_ID_RE = /^[A-Za-z0-9_-]{1,32}$/;

export type CredentialCipherErrorCode = 'bad_key' | 'malformed' | 'unknown_key' | 'authentication_failed' | 'invalid_credentials';

/** Thrown for bad configuration and for envelopes that cannot be opened; never carries key material or plaintext. */
export class CredentialCipherError extends Error {
  override readonly name = 'CredentialCipherError';
  constructor(
    readonly code: CredentialCipherErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface CredentialCipherConfig {
  /** Id of the key new envelopes are sealed with. */
  currentKeyId: string;
  /** Every key that may still open an envelope: id → 32 random bytes, base64. */
  keys: Record<string, string>;
}

function decodeKey(id: string, base64: string): Buffer {
  if (!KEY_ID_RE.test(id)) throw new CredentialCipherError('bad_key', `Key id "${id}" must be 1-32 of [A-Za-z0-9_-]`);
  const text = base64.trim();
  const key = Buffer.from(text, 'base64');
  // Node's base64 decoder skips junk silently; a re-encode that differs means a typo in the configuration.
  if (key.length !== 32 || key.toString('base64') !== text) {
    throw new CredentialCipherError('bad_key', `Key "${id}" must be exactly 32 bytes, base64-encoded (44 characters)`);
  }
  return key;
}

/**
 * AES-256-GCM envelopes for secrets at rest: `v1:<keyId>:<base64(iv ‖ tag ‖ ciphertext)>`.
 * The version, the key id and an optional context (say `merchant:42:ups`) are authenticated as AAD, so an
 * envelope copied to another merchant's row, or with its key id edited, fails to open. Several keys can be
 * configured for rotation: envelopes open with the key they name, new ones are sealed with the current key.
 *
 * @example
 * ```ts
 * const cipher = CredentialCipher.fromEnv(process.env.CARRIER_CREDENTIAL_KEYS!); // "k2:BASE64,k1:BASE64"
 * const sealed = cipher.encrypt('sk_live_...', 'merchant:42:easypost');
 * cipher.decrypt(sealed, 'merchant:42:easypost'); // 'sk_live_...'
 * if (cipher.needsRotation(sealed)) row.secret = cipher.reencrypt(sealed, 'merchant:42:easypost');
 * ```
 */
export class CredentialCipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(config: CredentialCipherConfig) {
    for (const [id, base64] of Object.entries(config.keys)) this.keys.set(id, decodeKey(id, base64));
    if (!this.keys.has(config.currentKeyId)) {
      throw new CredentialCipherError('bad_key', `Current key "${config.currentKeyId}" is not among the configured keys`);
    }
    this.currentKeyId = config.currentKeyId;
  }

  /**
   * Reads keys from one configuration value, `id:base64` pairs separated by commas. The first pair is the
   * current key unless `currentKeyId` says otherwise.
   */
  static fromEnv(value: string, currentKeyId?: string): CredentialCipher {
    const keys: Record<string, string> = {};
    const ids: string[] = [];
    for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const colon = pair.indexOf(':');
      if (colon <= 0) throw new CredentialCipherError('bad_key', 'Each key must be written as id:base64');
      const id = pair.slice(0, colon);
      if (id in keys) throw new CredentialCipherError('bad_key', `Key id "${id}" appears twice`);
      keys[id] = pair.slice(colon + 1);
      ids.push(id);
    }
    if (ids.length === 0) throw new CredentialCipherError('bad_key', 'No credential encryption key configured');
    return new CredentialCipher({ currentKeyId: currentKeyId ?? ids[0]!, keys });
  }

  /** A fresh random key, base64, for `fromEnv` configuration. */
  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  encrypt(plaintext: string, context = ''): string {
    const keyId = this.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(keyId, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}:${keyId}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  decrypt(envelope: string, context = ''): string {
    const { keyId, payload } = parseEnvelope(envelope);
    const key = this.keys.get(keyId);
    if (!key) throw new CredentialCipherError('unknown_key', `No key "${keyId}" is configured to open this envelope`);
    const decipher = createDecipheriv('aes-256-gcm', key, payload.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(keyId, context));
    decipher.setAuthTag(payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(payload.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new CredentialCipherError('authentication_failed', 'Envelope failed authentication: tampered, wrong key, or wrong context');
    }
  }

  /** The key id an envelope was sealed with. */
  keyIdOf(envelope: string): string {
    return parseEnvelope(envelope).keyId;
  }

  /** Whether the envelope was sealed with a key other than the current one. */
  needsRotation(envelope: string): boolean {
    return this.keyIdOf(envelope) !== this.currentKeyId;
  }

  /** Opens with whichever key sealed the envelope and seals again with the current key. */
  reencrypt(envelope: string, context = ''): string {
    return this.encrypt(this.decrypt(envelope, context), context);
  }
}

function aad(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}:${keyId}:${context}`, 'utf8');
}

function parseEnvelope(envelope: string): { keyId: string; payload: Buffer } {
  const parts = typeof envelope === 'string' ? envelope.split(':') : [];
  if (parts.length !== 3 || parts[0] !== VERSION) throw new CredentialCipherError('malformed', 'Not a v1 credential envelope');
  const [, keyId, data] = parts as [string, string, string];
  if (!KEY_ID_RE.test(keyId) || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw new CredentialCipherError('malformed', 'Credential envelope is corrupt');
  const payload = Buffer.from(data, 'base64');
  if (payload.length < IV_BYTES + TAG_BYTES) throw new CredentialCipherError('malformed', 'Credential envelope is too short');
  return { keyId, payload };
}
