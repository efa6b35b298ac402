import type { PlatformCommandEventEntity } from './platform-command-event.entity';
import type { PlatformCommandEntity } from './platform-command.entity';
import type { PlatformDeliveryEntity } from './platform-delivery.entity';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * A command as the API, the desk and the ticket show it. Our order line ids stay in (the desk links
 * them); platforms use `lineExternalId`.
 *
 * @example
 * return { data: commands.map((c) => platformCommandView(c, externalIds.get(c.orderId)!)) };
 */
export function platformCommandView(c: PlatformCommandEntity, orderExternalId: string | null) {
  return {
    id: c.id,
    kind: c.kind,
    status: c.status,
    orderId: c.orderId,
    orderExternalId,
    ticketId: c.ticketId,
    resolutionId: c.resolutionId,
    payload: c.payload,
    eventId: c.eventId,
    platformReference: c.platformReference,
    refundedMinor: c.refundedMinor,
    platformNote: c.platformNote,
    failure: c.failureCode || c.failureReason ? { code: c.failureCode, reason: c.failureReason, retryable: c.failureRetryable } : null,
    lastError: c.lastErrorCode ? { code: c.lastErrorCode, message: c.lastError } : null,
    attempts: c.attempts,
    nextAttemptAt: c.dispatchOpen ? iso(c.nextAttemptAt) : null,
    deliveredAt: iso(c.deliveredAt),
    settledAt: iso(c.settledAt),
    expiresAt: c.expiresAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function platformDeliveryView(d: PlatformDeliveryEntity) {
  return {
    attempt: d.attempt,
    trigger: d.trigger,
    eventId: d.eventId,
    requestedAt: d.requestedAt.toISOString(),
    responseStatus: d.responseStatus,
    responseBody: d.responseBody,
    durationMs: d.durationMs,
    outcome: d.outcome,
    error: d.errorCode ? { code: d.errorCode, message: d.error } : null,
  };
}

export function platformCommandEventView(e: PlatformCommandEventEntity) {
  return {
    seq: e.seq,
    at: e.at.toISOString(),
    type: e.type,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    actor: { kind: e.actorKind, id: e.actorId },
    data: e.data,
  };
}
