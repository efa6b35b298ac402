import { ApiError } from '../../common/api-error';
import type { AgentRole } from '../../merchants/agent.entity';

/**
 * Who asks for or approves a resolution. Shaped like `AgentEntity`, so a desk session's agent can be
 * passed as is. For agents the runner re-reads role, limit and `active` from the `agents` table
 * inside its transaction: a session that went stale after a limit was lowered cannot approve.
 * `role: 'system'` is automation (a playbook acting on its own); its `id` names the component
 * (`system:dnr-playbook`), it is trusted as given, and it can never approve.
 */
export interface ResolutionActor {
  id: string;
  role: AgentRole | 'system';
  approvalLimitMinor: number;
}

/** The actor as the database knows it (agents) or as given (system). */
export interface VerifiedActor extends ResolutionActor {
  active: boolean;
}

const APPROVER_ROLES: readonly string[] = ['supervisor', 'admin'];

/** Whether a request by `requester` for `amountMinor` must wait for a supervisor. The limit itself is allowed. */
export function needsApproval(requester: ResolutionActor, amountMinor: number): boolean {
  return amountMinor > requester.approvalLimitMinor;
}

/**
 * Why `approver` may not decide on a request by `requestedBy` for `amountMinor`, or null when they
 * may. Approving needs a supervisor or admin, other than the requester, whose own limit covers the
 * amount; rejecting (`forReject`) needs the role only, and may not be done by the requester either.
 */
export function approvalRefusal(approver: VerifiedActor, request: { requestedBy: string; amountMinor: number }, forReject = false): ApiError | null {
  if (!approver.active) return ApiError.forbidden('agent_inactive', 'This agent is deactivated.');
  if (approver.role === 'system' || !APPROVER_ROLES.includes(approver.role)) {
    return ApiError.forbidden('approver_not_supervisor', 'Only a supervisor or an admin may decide on a resolution above the requester’s limit.');
  }
  if (approver.id === request.requestedBy) {
    return ApiError.forbidden('approver_is_requester', 'The person who asked for a resolution cannot approve or reject it.');
  }
  if (!forReject && approver.approvalLimitMinor < request.amountMinor) {
    return ApiError.forbidden('approval_limit_exceeded', `The amount is above this supervisor’s approval limit (${approver.approvalLimitMinor}).`);
  }
  return null;
}
