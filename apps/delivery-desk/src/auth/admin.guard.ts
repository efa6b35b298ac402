import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../common/api-error';
import type { DeskRequest } from '../common/http-context';
import { SETTINGS, Settings } from '../config/settings';

/** Operator endpoints: `Authorization: Bearer <ADMIN_TOKEN>` or `X-Admin-Token`. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected: Buffer;
  constructor(@Inject(SETTINGS) settings: Settings) {
    this.expected = createHash('sha256').update(settings.adminToken).digest();
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<DeskRequest>();
    const header = req.headers['x-admin-token'];
    const auth = req.headers.authorization;
    const token = typeof header === 'string' ? header : auth?.startsWith('Bearer ') ? auth.slice(7) : null;
    if (!token) throw ApiError.unauthenticated('unauthenticated', 'Send the admin token as "Authorization: Bearer <token>".');
    const given = createHash('sha256').update(token.trim()).digest();
    if (!timingSafeEqual(given, this.expected)) throw ApiError.unauthenticated('invalid_admin_token', 'The admin token is not valid.');
    req.principal = { kind: 'admin' };
    return true;
  }
}
