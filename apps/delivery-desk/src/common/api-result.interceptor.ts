import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { ApiResult } from './api-result';
import type { DeskRequest } from './http-context';

/** Unwraps {@link ApiResult}: its status goes to the request, applied by the onSend hook in main. */
@Injectable()
export class ApiResultInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<DeskRequest>();
    return next.handle().pipe(
      map((result) => {
        if (result instanceof ApiResult) {
          req.statusOverride = result.status;
          return result.body;
        }
        return result;
      }),
    );
  }
}
