/**
 * Customer and agent messages: JA/EN templates per playbook step, the language choice, and the
 * e-mail channel. No Nest, no database: the ticket layer composes a message, stores it on the
 * ticket, and hands it to a channel.
 *
 * @example
 * ```ts
 * import { chooseLanguages, composeMessage, EmailChannel, EmailSendError } from '../notifications';
 *
 * const languages = chooseLanguages({
 *   preferred: customer.language,          // 'ja' | 'en' | 'ja-JP' | null
 *   customerName: customer.name,
 *   merchantDefault: merchant.defaultLanguage,
 * });
 * const message = composeMessage('dnr.received_ack_wait_advice', {
 *   customerName: customer.name,
 *   merchant: { nameJa: merchant.nameJa, nameEn: merchant.nameEn },
 *   orderNumber: order.number,
 *   timeZone: shipToTimeZone,
 *   carrier: 'UPS',
 *   trackingCode: shipment.trackingCode,
 *   deliveredAt: shipment.deliveredAt,
 *   waitHours: 48,
 *   signedBy: shipment.signedBy,
 *   photoUrl: shipment.podPhotoUrl,
 *   cause: { code: 'unknown' },
 * }, languages);
 * // store: templateId, languages, subject, text (bodyText), html (bodyHtml)
 * await email.send({ ...message, to: customer.email, idempotencyKey: step.idempotencyKey, ticketRef: ticket.number });
 * ```
 */
export type { ComposedMessage, RenderedPart } from './message.composer';
export { composeMessage, LANGUAGE_SEPARATOR, renderTemplate } from './message.composer';
export type { LanguageChoiceInput } from './language';
export { chooseLanguages } from './language';
export { looksJapaneseName } from './japanese-name';
export type { TemplateErrorCode } from './template.error';
export { TemplateError } from './template.error';
export type { TemplateId, TemplateParams } from './templates/template.registry';
export { isTemplateId, TEMPLATE_IDS, TEMPLATES } from './templates/template.registry';
export type { CauseCode, CauseWording } from './templates/cause.catalogue';
export { CAUSE_CODES, CAUSES, isCauseCode } from './templates/cause.catalogue';
export type { CauseParam, DateValue, Instant, ItemLine, MerchantNames, Money, TimeWindow } from './templates/template-param';
export type { EmailChannelOptions, EmailErrorCode, EmailMessage, EmailSendResult } from './email.channel';
export { classifySmtpError, EmailChannel, EmailSendError } from './email.channel';
