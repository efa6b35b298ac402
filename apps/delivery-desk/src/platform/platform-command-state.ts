/** What Delivery Desk can instruct a merchant's platform to do. */
export const PLATFORM_COMMAND_KINDS = ['refund', 'reship', 'cancel_order', 'cancel_lines', 'store_credit'] as const;
export type PlatformCommandKind = (typeof PLATFORM_COMMAND_KINDS)[number];

/**
 * The life of a command:
 * - `pending`: issued, not yet sent (or cannot be sent: the merchant has no platform connection);
 * - `delivering`: being sent, or waiting for the next retry after a failed attempt;
 * - `delivered`: the platform answered 2xx; we wait for it to confirm or fail the command;
 * - `confirmed` / `failed`: the platform said it was done / could not do it (or we gave up delivering);
 * - `expired`: nobody settled it within the confirmation window;
 * - `cancelled`: withdrawn by us before the platform received it.
 */
export const PLATFORM_COMMAND_STATUSES = ['pending', 'delivering', 'delivered', 'confirmed', 'failed', 'expired', 'cancelled'] as const;
export type PlatformCommandStatus = (typeof PLATFORM_COMMAND_STATUSES)[number];

/** Statuses a command never leaves. Reaching one of them calls the `onSettled` listeners. */
export const SETTLED_STATUSES: readonly PlatformCommandStatus[] = ['confirmed', 'failed', 'expired', 'cancelled'];

/** Kinds whose payload carries an amount (and whose confirmation may state the amount done). */
export const AMOUNT_KINDS: readonly PlatformCommandKind[] = ['refund', 'store_credit'];

/** Kinds that act on order lines and so need `payload.lines`. */
export const LINE_KINDS: readonly PlatformCommandKind[] = ['reship', 'cancel_lines'];

/**
 * Every allowed move, as data. A platform may confirm or fail a command it found by polling before
 * our webhook reached it, hence `pending → confirmed | failed`. Cancelling is only possible before
 * the platform answered 2xx: after that it may already have acted.
 */
export const PLATFORM_COMMAND_TRANSITIONS: Readonly<Record<PlatformCommandStatus, readonly PlatformCommandStatus[]>> = {
  pending: ['delivering', 'confirmed', 'failed', 'expired', 'cancelled'],
  delivering: ['delivered', 'confirmed', 'failed', 'expired', 'cancelled'],
  delivered: ['confirmed', 'failed', 'expired'],
  confirmed: [],
  failed: [],
  expired: [],
  cancelled: [],
};

/** An attempt to move a command along an edge the table does not have. A bug, never a client error. */
export class IllegalCommandTransitionError extends Error {
  override readonly name = 'IllegalCommandTransitionError';
  constructor(
    readonly from: PlatformCommandStatus,
    readonly to: PlatformCommandStatus,
  ) {
    super(`A platform command cannot go from ${from} to ${to}`);
  }
}

export const isSettled = (status: PlatformCommandStatus): boolean => SETTLED_STATUSES.includes(status);

export const canTransition = (from: PlatformCommandStatus, to: PlatformCommandStatus): boolean => PLATFORM_COMMAND_TRANSITIONS[from].includes(to);

/**
 * Checks one move against {@link PLATFORM_COMMAND_TRANSITIONS}.
 *
 * @example
 * assertTransition('delivered', 'confirmed'); // fine
 * assertTransition('failed', 'confirmed');    // throws IllegalCommandTransitionError
 */
export function assertTransition(from: PlatformCommandStatus, to: PlatformCommandStatus): void {
  if (!canTransition(from, to)) throw new IllegalCommandTransitionError(from, to);
}

/** The webhook event type of a command kind, e.g. `command.refund`. */
export const eventTypeOf = (kind: PlatformCommandKind): `command.${PlatformCommandKind}` => `command.${kind}`;
