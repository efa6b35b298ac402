import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import type { DeskRequest } from '../common/http-context';
import { SETTINGS, Settings } from '../config/settings';
import { AgentEntity } from '../merchants/agent.entity';
import { AgentSessionCodec, passwordFingerprint } from './agent-session';

/** Desk (console) endpoints: `Authorization: Bearer dds_...` from POST /v1/desk/sessions. */
@Injectable()
export class AgentGuard implements CanActivate {
  private readonly codec: AgentSessionCodec;
  constructor(
    @Inject(SETTINGS) settings: Settings,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {
    this.codec = new AgentSessionCodec(settings.linkSigningSecret);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<DeskRequest>();
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
    if (!token) throw ApiError.unauthenticated('unauthenticated', 'Sign in and send the session token as "Authorization: Bearer <token>".');
    const claims = this.codec.verify(token, this.clock.now().getTime());
    const agent = claims ? await this.ds.getRepository(AgentEntity).findOneBy({ id: claims.agentId, merchantId: claims.merchantId }) : null;
    if (!claims || !agent || !agent.active || passwordFingerprint(agent.passwordHash) !== claims.pw) {
      throw ApiError.unauthenticated('invalid_session', 'The session has expired or ended; sign in again.');
    }
    req.principal = { kind: 'agent', merchantId: agent.merchantId, agentId: agent.id, role: agent.role, approvalLimitMinor: agent.approvalLimitMinor, name: agent.name };
    return true;
  }
}
