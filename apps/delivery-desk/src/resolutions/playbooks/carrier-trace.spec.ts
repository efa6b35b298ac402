import { movedSince } from './carrier-trace';

describe(movedSince.name, () => {
  const lastScanAt = '2026-11-14T10:00:00.000Z';

  it('is false while the carrier reports nothing newer than the scan the trace started from', () => {
    expect(movedSince({ status: 'in_transit', lastEventAt: new Date(lastScanAt) }, lastScanAt)).toBe(false);
    expect(movedSince({ status: 'in_transit', lastEventAt: null }, lastScanAt)).toBe(false);
  });

  it('is true after a newer scan, or a status that means the parcel was found', () => {
    expect(movedSince({ status: 'in_transit', lastEventAt: new Date('2026-11-16T08:00:00Z') }, lastScanAt)).toBe(true);
    expect(movedSince({ status: 'delivered', lastEventAt: new Date(lastScanAt) }, lastScanAt)).toBe(true);
    expect(movedSince({ status: 'return_to_sender', lastEventAt: null }, lastScanAt)).toBe(true);
  });
});
