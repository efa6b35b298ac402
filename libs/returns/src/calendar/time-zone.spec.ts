import { endOfLocalDay, localDateOf, startOfLocalDay, timeZoneForAddress } from './time-zone';

describe(localDateOf.name, () => {
  it.each([
    ['2026-03-03T03:00:00Z', 'America/Los_Angeles', '2026-03-02'],
    ['2026-03-03T07:59:59Z', 'America/Los_Angeles', '2026-03-02'],
    ['2026-03-03T08:00:00Z', 'America/Los_Angeles', '2026-03-03'],
    ['2026-03-02T15:00:00Z', 'Asia/Tokyo', '2026-03-03'],
    ['2026-03-02', 'Asia/Tokyo', '2026-03-02'],
  ])('%s in %s → %s', (instant, zone, expected) => {
    expect(localDateOf(instant, zone)).toBe(expected);
  });
});

describe(endOfLocalDay.name, () => {
  it.each([
    ['2026-03-07', 'America/New_York', '2026-03-08T04:59:59.999Z'], // EST
    ['2026-03-08', 'America/New_York', '2026-03-09T03:59:59.999Z'], // DST starts that morning
    ['2026-11-01', 'America/New_York', '2026-11-02T04:59:59.999Z'], // DST ends that morning
    ['2026-03-10', 'Asia/Tokyo', '2026-03-10T14:59:59.999Z'],
    ['2026-03-10', 'America/Phoenix', '2026-03-11T06:59:59.999Z'],
  ])('%s in %s ends at %s', (date, zone, expected) => {
    expect(endOfLocalDay(date, zone)).toBe(expected);
  });

  it('starts the day at local midnight', () => {
    expect(startOfLocalDay('2026-03-10', 'America/Chicago')).toBe('2026-03-10T05:00:00.000Z');
  });
});

describe(timeZoneForAddress.name, () => {
  it.each([
    [{ country: 'US', state: 'CA', zip: '94107' }, 'America/Los_Angeles'],
    [{ country: 'US', state: 'FL', zip: '32501' }, 'America/Chicago'], // panhandle
    [{ country: 'US', state: 'FL', zip: '33101' }, 'America/New_York'],
    [{ country: 'US', state: 'TX', zip: '79901' }, 'America/Denver'], // El Paso
    [{ country: 'US', state: 'HI', zip: '96813' }, 'Pacific/Honolulu'],
    [{ country: 'US', state: 'AZ', zip: '85001' }, 'America/Phoenix'],
    [{ country: 'CA', state: 'BC', zip: 'V6B' }, 'America/Vancouver'],
    [{ country: 'JP', state: '13', zip: '100-0001' }, 'Asia/Tokyo'],
    [{ country: 'US', state: 'ZZ', zip: '' }, 'America/New_York'],
  ])('%o → %s', (address, expected) => {
    expect(timeZoneForAddress(address)).toBe(expected);
  });
});
