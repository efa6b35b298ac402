import { catalogueParam, hasUnverifiedPart, isConfigurableRule, RULE_IDS, RULES } from './rule-catalogue';

/** Every rule id in us-rules.md (§1–§8); the catalogue must carry each one. */
const US_RULES_MD_IDS = [
  'US-FTC-435-SCOPE', 'US-FTC-435-EXEMPT', 'US-FTC-435-CLOCK-START', 'US-FTC-435-SHIP-STATED', 'US-FTC-435-SHIP-30',
  'US-FTC-435-SHIP-50-CREDIT', 'US-FTC-435-OPTION-NOTICE', 'US-FTC-435-DEEMED-CONSENT-30', 'US-FTC-435-EXPRESS-CONSENT-LONG',
  'US-FTC-435-RENEWED-NOTICE', 'US-FTC-435-NO-NOTICE-CANCEL', 'US-FTC-435-CANNOT-SHIP', 'US-FTC-435-REFUND-AMOUNT',
  'US-FTC-435-REFUND-7WD', 'US-FTC-435-REFUND-CYCLE', 'US-FTC-435-REFUND-METHOD', 'US-FTC-435-VESTING', 'US-FTC-435-SHIPMENT-DEF',
  'US-FTC-435-DROPSHIP-LIABILITY', 'US-FTC-435-PENALTY',
  'US-CA-CIV1723-DISCLOSE', 'US-CA-CIV1723-DEFAULT-30', 'US-CA-CIV1723-EXEMPT',
  'US-NY-GBL218A-DISCLOSE', 'US-NY-GBL218A-ONLINE-DATE', 'US-NY-GBL218A-FEES', 'US-NY-GBL218A-DEFAULT-30', 'US-NY-GBL396O-GUARANTEE',
  'US-FL-501142-SIGN', 'US-FL-501142-DEFAULT-7', 'US-FL-501142-EXEMPT', 'US-FL-501142-PENALTY', 'US-FL-501142-ONLINE',
  'US-HI-481B55-SIGN', 'US-HI-481B55-DEFAULT-60', 'US-HI-481B55-NO-RESTOCK', 'US-HI-481B55-REFUND-TIMING', 'US-HI-481B55-CREDIT', 'US-HI-481B55-SCOPE',
  'US-NJ-568216-SIGN', 'US-NJ-568218-DEFAULT-20',
  'US-RI-6279-DEFAULT-10BD', 'US-RI-6279-EXEMPT', 'US-RI-6279-CARD-NA',
  'US-MN-325F80-CASH-REFUND', 'US-MN-325F80-EXEMPT', 'US-MN-325F80-ONLINE',
  'US-MD-COMAR020105-DISCLOSE', 'US-OH-CSPA-POLICY-POSTED', 'US-OH-CSPA-RESTOCK', 'US-UT-R1521110-REFUNDS', 'US-VA-VCPA-REFUND',
  'US-OTHER-NOLAW', 'US-UDAP-HONOR-POLICY',
  'US-USC-3009-GIFT', 'US-USC-3009-NO-BILL', 'US-USC-3009-SCOPE', 'US-MA-UNORDERED-ANY-CARRIER', 'US-FTC-UNORDERED-HONEST-ERROR',
  'US-REGZ-BILLING-ERROR-DELIVERY', 'IND-RETURNLESS-REFUND',
  'US-USPS-INS-INCLUDED', 'US-USPS-INS-MAX', 'US-USPS-CLAIM-WHO', 'US-USPS-CLAIM-LOSS-WINDOW', 'US-USPS-CLAIM-PME-WINDOW',
  'US-USPS-CLAIM-REGISTERED', 'US-USPS-CLAIM-DAMAGE-WINDOW', 'US-USPS-CLAIM-EVIDENCE', 'US-USPS-CLAIM-POSTAGE', 'US-USPS-CLAIM-REPAY',
  'US-USPS-CLAIM-POSTDELIVERY', 'US-USPS-MISSING-MAIL', 'US-USPS-HOLD-15', 'US-USPS-INTERCEPT', 'US-USPS-HOLD-MAIL', 'US-USPS-SIG-SERVICES',
  'US-USPS-ALCOHOL-NONMAILABLE', 'US-USPS-PERISHABLE-NONMAILABLE', 'US-USPS-LITHIUM-USED-SURFACE', 'US-USPS-LITHIUM-LOOSE',
  'US-USPS-LITHIUM-DAMAGED-BATTERY',
  'US-UPS-LIAB-100', 'US-UPS-CLAIM-NOTICE-60', 'US-UPS-CLAIM-9MO', 'US-CARMACK-9MO', 'US-UPS-TRACE-WAIT', 'US-UPS-CLAIM-EVIDENCE',
  'US-UPS-HOLD-ACCESS-POINT', 'US-UPS-MYCHOICE-CHANGE', 'US-UPS-INTERCEPT', 'US-UPS-ADDRESS-CORRECTION', 'US-UPS-ALCOHOL',
  'US-FEDEX-LIAB-100', 'US-FEDEX-CLAIM-DAMAGE-60', 'US-FEDEX-CLAIM-NONDELIVERY-9MO', 'US-FEDEX-CLAIM-EVIDENCE', 'US-FEDEX-HAL-5BD',
  'US-FEDEX-VACATION-14', 'US-FEDEX-DM-RESCHEDULE', 'US-FEDEX-ALCOHOL-ASR', 'US-FEDEX-ADDRESS-CORRECTION',
  'US-DHL-CLAIM-30', 'US-DHL-CLAIM-EVIDENCE', 'US-DHL-SVP', 'US-DHL-LIAB', 'US-DHL-INTL-ONLY',
  'IND-DNR-WAIT-48H', 'IND-SIGNATURE-POD', 'US-FCBA-60', 'US-REGZ-QUALITY-EXCLUDED', 'VISA-13.1-TIMING', 'VISA-13.7-TIMING',
  'MC-4853-GNP-TIMING', 'IND-NO-DOUBLE-RECOVERY',
  'US-ALC-ADULT-SIG-21', 'US-ALC-CONSUMER-NO-SHIP', 'US-ALC-DTC-UT', 'US-ALC-DTC-DE', 'US-ALC-DTC-MS', 'US-ALC-DTC-RI-ONSITE',
  'US-ALC-DTC-AR', 'US-ALC-DTC-VOLUME', 'IND-PERISHABLE-NO-RETURN', 'US-STATE-PERISHABLE-EXEMPT', 'US-STATE-CUSTOM-EXEMPT',
  'IND-HOLIDAY-EXTENSION', 'US-CA-REG1655-RETURN-TAX', 'US-TAX-REFUND-GENERAL', 'US-HAZMAT-RETURNS',
  'CA-CBSA-CASUAL-REFUND', 'CA-CBSA-REFUND-TIME', 'CA-COURIER-THRESHOLDS', 'US-CBP-DEMINIMIS-SUSPENDED', 'US-CBP-9801-RETURNED',
  'JP-CUSTOMS-1604-CONTRACT-BREACH', 'JP-CUSTOMS-1606-REEXPORT',
];

describe('RULES', () => {
  it('encodes every rule id of us-rules.md', () => {
    const missing = US_RULES_MD_IDS.filter((id) => !(id in RULES));
    expect(missing).toEqual([]);
  });

  it('has unique ids, and each rule a title, a citation and a known status', () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
    for (const id of RULE_IDS) {
      const r = RULES[id];
      expect(r.id).toBe(id);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.citation.length).toBeGreaterThan(0);
      expect(['V1', 'V2', 'UNVERIFIED', 'POLICY', 'DESK']).toContain(r.status);
    }
  });

  it('uses the id scheme: law and practice ids from the rules file, POLICY-* for merchant clauses, DESK-* for ours', () => {
    for (const id of RULE_IDS) expect(id).toMatch(/^(US|IND|VISA|MC|CA|JP|POLICY|DESK)-[A-Z0-9.-]+$/);
    for (const id of RULE_IDS.filter((i) => i.startsWith('POLICY-'))) expect(RULES[id].status).toBe('POLICY');
  });

  it('carries integer numbers with units', () => {
    for (const id of RULE_IDS) {
      for (const p of Object.values(RULES[id].params ?? {})) {
        expect(Number.isInteger(p.value)).toBe(true);
        expect(p.unit).toBeTruthy();
      }
    }
  });

  it.each([
    ['US-FTC-435-SHIP-30', 'days', 30],
    ['US-FTC-435-REFUND-7WD', 'workingDays', 7],
    ['US-USPS-CLAIM-LOSS-WINDOW', 'opensAfterDays', 15],
    ['US-USPS-CLAIM-LOSS-WINDOW', 'lastDay', 60],
    ['US-UPS-CLAIM-NOTICE-60', 'days', 60],
    ['US-FEDEX-CLAIM-DAMAGE-60', 'domesticDays', 60],
    ['US-DHL-CLAIM-30', 'days', 30],
    ['US-USPS-HOLD-15', 'days', 15],
    ['US-FEDEX-HAL-5BD', 'workingDays', 5],
    ['US-UPS-ADDRESS-CORRECTION', 'feeMinor', 2350],
    ['US-HI-481B55-DEFAULT-60', 'days', 60],
    ['US-NJ-568218-DEFAULT-20', 'days', 20],
    ['JP-CUSTOMS-1604-CONTRACT-BREACH', 'months', 6],
  ] as const)('%s.%s = %i', (id, name, value) => {
    expect(catalogueParam(id, name as never).value).toBe(value);
  });
});

describe(isConfigurableRule.name, () => {
  it.each([
    ['US-FTC-435-REFUND-7WD', false],
    ['US-FEDEX-CLAIM-DAMAGE-60', true],
    ['US-VA-VCPA-REFUND', true],
    ['POLICY-DNR-WAIT', false],
  ] as const)('%s → %s', (id, expected) => {
    expect(isConfigurableRule(id)).toBe(expected);
  });
});

describe(hasUnverifiedPart.name, () => {
  it('flags a V1 rule with an unverified number', () => {
    expect(RULES['US-USPS-INTERCEPT'].status).toBe('V1');
    expect(hasUnverifiedPart('US-USPS-INTERCEPT')).toBe(true);
    expect(hasUnverifiedPart('US-DHL-CLAIM-30')).toBe(false);
  });
});
