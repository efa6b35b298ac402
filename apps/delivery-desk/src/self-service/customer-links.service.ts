import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { SETTINGS, Settings } from '../config/settings';
import type { TicketEntity } from '../tickets/ticket.entity';
import { CustomerLinkEntity, LinkPurpose } from './customer-link.entity';
import type { IssuedLink, LinkIssuer } from './link-issuer';
import { signLinkToken, verifyLinkToken } from './link-token';

/**
 * Signed customer links: issuing (one row per link, the token signs its id and merchant), checking
 * a presented token (401 forged, 410 expired or revoked), and revoking. The merchant in the token is
 * the only merchant a link can ever read, so one shop's link cannot reach another's data.
 */
@Injectable()
export class CustomerLinksService implements LinkIssuer {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly clock: Clock,
  ) {}

  tokenOf(link: Pick<CustomerLinkEntity, 'id' | 'merchantId'>): string {
    return signLinkToken(this.settings.linkSigningSecret, { l: link.id, m: link.merchantId });
  }

  /** The customer page for a link. */
  urlOf(link: Pick<CustomerLinkEntity, 'id' | 'merchantId'>): string {
    return `${this.settings.publicBaseUrl}/t/${this.tokenOf(link)}`;
  }

  async issue(em: EntityManager, ticket: TicketEntity, purpose: LinkPurpose, opts: { ref?: string | null; expiresAt: Date }): Promise<IssuedLink> {
    const ref = opts.ref ?? null;
    if (ref) {
      // The same occasion gets the same link (a retried notice sends the link already made).
      await em.query(
        `INSERT INTO customer_links (merchant_id, ticket_id, purpose, ref, expires_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (merchant_id, ticket_id, purpose, ref) WHERE ref IS NOT NULL DO NOTHING`,
        [ticket.merchantId, ticket.id, purpose, ref, opts.expiresAt],
      );
    }
    const link = ref
      ? await em.findOneByOrFail(CustomerLinkEntity, { merchantId: ticket.merchantId, ticketId: ticket.id, purpose, ref })
      : await em.save(em.create(CustomerLinkEntity, { merchantId: ticket.merchantId, ticketId: ticket.id, purpose, ref: null, expiresAt: opts.expiresAt }));
    return { linkId: link.id, url: this.urlOf(link), expiresAt: link.expiresAt };
  }

  /**
   * The link a token stands for, checked: 401 `link_invalid` (forged, altered, unknown), 410
   * `link_revoked` or `link_expired`. With `lock`, the row is locked for the caller's transaction.
   */
  async resolve(token: string, em: EntityManager = this.ds.manager, lock = false): Promise<CustomerLinkEntity> {
    const payload = verifyLinkToken(this.settings.linkSigningSecret, token);
    const link = payload
      ? await em.findOne(CustomerLinkEntity, { where: { merchantId: payload.m, id: payload.l }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) })
      : null;
    if (!link) throw ApiError.unauthenticated('link_invalid', 'This link is not valid. Use the link from your most recent e-mail.');
    if (link.revokedAt) throw new ApiError(410, 'link_revoked', 'This link was withdrawn. Use the link from your most recent e-mail, or contact the shop.');
    if (link.expiresAt <= this.clock.now()) throw new ApiError(410, 'link_expired', 'This link has expired. Contact the shop for a new one.');
    return link;
  }

  async list(merchantId: string, ticketId: string): Promise<CustomerLinkEntity[]> {
    return this.ds.getRepository(CustomerLinkEntity).find({ where: { merchantId, ticketId }, order: { createdAt: 'ASC' } });
  }

  /** Stops a link; revoking twice is a no-op that returns the link as it is. */
  async revoke(em: EntityManager, merchantId: string, ticketId: string, linkId: string): Promise<{ link: CustomerLinkEntity; changed: boolean }> {
    const link = /^[0-9a-f-]{36}$/i.test(linkId) ? await em.findOne(CustomerLinkEntity, { where: { merchantId, ticketId, id: linkId }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!link) throw ApiError.notFound('Link');
    if (link.revokedAt) return { link, changed: false };
    link.revokedAt = this.clock.now();
    return { link: await em.save(link), changed: true };
  }
}
