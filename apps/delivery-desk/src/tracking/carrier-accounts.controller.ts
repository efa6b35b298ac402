import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CredentialCipherError, parseCarrierCredentials, redactCarrierCredentials, sealCarrierCredentials, openCarrierCredentials } from '@app/carriers';
import { AdminGuard } from '../auth/admin.guard';
import { ApiError } from '../common/api-error';
import { ApiResult } from '../common/api-result';
import { SecretsService } from '../common/secrets.service';
import { SETTINGS, Settings } from '../config/settings';
import { MerchantEntity } from '../merchants/merchant.entity';
import { CarrierAccountEntity } from './carrier-account.entity';
import { PutCarrierAccountDto } from './carrier-account.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Merchant') });

/** Operator endpoints for a merchant's own carrier accounts. Credentials go in, never out. */
@ApiTags('admin')
@ApiBearerAuth('admin')
@UseGuards(AdminGuard)
@Controller('admin/merchants/:merchantId/carrier-accounts')
export class CarrierAccountsController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly secrets: SecretsService,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  private view(a: CarrierAccountEntity) {
    const creds = openCarrierCredentials(this.secrets.cipher, a.merchantId, a.carrier, a.credentialsEnc);
    return {
      id: a.id,
      carrier: a.carrier,
      active: a.active,
      apiBaseUrl: a.apiBaseUrl,
      credentials: redactCarrierCredentials(creds),
      webhookUrl: `${this.settings.publicBaseUrl}/webhooks/${a.carrier}/${a.id}`,
      updatedAt: a.updatedAt.toISOString(),
    };
  }

  @Put(':carrier')
  @ApiOperation({ summary: 'Set the credentials of the merchant\'s EasyPost or UPS account' })
  async put(@Param('merchantId', uuid) merchantId: string, @Param('carrier') carrier: string, @Body() dto: PutCarrierAccountDto) {
    if (carrier !== 'easypost' && carrier !== 'ups') throw ApiError.notFound('Carrier');
    if (!(await this.ds.getRepository(MerchantEntity).existsBy({ id: merchantId }))) throw ApiError.notFound('Merchant');
    let sealed: string;
    try {
      sealed = sealCarrierCredentials(this.secrets.cipher, merchantId, parseCarrierCredentials({ ...dto.credentials, carrier }));
    } catch (e) {
      if (e instanceof CredentialCipherError) throw ApiError.validation([{ path: 'credentials', problem: e.message }]);
      throw e;
    }
    const repo = this.ds.getRepository(CarrierAccountEntity);
    await repo.upsert(
      { merchantId, carrier, credentialsEnc: sealed, apiBaseUrl: dto.apiBaseUrl ?? null, active: dto.active ?? true, updatedAt: new Date() },
      { conflictPaths: ['merchantId', 'carrier'] },
    );
    return ApiResult.ok(this.view(await repo.findOneByOrFail({ merchantId, carrier })));
  }

  @Get()
  @ApiOperation({ summary: 'List the merchant\'s carrier accounts (credentials redacted)' })
  async list(@Param('merchantId', uuid) merchantId: string) {
    const rows = await this.ds.getRepository(CarrierAccountEntity).find({ where: { merchantId }, order: { carrier: 'ASC' } });
    return { data: rows.map((a) => this.view(a)) };
  }
}
