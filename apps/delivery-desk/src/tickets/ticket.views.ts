import type { Action, Decision } from '@app/returns';
import { type CustomerLinkEntity, linkStatus } from '../self-service/customer-link.entity';
import type { TicketDecisionEntity } from './ticket-decision.entity';
import type { TicketEventEntity } from './ticket-event.entity';
import type { TicketEvidenceEntity } from './ticket-evidence.entity';
import type { TicketMessageEntity } from './ticket-message.entity';
import type { TicketEntity } from './ticket.entity';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export interface TicketContext {
  orderExternalId: string;
  lineExternalIds: Map<string, string>;
}

export function ticketView(t: TicketEntity, ctx: TicketContext) {
  return {
    id: t.id,
    number: `DD-${t.number}`,
    status: t.status,
    category: t.category,
    priority: t.priority,
    channel: t.channel,
    language: t.language,
    orderExternalId: ctx.orderExternalId,
    shipmentId: t.shipmentId,
    lines: t.lines.map((l) => ({ lineExternalId: ctx.lineExternalIds.get(l.lineId) ?? null, quantity: l.quantity })),
    subject: t.subject,
    description: t.description,
    details: t.details,
    assigneeId: t.assigneeId,
    signalId: t.signalId,
    externalRef: t.externalRef,
    reportedAt: iso(t.reportedAt),
    slaDueAt: iso(t.slaDueAt),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    version: t.version,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}

function withReasons(d: Decision, a: Action) {
  const rules = new Map(d.rules.map((r) => [r.id, r]));
  return { ...a, reasons: a.ruleIds.map((id) => ({ ruleId: id, title: rules.get(id)?.title ?? id, configurable: rules.get(id)?.configurable ?? false })) };
}

/** The decision as stored, plus each action's reasons spelled out (what a headless platform shows). */
export function decisionView(row: TicketDecisionEntity | null) {
  if (!row) return null;
  const d = row.decision;
  return {
    id: row.id,
    decidedAt: iso(row.decidedAt),
    policyVersion: row.policyVersion,
    engineVersion: row.engineVersion,
    problemKind: d.problemKind,
    approval: d.approval,
    required: d.required.map((a) => withReasons(d, a)),
    customerChoice: d.customerChoice.map((a) => withReasons(d, a)),
    allowed: d.allowed.map((a) => withReasons(d, a)),
    blocked: d.blocked,
    scheduled: d.scheduled,
    amounts: d.amounts,
    deadlines: d.deadlines,
    rules: d.rules,
    explanation: d.explanation,
  };
}

export function messageView(m: TicketMessageEntity) {
  return {
    id: m.id,
    direction: m.direction,
    channel: m.channel,
    authorKind: m.authorKind,
    languages: m.languages,
    subject: m.subject,
    body: m.bodyText,
    templateId: m.templateId,
    deliveryStatus: m.deliveryStatus,
    // Per channel: e-mail as before, and the platform's `message.created` webhook (null when not opted in).
    deliveries: {
      email: { status: m.deliveryStatus },
      platform:
        m.platformStatus && m.platformStatus !== 'none'
          ? { status: m.platformStatus, eventId: m.platformEventId, attempts: m.platformAttempts, lastError: m.platformLastError, nextAttemptAt: iso(m.platformNextAttemptAt), deliveredAt: iso(m.platformDeliveredAt) }
          : null,
    },
    createdAt: iso(m.createdAt),
  };
}

export function eventView(e: TicketEventEntity) {
  return { seq: e.seq, at: iso(e.at), actor: { kind: e.actorKind, id: e.actorId }, type: e.type, data: e.data };
}

export function evidenceView(e: TicketEvidenceEntity) {
  return { id: e.id, kind: e.kind, contentType: e.contentType, sizeBytes: e.sizeBytes, sha256: e.sha256, fileName: e.fileName, uploadedBy: e.uploadedByKind, createdAt: iso(e.createdAt) };
}

/** A customer link as the desk and the platform see it on the case: never its token or URL. */
export function customerLinkView(l: CustomerLinkEntity, now: Date) {
  return {
    id: l.id,
    purpose: l.purpose,
    status: linkStatus(l, now),
    expiresAt: iso(l.expiresAt),
    usedAt: iso(l.usedAt),
    answer: l.result ?? null,
    revokedAt: iso(l.revokedAt),
    createdAt: iso(l.createdAt),
  };
}
