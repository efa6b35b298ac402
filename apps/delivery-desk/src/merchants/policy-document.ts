import { ApiError } from '../common/api-error';

/**
 * Validates a merchant policy document before it is stored. Until the policy engine's schema is
 * wired in, any JSON object is accepted and `{}` stands for "the engine's defaults".
 */
export function validatePolicyDocument(doc: Record<string, unknown> | undefined, path: string): Record<string, unknown> {
  if (doc === undefined) return {};
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw ApiError.validation([{ path, problem: 'must be an object' }]);
  }
  return doc;
}
