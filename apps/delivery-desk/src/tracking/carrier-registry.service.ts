import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CarrierAdapter,
  CarrierCode,
  CarrierError,
  EasyPostAdapter,
  openCarrierCredentials,
  SandboxAdapter,
  UnmappedCodeReporter,
  UpsAdapter,
} from '@app/carriers';
import { Clock } from '../common/clock';
import { SecretsService } from '../common/secrets.service';
import { SETTINGS, Settings } from '../config/settings';
import { CarrierAccountEntity } from './carrier-account.entity';

interface Cached {
  adapter: CarrierAdapter;
  version: number;
}

/**
 * Builds the adapter a merchant's shipment goes through: the merchant's own carrier account when it
 * has one, else the deployment's (EasyPost), and the sandbox for everyone. Adapters are cached per
 * account and rebuilt when the account changes.
 */
@Injectable()
export class CarrierRegistry {
  private readonly logger = new Logger(CarrierRegistry.name);
  private readonly cache = new Map<string, Cached>();
  /** One sandbox per process, on the service clock: stories start at each shipment's registration. */
  readonly sandbox: SandboxAdapter;
  private readonly onUnmappedCode: UnmappedCodeReporter;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly secrets: SecretsService,
    clock: Clock,
  ) {
    this.sandbox = new SandboxAdapter({ clock: () => clock.now() });
    this.onUnmappedCode = (u) => this.logger.warn({ unmapped: u }, 'unmapped carrier code');
  }

  async adapterFor(merchantId: string, carrier: CarrierCode): Promise<CarrierAdapter> {
    return (await this.resolve(merchantId, carrier)).adapter;
  }

  /** The webhook secret (EasyPost) or Track Alert credential (UPS) of an account. */
  async webhookSecretOf(account: CarrierAccountEntity): Promise<string> {
    const creds = openCarrierCredentials(this.secrets.cipher, account.merchantId, account.carrier, account.credentialsEnc);
    return creds.carrier === 'easypost' ? creds.webhookSecret : creds.webhookToken;
  }

  private async resolve(merchantId: string, carrier: CarrierCode): Promise<Cached> {
    if (carrier === 'sandbox') return { adapter: this.sandbox, version: 0 };
    const account = await this.ds.getRepository(CarrierAccountEntity).findOneBy({ merchantId, carrier, active: true });
    if (!account) {
      const fallback = this.settings.tracking.easypost;
      if (carrier === 'easypost' && fallback.apiKey) return this.cached('deployment:easypost', 0, () => this.easypost(fallback.apiKey!, fallback.apiBaseUrl));
      throw new CarrierError(carrier, 'unauthorized', `This merchant has no ${carrier} account configured`, false);
    }
    const version = account.updatedAt.getTime();
    const hit = this.cache.get(account.id);
    if (hit && hit.version === version) return hit;
    // UPS wants to know who asks for an intercept: the shop's support name and phone from its ship-from,
    // read when the adapter is built (at the first call, and again whenever the account changes).
    const requester =
      account.carrier === 'ups'
        ? ((await this.ds.query(`SELECT name_en, ship_from->>'phone' AS phone, ship_from->>'email' AS email FROM merchants WHERE id = $1`, [merchantId])) as {
            name_en: string;
            phone: string | null;
            email: string | null;
          }[])[0]
        : undefined;
    return this.cached(account.id, version, () => {
      const creds = openCarrierCredentials(this.secrets.cipher, merchantId, account.carrier, account.credentialsEnc);
      if (creds.carrier === 'easypost') return this.easypost(creds.apiKey, account.apiBaseUrl);
      return new UpsAdapter({
        client: {
          baseUrl: account.apiBaseUrl ?? 'https://onlinetools.ups.com',
          clientId: creds.clientId,
          clientSecret: creds.clientSecret,
          transactionSrc: 'delivery-desk',
          timeoutMs: this.settings.tracking.carrierTimeoutMs,
          retry: { retries: 2, baseMs: 200, maxMs: 2_000 },
        },
        accountNumber: creds.accountNumber,
        interceptRequester: {
          name: `${requester?.name_en ?? 'Customer'} Support`.slice(0, 35),
          telephone: (requester?.phone ?? '').replace(/[^0-9+]/g, '') || '0000000000',
          ...(requester?.email ? { emailAddress: requester.email } : {}),
        },
        clientIp: this.settings.tracking.carrierClientIp,
        onUnmappedCode: this.onUnmappedCode,
      });
    });
  }

  private cached(key: string, version: number, build: () => CarrierAdapter): Cached {
    const hit = this.cache.get(key);
    if (hit && hit.version === version) return hit;
    const entry = { adapter: build(), version };
    this.cache.set(key, entry);
    return entry;
  }

  private easypost(apiKey: string, baseUrl: string | null): EasyPostAdapter {
    // In-call retries stay short: longer outages are retried by the job queue with backoff.
    return new EasyPostAdapter({
      client: { apiKey, ...(baseUrl ? { baseUrl } : {}), responseTimeoutMs: this.settings.tracking.carrierTimeoutMs, deadlineMs: this.settings.tracking.carrierTimeoutMs },
      retry: { retries: 2, baseMs: 200, maxMs: 2_000 },
      onUnmappedCode: this.onUnmappedCode,
    });
  }
}
