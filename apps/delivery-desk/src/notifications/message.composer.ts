import type { Language } from '@app/returns';
import { TemplateError } from './template.error';
import { blocksToHtml, blocksToText } from './templates/block.renderer';
import { CAUSES } from './templates/cause.catalogue';
import { Formatter } from './templates/formatter';
import type { Block, BodyPart, TemplateDefinition, TemplateText } from './templates/template';
import { type CauseParam, isAbsent, type MerchantNames, validateParams } from './templates/template-param';
import { isTemplateId, TEMPLATES, type TemplateId, type TemplateParams } from './templates/template.registry';

/** One language of a message. */
export interface RenderedPart {
  language: Language;
  subject: string;
  text: string;
  /** An HTML fragment (no `<html>`/`<body>`), every parameter escaped. */
  html: string;
}

/**
 * What the ticket layer stores on the ticket and hands to a channel. For two languages the
 * Japanese comes first, then a separator, then the English, in one subject, text and html.
 */
export interface ComposedMessage {
  templateId: TemplateId;
  languages: readonly Language[];
  subject: string;
  text: string;
  html: string;
  /** Each language on its own, for channels (the platform webhook) that want them apart. */
  parts: readonly RenderedPart[];
}

/** Between the Japanese and the English text of a two-language message. */
export const LANGUAGE_SEPARATOR = '\n\n――――――――――――――――――――\nEnglish follows\n――――――――――――――――――――\n\n';

const LANGUAGE_ORDER: readonly Language[] = ['ja', 'en'];

// Printed values a template must never produce. Checked on the output as a last line of defence
// behind the parameter checks: TypeScript lets `${null}` through a template literal.
const LEAKED = /\bundefined\b|\bnull\b|\bNaN\b|\[object [A-Za-z]+\]/g;

/**
 * Renders one template in one language.
 *
 * @example
 * ```ts
 * const part = renderTemplate('dnr.under_review', { ...base, reviewBy: '2026-11-27', cause: { code: 'unknown' } }, 'ja');
 * part.subject; // '【さくら商店】お問い合わせの確認状況のご報告（ご注文番号：1001）'
 * ```
 * @throws TemplateError when the id is unknown or a parameter is missing or unusable.
 */
export function renderTemplate<T extends TemplateId>(templateId: T, params: TemplateParams<T>, language: Language): RenderedPart {
  if (!isTemplateId(templateId)) {
    throw new TemplateError('unknown_template', String(templateId), `Unknown template ${String(templateId)}`);
  }
  const template = TEMPLATES[templateId] as unknown as TemplateDefinition;
  validateParams(templateId, template.params, params, [language]);
  return renderValidated(templateId, template, params as Record<string, unknown>, language);
}

/**
 * Renders a template in the given languages and joins them: subjects with ` / `, texts with
 * {@link LANGUAGE_SEPARATOR}, HTML with `<hr>`. Japanese always comes first.
 *
 * @example
 * ```ts
 * const languages = chooseLanguages({ preferred: null, customerName: '佐藤 花子', merchantDefault: 'en' }); // ['ja', 'en']
 * const message = composeMessage('tracking.on_time', {
 *   customerName: '佐藤 花子',
 *   merchant: { nameJa: 'さくら商店', nameEn: 'Sakura Goods' },
 *   orderNumber: '1001',
 *   timeZone: 'America/Los_Angeles',
 *   carrier: 'UPS',
 *   trackingCode: '1Z999AA10123456784',
 *   lastScanAt: '2026-11-20T15:04:00Z',
 *   estimatedDelivery: '2026-11-23',
 * }, languages);
 * // message.subject: '【さくら商店】配送状況のご案内（ご注文番号：1001） / Order 1001: on its way, arriving Mon, Nov 23, 2026'
 * ```
 * @throws TemplateError before anything is rendered when a parameter either language needs is missing.
 */
export function composeMessage<T extends TemplateId>(
  templateId: T,
  params: TemplateParams<T>,
  languages: readonly Language[],
): ComposedMessage {
  if (!isTemplateId(templateId)) {
    throw new TemplateError('unknown_template', String(templateId), `Unknown template ${String(templateId)}`);
  }
  const ordered = LANGUAGE_ORDER.filter((l) => languages.includes(l));
  if (ordered.length === 0) throw new TemplateError('no_language', templateId, `Template ${templateId}: no language to render`);
  const template = TEMPLATES[templateId] as unknown as TemplateDefinition;
  validateParams(templateId, template.params, params, ordered);
  const parts = ordered.map((language) => renderValidated(templateId, template, params as Record<string, unknown>, language));
  return {
    templateId,
    languages: ordered,
    subject: parts.map((x) => x.subject).join(' / '),
    text: parts.map((x) => x.text).join(LANGUAGE_SEPARATOR),
    html: parts.map((x) => x.html).join('\n<hr>\n'),
    parts,
  };
}

function renderValidated(templateId: string, template: TemplateDefinition, params: Record<string, unknown>, language: Language): RenderedPart {
  const f = new Formatter(language, params.timeZone as string, templateId);
  const out: TemplateText = template[language](params as never, f);
  const body = out.body.filter((b): b is Block => Boolean(b));
  const blocks = template.audience === 'customer' ? wrapForCustomer(body, params, language, out.signedBy) : body;
  // A subject is one header line whatever a parameter holds.
  const subject = out.subject.replace(/\s+/g, ' ').trim();
  const part: RenderedPart = {
    language,
    subject,
    text: blocksToText(blocks, language),
    html: `<div lang="${language}">\n${blocksToHtml(blocks, language)}\n</div>`,
  };
  assertNothingLeaked(templateId, params, `${part.subject}\n${part.text}`);
  return part;
}

function honorific(name: string): string {
  // Customers sometimes type their own 様 or さん; never print 様 様.
  return `${name.trim().replace(/\s*(様|さま|さん)$/u, '')} 様`;
}

function wrapForCustomer(body: Block[], params: Record<string, unknown>, language: Language, signedBy: string | null | undefined): Block[] {
  const merchant = params.merchant as MerchantNames;
  const name = (params.customerName as string).trim();
  const cause = params.cause as CauseParam | null | undefined;
  if (language === 'ja') {
    const causeBlocks: Block[] = isAbsent(cause)
      ? []
      : [
          { kind: 'section', title: '原因', text: isAbsent(cause.causeJa) ? CAUSES[cause.code].causeJa : cause.causeJa.trim() },
          { kind: 'section', title: '再発防止策', text: isAbsent(cause.preventionJa) ? CAUSES[cause.code].preventionJa : cause.preventionJa.trim() },
        ];
    return [
      honorific(name),
      `平素より${merchant.nameJa}をご利用いただき、誠にありがとうございます。\n${merchant.nameJa} カスタマーサポートでございます。`,
      ...body,
      ...causeBlocks,
      'ご不明な点がございましたら、お気軽に本メールへご返信ください。\n何卒よろしくお願い申し上げます。',
      [signedBy, `${merchant.nameJa} カスタマーサポート`].filter(Boolean).join('\n'),
    ];
  }
  return [
    `Hi ${name},`,
    ...body,
    'Questions? Just reply to this email.',
    [signedBy, `${merchant.nameEn} Support`].filter(Boolean).join('\n'),
  ];
}

function assertNothingLeaked(templateId: string, params: Record<string, unknown>, output: string): void {
  const given = textsIn(params);
  for (const [token] of output.matchAll(LEAKED)) {
    // The word may be the customer's own (an agent quoting an error message): only a token no
    // text parameter contains can have come from the template.
    if (!given.some((t) => t.includes(token))) {
      throw new TemplateError('unsafe_output', templateId, `Template ${templateId} printed "${token}": a parameter was not checked`);
    }
  }
}

function textsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) textsIn(v, out);
  else if (value && typeof value === 'object' && !(value instanceof Date)) for (const v of Object.values(value)) textsIn(v, out);
  return out;
}
