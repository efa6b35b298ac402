/** DHL Express US (international) claims and protection (us-rules.md §4.4). */
import type { RuleDefinition } from './rule';

export const DHL_RULES = [
  {
    id: 'US-DHL-CLAIM-30',
    family: 'carrier_dhl',
    title: 'Loss or damage claims in writing within 30 days of the date DHL accepted the shipment.',
    citation: 'MyDHL+ US claims FAQ',
    status: 'V1',
    jurisdiction: 'DHL Express US',
    params: { days: { value: 30, unit: 'calendar_days', status: 'V1' } },
  },
  {
    id: 'US-DHL-CLAIM-EVIDENCE',
    family: 'carrier_dhl',
    title: 'Loss claims only after a completed trace; damage: keep items and all packaging at the delivery location; inspection when protection ≥ $500.',
    citation: 'MyDHL+ US claims FAQ; DHL cargo claim instructions',
    status: 'V2',
    statusNote: 'V1 / V2',
    jurisdiction: 'DHL Express US',
    params: { inspectionAboveMinor: { value: 50_000, unit: 'usd_minor', status: 'V1' } },
  },
  {
    id: 'US-DHL-SVP',
    family: 'carrier_dhl',
    title: 'Shipment Value Protection: $9.80 minimum for up to $700, plus $1.40 per extra $100.',
    citation: 'MyDHL+ US shipment protection options',
    status: 'V1',
    jurisdiction: 'DHL Express US',
    params: {
      minimumFeeMinor: { value: 980, unit: 'usd_minor', status: 'V1' },
      minimumCoverageMinor: { value: 70_000, unit: 'usd_minor', status: 'V1' },
      feePerHundredMinor: { value: 140, unit: 'usd_minor', status: 'V1' },
    },
  },
  {
    id: 'US-DHL-LIAB',
    family: 'carrier_dhl',
    title: 'Default liability follows the terms and air conventions (per-kg SDR limits); the US figure is not confirmed.',
    citation: 'DHL Express terms and conditions',
    status: 'UNVERIFIED',
    jurisdiction: 'DHL Express',
  },
  {
    id: 'US-DHL-INTL-ONLY',
    family: 'carrier_dhl',
    title: 'DHL Express serves only international US shipments.',
    citation: '—',
    status: 'UNVERIFIED',
    jurisdiction: 'DHL Express US',
  },
] as const satisfies readonly RuleDefinition[];
