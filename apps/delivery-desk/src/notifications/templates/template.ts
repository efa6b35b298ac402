import type { Formatter } from './formatter';
import { p, type ParamSchema, type ParamValues } from './template-param';

/**
 * A piece of a message body. Templates never write HTML: the renderer escapes every block, so a
 * parameter cannot inject markup whatever it contains.
 */
export type Block =
  /** A paragraph; `\n` is a line break. */
  | string
  | { readonly kind: 'list'; readonly items: readonly string[] }
  /** Label / value rows (order number, carrier, tracking number...). */
  | { readonly kind: 'facts'; readonly rows: readonly (readonly [string, string])[] }
  | { readonly kind: 'link'; readonly label: string; readonly url: string }
  /** A titled paragraph, e.g. ■ 原因. */
  | { readonly kind: 'section'; readonly title: string; readonly text: string };

/** Falsy entries are skipped, so optional blocks can be written `v.photoUrl && link(...)`. */
export type BodyPart = Block | null | undefined | false | '';

export interface TemplateText {
  subject: string;
  body: readonly BodyPart[];
  /** A line above the merchant's sign-off, e.g. the agent who wrote the reply. */
  signedBy?: string | null;
}

/**
 * Who reads the message. Customer messages are wrapped in the merchant's greeting and
 * sign-off and, in Japanese, the 原因 / 再発防止策 section; agent messages are not.
 */
export type Audience = 'customer' | 'agent';

export interface TemplateDefinition<S extends ParamSchema = ParamSchema> {
  readonly audience: Audience;
  readonly params: S;
  readonly ja: (v: ParamValues<S>, f: Formatter) => TemplateText;
  readonly en: (v: ParamValues<S>, f: Formatter) => TemplateText;
}

/**
 * Declares a template; `const` keeps the schema's literal kinds so each variant is type-checked
 * against exactly the parameters it declares.
 */
export function defineTemplate<const S extends ParamSchema>(definition: TemplateDefinition<S>): TemplateDefinition<S> {
  return definition;
}

/** Every customer message greets the customer and signs with the merchant's name. */
export const CUSTOMER_PARAMS = {
  customerName: p.text,
  merchant: p.merchant,
  orderNumber: p.text,
  /** The ship-to time zone: dates and times are written in it. */
  timeZone: p.timeZone,
} as const;

export const AGENT_PARAMS = {
  merchant: p.merchant,
  orderNumber: p.text,
  timeZone: p.timeZone,
} as const;

export function list(items: readonly string[]): Block {
  return { kind: 'list', items };
}

export function facts(...rows: (readonly [string, string] | null | undefined | false | '')[]): Block {
  return { kind: 'facts', rows: rows.filter((r): r is readonly [string, string] => Boolean(r)) };
}

export function link(label: string, url: string): Block {
  return { kind: 'link', label, url };
}

/** `【Shop】Title（ご注文番号：123）`: the shop first, so the customer sees who writes before what about. */
export function jaSubject(merchantJa: string, title: string, orderNumber: string): string {
  return `【${merchantJa}】${title}（ご注文番号：${orderNumber}）`;
}

/** Said with every refund: the money goes back the way it came, and banks are slow to show it. */
export const REFUND_TIMING = {
  ja: 'ご返金はご購入時のお支払い方法へ行われます。ご利用の金融機関により、明細への反映までに数日かかる場合がございます。',
  en: 'Your bank may take a few days to show it.',
} as const;
