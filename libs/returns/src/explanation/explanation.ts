/**
 * Turns a decision's findings into a short explanation in English and polite Japanese: a
 * headline of what happens, one sentence per finding, the money, and a closing note naming
 * the rules that are configurable (V2) or unverified.
 */
import { isLocalDate, parseYmd } from '../calendar/local-date';
import { localDateOf } from '../calendar/time-zone';
import { formatMinor } from '../money/money';
import type { ActionKind, Decision } from '../engine/decision';
import type { Finding } from '../engine/decision-builder';
import { type Fmt, MESSAGES } from './explanation.message';

const ACTION_LABEL: Record<ActionKind, { en: string; ja: string }> = {
  CANCEL_ORDER: { en: 'cancel the order', ja: 'ご注文の取り消し' },
  DELAY_NOTICE: { en: 'send a delay notice', ja: '遅延のご通知' },
  REFUND_FULL: { en: 'full refund', ja: '全額返金' },
  REFUND_PARTIAL: { en: 'partial refund', ja: '一部返金' },
  RESHIP: { en: 'reship', ja: '再送' },
  KEEP_ITEM: { en: 'keep the item', ja: '商品のご返送不要' },
  RETURN_LABEL: { en: 'return label', ja: '返送ラベル' },
  CARRIER_PICKUP: { en: 'carrier pickup', ja: '集荷' },
  STORE_CREDIT: { en: 'store credit', ja: 'ストアクレジット' },
  CARRIER_TRACE: { en: 'carrier trace', ja: '配送業者への調査依頼' },
  CARRIER_CLAIM: { en: 'carrier claim', ja: '配送業者への補償請求' },
  CARRIER_INTERCEPT: { en: 'carrier intercept', ja: '配送の差し止め' },
  CARRIER_HOLD: { en: 'hold at the carrier', ja: '営業所での保管' },
  UPDATE_SHIP_TO: { en: 'update the address', ja: 'お届け先の変更' },
  WAIT: { en: 'wait', ja: 'お待ちいただく' },
  ESCALATE: { en: 'escalate', ja: '責任者への確認' },
  DENY: { en: 'decline', ja: 'お断り' },
  DISPUTE_RESPONSE: { en: 'answer the card dispute', ja: 'チャージバックへの回答' },
};

/** Labels for enum values that appear inside sentences. */
const LABEL: Record<string, { en: string; ja: string }> = {
  stated: { en: 'the time stated at checkout', ja: 'ご注文時に表示した発送目安' },
  implied_by_delivery_date: { en: 'implied by the promised delivery date', ja: 'お届け予定日から算出' },
  thirty_days: { en: '30 days, no time stated', ja: '表示なしのため30日' },
  fifty_days_credit: { en: '50 days, seller credit applied for', ja: '自社クレジット申込のため50日' },
  buyer_cancelled: { en: 'the buyer cancelled after a delay notice', ja: '遅延通知後のお客様のキャンセル' },
  cannot_ship: { en: 'the item cannot be shipped', ja: '商品を発送できないため' },
  no_notice: { en: 'no shipment and no delay notice in time', ja: '期限内の発送・遅延通知がないため' },
  auto_cancel: { en: 'no express consent to a long delay', ja: '長期遅延への明示的なご同意がないため' },
  missed_revised_date: { en: 'the revised date passed without a renewed notice', ja: '改定発送日を再通知なく経過したため' },
  cash_on_delivery: { en: 'cash on delivery', ja: '代金引換' },
  seeds_or_plants: { en: 'seeds and plants', ja: '種子・植物' },
  credit_not_charged_before_shipment: { en: 'credit not charged before shipment', ja: '発送前に請求のない掛け払い' },
  magazine_subscription: { en: 'magazine subscription', ja: '雑誌定期購読' },
  negative_option: { en: 'negative-option plan', ja: 'ネガティブオプション' },
  photofinishing: { en: 'photofinishing', ja: '写真現像' },
  merchant: { en: 'store', ja: '当社' },
  customer: { en: 'customer', ja: 'お客様' },
  return_first_scan: { en: "the return's first carrier scan", ja: '返送荷物の配送業者受付' },
  return_received: { en: 'receipt of the return', ja: '返品の到着' },
  first_scan: { en: 'first carrier scan', ja: '配送業者受付済み' },
  received: { en: 'received', ja: '到着済み' },
  requested: { en: 'requested', ja: 'お申し込み済み' },
  formal_entry: { en: 'formal entry', ja: '正式通関' },
  htsus_9801: { en: 'HTSUS 9801.00.10 US-goods return', ja: 'HTSUS 9801.00.10 米国品の再輸入' },
  not_refrigerated: { en: 'no refrigeration after delivery', ja: 'お受け取り後の冷蔵不備' },
  absent: { en: 'an uncollected parcel', ja: 'ご不在による未受領' },
  alcohol_no_consumer_shipping: { en: 'alcohol cannot be shipped by consumers', ja: '酒類は個人での発送不可' },
  perishable_no_return: { en: 'perishable', ja: '生鮮品' },
  battery_not_mailable: { en: 'damaged lithium battery, not mailable', ja: '破損したリチウム電池は郵送不可' },
  out_for_delivery: { en: 'already out for delivery', ja: 'すでに配達中' },
  carrier_cannot: { en: 'not offered by the carrier for this parcel', ja: '配送業者の対象外' },
  already_shipped: { en: 'already delivered', ja: '配達済み' },
  open: { en: 'open', ja: '申請中' },
  paid: { en: 'paid', ja: '支払済み' },
  denied: { en: 'denied', ja: '否認済み' },
  repeat_claims: { en: 'repeat claims', ja: '過去のお申し出' },
  high_value: { en: 'high order value', ja: '高額のご注文' },
  signature_captured: { en: 'signature captured', ja: '受領署名あり' },
  visa: { en: 'Visa', ja: 'Visa' },
  mastercard: { en: 'Mastercard', ja: 'Mastercard' },
  amex: { en: 'American Express', ja: 'American Express' },
  discover: { en: 'Discover', ja: 'Discover' },
  other: { en: 'card', ja: 'カード' },
  refund: { en: 'refund', ja: '返金' },
  reship: { en: 'reship', ja: '再送' },
  store_credit: { en: 'store credit', ja: 'ストアクレジット' },
  carrier_payout: { en: 'carrier payout', ja: '配送業者の補償' },
};

const EVIDENCE_LABEL: Record<string, { en: string; ja: string }> = {
  photo_item: { en: 'photo of the item', ja: '商品の写真' },
  photo_packaging: { en: 'photo of the packaging', ja: '梱包の写真' },
  photo_inner_packaging: { en: 'photo of the inner packaging', ja: '内装材の写真' },
  photo_label: { en: 'photo of the shipping label', ja: '送り状の写真' },
  photo_box_all_sides: { en: 'photos of all six sides of the box', ja: '箱の6面の写真' },
  photo_box_certificate: { en: 'photo of the box certificate', ja: '箱の認証マークの写真' },
  box_dimensions: { en: 'box dimensions', ja: '箱のサイズ' },
  photo_ice_packs: { en: 'photo of the ice packs', ja: '保冷剤の写真' },
};

function labelOf(value: string, lang: 'en' | 'ja'): string {
  if (value.includes(',')) return value.split(',').map((v) => labelOf(v.trim(), lang)).join(lang === 'ja' ? '、' : ', ');
  const l = LABEL[value] ?? EVIDENCE_LABEL[value] ?? (ACTION_LABEL as Record<string, { en: string; ja: string }>)[value];
  return l ? l[lang] : value.replace(/_/g, ' ');
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();
function timeFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = timeFormatters.get(timeZone);
  if (!f) timeFormatters.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return f;
}

function fmtFor(lang: 'en' | 'ja', currency: string, timeZone: string): Fmt {
  const date = (value: string | number): string => {
    const s = String(value);
    if (isLocalDate(s)) {
      const { year, month, day } = parseYmd(s);
      return lang === 'ja' ? `${year}年${month}月${day}日` : s;
    }
    const local = localDateOf(s, timeZone);
    const time = timeFormatter(timeZone).format(Date.parse(s));
    const { year, month, day } = parseYmd(local);
    return lang === 'ja' ? `${year}年${month}月${day}日 ${time}` : `${local} ${time}`;
  };
  return {
    money: (minor) => formatMinor(Number(minor), currency),
    date,
    label: (v) => labelOf(String(v), lang),
  };
}

function headline(d: Decision, lang: 'en' | 'ja'): string {
  const list = (actions: Decision['required']) => [...new Set(actions.map((a) => ACTION_LABEL[a.kind][lang]))].join(lang === 'ja' ? '、' : ', ');
  const parts: string[] = [];
  if (lang === 'en') {
    if (d.required.length) parts.push(`Required: ${list(d.required)}.`);
    if (d.customerChoice.length) parts.push(`Customer chooses: ${list(d.customerChoice)}.`);
    if (!parts.length) parts.push('Nothing is required now.');
  } else {
    if (d.required.length) parts.push(`必要な対応：${list(d.required)}。`);
    if (d.customerChoice.length) parts.push(`お客様にお選びいただける対応：${list(d.customerChoice)}。`);
    if (!parts.length) parts.push('現時点で必要な対応はございません。');
  }
  return parts.join(' ');
}

function moneyLine(d: Decision, lang: 'en' | 'ja'): string | undefined {
  const a = d.amounts;
  const offersRefund = [...d.required, ...d.customerChoice, ...d.allowed].some((x) => x.kind === 'REFUND_FULL' || x.kind === 'REFUND_PARTIAL') ||
    d.scheduled.some((s) => s.action.kind === 'REFUND_FULL' || s.action.kind === 'REFUND_PARTIAL');
  if (!offersRefund || a.refundTotalMinor === 0) return undefined;
  const m = (n: number) => formatMinor(n, a.currency);
  if (lang === 'en') {
    const fees = a.feesMinor > 0 ? `, less fees ${m(a.feesMinor)}` : '';
    return `Refund ${m(a.refundTotalMinor)} (items ${m(a.itemsMinor)}, shipping ${m(a.shippingMinor)}, tax ${m(a.taxMinor)}${fees}).`;
  }
  const fees = a.feesMinor > 0 ? `、手数料 −${m(a.feesMinor)}` : '';
  return `ご返金額は${m(a.refundTotalMinor)}でございます（商品 ${m(a.itemsMinor)}、送料 ${m(a.shippingMinor)}、税 ${m(a.taxMinor)}${fees}）。`;
}

function configurableLine(d: Decision, lang: 'en' | 'ja'): string | undefined {
  const unverified = d.rules.filter((r) => r.status === 'UNVERIFIED').map((r) => r.id);
  const secondary = d.rules.filter((r) => r.configurable && r.status !== 'UNVERIFIED').map((r) => r.id);
  if (!unverified.length && !secondary.length) return undefined;
  if (lang === 'en') {
    const parts = [];
    if (secondary.length) parts.push(`configurable, from secondary sources (V2): ${secondary.join(', ')}`);
    if (unverified.length) parts.push(`unverified, confirm before relying on them: ${unverified.join(', ')}`);
    return `Rules ${parts.join('; ')}.`;
  }
  const parts = [];
  if (secondary.length) parts.push(`二次情報に基づく設定可能な規則（V2）：${secondary.join('、')}`);
  if (unverified.length) parts.push(`未確認の規則（ご確認をお願いいたします）：${unverified.join('、')}`);
  return `※${parts.join('／')}。`;
}

/** Builds the English and Japanese explanation for a decision. */
export function renderExplanation(d: Decision, findings: readonly Finding[], currency: string): { en: string[]; ja: string[] } {
  const out = { en: [] as string[], ja: [] as string[] };
  for (const lang of ['en', 'ja'] as const) {
    const f = fmtFor(lang, currency, d.timeZone);
    const lines = out[lang];
    lines.push(headline(d, lang));
    const seen = new Set<string>();
    for (const finding of findings) {
      const text = MESSAGES[finding.key][lang](finding.vars, f);
      if (!seen.has(text)) lines.push(text);
      seen.add(text);
    }
    const money = moneyLine(d, lang);
    if (money) lines.push(money);
    const conf = configurableLine(d, lang);
    if (conf) lines.push(conf);
  }
  return out;
}
