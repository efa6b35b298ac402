/** Playbook 4, address unknown / undeliverable: confirm, redirect, hold, return to sender. */
import { CUSTOMER_PARAMS, defineTemplate, facts, jaSubject, link, REFUND_TIMING } from './template';
import { jaOnly, optional, p } from './template-param';

export const addressConfirmRequest = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    confirmUrl: p.url,
    /** After this the hold expires and the carrier returns the parcel. */
    respondBy: p.date,
    /** The address on file, one line per address line. */
    addressOnFile: optional(p.text),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'お届け先ご住所のご確認のお願い', v.orderNumber),
    body: [
      'ご注文のお荷物につきまして、配送業者よりお届け先のご住所を確認できないとの連絡がございました。お手数をおかけし、誠に申し訳ございません。',
      v.addressOnFile && `ご登録いただいているご住所：\n${v.addressOnFile}`,
      '恐れ入りますが、下記のページよりご住所をご確認のうえ、必要に応じて修正していただけますでしょうか。',
      link('ご住所の確認・修正はこちら', v.confirmUrl),
      `${f.date(v.respondBy)}までにご確認いただけない場合、お荷物が当店へ返送される場合がございます。あらかじめご了承くださいますようお願い申し上げます。`,
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: please confirm your address`,
    body: [
      'The carrier couldn\u2019t deliver to the address we have.',
      v.addressOnFile && `Address on file:\n${v.addressOnFile}`,
      `Please confirm or correct it by ${f.date(v.respondBy)}, or the parcel may be returned to us.`,
      link('Confirm or correct my address', v.confirmUrl),
    ],
  }),
});

export const addressCorrectedRedirected = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    newAddress: p.text,
    carrier: p.text,
    trackingCode: p.text,
    estimatedDelivery: optional(p.date),
    trackingUrl: optional(p.url),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'お届け先変更完了のご案内', v.orderNumber),
    body: [
      'お届け先のご住所をご確認いただき、誠にありがとうございました。このたびはお手数をおかけし、誠に申し訳ございませんでした。',
      `配送業者（${v.carrier}）へお届け先の変更を依頼し、下記のご住所へお届けする手配が整いました。`,
      v.newAddress,
      facts(['追跡番号', v.trackingCode], v.estimatedDelivery && ['お届け予定日', f.date(v.estimatedDelivery)]),
      v.trackingUrl && link('配送状況は下記よりご確認いただけます。', v.trackingUrl),
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: delivery address updated`,
    body: [
      `Thanks for confirming your address. ${v.carrier} will now deliver to:`,
      v.newAddress,
      facts(['Tracking number', v.trackingCode], v.estimatedDelivery && ['Estimated delivery', f.date(v.estimatedDelivery)]),
      v.trackingUrl && link('Track your parcel', v.trackingUrl),
    ],
  }),
});

export const addressHoldAtLocation = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    trackingCode: p.text,
    locationName: p.text,
    locationAddress: p.text,
    holdUntil: p.date,
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'お荷物のお預かりのご案内', v.orderNumber),
    body: [
      `ご注文のお荷物は、現在、下記の${v.carrier}の窓口にてお預かりしております。ご自宅へお届けできず、ご不便をおかけして誠に申し訳ございません。`,
      facts(
        ['お預かり場所', v.locationName],
        ['所在地', v.locationAddress],
        ['お預かり期限', f.date(v.holdUntil)],
        ['追跡番号', v.trackingCode],
      ),
      'お受け取りの際は、写真付きの身分証明書と追跡番号をお持ちください。',
      `${f.date(v.holdUntil)}を過ぎますと、お荷物は当店へ返送されます。恐れ入りますが、お早めにお受け取りくださいますようお願い申し上げます。`,
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: your parcel is waiting for pickup`,
    body: [
      `${v.carrier} is holding your parcel for you:`,
      facts(['Where', v.locationName], ['Address', v.locationAddress], ['Until', f.date(v.holdUntil)], ['Tracking number', v.trackingCode]),
      `Bring photo ID and the tracking number. After ${f.date(v.holdUntil)} it goes back to us.`,
    ],
  }),
});

/** The day before a carrier hold runs out: a reminder, so the parcel is collected rather than sent back. */
export const addressHoldExpiring = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    trackingCode: p.text,
    locationName: optional(p.text),
    holdUntil: p.date,
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'お荷物のお預かり期限が近づいております', v.orderNumber),
    body: [
      `ご自宅へお届けできず、お受け取りのお手数をおかけしており誠に申し訳ございません。${v.carrier}にてお預かりしているお荷物のお預かり期限は、${f.date(v.holdUntil)}までとなっております。`,
      facts(['お預かり場所', v.locationName ?? `${v.carrier}の窓口`], ['お預かり期限', f.date(v.holdUntil)], ['追跡番号', v.trackingCode]),
      '期限を過ぎますと、お荷物は当店へ返送されます。お忙しいところ誠に恐れ入りますが、期限までにお受け取りくださいますようお願い申し上げます。',
      '期限までのお受け取りが難しい場合は、再配達やお届け先の変更について当店にてご相談を承ります。',
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: pick up your parcel by ${f.date(v.holdUntil)}`,
    body: [
      `${v.carrier} is holding your parcel until ${f.date(v.holdUntil)}. After that it comes back to us.`,
      facts(['Where', v.locationName ?? `${v.carrier} location`], ['Tracking number', v.trackingCode]),
      'Cannot make it? Reply to this e-mail and we will sort out another way.',
    ],
  }),
});

export const addressReturnToSender = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    trackingCode: p.text,
    /** Lets the customer pick refund or reship before the parcel is back. */
    choiceUrl: optional(p.url),
    cause: jaOnly(p.cause),
  },
  ja: (v) => ({
    subject: jaSubject(v.merchant.nameJa, 'お荷物の返送に関するご案内', v.orderNumber),
    body: [
      `誠に恐れ入りますが、ご注文のお荷物はお届けすることができず、配送業者（${v.carrier}）より当店へ返送されることとなりました。ご迷惑をおかけし、誠に申し訳ございません。`,
      'お荷物が当店に到着いたしましたら、ご返金または再発送のお手続きをいたします。',
      v.choiceUrl && link('ご希望のお手続き（ご返金・再発送）を、下記のページよりお選びいただけますでしょうか。', v.choiceUrl),
      facts(['追跡番号', v.trackingCode]),
    ],
  }),
  en: (v) => ({
    subject: `Order ${v.orderNumber}: parcel returning to us`,
    body: [
      `${v.carrier} couldn\u2019t deliver your parcel and is returning it to us. Once it\u2019s back, we\u2019ll refund you or ship it again.`,
      v.choiceUrl && link('Tell us which you\u2019d prefer:', v.choiceUrl),
      facts(['Tracking number', v.trackingCode]),
    ],
  }),
});

export const addressRtsRefund = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    refundAmount: p.money,
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'ご返金手続き完了のお知らせ', v.orderNumber),
    body: [
      `返送されたお荷物が当店に到着いたしましたので、${f.money(v.refundAmount)}のご返金手続きを完了いたしました。`,
      REFUND_TIMING.ja,
      'このたびはご迷惑をおかけし、誠に申し訳ございませんでした。',
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: refund of ${f.money(v.refundAmount)} issued`,
    body: [`Your returned parcel has reached us, and we\u2019ve refunded ${f.money(v.refundAmount)} to your original payment method. ${REFUND_TIMING.en}`],
  }),
});

export const addressRtsReship = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    shippingAddress: p.text,
    shipBy: p.date,
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, '商品の再発送のご案内', v.orderNumber),
    body: [
      '返送されたお荷物が当店に到着いたしましたので、ご確認いただいた下記のご住所へ改めてお送りいたします。',
      v.shippingAddress,
      `${f.date(v.shipBy)}までに発送し、発送後に追跡番号をお知らせいたします。`,
      'このたびはご迷惑をおかけし、誠に申し訳ございませんでした。',
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: shipping again`,
    body: [
      `Your returned parcel has reached us. We\u2019ll ship it again by ${f.date(v.shipBy)} to:`,
      v.shippingAddress,
      'We\u2019ll email you the tracking number.',
    ],
  }),
});
