/** Messages any playbook ends with, the agent's own reply, and the internal approval request. */
import { AGENT_PARAMS, CUSTOMER_PARAMS, defineTemplate, facts, jaSubject, link } from './template';
import { enOnly, jaOnly, optional, p } from './template-param';

export const caseResolved = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    caseNumber: p.text,
    summaryJa: optional(p.text),
    summaryEn: optional(p.text),
    cause: optional(p.cause),
  },
  ja: (v) => ({
    subject: jaSubject(v.merchant.nameJa, 'お問い合わせ対応完了のご報告', v.orderNumber),
    body: [
      `このたびのお問い合わせ（受付番号：${v.caseNumber}）につきまして、対応が完了いたしましたのでご報告申し上げます。`,
      v.summaryJa,
      v.cause && 'このたびはご不便をおかけし、誠に申し訳ございませんでした。',
    ],
  }),
  en: (v) => ({
    subject: `Order ${v.orderNumber}: case ${v.caseNumber} resolved`,
    body: [`Your case ${v.caseNumber} is resolved.`, v.summaryEn],
  }),
});

/**
 * An agent's free-text answer, wrapped in the merchant's greeting and sign-off. The agent
 * writes each language the customer gets; the desk never machine-translates a reply.
 */
export const caseAgentReply = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    bodyJa: jaOnly(p.text),
    bodyEn: enOnly(p.text),
    agentName: optional(p.text),
    cause: optional(p.cause),
  },
  ja: (v) => ({
    subject: jaSubject(v.merchant.nameJa, 'お問い合わせへのご回答', v.orderNumber),
    body: v.bodyJa!.split(/\n{2,}/),
    signedBy: v.agentName ? `担当：${v.agentName}` : null,
  }),
  en: (v) => ({
    subject: `Re: your order ${v.orderNumber}`,
    body: v.bodyEn!.split(/\n{2,}/),
    signedBy: v.agentName ?? null,
  }),
});

/** Internal: tells supervisors an action is over an agent's approval limit. Never sent to customers. */
export const caseApprovalPending = defineTemplate({
  audience: 'agent',
  params: {
    ...AGENT_PARAMS,
    ticketNumber: p.text,
    action: p.text,
    requestedBy: p.text,
    reason: p.text,
    reviewUrl: p.url,
    amount: optional(p.money),
    decideBy: optional(p.instant),
  },
  ja: (v, f) => ({
    subject: `【承認依頼】${v.ticketNumber}：${v.action}`,
    body: [
      '以下の対応について、承認をお願いいたします。',
      facts(
        ['チケット', v.ticketNumber],
        ['注文番号', v.orderNumber],
        ['対応内容', v.action],
        v.amount && ['金額', f.money(v.amount)],
        ['申請者', v.requestedBy],
        ['理由', v.reason],
        v.decideBy && ['承認期限', f.dateTime(v.decideBy)],
      ),
      link('承認画面を開く', v.reviewUrl),
    ],
  }),
  en: (v, f) => ({
    subject: `Approval needed: ${v.action} on ${v.ticketNumber}`,
    body: [
      facts(
        ['Ticket', v.ticketNumber],
        ['Order', v.orderNumber],
        ['Action', v.action],
        v.amount && ['Amount', f.money(v.amount)],
        ['Requested by', v.requestedBy],
        ['Reason', v.reason],
        v.decideBy && ['Decide by', f.dateTime(v.decideBy)],
      ),
      link('Review', v.reviewUrl),
    ],
  }),
});
