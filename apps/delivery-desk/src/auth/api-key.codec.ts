import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `dd_<prefix>_<secret>`: the prefix (10 chars) finds the row and may be shown
 * and logged; the secret (43 chars, 256 bits) is checked against a SHA-256 kept in the database.
 */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 10);
  const secret = randomBytes(32).toString('base64url');
  const key = `dd_${prefix}_${secret}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The prefix of a well-formed key, or null. */
export function apiKeyPrefix(key: string): string | null {
  const m = /^dd_([A-Za-z0-9]{10})_[A-Za-z0-9_-]{43}$/.exec(key);
  return m ? m[1] : null;
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
