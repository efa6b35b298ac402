import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import { platformSecretContext, SecretsService } from '../common/secrets.service';
import { randomUUID } from 'node:crypto';
import { generateApiKey } from '../auth/api-key.codec';
import { hashPassword } from '../auth/password';
import { AgentEntity } from './agent.entity';
import { API_KEY_SCOPES, ApiKeyEntity } from './api-key.entity';
import { CreateAgentDto, CreateApiKeyDto, CreateMerchantDto, UpdateAgentDto, UpdateMerchantDto } from './merchant.dto';
import { MerchantPolicyEntity } from './merchant-policy.entity';
import { MerchantEntity } from './merchant.entity';
import { validatePolicyDocument } from './policy-document';

export function merchantView(m: MerchantEntity) {
  return {
    id: m.id,
    slug: m.slug,
    nameEn: m.nameEn,
    nameJa: m.nameJa,
    defaultLanguage: m.defaultLanguage,
    timeZone: m.timeZone,
    shipFrom: m.shipFrom,
    platformWebhookUrl: m.platformWebhookUrl,
    platformWebhookSecretSet: m.platformWebhookSecretEnc !== null,
    platformMessageEvents: m.platformMessageEvents,
    policyVersion: m.policyVersion,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export function apiKeyView(k: ApiKeyEntity) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
  };
}

export function agentView(a: AgentEntity) {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    approvalLimitMinor: a.approvalLimitMinor,
    languages: a.languages,
    active: a.active,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** Tenants and what hangs off them: policies, API keys and agents. Operator (admin) operations. */
@Injectable()
export class MerchantsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly secrets: SecretsService,
  ) {}

  async create(dto: CreateMerchantDto): Promise<MerchantEntity> {
    const policy = validatePolicyDocument(dto.policy, 'policy');
    return this.ds.transaction(async (em) => {
      if (await em.existsBy(MerchantEntity, { slug: dto.slug })) {
        throw ApiError.conflict('slug_taken', `A merchant with slug "${dto.slug}" already exists.`, [{ path: 'slug', problem: 'already taken' }]);
      }
      // The id is chosen here so the webhook secret can be sealed under it.
      const id = randomUUID();
      const merchant = await em.save(
        em.create(MerchantEntity, {
          id,
          slug: dto.slug,
          nameEn: dto.nameEn,
          nameJa: dto.nameJa,
          defaultLanguage: dto.defaultLanguage,
          timeZone: dto.timeZone,
          shipFrom: { ...dto.shipFrom },
          platformWebhookUrl: dto.platformWebhookUrl ?? null,
          platformWebhookSecretEnc: dto.platformWebhookSecret ? this.secrets.seal(dto.platformWebhookSecret, platformSecretContext(id)) : null,
          platformMessageEvents: dto.platformMessageEvents ?? false,
          policyVersion: 1,
        }),
      );
      await em.save(em.create(MerchantPolicyEntity, { merchantId: merchant.id, version: 1, policy, note: 'initial policy' }));
      return merchant;
    });
  }

  async get(id: string, em: EntityManager = this.ds.manager): Promise<MerchantEntity> {
    const m = await em.findOneBy(MerchantEntity, { id });
    if (!m) throw ApiError.notFound('Merchant');
    return m;
  }

  list(): Promise<MerchantEntity[]> {
    return this.ds.getRepository(MerchantEntity).find({ order: { createdAt: 'ASC' }, take: 500 });
  }

  async update(id: string, dto: UpdateMerchantDto): Promise<MerchantEntity> {
    return this.ds.transaction(async (em) => {
      const m = await em.findOne(MerchantEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!m) throw ApiError.notFound('Merchant');
      const { platformWebhookSecret, shipFrom, ...rest } = dto;
      Object.assign(m, rest);
      if (shipFrom) m.shipFrom = { ...shipFrom };
      if (platformWebhookSecret) m.platformWebhookSecretEnc = this.secrets.seal(platformWebhookSecret, platformSecretContext(m.id));
      return em.save(m);
    });
  }

  /** Adds a policy version and makes it current; earlier versions stay for replaying decisions. */
  async addPolicyVersion(merchantId: string, document: Record<string, unknown>, note?: string): Promise<MerchantPolicyEntity> {
    const policy = validatePolicyDocument(document, 'policy');
    return this.ds.transaction(async (em) => {
      const m = await em.findOne(MerchantEntity, { where: { id: merchantId }, lock: { mode: 'pessimistic_write' } });
      if (!m) throw ApiError.notFound('Merchant');
      const version = m.policyVersion + 1;
      const row = await em.save(em.create(MerchantPolicyEntity, { merchantId, version, policy, note: note ?? null }));
      await em.update(MerchantEntity, { id: merchantId }, { policyVersion: version });
      return row;
    });
  }

  async currentPolicy(merchantId: string): Promise<MerchantPolicyEntity> {
    const row = await this.ds.query(
      `SELECT p.* FROM merchant_policies p JOIN merchants m ON m.id = p.merchant_id AND m.policy_version = p.version WHERE m.id = $1`,
      [merchantId],
    );
    if (!row.length) throw ApiError.notFound('Merchant');
    return this.ds.getRepository(MerchantPolicyEntity).create({
      id: row[0].id,
      merchantId,
      version: row[0].version,
      policy: row[0].policy,
      note: row[0].note,
      createdAt: row[0].created_at,
    });
  }

  async issueApiKey(merchantId: string, dto: CreateApiKeyDto): Promise<{ entity: ApiKeyEntity; key: string }> {
    await this.get(merchantId);
    const { key, prefix, hash } = generateApiKey();
    const entity = await this.ds.getRepository(ApiKeyEntity).save({
      merchantId,
      name: dto.name,
      prefix,
      secretHash: hash,
      scopes: dto.scopes?.length ? [...new Set(dto.scopes)] : [...API_KEY_SCOPES],
      lastUsedAt: null,
      revokedAt: null,
    });
    return { entity, key };
  }

  async listApiKeys(merchantId: string): Promise<ApiKeyEntity[]> {
    await this.get(merchantId);
    return this.ds.getRepository(ApiKeyEntity).find({ where: { merchantId }, order: { createdAt: 'ASC' } });
  }

  /** Revoking twice is fine: the first revocation time is kept. */
  async revokeApiKey(merchantId: string, keyId: string): Promise<ApiKeyEntity> {
    const repo = this.ds.getRepository(ApiKeyEntity);
    await repo
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where('id = :keyId AND merchant_id = :merchantId AND revoked_at IS NULL', { keyId, merchantId })
      .execute();
    const key = await repo.findOneBy({ id: keyId, merchantId });
    if (!key) throw ApiError.notFound('API key');
    return key;
  }

  async createAgent(merchantId: string, dto: CreateAgentDto): Promise<AgentEntity> {
    await this.get(merchantId);
    const email = dto.email.toLowerCase();
    const repo = this.ds.getRepository(AgentEntity);
    if (await repo.existsBy({ merchantId, email })) {
      throw ApiError.conflict('agent_exists', 'An agent with this e-mail already exists for this merchant.', [{ path: 'email', problem: 'already exists' }]);
    }
    return repo.save({
      merchantId,
      email,
      name: dto.name,
      role: dto.role,
      passwordHash: await hashPassword(dto.password),
      approvalLimitMinor: dto.approvalLimitMinor ?? 0,
      languages: dto.languages ?? [],
      active: true,
    });
  }

  async listAgents(merchantId: string): Promise<AgentEntity[]> {
    await this.get(merchantId);
    return this.ds.getRepository(AgentEntity).find({ where: { merchantId }, order: { createdAt: 'ASC' } });
  }

  async updateAgent(merchantId: string, agentId: string, dto: UpdateAgentDto): Promise<AgentEntity> {
    const repo = this.ds.getRepository(AgentEntity);
    const agent = await repo.findOneBy({ id: agentId, merchantId });
    if (!agent) throw ApiError.notFound('Agent');
    const { password, ...rest } = dto;
    Object.assign(agent, rest);
    if (password) agent.passwordHash = await hashPassword(password);
    return repo.save(agent);
  }
}
