import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import type { DeskRequest } from '../common/http-context';
import { ApiKeyEntity } from '../merchants/api-key.entity';
import { apiKeyPrefix, hashApiKey, safeEqualHex } from './api-key.codec';
import { SCOPES_KEY } from './auth.decorators';

/** Reads the key from `Authorization: Bearer dd_...` or `X-Api-Key`. */
export function presentedApiKey(req: DeskRequest): string | null {
  const x = req.headers['x-api-key'];
  if (typeof x === 'string' && x) return x.trim();
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return null;
}

/**
 * Authenticates a platform's API key and checks the route's scopes. A revoked, unknown or malformed
 * key is 401 (with no hint which); a valid key without the scope is 403.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<DeskRequest>();
    const key = presentedApiKey(req);
    if (!key) throw ApiError.unauthenticated('unauthenticated', 'Send your API key as "Authorization: Bearer <key>" or "X-Api-Key".');
    const prefix = apiKeyPrefix(key);
    const row = prefix ? await this.ds.getRepository(ApiKeyEntity).findOneBy({ prefix }) : null;
    if (!row || row.revokedAt || !safeEqualHex(row.secretHash, hashApiKey(key))) {
      throw ApiError.unauthenticated('invalid_api_key', 'The API key is not valid or has been revoked.');
    }
    const needed = this.reflector.getAllAndOverride<string[]>(SCOPES_KEY, [context.getHandler(), context.getClass()]) ?? [];
    const missing = needed.filter((s) => !row.scopes.includes(s as never));
    if (missing.length) throw ApiError.forbidden('insufficient_scope', `This API key lacks the scope(s): ${missing.join(', ')}.`);
    req.principal = { kind: 'merchant', merchantId: row.merchantId, apiKeyId: row.id, scopes: row.scopes };
    // Touch last_used_at at most once a minute per key, so reads do not become writes.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      void this.ds
        .query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [row.id])
        .catch(() => undefined);
    }
    return true;
  }
}
