/** Test helpers to read decisions. */
import type { Action, ActionKind, Decision } from '../engine/decision';

export const kinds = (actions: readonly Action[]): ActionKind[] => actions.map((a) => a.kind);

export function find<K extends ActionKind>(actions: readonly Action[], kind: K): Extract<Action, { kind: K }> | undefined {
  return actions.find((a): a is Extract<Action, { kind: K }> => a.kind === kind);
}

export function get<K extends ActionKind>(actions: readonly Action[], kind: K): Extract<Action, { kind: K }> {
  const a = find(actions, kind);
  if (!a) throw new Error(`no ${kind} in [${kinds(actions).join(', ')}]`);
  return a;
}

export const blockedKinds = (d: Decision) => d.blocked.map((b) => `${b.kind}:${b.reason}`);

export const offered = (d: Decision): Action[] => [...d.required, ...d.customerChoice, ...d.allowed];
