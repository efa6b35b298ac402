import { shipmentOutcomeFacts } from './shipment-outcome.facts';

const base = { status: 'in_transit' as const, declaredLostAt: null, claimId: null, claimKind: null, claimStatus: null, claimFiledAt: null };

describe(shipmentOutcomeFacts.name, () => {
  it('adds nothing for a parcel the desk has established nothing about', () => {
    expect(shipmentOutcomeFacts(base)).toEqual({});
  });

  it('reports a parcel declared lost as a carrier loss until it scans delivered or returned', () => {
    const lost = { ...base, declaredLostAt: new Date('2026-11-20T10:00:00Z') };
    expect(shipmentOutcomeFacts(lost)).toEqual({ status: 'exception', exceptionReason: 'lost' });
    expect(shipmentOutcomeFacts({ ...lost, status: 'delivered' })).toEqual({});
    expect(shipmentOutcomeFacts({ ...lost, status: 'return_to_sender' })).toEqual({});
  });

  it('passes the filed claim on, a refused or cancelled one as denied (so another may be filed)', () => {
    const filed = { ...base, claimId: 'clm_1', claimKind: 'damage' as const, claimStatus: 'submitted', claimFiledAt: new Date('2026-11-21T10:00:00Z') };
    expect(shipmentOutcomeFacts(filed).claim).toEqual({ kind: 'damage', filedAt: '2026-11-21T10:00:00.000Z', status: 'open' });
    expect(shipmentOutcomeFacts({ ...filed, claimStatus: 'paid' }).claim?.status).toBe('paid');
    expect(shipmentOutcomeFacts({ ...filed, claimStatus: 'rejected' }).claim?.status).toBe('denied');
  });
});
