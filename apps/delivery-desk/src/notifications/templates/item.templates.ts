/**
 * Playbook 3, wrong / missing / damaged item. Messages are line-level: they name only the
 * affected items, so a customer is never told a whole order is being replaced.
 */
import { CUSTOMER_PARAMS, defineTemplate, facts, jaSubject, link, list, REFUND_TIMING } from './template';
import { choice, jaOnly, optional, p } from './template-param';

const ISSUE = choice('wrong_item', 'missing_item', 'damaged_item');

const ISSUE_JA = {
  wrong_item: 'ご注文とは異なる商品が届いた',
  missing_item: 'ご注文の商品の一部が届いていない',
  damaged_item: '商品が破損した状態で届いた',
} as const;

// What to photograph differs by issue: the damage and the box for a carrier claim, the label
// for a wrong item, the whole contents and packing slip for a missing one.
const PHOTOS_JA = {
  wrong_item: 'お届けした商品と、その商品ラベル',
  missing_item: '外箱と同梱物一式、および納品書',
  damaged_item: '破損箇所、外箱、配送ラベル',
} as const;

const ISSUE_EN = {
  wrong_item: 'you received the wrong item',
  missing_item: 'an item was missing',
  damaged_item: 'an item arrived damaged',
} as const;

const PHOTOS_EN = {
  wrong_item: 'the item you received and its label',
  missing_item: 'the box, everything that was in it and the packing slip',
  damaged_item: 'the damage, the box and the shipping label',
} as const;

export const itemReceivedAck = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    issue: ISSUE,
    lines: p.lines,
    photosNeeded: p.flag,
    photoUploadUrl: optional(p.url),
    replyBy: optional(p.date),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'お問い合わせ受付のご連絡', v.orderNumber),
    body: [
      `${ISSUE_JA[v.issue]}とのご連絡をいただき、誠にありがとうございます。せっかくご注文いただいたにもかかわらず、ご迷惑をおかけしてしまい誠に申し訳ございません。`,
      '対象の商品：',
      list(f.lines(v.lines)),
      v.photosNeeded &&
        `状況を確認させていただくため、恐れ入りますが、${PHOTOS_JA[v.issue]}の写真をお送りいただけますでしょうか。お手数をおかけいたしますが、下記のページよりアップロードをお願いいたします。`,
      v.photosNeeded && link('写真のアップロードはこちら', f.need(v.photoUploadUrl, 'photoUploadUrl')),
      v.replyBy
        ? `確認のうえ、${f.date(v.replyBy)}までに今後の対応についてご案内いたします。`
        : '確認のうえ、今後の対応について速やかにご案内いたします。',
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: we\u2019ve got your report`,
    body: [
      `Thanks for letting us know that ${ISSUE_EN[v.issue]}. Sorry about that.`,
      'Items:',
      list(f.lines(v.lines)),
      v.photosNeeded && `Please send photos of ${PHOTOS_EN[v.issue]} using the link below.`,
      v.photosNeeded && link('Upload photos', f.need(v.photoUploadUrl, 'photoUploadUrl')),
      v.replyBy ? `We\u2019ll reply with next steps by ${f.date(v.replyBy)}.` : 'We\u2019ll reply with next steps shortly.',
    ],
  }),
});

/** The "missing" item is in another parcel of the same order that is still moving. */
export const itemSplitShipmentInTransit = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    lines: p.lines,
    carrier: p.text,
    trackingCode: p.text,
    estimatedDelivery: p.date,
    trackingUrl: optional(p.url),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, '未着の商品の配送状況のご案内', v.orderNumber),
    body: [
      '一部の商品が届いていないとのご連絡をいただき、誠にありがとうございます。ご心配をおかけしており、申し訳ございません。',
      '確認いたしましたところ、下記の商品は別のお荷物にてお送りしており、現在輸送中でございます。',
      list(f.lines(v.lines)),
      facts(['配送業者', v.carrier], ['追跡番号', v.trackingCode], ['お届け予定日', f.date(v.estimatedDelivery)]),
      v.trackingUrl && link('配送状況は下記よりご確認いただけます。', v.trackingUrl),
      `${f.date(v.estimatedDelivery)}を過ぎてもお届けがない場合は、お手数ですが本メールにご返信ください。`,
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: the rest of your order is on its way`,
    body: [
      'These items shipped in a separate parcel that\u2019s still on its way:',
      list(f.lines(v.lines)),
      facts(['Carrier', v.carrier], ['Tracking number', v.trackingCode], ['Estimated delivery', f.date(v.estimatedDelivery)]),
      v.trackingUrl && link('Track the parcel', v.trackingUrl),
      `If it hasn\u2019t arrived by ${f.date(v.estimatedDelivery)}, reply to this email.`,
    ],
  }),
});

export const itemReplacementSent = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    lines: p.lines,
    carrier: p.text,
    trackingCode: p.text,
    estimatedDelivery: optional(p.date),
    trackingUrl: optional(p.url),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, '交換品発送のご案内', v.orderNumber),
    body: [
      'このたびはご迷惑をおかけし、誠に申し訳ございませんでした。ご連絡いただいた下記の商品につきまして、交換品を発送いたしました。',
      list(f.lines(v.lines)),
      'なお、交換品としてお送りしたのは上記の商品のみでございます。',
      facts(['配送業者', v.carrier], ['追跡番号', v.trackingCode], v.estimatedDelivery && ['お届け予定日', f.date(v.estimatedDelivery)]),
      v.trackingUrl && link('配送状況は下記よりご確認いただけます。', v.trackingUrl),
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: replacement shipped`,
    body: [
      'We\u2019ve shipped replacements for these items only:',
      list(f.lines(v.lines)),
      facts(['Carrier', v.carrier], ['Tracking number', v.trackingCode], v.estimatedDelivery && ['Estimated delivery', f.date(v.estimatedDelivery)]),
      v.trackingUrl && link('Track the parcel', v.trackingUrl),
    ],
  }),
});

export const itemRefundIssued = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    refundAmount: p.money,
    lines: optional(p.lines),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'ご返金手続き完了のお知らせ', v.orderNumber),
    body: [
      'このたびはご迷惑をおかけし、誠に申し訳ございませんでした。',
      v.lines
        ? `下記の商品につきまして、${f.money(v.refundAmount)}のご返金手続きを完了いたしました。`
        : `${f.money(v.refundAmount)}のご返金手続きを完了いたしました。`,
      v.lines && list(f.lines(v.lines)),
      REFUND_TIMING.ja,
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: refund of ${f.money(v.refundAmount)} issued`,
    body: [
      v.lines
        ? `We\u2019ve refunded ${f.money(v.refundAmount)} to your original payment method for:`
        : `We\u2019ve refunded ${f.money(v.refundAmount)} to your original payment method.`,
      v.lines && list(f.lines(v.lines)),
      REFUND_TIMING.en,
    ],
  }),
});

/** Returnless resolution: returning costs more than the item, or cannot be done (perishables, alcohol, hazmat). */
export const itemKeepTheItem = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    lines: p.lines,
    remedy: choice('refund', 'replacement'),
    refundAmount: optional(p.money),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, '商品のご返送は不要です', v.orderNumber),
    body: [
      'このたびはご迷惑をおかけし、誠に申し訳ございません。',
      '下記の商品につきましては、ご返送いただく必要はございません。お手元の商品はそのままお納めいただくか、お住まいの地域のルールに従って処分していただけますと幸いです。',
      list(f.lines(v.lines)),
      v.remedy === 'refund'
        ? `あわせて、${f.money(f.need(v.refundAmount, 'refundAmount'))}をご返金いたします。${REFUND_TIMING.ja}`
        : 'あわせて、交換品をお送りいたします。発送後に追跡番号をお知らせいたします。',
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: no need to return the item`,
    body: [
      'No need to send these back. Keep them, or dispose of them under your local rules:',
      list(f.lines(v.lines)),
      v.remedy === 'refund'
        ? `We\u2019re refunding ${f.money(f.need(v.refundAmount, 'refundAmount'))} to your original payment method. ${REFUND_TIMING.en}`
        : 'We\u2019ll ship a replacement and email you the tracking number.',
    ],
  }),
});

/** The item must come back: by label, by carrier pickup, or both offered. */
export const itemReturnRequired = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    lines: p.lines,
    returnBy: p.date,
    remedy: choice('refund', 'replacement'),
    labelUrl: optional(p.url),
    pickupWindow: optional(p.window),
    carrier: optional(p.text),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => {
    if (!v.pickupWindow) f.need(v.labelUrl, 'labelUrl');
    return {
      subject: jaSubject(v.merchant.nameJa, '商品のご返送のお願い', v.orderNumber),
      body: [
        'このたびはご迷惑をおかけし、誠に申し訳ございません。',
        `お手数をおかけいたしますが、下記の商品を${f.date(v.returnBy)}までにご返送いただけますでしょうか。送料をご負担いただく必要はございません。`,
        list(f.lines(v.lines)),
        v.labelUrl && link('返送用の配送ラベルをご用意いたしました。下記より印刷し、外箱に貼り付けてお送りください。', v.labelUrl),
        v.pickupWindow &&
          `${f.need(v.carrier, 'carrier')}が${f.window(v.pickupWindow)}に集荷にお伺いいたします。商品を梱包のうえ、ご用意くださいますようお願い申し上げます。`,
        v.remedy === 'refund'
          ? '商品の到着を確認いたしましたら、ご返金の手続きを進めてまいります。'
          : '商品の到着を確認いたしましたら、交換品をお送りいたします。',
      ],
    };
  },
  en: (v, f) => {
    if (!v.pickupWindow) f.need(v.labelUrl, 'labelUrl');
    return {
      subject: `Order ${v.orderNumber}: please return the item`,
      body: [
        `Please send these back by ${f.date(v.returnBy)}. Return shipping is on us.`,
        list(f.lines(v.lines)),
        v.labelUrl && link('Print this return label and stick it on the box:', v.labelUrl),
        v.pickupWindow &&
          `${f.need(v.carrier, 'carrier')} will pick it up on ${f.window(v.pickupWindow)}. Please have it packed and ready.`,
        v.remedy === 'refund'
          ? 'Once it\u2019s back with us, we\u2019ll refund you.'
          : 'Once it\u2019s back with us, we\u2019ll ship the replacement.',
      ],
    };
  },
});
