/** Stable codes for carrier failures; the service shows them plainly and retries only `retryable` ones. */
export type CarrierErrorCode =
  | 'timeout'
  | 'network'
  | 'rate_limited'
  | 'server_error'
  | 'unauthorized'
  | 'not_found'
  | 'invalid_request'
  | 'address_invalid'
  | 'refused'
  | 'unsupported'
  | 'malformed_response'
  | 'unknown';

/**
 * The one error every adapter throws. `retryable` says whether trying again later may succeed
 * (timeouts, network errors, 429, 5xx); everything else needs a person or different input.
 */
export class CarrierError extends Error {
  override readonly name = 'CarrierError';
  constructor(
    readonly carrier: string,
    readonly code: CarrierErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly details: {
      httpStatus?: number | null;
      carrierCode?: string | null;
      retryAfterMs?: number | null;
      fieldErrors?: { field: string; message: string }[];
    } = {},
  ) {
    super(message);
  }
}
