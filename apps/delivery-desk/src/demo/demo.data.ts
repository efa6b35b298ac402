import { SandboxAdapter } from '@app/carriers';
import type { CreateAgentDto, CreateMerchantDto } from '../merchants/merchant.dto';
import type { RegisterShipmentDto, UpsertOrderDto } from '../orders/order.dto';

export const DEMO_MERCHANT: CreateMerchantDto = {
  slug: 'sakura-goods',
  nameEn: 'Sakura Goods',
  nameJa: 'さくら商店',
  defaultLanguage: 'ja',
  timeZone: 'America/Los_Angeles',
  shipFrom: {
    name: 'Sakura Goods Fulfilment',
    street1: '1200 Harbor Way S',
    city: 'Richmond',
    state: 'CA',
    zip: '94804',
    country: 'US',
    phone: '+1 510 555 0142',
  },
};

export const DEMO_AGENT: CreateAgentDto & { password: string } = {
  email: 'agent@sakura-goods.example',
  name: 'Aiko Tanaka',
  role: 'supervisor',
  password: 'desk-demo-password',
  approvalLimitMinor: 50_000,
  languages: ['ja', 'en'],
};

const daysAgo = (now: Date, d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

/** Orders spread over the playbooks; tracking codes follow EasyPost's test codes on the sandbox carrier. */
export function DEMO_ORDERS(now: Date): { order: UpsertOrderDto; shipments: RegisterShipmentDto[] }[] {
  const order = (
    n: number,
    customer: UpsertOrderDto['customer'],
    shipTo: UpsertOrderDto['shipTo'],
    lines: UpsertOrderDto['lines'],
    placedDaysAgo: number,
  ): UpsertOrderDto => {
    const subtotal = lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
    const tax = Math.round(subtotal * 0.0875);
    return {
      externalId: `SG-${1000 + n}`,
      placedAt: daysAgo(now, placedDaysAgo),
      channel: 'web',
      currency: 'USD',
      subtotalMinor: subtotal,
      shippingMinor: 895,
      taxMinor: tax,
      discountMinor: 0,
      totalMinor: subtotal + 895 + tax,
      paymentMethodKind: 'credit_card',
      customer,
      shipTo,
      shippingPromise: { kind: 'ships_within', businessDays: 2 },
      refundPolicyDisclosed: true,
      refundPolicy: { returnWindowDays: 30, restockingFeePercent: 0 },
      lines: lines.map((l) => ({ ...l, taxMinor: Math.round(l.quantity * l.unitPriceMinor * 0.0875) })),
    };
  };
  const hanako = { email: 'hanako.sato@example.com', name: '佐藤 花子', preferredLanguage: 'ja' as const };
  const emily = { email: 'emily.clark@example.com', name: 'Emily Clark', preferredLanguage: 'en' as const };
  const kenji = { email: 'kenji.watanabe@example.com', name: 'Kenji Watanabe' };
  const sf = { name: '佐藤 花子', street1: '417 Montgomery St', street2: 'Apt 5', city: 'San Francisco', state: 'CA', zip: '94104', country: 'US' };
  const ny = { name: 'Emily Clark', street1: '88 Orchard St', city: 'New York', state: 'NY', zip: '10002', country: 'US' };
  const sea = { name: 'Kenji Watanabe', street1: '1510 5th Ave', city: 'Seattle', state: 'WA', zip: '98101', country: 'US' };
  const tea = { sku: 'TEA-SENCHA-100', name: 'Sencha green tea 100 g / 煎茶', quantity: 2, unitPriceMinor: 1800, category: 'food' };
  const bowl = { sku: 'BOWL-MINO-M', name: 'Mino-yaki bowl, medium / 美濃焼 茶碗', quantity: 1, unitPriceMinor: 4200, category: 'tableware' };
  const knife = { sku: 'KNIFE-SANTOKU', name: 'Santoku knife 165 mm / 三徳包丁', quantity: 1, unitPriceMinor: 12900, category: 'kitchen', personalized: true };
  const mochi = { sku: 'MOCHI-FRESH-6', name: 'Fresh daifuku mochi, 6 / 大福', quantity: 1, unitPriceMinor: 2400, category: 'food', perishable: true };
  const sake = { sku: 'SAKE-JUNMAI-720', name: 'Junmai sake 720 ml / 純米酒', quantity: 1, unitPriceMinor: 3800, category: 'alcohol', alcohol: true };
  const ship = (code: string, daysAgoShipped: number, extra: Partial<RegisterShipmentDto> = {}): RegisterShipmentDto => ({
    carrier: 'sandbox',
    carrierName: 'USPS',
    service: 'Priority',
    trackingCode: code,
    shippedAt: daysAgo(now, daysAgoShipped),
    ...extra,
  });
  // Story parcels started in the past, so the demo opens on parcels already in trouble.
  const story = (name: 'OK' | 'DNR' | 'ADDR' | 'DAMAGED' | 'STALL', hoursAgo: number) =>
    SandboxAdapter.storyTrackingCode(name, new Date(now.getTime() - hoursAgo * 3_600_000));
  return [
    { order: order(7, hanako, sf, [tea, bowl], 5), shipments: [ship(story('ADDR', 62), 3)] },
    { order: order(8, emily, ny, [mochi], 4), shipments: [ship(story('DAMAGED', 22), 1)] },
    { order: order(9, kenji, sea, [knife], 9), shipments: [ship(story('STALL', 8 * 24), 8)] },
    { order: order(10, emily, ny, [tea, bowl], 5), shipments: [ship(story('DNR', 70), 3)] },
    { order: order(1, hanako, sf, [tea, bowl], 6), shipments: [ship('EZ4000000004', 5)] },
    { order: order(2, emily, ny, [knife], 4), shipments: [ship('EZ2000000002', 3, { signatureOption: 'signature' })] },
    { order: order(3, kenji, sea, [mochi, tea], 3), shipments: [ship('EZ3000000003', 2)] },
    { order: order(4, hanako, sf, [bowl, sake], 10), shipments: [ship('EZ5000000005', 9, { signatureOption: 'adult_signature' })] },
    { order: order(5, emily, ny, [tea], 12), shipments: [ship('EZ6000000006', 11)] },
    { order: order(6, kenji, sea, [bowl], 1), shipments: [] },
  ];
}
