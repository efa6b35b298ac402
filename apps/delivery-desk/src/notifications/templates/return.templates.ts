/**
 * Playbook 5, return pickup. A return is often the customer's own choice, so the cause is
 * optional here: given (a defective item), the Japanese message carries 原因 / 再発防止策.
 */
import { CUSTOMER_PARAMS, defineTemplate, facts, jaSubject, link, list, REFUND_TIMING } from './template';
import { choice, optional, p } from './template-param';

// With a cause the return is the shop's fault (a defective item): say sorry before the logistics.
const APOLOGY_JA = 'このたびはご迷惑をおかけし、誠に申し訳ございません。';

export const returnLabelReady = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    labelUrl: p.url,
    returnBy: p.date,
    /** When the refund is issued: at the carrier's first scan, or once the return is checked in. */
    refundTiming: choice('first_scan', 'on_receipt'),
    rmaNumber: optional(p.text),
    lines: optional(p.lines),
    cause: optional(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, '返品用配送ラベルのご案内', v.orderNumber),
    body: [
      v.cause && APOLOGY_JA,
      '返品のお申し込みをいただき、誠にありがとうございます。返品用の配送ラベルをご用意いたしました。',
      v.lines && list(f.lines(v.lines)),
      `下記よりラベルを印刷し、外箱に貼り付けたうえで、${f.date(v.returnBy)}までに${v.carrier}へお預けください。`,
      link('返品用ラベルの印刷はこちら', v.labelUrl),
      v.rmaNumber && facts(['返品受付番号', v.rmaNumber]),
      v.refundTiming === 'first_scan'
        ? '配送業者がお荷物をお預かりした時点で、ご返金の手続きを開始いたします。'
        : '返品商品が当店に到着し、確認が完了いたしましたら、ご返金の手続きをいたします。',
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: your return label`,
    body: [
      `Your return label is ready. Print it, stick it on the box and drop it off with ${v.carrier} by ${f.date(v.returnBy)}.`,
      v.lines && list(f.lines(v.lines)),
      link('Print the return label', v.labelUrl),
      v.rmaNumber && facts(['Return number', v.rmaNumber]),
      v.refundTiming === 'first_scan'
        ? `We\u2019ll refund you as soon as ${v.carrier} scans the parcel.`
        : 'We\u2019ll refund you once the return reaches us and we\u2019ve checked it.',
    ],
  }),
});

export const returnPickupBooked = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    pickupWindow: p.window,
    confirmationNumber: p.text,
    pickupAddress: optional(p.text),
    rescheduleUrl: optional(p.url),
    cause: optional(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, '返品商品の集荷日時のご案内', v.orderNumber),
    body: [
      v.cause && APOLOGY_JA,
      '返品商品の集荷を、下記のとおり手配いたしました。',
      facts(
        ['集荷日時', f.window(v.pickupWindow)],
        ['配送業者', v.carrier],
        ['集荷受付番号', v.confirmationNumber],
        v.pickupAddress && ['集荷先', v.pickupAddress],
      ),
      '当日までに商品を梱包し、返品用ラベルを貼り付けてご用意くださいますようお願い申し上げます。',
      v.rescheduleUrl && link('日時の変更をご希望の場合は、下記よりお手続きください。', v.rescheduleUrl),
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: return pickup booked`,
    body: [
      `${v.carrier} will pick up your return:`,
      facts(['When', f.window(v.pickupWindow)], ['Confirmation', v.confirmationNumber], v.pickupAddress && ['Address', v.pickupAddress]),
      'Please have the parcel packed and labeled.',
      v.rescheduleUrl && link('Change the pickup', v.rescheduleUrl),
    ],
  }),
});

export const returnPickupRescheduled = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    pickupWindow: p.window,
    previousWindow: optional(p.window),
    confirmationNumber: p.text,
    rescheduleUrl: optional(p.url),
    cause: optional(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, '返品商品の集荷日時変更のご案内', v.orderNumber),
    body: [
      v.cause && APOLOGY_JA,
      '返品商品の集荷日時を、下記のとおり変更いたしました。',
      facts(
        v.previousWindow && ['変更前の日時', f.window(v.previousWindow)],
        ['変更後の日時', f.window(v.pickupWindow)],
        ['配送業者', v.carrier],
        ['集荷受付番号', v.confirmationNumber],
      ),
      '当日までに商品を梱包し、返品用ラベルを貼り付けてご用意くださいますようお願い申し上げます。',
      v.rescheduleUrl && link('再度の変更をご希望の場合は、下記よりお手続きください。', v.rescheduleUrl),
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: return pickup moved`,
    body: [
      'Your return pickup has moved:',
      facts(
        v.previousWindow && ['Was', f.window(v.previousWindow)],
        ['Now', f.window(v.pickupWindow)],
        ['Carrier', v.carrier],
        ['Confirmation', v.confirmationNumber],
      ),
      v.rescheduleUrl && link('Change the pickup', v.rescheduleUrl),
    ],
  }),
});

export const returnPickupCancelled = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    confirmationNumber: p.text,
    reason: choice('customer_request', 'carrier_cancelled', 'return_not_needed'),
    rebookUrl: optional(p.url),
    cause: optional(p.cause),
  },
  ja: (v) => ({
    subject: jaSubject(v.merchant.nameJa, '返品商品の集荷取り消しのご案内', v.orderNumber),
    body: [
      v.cause && APOLOGY_JA,
      {
        customer_request: 'ご依頼に基づき、下記の集荷を取り消しいたしました。',
        carrier_cancelled: '誠に申し訳ございませんが、配送業者の都合により、下記の集荷が取り消しとなりました。',
        return_not_needed: '商品のご返送が不要となりましたため、下記の集荷を取り消しいたしました。',
      }[v.reason],
      facts(['配送業者', v.carrier], ['集荷受付番号', v.confirmationNumber]),
      v.rebookUrl && link('改めて集荷をご希望の場合は、下記よりお申し込みください。', v.rebookUrl),
    ],
  }),
  en: (v) => ({
    subject: `Order ${v.orderNumber}: return pickup cancelled`,
    body: [
      {
        customer_request: 'As you asked, we\u2019ve cancelled this pickup:',
        carrier_cancelled: `${v.carrier} cancelled this pickup. Sorry about that.`,
        return_not_needed: 'You no longer need to return the item, so we\u2019ve cancelled this pickup:',
      }[v.reason],
      facts(['Carrier', v.carrier], ['Confirmation', v.confirmationNumber]),
      v.rebookUrl && link('Book a new pickup', v.rebookUrl),
    ],
  }),
});

export const returnReceivedRefund = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    /** The day of the carrier's first scan (refund on first scan) or of receipt at the shop. */
    receivedAt: p.date,
    /** `first_scan`: the refund follows the carrier's acceptance scan, before the parcel reaches the shop. */
    stage: optional(choice('first_scan', 'received')),
    refundAmount: p.money,
    lines: optional(p.lines),
    cause: optional(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, v.stage === 'first_scan' ? '返品商品の発送確認およびご返金のお知らせ' : '返品商品受領およびご返金のお知らせ', v.orderNumber),
    body: [
      v.cause && APOLOGY_JA,
      v.stage === 'first_scan'
        ? `ご返送いただいた商品が${f.date(v.receivedAt)}に配送業者へ引き渡されたことを確認いたしました。ご協力いただき、誠にありがとうございました。`
        : `ご返送いただいた商品を${f.date(v.receivedAt)}に受領いたしました。ご協力いただき、誠にありがとうございました。`,
      v.lines && list(f.lines(v.lines)),
      `${f.money(v.refundAmount)}のご返金手続きを完了いたしました。${REFUND_TIMING.ja}`,
    ],
  }),
  en: (v, f) => ({
    subject: v.stage === 'first_scan' ? `Order ${v.orderNumber}: return on its way, ${f.money(v.refundAmount)} refunded` : `Order ${v.orderNumber}: return received, ${f.money(v.refundAmount)} refunded`,
    body: [
      v.stage === 'first_scan'
        ? `The carrier scanned your return on ${f.date(v.receivedAt)}, so we have refunded ${f.money(v.refundAmount)} to your original payment method without waiting for it to arrive. ${REFUND_TIMING.en}`
        : `We received your return on ${f.date(v.receivedAt)} and have refunded ${f.money(v.refundAmount)} to your original payment method. ${REFUND_TIMING.en}`,
      v.lines && list(f.lines(v.lines)),
    ],
  }),
});
