import { newEventId, toPlatformEvent } from './platform-event.mapper';

describe(toPlatformEvent.name, () => {
  const source = {
    eventId: 'evt_00112233445566778899aabb',
    merchantId: 'm-1',
    createdAt: new Date('2026-11-02T10:00:00Z'),
    command: {
      id: 'c-1',
      kind: 'reship' as const,
      payload: { reason: 'damaged', note: 'Box crushed', lines: [{ lineId: 'our-line-id', lineExternalId: 'L2', sku: 'BOWL-1', quantity: 1 }] },
      resolutionId: 'r-1',
      expiresAt: new Date('2026-11-09T10:00:00Z'),
    },
    order: { id: 'o-1', externalId: '#1001', currency: 'USD', totalMinor: 9000 },
    ticket: { id: 't-1', number: 42, category: 'damaged' },
    publicBaseUrl: 'https://desk.example.com',
  };

  it("speaks the platform's ids, not ours, and links the confirm and fail endpoints", () => {
    const sut = toPlatformEvent(source);
    expect(sut).toEqual({
      id: 'evt_00112233445566778899aabb',
      type: 'command.reship',
      apiVersion: 1,
      createdAt: '2026-11-02T10:00:00.000Z',
      merchantId: 'm-1',
      command: {
        id: 'c-1',
        kind: 'reship',
        payload: { lines: [{ lineExternalId: 'L2', sku: 'BOWL-1', quantity: 1 }], reason: 'damaged', note: 'Box crushed' },
        resolutionId: 'r-1',
        expiresAt: '2026-11-09T10:00:00.000Z',
        confirmUrl: 'https://desk.example.com/v1/platform-commands/c-1/confirm',
        failUrl: 'https://desk.example.com/v1/platform-commands/c-1/fail',
      },
      order: { id: 'o-1', externalId: '#1001', currency: 'USD', totalMinor: 9000 },
      ticket: { id: 't-1', number: 42, reference: 'DD-42', category: 'damaged' },
    });
    expect(JSON.stringify(sut)).not.toContain('our-line-id');
  });

  it('carries the amount for a refund and no ticket when there is none', () => {
    const sut = toPlatformEvent({ ...source, command: { ...source.command, kind: 'refund', payload: { amountMinor: 2500, currency: 'USD', reason: 'lost' } }, ticket: null });
    expect(sut.type).toBe('command.refund');
    expect(sut.command.payload).toEqual({ amountMinor: 2500, currency: 'USD', reason: 'lost' });
    expect(sut.ticket).toBeNull();
  });

  it('makes event ids that do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, newEventId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^evt_[0-9a-f]{24}$/);
  });
});
