import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard';
import { ApiResult } from '../common/api-result';
import { ApiError } from '../common/api-error';
import { CreateAgentDto, CreateApiKeyDto, CreateMerchantDto, CreatePolicyVersionDto, UpdateAgentDto, UpdateMerchantDto } from './merchant.dto';
import { agentView, apiKeyView, merchantView, MerchantsService } from './merchants.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Resource') });

/** Operator endpoints, behind the admin token: tenants, their API keys, agents and policies. */
@ApiTags('admin')
@ApiBearerAuth('admin')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a POST safe to retry.' })
@UseGuards(AdminGuard)
@Controller('admin/merchants')
export class AdminController {
  constructor(private readonly merchants: MerchantsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a merchant (tenant)' })
  async create(@Body() dto: CreateMerchantDto) {
    return ApiResult.created(merchantView(await this.merchants.create(dto)));
  }

  @Get()
  @ApiOperation({ summary: 'List merchants' })
  async list() {
    return { data: (await this.merchants.list()).map(merchantView) };
  }

  @Get(':merchantId')
  @ApiOperation({ summary: 'Read a merchant' })
  async get(@Param('merchantId', uuid) id: string) {
    return merchantView(await this.merchants.get(id));
  }

  @Patch(':merchantId')
  @ApiOperation({ summary: 'Change a merchant' })
  async update(@Param('merchantId', uuid) id: string, @Body() dto: UpdateMerchantDto) {
    return merchantView(await this.merchants.update(id, dto));
  }

  @Get(':merchantId/policy')
  @ApiOperation({ summary: 'Read the policy in force' })
  async policy(@Param('merchantId', uuid) id: string) {
    const p = await this.merchants.currentPolicy(id);
    return { version: p.version, policy: p.policy, note: p.note, createdAt: new Date(p.createdAt).toISOString() };
  }

  @Post(':merchantId/policies')
  @ApiOperation({ summary: 'Add a policy version and make it current' })
  async addPolicy(@Param('merchantId', uuid) id: string, @Body() dto: CreatePolicyVersionDto) {
    const p = await this.merchants.addPolicyVersion(id, dto.policy, dto.note);
    return ApiResult.created({ version: p.version, policy: p.policy, note: p.note, createdAt: p.createdAt.toISOString() });
  }

  @Post(':merchantId/api-keys')
  @ApiOperation({ summary: 'Issue an API key; the key is in this response only' })
  async issueKey(@Param('merchantId', uuid) id: string, @Body() dto: CreateApiKeyDto) {
    const { entity, key } = await this.merchants.issueApiKey(id, dto);
    return ApiResult.created({ ...apiKeyView(entity), key });
  }

  @Get(':merchantId/api-keys')
  @ApiOperation({ summary: 'List API keys (never their secrets)' })
  async keys(@Param('merchantId', uuid) id: string) {
    return { data: (await this.merchants.listApiKeys(id)).map(apiKeyView) };
  }

  @Post(':merchantId/api-keys/:keyId/revoke')
  @ApiOperation({ summary: 'Revoke an API key (at once, for good)' })
  async revoke(@Param('merchantId', uuid) id: string, @Param('keyId', uuid) keyId: string) {
    return ApiResult.ok(apiKeyView(await this.merchants.revokeApiKey(id, keyId)));
  }

  @Post(':merchantId/agents')
  @ApiOperation({ summary: 'Add an agent' })
  async createAgent(@Param('merchantId', uuid) id: string, @Body() dto: CreateAgentDto) {
    return ApiResult.created(agentView(await this.merchants.createAgent(id, dto)));
  }

  @Get(':merchantId/agents')
  @ApiOperation({ summary: 'List agents' })
  async agents(@Param('merchantId', uuid) id: string) {
    return { data: (await this.merchants.listAgents(id)).map(agentView) };
  }

  @Patch(':merchantId/agents/:agentId')
  @ApiOperation({ summary: 'Change an agent (role, limit, languages, password, active)' })
  async updateAgent(@Param('merchantId', uuid) id: string, @Param('agentId', uuid) agentId: string, @Body() dto: UpdateAgentDto) {
    return agentView(await this.merchants.updateAgent(id, agentId, dto));
  }
}
