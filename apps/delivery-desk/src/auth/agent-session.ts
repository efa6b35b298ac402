import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What an agent session token carries. `pw` ties it to the password: changing it ends old sessions. */
export interface AgentSessionClaims {
  agentId: string;
  merchantId: string;
  expiresAt: number;
  pw: string;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** A short fingerprint of the stored password hash (never the hash itself). */
export const passwordFingerprint = (passwordHash: string) => createHash('sha256').update(passwordHash).digest('base64url').slice(0, 12);

/**
 * Stateless, signed agent session tokens (`dds_<payload>.<mac>`): any replica can check one without a
 * session table; they expire, and a password change or deactivation ends them (checked on use).
 */
export class AgentSessionCodec {
  private readonly key: Buffer;
  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('delivery-desk:agent-session:v1').digest();
  }

  sign(claims: AgentSessionClaims): string {
    const payload = b64(JSON.stringify({ a: claims.agentId, m: claims.merchantId, e: claims.expiresAt, p: claims.pw }));
    return `dds_${payload}.${b64(createHmac('sha256', this.key).update(payload).digest())}`;
  }

  /** The claims of a well-formed, correctly signed, unexpired token; null otherwise. */
  verify(token: string, now: number): AgentSessionClaims | null {
    const m = /^dds_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return null;
    const expected = createHmac('sha256', this.key).update(m[1]).digest();
    const given = Buffer.from(m[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const c = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8'));
      if (typeof c.e !== 'number' || c.e <= now) return null;
      return { agentId: c.a, merchantId: c.m, expiresAt: c.e, pw: c.p };
    } catch {
      return null;
    }
  }
}
