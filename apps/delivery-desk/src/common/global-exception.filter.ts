import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { OptimisticLockVersionMismatchError, QueryFailedError } from 'typeorm';
import { ApiError } from './api-error';
import type { DeskReply, DeskRequest } from './http-context';

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
};

/** Fastify's own request errors (body parsing, limits) mapped to stable codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is larger than the limit.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send the body as application/json.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The body is empty but declared as JSON.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_request', message: 'Content-Length does not match the body.' },
};

export interface ErrorBody {
  error: { code: string; message: string; fields: { path: string; problem: string }[] };
  requestId: string;
}

/** Turns any thrown value into the one error body; internals are logged, never sent. */
export function toErrorResponse(exception: unknown, requestId: string, logger: Logger): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const build = (status: number, code: string, message: string, fields: ErrorBody['error']['fields'] = [], headers: Record<string, string> = {}) => ({
    status,
    body: { error: { code, message, fields }, requestId },
    headers,
  });

  if (exception instanceof ApiError) {
    return build(exception.status, exception.code, exception.message, exception.fields, exception.headers);
  }
  if (exception instanceof ThrottlerException) {
    return build(429, 'rate_limited', 'Too many requests; slow down and retry after the indicated time.', [], { 'retry-after': '60' });
  }
  if (exception instanceof OptimisticLockVersionMismatchError) {
    return build(409, 'concurrent_update', 'Someone else changed this record; reload it and try again.');
  }
  if (exception instanceof QueryFailedError) {
    const pg = exception.driverError as { code?: string; constraint?: string };
    if (pg.code === '23505') return build(409, 'conflict', 'A record with the same unique key already exists.', pg.constraint ? [{ path: pg.constraint, problem: 'already exists' }] : []);
    if (pg.code === '23503') return build(422, 'reference_not_found', 'The request refers to a record that does not exist.');
    if (pg.code === '23514') return build(422, 'constraint_violated', 'The request breaks a data rule.', pg.constraint ? [{ path: pg.constraint, problem: 'violated' }] : []);
    if (pg.code === '22P02' || pg.code === '22003') return build(400, 'validation_failed', 'A value has the wrong form or is out of range.');
  }
  // Nest wraps fastify's body-parser errors in an HttpException whose cause keeps the fastify code.
  const e = exception as { code?: unknown; cause?: { code?: unknown } } | null;
  const fastifyCode = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const fastify = fastifyCode ? FASTIFY_CODES[fastifyCode] : undefined;
  if (fastify) return build(fastify.status, fastify.code, fastify.message);

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status < 500) {
      const code = STATUS_CODES[status] ?? 'bad_request';
      const message = status === 404 ? 'No such resource.' : exception.message;
      return build(status, code, message);
    }
  }
  const statusCode = (exception as { statusCode?: number })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return build(statusCode, STATUS_CODES[statusCode] ?? 'bad_request', (exception as Error).message);
  }
  logger.error({ err: exception, requestId }, 'unhandled error');
  return build(500, 'internal_error', 'Something went wrong on our side. Quote the requestId when you contact support.');
}

@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<DeskRequest>();
    const reply = ctx.getResponse<DeskReply>();
    const { status, body, headers } = toErrorResponse(exception, String(req.id), this.logger);
    req.statusOverride = undefined;
    for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
    void reply.status(status).send(body);
  }
}
