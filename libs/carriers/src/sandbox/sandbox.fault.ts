import { CarrierError } from '../carrier.error';

export type SandboxFault = 'timeout' | '5xx' | '429' | 'refuse';

export type SandboxMethod =
  | 'track'
  | 'createReturnLabel'
  | 'bookPickup'
  | 'cancelPickup'
  | 'reschedulePickup'
  | 'verifyAddress'
  | 'fileClaim'
  | 'getClaim'
  | 'intercept'
  | 'holdAtLocation';

/**
 * Magic values, in the spirit of Vendure's dummy payment handler: put one anywhere in a tracking code,
 * an address name or street, a reference, pickup instructions or a claim description.
 *
 * - `FAIL-TIMEOUT`, `FAIL-5XX`, `FAIL-429` fail every call; `FAIL-5XX-2` fails the first 2 calls of
 *   that method with that value, then succeeds (to watch retries work).
 * - `REFUSE` makes intercept / hold answer `refused`, and any other call throw `CarrierError('refused')`.
 */
const FAIL = /FAIL-(TIMEOUT|5XX|429)(?:-(\d+)(?=$|[^0-9A-Za-z]))?/i;
const REFUSE = /REFUSE/i;

export interface MagicMatch {
  fault: SandboxFault;
  /** How many calls fail before success; `null` = all. */
  times: number | null;
  /** The value that carried the magic, for per-value counting. */
  value: string;
}

/** Finds the first magic value among the inputs of a call. */
export function findMagic(values: (string | null | undefined)[]): MagicMatch | null {
  for (const value of values) {
    if (!value) continue;
    const fail = FAIL.exec(value);
    if (fail) {
      const fault = fail[1].toUpperCase() === 'TIMEOUT' ? 'timeout' : fail[1].toUpperCase() === '5XX' ? '5xx' : '429';
      return { fault, times: fail[2] ? Number(fail[2]) : null, value };
    }
  }
  for (const value of values) {
    if (value && REFUSE.test(value)) return { fault: 'refuse', times: null, value };
  }
  return null;
}

/** The error each fault stands for, shaped like what a real adapter would throw. */
export function faultError(fault: Exclude<SandboxFault, 'refuse'>, method: SandboxMethod): CarrierError {
  switch (fault) {
    case 'timeout':
      return new CarrierError('sandbox', 'timeout', `Sandbox ${method} timed out (simulated)`, true, { httpStatus: null });
    case '5xx':
      return new CarrierError('sandbox', 'server_error', `Sandbox ${method} failed with HTTP 503 (simulated)`, true, { httpStatus: 503 });
    case '429':
      return new CarrierError('sandbox', 'rate_limited', `Sandbox ${method} was rate limited (simulated)`, true, { httpStatus: 429, retryAfterMs: 1000 });
  }
}

export function refusedError(method: SandboxMethod, reason = 'The carrier refused this request (simulated)'): CarrierError {
  return new CarrierError('sandbox', 'refused', `Sandbox ${method}: ${reason}`, false, { carrierCode: 'SANDBOX.REFUSED' });
}
