import { DEFAULT_POLICY } from './default-policy';
import { parsePolicy, safeParsePolicy, ValidationError } from './merchant-policy.schema';

const clone = () => JSON.parse(JSON.stringify(DEFAULT_POLICY));

function issuesOf(json: unknown): Array<{ path: string; message: string }> {
  const r = safeParsePolicy(json);
  return r.ok ? [] : r.issues;
}

describe(parsePolicy.name, () => {
  it('accepts the default policy as JSON', () => {
    expect(parsePolicy(clone())).toEqual(DEFAULT_POLICY);
  });

  it.each([
    ['returnWindow.days', (p: any) => (p.returnWindow.days = -1)],
    ['returnWindow.countsFrom', (p: any) => (p.returnWindow.countsFrom = 'payment')],
    ['returnWindow.holidayExtension.returnBy', (p: any) => (p.returnWindow.holidayExtension.returnBy = '02-30')],
    ['restockingFee.basisPoints', (p: any) => (p.restockingFee = { kind: 'percent', basisPoints: 12_000 })],
    ['returnShipping.paidBy.wrong_item', (p: any) => (p.returnShipping.paidBy.wrong_item = 'carrier')],
    ['keepItem.thresholdMinor', (p: any) => (p.keepItem.thresholdMinor = 12.5)],
    ['approval.agentUpToMinor', (p: any) => (p.approval = { autoApproveUpToMinor: 500, agentUpToMinor: 100 })],
    ['evidence.damaged.0', (p: any) => (p.evidence.damaged = ['selfie'])],
    ['', (p: any) => (p.surprise = true)],
  ])('reports %s', (path, mutate) => {
    const p = clone();
    mutate(p);
    const issues = issuesOf(p);
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it('throws a ValidationError listing the field paths', () => {
    const p = clone();
    p.returnWindow.days = -1;
    p.lost.daysWithoutScan = 0;
    try {
      parsePolicy(p);
      throw new Error('expected a ValidationError');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues.map((i) => i.path)).toEqual(['returnWindow.days', 'lost.daysWithoutScan']);
      expect((e as ValidationError).message).toMatch(/^Invalid policy: returnWindow\.days: /);
    }
  });

  describe('ruleSettings', () => {
    it('accepts changing a V2 number and switching off a V2 rule', () => {
      const p = clone();
      p.ruleSettings = { 'US-FEDEX-CLAIM-DAMAGE-60': { params: { domesticDays: 21 } }, 'US-ALC-DTC-DE': { enabled: false } };
      expect(parsePolicy(p).ruleSettings['US-FEDEX-CLAIM-DAMAGE-60']!.params!.domesticDays).toBe(21);
    });

    it.each([
      [{ 'US-NOPE': { enabled: false } }, 'ruleSettings.US-NOPE', /unknown rule/],
      [{ 'US-FTC-435-SHIP-30': { params: { days: 45 } } }, 'ruleSettings.US-FTC-435-SHIP-30.params.days', /V1 and cannot be changed/],
      [{ 'US-FTC-435-NO-NOTICE-CANCEL': { enabled: false } }, 'ruleSettings.US-FTC-435-NO-NOTICE-CANCEL.enabled', /cannot be switched off/],
      [{ 'US-DHL-CLAIM-30': { params: { weeks: 3 } } }, 'ruleSettings.US-DHL-CLAIM-30.params.weeks', /no parameter/],
      [{ 'US-FEDEX-CLAIM-DAMAGE-60': { params: { domesticDays: 20.5 } } }, 'ruleSettings.US-FEDEX-CLAIM-DAMAGE-60.params.domesticDays', /integer/],
    ])('rejects %j', (settings, path, message) => {
      const p = clone();
      p.ruleSettings = settings;
      const issue = issuesOf(p).find((i) => i.path === path);
      expect(issue?.message).toMatch(message);
    });
  });
});
