import { ApiError } from '../../common/api-error';
import { approvalRefusal, needsApproval, VerifiedActor } from './approval';

const supervisor = (overrides: Partial<VerifiedActor> = {}): VerifiedActor => ({ id: 'sup-1', role: 'supervisor', approvalLimitMinor: 50_000, active: true, ...overrides });
const request = { requestedBy: 'agent-1', amountMinor: 20_000 };

describe(needsApproval.name, () => {
  it('lets an agent act alone up to and including the limit', () => {
    const agent = { id: 'a', role: 'agent' as const, approvalLimitMinor: 10_000 };
    expect(needsApproval(agent, 10_000)).toBe(false);
    expect(needsApproval(agent, 10_001)).toBe(true);
    expect(needsApproval({ ...agent, approvalLimitMinor: 0 }, 0)).toBe(false);
  });
});

describe(approvalRefusal.name, () => {
  const code = (e: ApiError | null) => (e ? `${e.status} ${e.code}` : null);

  it('lets a supervisor or admin whose limit covers the amount approve someone else’s request', () => {
    expect(approvalRefusal(supervisor(), request)).toBeNull();
    expect(approvalRefusal(supervisor({ role: 'admin', approvalLimitMinor: 20_000 }), request)).toBeNull();
  });

  it.each([
    ['the requester', supervisor({ id: 'agent-1' }), '403 approver_is_requester'],
    ['a plain agent', supervisor({ role: 'agent' }), '403 approver_not_supervisor'],
    ['automation', supervisor({ id: 'system:bot', role: 'system' }), '403 approver_not_supervisor'],
    ['a supervisor below the amount', supervisor({ approvalLimitMinor: 19_999 }), '403 approval_limit_exceeded'],
    ['a deactivated supervisor', supervisor({ active: false }), '403 agent_inactive'],
  ])('refuses %s', (_who, approver, expected) => {
    expect(code(approvalRefusal(approver, request))).toBe(expected);
  });

  it('lets a supervisor below the amount reject, but never the requester', () => {
    expect(approvalRefusal(supervisor({ approvalLimitMinor: 1 }), request, true)).toBeNull();
    expect(code(approvalRefusal(supervisor({ id: 'agent-1' }), request, true))).toBe('403 approver_is_requester');
  });
});
