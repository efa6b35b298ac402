import type { CarrierCode } from '../carrier.model';

/** A carrier code our explicit tables do not know; it was mapped to `unknown` / `other` instead. */
export interface UnmappedCode {
  carrier: CarrierCode;
  /** Which field held it, e.g. `tracker.status_detail`. */
  field: string;
  /** The carrier's value, verbatim. Never personal data: only enum-like codes are reported. */
  value: string;
}

/**
 * Callback adapters use to report unmapped carrier codes; the service wires it to its logger.
 *
 * @example
 * ```ts
 * const onUnmappedCode: UnmappedCodeReporter = (u) => logger.warn(u, 'unmapped carrier code');
 * ```
 */
export type UnmappedCodeReporter = (unmapped: UnmappedCode) => void;

/** Default reporter: one structured line on stderr, so an unwired adapter still leaves a trace. */
export const warnUnmappedCode: UnmappedCodeReporter = (u) => {
  process.emitWarning(`unmapped ${u.carrier} code ${u.field}=${JSON.stringify(u.value)}`, { code: 'CARRIER_UNMAPPED_CODE' });
};
