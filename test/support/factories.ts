import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';
import { HttpClient } from './http-client';

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}${randomBytes(2).toString('hex')}`;

export function merchantBody(overrides: Record<string, unknown> = {}) {
  return {
    slug: `shop-${unique()}`,
    nameEn: 'Test Shop',
    nameJa: 'テスト商店',
    defaultLanguage: 'en',
    timeZone: 'America/New_York',
    shipFrom: { name: 'Warehouse', street1: '1 Dock St', city: 'Newark', state: 'NJ', zip: '07105', country: 'US' },
    ...overrides,
  };
}

/** A merchant with an API key, through the admin API. */
export async function createMerchant(t: TestApp, overrides: Record<string, unknown> = {}, scopes?: string[]) {
  const m = await t.admin.post('/admin/merchants', merchantBody(overrides));
  if (m.status !== 201) throw new Error(`merchant: ${m.status} ${JSON.stringify(m.body)}`);
  const k = await t.admin.post(`/admin/merchants/${m.body.id}/api-keys`, { name: 'test', ...(scopes ? { scopes } : {}) });
  if (k.status !== 201) throw new Error(`api key: ${k.status} ${JSON.stringify(k.body)}`);
  return { merchant: m.body, apiKey: k.body.key as string, keyId: k.body.id as string, api: new HttpClient(t.baseUrl, { authorization: `Bearer ${k.body.key}` }) };
}

/** A consistent order body: amounts add up unless overridden. */
export function orderBody(overrides: Record<string, any> = {}) {
  const lines = overrides.lines ?? [
    { externalId: 'L1', sku: 'TEA-1', name: 'Green tea', quantity: 2, unitPriceMinor: 1500, taxMinor: 240 },
    { externalId: 'L2', sku: 'BOWL-1', name: 'Bowl', quantity: 1, unitPriceMinor: 4000, taxMinor: 320, hazmat: false },
  ];
  const subtotal = lines.reduce((s: number, l: any) => s + l.quantity * l.unitPriceMinor - (l.discountMinor ?? 0), 0);
  const shipping = overrides.shippingMinor ?? 800;
  const tax = overrides.taxMinor ?? 560;
  const discount = overrides.discountMinor ?? 0;
  return {
    externalId: `#${unique()}`,
    placedAt: '2026-11-02T09:30:00.000Z',
    channel: 'web',
    currency: 'USD',
    subtotalMinor: subtotal,
    shippingMinor: shipping,
    taxMinor: tax,
    discountMinor: discount,
    totalMinor: subtotal + shipping + tax - discount,
    paymentMethodKind: 'credit_card',
    customer: { email: 'Hanako@Example.com', name: '佐藤 花子', preferredLanguage: 'ja' },
    shipTo: { name: '佐藤 花子', street1: '417 Montgomery St', city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' },
    ...overrides,
    lines,
  };
}
