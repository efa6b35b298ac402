import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MerchantEntity } from '../merchants/merchant.entity';
import { MerchantsService } from '../merchants/merchants.service';
import { OrdersService } from '../orders/orders.service';
import { ShipmentsService } from '../orders/shipments.service';
import { DEMO_AGENT, DEMO_MERCHANT, DEMO_ORDERS } from './demo.data';

export interface DemoInfo {
  merchantId: string;
  created: boolean;
  apiKey: string | null;
  describe(baseUrl: string): string[];
}

/**
 * Creates, once, a demo merchant with a console login, an API key and orders whose parcels play
 * on the sandbox carrier, so a first `npm start` has something to look at.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly merchants: MerchantsService,
    private readonly orders: OrdersService,
    private readonly shipments: ShipmentsService,
  ) {}

  async seed(now = new Date()): Promise<DemoInfo> {
    const existing = await this.ds.getRepository(MerchantEntity).findOneBy({ slug: DEMO_MERCHANT.slug });
    let merchantId: string;
    let apiKey: string | null = null;
    if (existing) {
      merchantId = existing.id;
    } else {
      const merchant = await this.merchants.create(DEMO_MERCHANT);
      merchantId = merchant.id;
      await this.merchants.createAgent(merchantId, DEMO_AGENT);
      apiKey = (await this.merchants.issueApiKey(merchantId, { name: 'Demo platform' })).key;
      for (const { order, shipments } of DEMO_ORDERS(now)) {
        await this.orders.upsert(merchantId, order);
        for (const s of shipments) await this.shipments.register(merchantId, order.externalId, s);
      }
      this.logger.log(`Demo merchant created with ${DEMO_ORDERS(now).length} orders`);
    }
    return {
      merchantId,
      created: !existing,
      apiKey,
      describe: (base) => [
        `  Demo shop:  ${DEMO_MERCHANT.nameEn} / ${DEMO_MERCHANT.nameJa} (merchant ${merchantId})`,
        `  Agent login: ${DEMO_AGENT.email} / ${DEMO_AGENT.password}`,
        apiKey
          ? `  API key (shown once, keep it): ${apiKey}`
          : `  API key: issued at the first start; issue another with POST ${base}/admin/merchants/${merchantId}/api-keys`,
        `  Try:        curl -H "Authorization: Bearer ${apiKey ?? '<api key>'}" ${base}/v1/orders/SG-1001`,
      ],
    };
  }
}
