/** Stable codes for why a message could not be rendered. */
export type TemplateErrorCode =
  /** No template has this id (an id read back from storage that the code no longer knows). */
  | 'unknown_template'
  /** A parameter the chosen languages need is absent, `null` or blank. */
  | 'missing_param'
  /** A parameter is present but unusable (bad date, fractional money, `javascript:` link...). */
  | 'invalid_param'
  /** The rendered text still contains `undefined`, `NaN` or `[object …]`: a template bug. */
  | 'unsafe_output'
  /** No language was asked for. */
  | 'no_language';

/**
 * The one error rendering throws. A message is never sent half-filled: the caller records the
 * failure on the ticket and an agent fixes the data, rather than a customer reading "undefined".
 *
 * @example
 * ```ts
 * try {
 *   composeMessage('dnr.followup', params, ['ja']);
 * } catch (err) {
 *   if (err instanceof TemplateError && err.code === 'missing_param') console.warn(err.param);
 * }
 * ```
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly code: TemplateErrorCode,
    readonly templateId: string,
    message: string,
    /** The parameter at fault, for `missing_param` and `invalid_param`. */
    readonly param: string | null = null,
  ) {
    super(message);
  }

  static missing(templateId: string, param: string): TemplateError {
    return new TemplateError('missing_param', templateId, `Template ${templateId}: parameter "${param}" is missing`, param);
  }

  static invalid(templateId: string, param: string, problem: string): TemplateError {
    return new TemplateError('invalid_param', templateId, `Template ${templateId}: parameter "${param}" ${problem}`, param);
  }
}
