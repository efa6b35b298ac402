/** Playbook 1, tracking / WISMO: on time, late (FTC delay option notice), stalled, lost. */
import { CAUSES } from './cause.catalogue';
import { CUSTOMER_PARAMS, defineTemplate, facts, jaSubject, link, list } from './template';
import { choice, jaOnly, optional, p } from './template-param';

export const trackingOnTime = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    trackingCode: p.text,
    lastScanAt: p.instant,
    lastLocation: optional(p.text),
    estimatedDelivery: p.date,
    trackingUrl: optional(p.url),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, '配送状況のご案内', v.orderNumber),
    body: [
      'お荷物の配送状況についてお問い合わせいただき、誠にありがとうございます。\nお荷物は現在、予定どおり輸送中でございます。',
      facts(
        ['ご注文番号', v.orderNumber],
        ['配送業者', v.carrier],
        ['追跡番号', v.trackingCode],
        v.lastLocation && ['最新の状況', `${v.lastLocation}にて輸送中`],
        ['最終確認日時', f.dateTime(v.lastScanAt)],
        ['お届け予定日', f.date(v.estimatedDelivery)],
      ),
      'お届けまで、今しばらくお待ちくださいますようお願い申し上げます。',
      v.trackingUrl && link('配送状況は下記よりいつでもご確認いただけます。', v.trackingUrl),
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: on its way, arriving ${f.date(v.estimatedDelivery)}`,
    body: [
      'Your parcel is on schedule.',
      facts(
        ['Carrier', v.carrier],
        ['Tracking number', v.trackingCode],
        ['Latest scan', v.lastLocation ? `${v.lastLocation}, ${f.dateTime(v.lastScanAt)}` : f.dateTime(v.lastScanAt)],
        ['Estimated delivery', f.date(v.estimatedDelivery)],
      ),
      v.trackingUrl && link('Track your parcel', v.trackingUrl),
    ],
  }),
});

/**
 * FTC Mail Order Rule delay option notice (16 CFR 435.2(b)): the revised ship date or that there
 * is none, and the buyer's choice between consenting to the delay and cancelling for a prompt
 * full refund. With a definite date within 30 days silence is consent; otherwise the order
 * cancels itself on `autoCancelOn` unless the buyer agrees. The reason is stated in English
 * too, because the notice must give it when no revised date can be promised.
 */
export const trackingLateDelayNotice = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    originalShipDate: p.date,
    revisedShipDate: optional(p.date),
    consent: choice('silence_is_consent', 'express_consent_required'),
    autoCancelOn: optional(p.date),
    cancelUrl: p.url,
    consentUrl: optional(p.url),
    refundAmount: optional(p.money),
    cause: p.cause,
  },
  ja: (v, f) => {
    const silence = v.consent === 'silence_is_consent';
    const revised = silence ? f.need(v.revisedShipDate, 'revisedShipDate') : v.revisedShipDate;
    const autoCancelOn = silence ? null : f.need(v.autoCancelOn, 'autoCancelOn');
    return {
      subject: jaSubject(v.merchant.nameJa, '発送遅延のお詫びとご意向確認のお願い', v.orderNumber),
      body: [
        `誠に申し訳ございませんが、ご注文の商品を、お約束しておりました${f.date(v.originalShipDate)}までに発送することができない見込みとなりました。お待ちいただいているところ、大変ご迷惑をおかけし、深くお詫び申し上げます。`,
        revised
          ? `新たな発送予定日は${f.date(revised)}でございます。`
          : '誠に恐れ入りますが、現時点では新たな発送予定日をお示しすることができません。',
        'つきましては、次のいずれかをお選びいただけますでしょうか。',
        list([
          '発送の遅延にご同意いただき、商品の発送をお待ちいただく',
          v.refundAmount
            ? `ご注文をキャンセルし、お支払いいただいた代金（${f.money(v.refundAmount)}）の全額返金をお受けいただく`
            : 'ご注文をキャンセルし、お支払いいただいた代金の全額返金をお受けいただく',
        ]),
        silence
          ? `${f.date(revised!)}まで発送をお待ちいただける場合は、ご返信は不要でございます。ご連絡がない場合は、遅延にご同意いただいたものとして発送の準備を進めてまいります。`
          : `発送をお待ちいただける場合は、恐れ入りますが${f.date(autoCancelOn!)}までにその旨をお知らせください。それまでにご同意をいただけない場合、ご注文は自動的にキャンセルとなり、代金を全額ご返金いたします。`,
        v.consentUrl && link('発送をお待ちいただける場合は、こちらからお知らせください。', v.consentUrl),
        'キャンセルをご希望の場合は、下記のページから、または本メールへのご返信にてお申し付けください。代金は速やかに全額ご返金いたします。なお、遅延にご同意いただいた後でも、商品の発送前であればいつでもキャンセルを承ります。',
        link('ご注文のキャンセルはこちら', v.cancelUrl),
      ],
    };
  },
  en: (v, f) => {
    const silence = v.consent === 'silence_is_consent';
    const revised = silence ? f.need(v.revisedShipDate, 'revisedShipDate') : v.revisedShipDate;
    const autoCancelOn = silence ? null : f.need(v.autoCancelOn, 'autoCancelOn');
    return {
      subject: `Order ${v.orderNumber} is delayed: wait or cancel for a full refund`,
      body: [
        `Sorry: we can\u2019t ship your order by ${f.date(v.originalShipDate)} as promised, due to ${CAUSES[v.cause.code].en}.`,
        revised ? `New ship date: ${f.date(revised)}.` : 'We can\u2019t give a new ship date yet.',
        'You can:',
        list([
          'wait for the order, or',
          v.refundAmount
            ? `cancel it and get a prompt full refund of ${f.money(v.refundAmount)}.`
            : 'cancel it and get a prompt full refund.',
        ]),
        silence
          ? 'If you\u2019re happy to wait, you don\u2019t need to do anything.'
          : `If you want to wait, tell us by ${f.date(autoCancelOn!)}. Otherwise we\u2019ll cancel the order and refund you in full.`,
        v.consentUrl && link('I\u2019ll wait', v.consentUrl),
        'To cancel, use the link below or reply to this email. You can cancel any time before the order ships.',
        link('Cancel my order', v.cancelUrl),
      ],
    };
  },
});

export const trackingStalledTraceOpened = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    trackingCode: p.text,
    lastScanAt: p.instant,
    lastLocation: optional(p.text),
    nextUpdateBy: p.date,
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'お荷物の配送状況に関するご報告', v.orderNumber),
    body: [
      `ご注文のお荷物につきまして、${f.dateTime(v.lastScanAt)}以降、配送業者の追跡情報が更新されていないことを確認いたしました。ご心配をおかけしており、誠に申し訳ございません。`,
      `現在、配送業者（${v.carrier}）にお荷物の所在の調査を依頼しております。調査の結果につきましては、${f.date(v.nextUpdateBy)}までに改めてご連絡申し上げます。`,
      facts(['配送業者', v.carrier], ['追跡番号', v.trackingCode], v.lastLocation && ['最後に確認された場所', v.lastLocation]),
      'なお、調査の間にお荷物がお手元に届きました場合は、お手数ですが本メールにてお知らせいただけますと幸いです。',
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: we\u2019re tracing your parcel`,
    body: [
      `Your parcel hasn\u2019t had a tracking update since ${f.dateTime(v.lastScanAt)}. We\u2019ve asked ${v.carrier} to trace it and will update you by ${f.date(v.nextUpdateBy)}.`,
      facts(['Carrier', v.carrier], ['Tracking number', v.trackingCode], v.lastLocation && ['Last seen', v.lastLocation]),
      'If it arrives in the meantime, please let us know.',
    ],
  }),
});

export const trackingDeclaredLost = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    trackingCode: p.text,
    remedy: choice('reship', 'refund'),
    reshipBy: optional(p.date),
    refundAmount: optional(p.money),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'お荷物の紛失に関するお詫びとご案内', v.orderNumber),
    body: [
      `ご注文のお荷物につきまして、配送業者（${v.carrier}）による調査の結果、誠に残念ながら輸送中に紛失したものと判断されました。お届けを楽しみにお待ちいただいていたにもかかわらず、このような事態となりましたことを心より深くお詫び申し上げます。`,
      v.remedy === 'reship'
        ? `つきましては、同じ商品を改めてお送りいたします。${f.date(f.need(v.reshipBy, 'reshipBy'))}までに発送し、発送後に新しい追跡番号をお知らせいたします。`
        : `つきましては、${f.money(f.need(v.refundAmount, 'refundAmount'))}をご返金いたします。ご返金はご購入時のお支払い方法へ行われます。ご利用の金融機関により、明細への反映までに数日かかる場合がございます。`,
      facts(['配送業者', v.carrier], ['追跡番号', v.trackingCode]),
    ],
  }),
  en: (v, f) => ({
    subject:
      v.remedy === 'reship'
        ? `Order ${v.orderNumber}: parcel lost, replacement on the way`
        : `Order ${v.orderNumber}: parcel lost, refund issued`,
    body: [
      `${v.carrier} couldn\u2019t find your parcel, so it is now treated as lost. We\u2019re sorry.`,
      v.remedy === 'reship'
        ? `We\u2019ll ship a replacement by ${f.date(f.need(v.reshipBy, 'reshipBy'))} and email you the new tracking number.`
        : `We\u2019re refunding ${f.money(f.need(v.refundAmount, 'refundAmount'))} to your original payment method. Your bank may take a few days to show it.`,
      facts(['Carrier', v.carrier], ['Tracking number', v.trackingCode]),
    ],
  }),
});

/**
 * The trace found nothing and the parcel now counts as lost, before a remedy is chosen: the customer
 * hears that a replacement or a refund is theirs to choose (`tracking.declared_lost` confirms the one done).
 */
export const trackingDeclaredLostOptions = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    trackingCode: p.text,
    refundAmount: p.money,
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'お荷物の紛失に関するお詫びとご案内', v.orderNumber),
    body: [
      `ご注文のお荷物につきまして、配送業者（${v.carrier}）による調査の結果、誠に残念ながら輸送中に紛失したものと判断いたしました。お届けを楽しみにお待ちいただいていたにもかかわらず、このような事態となりましたことを心より深くお詫び申し上げます。`,
      `つきましては、同じ商品の再送、または${f.money(v.refundAmount)}のご返金のいずれかをお選びいただけます。ご希望の方法を本メールへのご返信にてお知らせくださいますようお願い申し上げます。`,
      facts(['配送業者', v.carrier], ['追跡番号', v.trackingCode]),
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: parcel lost, choose a replacement or a refund`,
    body: [
      `${v.carrier} couldn\u2019t find your parcel, so it is now treated as lost. We\u2019re sorry.`,
      `We can send a replacement or refund ${f.money(v.refundAmount)}. Reply to this email to tell us which you prefer.`,
      facts(['Carrier', v.carrier], ['Tracking number', v.trackingCode]),
    ],
  }),
});
