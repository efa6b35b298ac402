/**
 * What a handler returns when its status depends on the outcome (201 created vs 200 updated).
 * Nest fixes one status per route, so {@link ApiResultInterceptor} carries this one to the reply.
 */
export class ApiResult<T> {
  private constructor(
    readonly status: number,
    readonly body: T,
  ) {}
  static ok<T>(body: T): ApiResult<T> {
    return new ApiResult(200, body);
  }
  static created<T>(body: T): ApiResult<T> {
    return new ApiResult(201, body);
  }
  static of<T>(status: number, body: T): ApiResult<T> {
    return new ApiResult(status, body);
  }
}
