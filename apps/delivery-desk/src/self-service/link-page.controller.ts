import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ApiError } from '../common/api-error';
import type { DeskReply } from '../common/http-context';
import { CustomerLinksService } from './customer-links.service';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Where a customer link lands (`/t/<token>`): a minimal page that checks the link and names the API
 * it is read and answered through (`<link rel="alternate">`), for a client-side page to build on.
 * The token is in the URL, so the page is never cached and sends no referrer.
 */
@ApiExcludeController()
@Controller('t')
export class LinkPageController {
  constructor(private readonly links: CustomerLinksService) {}

  @Get(':token')
  async page(@Param('token') token: string, @Res({ passthrough: true }) reply: DeskReply) {
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff');
    try {
      await this.links.resolve(token);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      void reply.status(err.status);
      return page('Link not available', `<p>${escape(err.message)}</p>`, null);
    }
    const api = `/v1/self-service/links/${encodeURIComponent(token)}`;
    return page('Your order', '<p>Loading your case\u2026</p><noscript><p>Please enable JavaScript to see your case.</p></noscript>', api);
  }
}

function page(title: string, body: string, api: string | null): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escape(title)}</title>`,
    api ? `<link rel="alternate" type="application/json" href="${escape(api)}">` : '',
    `</head><body><main${api ? ` data-api="${escape(api)}"` : ''}>`,
    body,
    '</main></body></html>',
  ].join('');
}
