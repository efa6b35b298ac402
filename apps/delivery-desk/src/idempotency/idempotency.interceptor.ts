import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import { ApiError } from '../common/api-error';
import { DeskRequest, principalScope } from '../common/http-context';
import { toErrorResponse } from '../common/global-exception.filter';
import { IdempotencyService, requestHash } from './idempotency.service';
import { Logger } from '@nestjs/common';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on any POST/PUT/PATCH/DELETE: the first response (success or a client error) is
 * stored and replayed for the same key and request; the same key with a different request is 422;
 * a retry while the first is still running is 409. Failures a retry may fix (5xx, 409, 429) are not
 * stored, so the client can retry with the same key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<DeskRequest>();
    const reply = http.getResponse();
    const header = req.headers['idempotency-key'];
    if (header === undefined || req.method === 'GET' || req.method === 'HEAD') return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!KEY_PATTERN.test(key)) {
      return throwError(() => ApiError.validation([{ path: 'Idempotency-Key', problem: 'must be 1 to 255 visible ASCII characters' }]));
    }
    const scope = principalScope(req.principal);
    if (!scope) return next.handle();
    const route = req.routeOptions?.url ?? req.url.split('?')[0];
    const hash = requestHash(req.method, `${route} ${req.url.split('?')[0]}`, req.body);

    return from(this.idempotency.claim(scope, key, hash)).pipe(
      mergeMap((claim) => {
        switch (claim.state) {
          case 'mismatch':
            return throwError(() => ApiError.unprocessable('idempotency_key_reused', 'This Idempotency-Key was used with a different request.', [{ path: 'Idempotency-Key', problem: 'already used with a different request' }]));
          case 'in_progress':
            return throwError(() => new ApiError(409, 'idempotency_key_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly.', [], { 'retry-after': '1' }));
          case 'replay':
            void reply.header('idempotent-replayed', 'true');
            if (claim.status >= 400) {
              const body = claim.body as { error: { code: string; message: string; fields: { path: string; problem: string }[] } };
              return throwError(() => new ApiError(claim.status, body.error.code, body.error.message, body.error.fields));
            }
            req.statusOverride = claim.status;
            return of(claim.body);
          case 'new':
            return next.handle().pipe(
              mergeMap((body) => {
                const status = req.statusOverride ?? (req.method === 'POST' ? 201 : 200);
                return from(this.idempotency.complete(claim.id, status, body)).pipe(mergeMap(() => of(body)));
              }),
              catchError((err) => {
                const { status, body } = toErrorResponse(err, String(req.id), this.logger);
                const keep = status >= 400 && status < 500 && status !== 409 && status !== 429;
                const settle = keep ? this.idempotency.complete(claim.id, status, body) : this.idempotency.release(claim.id);
                return from(settle).pipe(mergeMap(() => throwError(() => err)));
              }),
            );
        }
      }),
    );
  }
}
