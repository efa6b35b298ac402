import type { ResolutionView } from '../saga/saga-runner.service';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function resolutionView(v: ResolutionView) {
  const r = v.resolution as unknown as Record<string, any>;
  return {
    id: r.id,
    ticketId: r.ticketId,
    kind: r.kind,
    status: r.status,
    amountMinor: r.amountMinor,
    currency: r.currency,
    requestedBy: r.requestedBy,
    approvedBy: r.approvedBy ?? null,
    version: r.version,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    steps: v.steps.map((s) => {
      const x = s as unknown as Record<string, any>;
      return { key: x.key, name: x.name, position: x.position, status: x.status, attempts: x.attempts ?? x.attempt ?? null, lastError: x.lastError ?? null, output: x.output ?? null };
    }),
  };
}
