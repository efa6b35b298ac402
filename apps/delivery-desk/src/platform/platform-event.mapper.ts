import { randomBytes } from 'node:crypto';
import type { PlatformCommandPayload } from './platform-command.entity';
import { eventTypeOf, PlatformCommandKind } from './platform-command-state';

/** The body of a platform webhook: one command, with the order and ticket it is about. */
export interface PlatformEvent {
  id: string;
  type: `command.${PlatformCommandKind}`;
  apiVersion: 1;
  createdAt: string;
  merchantId: string;
  command: {
    id: string;
    kind: PlatformCommandKind;
    payload: {
      amountMinor?: number;
      currency?: string;
      lines?: { lineExternalId: string; sku: string; quantity: number }[];
      reason: string;
      note?: string;
      shipTo?: PlatformCommandPayload['shipTo'];
    };
    resolutionId: string | null;
    /** After this the command expires unless confirmed or failed. */
    expiresAt: string;
    /** Where the platform reports the outcome (API key, scope orders:write). */
    confirmUrl: string;
    failUrl: string;
  };
  order: { id: string; externalId: string; currency: string; totalMinor: number };
  ticket: { id: string; number: number | null; reference: string | null; category: string | null } | null;
}

/** A new event id: `evt_` and 24 hex characters (96 random bits). */
export const newEventId = (): string => `evt_${randomBytes(12).toString('hex')}`;

export interface EventSource {
  eventId: string;
  merchantId: string;
  createdAt: Date;
  command: { id: string; kind: PlatformCommandKind; payload: PlatformCommandPayload; resolutionId: string | null; expiresAt: Date };
  order: { id: string; externalId: string; currency: string; totalMinor: number };
  ticket: { id: string; number: number | null; category: string | null } | null;
  /** PUBLIC_BASE_URL, for the confirm and fail links. */
  publicBaseUrl: string;
}

/**
 * Builds the event platforms receive. Pure: no clock, no database. The payload's lines are given by
 * the platform's own line ids (our ids are meaningless to it).
 *
 * @example
 * const body = JSON.stringify(toPlatformEvent({ eventId: newEventId(), merchantId, createdAt: now, command, order, ticket: null, publicBaseUrl }));
 */
export function toPlatformEvent(s: EventSource): PlatformEvent {
  const p = s.command.payload;
  const base = `${s.publicBaseUrl}/v1/platform-commands/${s.command.id}`;
  return {
    id: s.eventId,
    type: eventTypeOf(s.command.kind),
    apiVersion: 1,
    createdAt: s.createdAt.toISOString(),
    merchantId: s.merchantId,
    command: {
      id: s.command.id,
      kind: s.command.kind,
      payload: {
        ...(p.amountMinor !== undefined ? { amountMinor: p.amountMinor, currency: p.currency } : {}),
        ...(p.lines ? { lines: p.lines.map((l) => ({ lineExternalId: l.lineExternalId, sku: l.sku, quantity: l.quantity })) } : {}),
        reason: p.reason,
        ...(p.note !== undefined ? { note: p.note } : {}),
        ...(p.shipTo ? { shipTo: p.shipTo } : {}),
      },
      resolutionId: s.command.resolutionId,
      expiresAt: s.command.expiresAt.toISOString(),
      confirmUrl: `${base}/confirm`,
      failUrl: `${base}/fail`,
    },
    order: { ...s.order },
    ticket: s.ticket ? { id: s.ticket.id, number: s.ticket.number, reference: s.ticket.number !== null ? `DD-${s.ticket.number}` : null, category: s.ticket.category } : null,
  };
}
