import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ApiKeyScope } from '../merchants/api-key.entity';
import type { DeskRequest, Principal } from '../common/http-context';

export const SCOPES_KEY = 'dd:scopes';

/** The API-key scopes a route needs (all of them). */
export const RequireScopes = (...scopes: ApiKeyScope[]) => SetMetadata(SCOPES_KEY, scopes);

/** The merchant id of the calling API key. Only on routes behind {@link ApiKeyGuard}. */
export const MerchantId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const p = ctx.switchToHttp().getRequest<DeskRequest>().principal as Principal | undefined;
  if (p?.kind !== 'merchant') throw new Error('MerchantId used on a route without ApiKeyGuard');
  return p.merchantId;
});
