/** One problem with one input field; `path` uses dots and brackets, e.g. `lines[0].quantity`. */
export interface FieldProblem {
  path: string;
  problem: string;
}

/**
 * The error every layer of the service throws for a client-visible failure. The global filter turns
 * it into `{ error: { code, message, fields }, requestId }` with `status`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static validation(fields: FieldProblem[], message = 'The request has invalid fields.'): ApiError {
    return new ApiError(400, 'validation_failed', message, fields);
  }
  static unprocessable(code: string, message: string, fields: FieldProblem[] = []): ApiError {
    return new ApiError(422, code, message, fields);
  }
  static notFound(what: string): ApiError {
    return new ApiError(404, 'not_found', `${what} was not found.`);
  }
  static conflict(code: string, message: string, fields: FieldProblem[] = []): ApiError {
    return new ApiError(409, code, message, fields);
  }
  static unauthenticated(code: string, message: string): ApiError {
    return new ApiError(401, code, message, [], { 'www-authenticate': 'Bearer' });
  }
  static forbidden(code: string, message: string): ApiError {
    return new ApiError(403, code, message);
  }
}
