import type { FastifyReply, FastifyRequest } from 'fastify';

/** Who is calling: set by the API-key or admin guard. */
export type Principal =
  | { kind: 'merchant'; merchantId: string; apiKeyId: string; scopes: readonly string[] }
  | { kind: 'agent'; merchantId: string; agentId: string; role: 'agent' | 'supervisor' | 'admin'; approvalLimitMinor: number; name: string }
  | { kind: 'admin' };

/** Our additions to the fastify request. */
export interface DeskRequest extends FastifyRequest {
  principal?: Principal;
  /** Status chosen by the handler (see ApiResult); applied in the onSend hook. */
  statusOverride?: number;
}

export type DeskReply = FastifyReply;

/** The scope idempotency keys and rate limits are counted in. */
export function principalScope(p: Principal | undefined): string | null {
  if (!p) return null;
  if (p.kind === 'admin') return 'admin';
  return p.kind === 'agent' ? `agent:${p.agentId}` : p.merchantId;
}
