import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

/**
 * Counts requests per presented credential (hashed, so unknown keys get their own bucket and one
 * caller cannot spend another's), falling back to the client address.
 */
@Injectable()
export class CredentialThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const cred = req.headers?.['x-api-key'] ?? req.headers?.authorization ?? req.headers?.['x-admin-token'];
    if (typeof cred === 'string' && cred) return 'k:' + createHash('sha256').update(cred).digest('base64url').slice(0, 22);
    return 'ip:' + (req.ip ?? 'unknown');
  }
}
