import { DEFAULT_POLICY, MerchantPolicy, safeParsePolicy } from '@app/returns';
import { ApiError } from '../common/api-error';

/**
 * Validates a merchant policy document with the policy engine's own schema before it is stored, so
 * every stored version is one `decide` accepts. No document means the engine's default policy.
 */
export function validatePolicyDocument(doc: Record<string, unknown> | undefined, path: string): MerchantPolicy {
  if (doc === undefined) return structuredClone(DEFAULT_POLICY) as MerchantPolicy;
  const result = safeParsePolicy(doc);
  if (!result.ok) {
    throw ApiError.unprocessable(
      'policy_invalid',
      'The policy does not validate.',
      result.issues.map((i) => ({ path: i.path ? `${path}.${i.path}` : path, problem: i.message })),
    );
  }
  return result.policy;
}
