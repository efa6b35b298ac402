/** Playbook 2, delivered but not received: wait advice, follow-up, claim + reship/refund, review. */
import { CUSTOMER_PARAMS, defineTemplate, facts, jaSubject, link, list, REFUND_TIMING } from './template';
import { jaOnly, optional, p } from './template-param';

export const dnrReceivedAckWaitAdvice = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    trackingCode: p.text,
    deliveredAt: p.instant,
    /** Hours counted from the delivered scan before the desk treats the parcel as missing. */
    waitHours: p.count,
    deliveryLocation: optional(p.text),
    signedBy: optional(p.text),
    photoUrl: optional(p.url),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'お荷物が届いていない件について', v.orderNumber),
    body: [
      'お荷物がお手元に届いていないとのご連絡をいただき、誠にありがとうございます。ご心配とご不便をおかけしており、誠に申し訳ございません。',
      `配送業者（${v.carrier}）の記録では、${f.dateTime(v.deliveredAt)}に配達完了となっております。`,
      facts(
        ['追跡番号', v.trackingCode],
        v.deliveryLocation && ['配達場所（配送業者の記録）', v.deliveryLocation],
        v.signedBy && ['受領者のお名前（配送業者の記録）', v.signedBy],
      ),
      v.photoUrl && link('配達完了時に撮影された写真は、下記よりご覧いただけます。', v.photoUrl),
      '配達完了の記録があっても、近くの場所に置かれていたり、実際のお届けが少し遅れていたりする場合がございます。お手数をおかけいたしますが、次の点をご確認いただけますでしょうか。',
      list([
        '玄関の周辺、宅配ボックス、物置、ガレージなど、お荷物が置かれそうな場所',
        'ご近所の方がお預かりになっていないか',
        '集合住宅の場合は、管理人室・メールルーム・宅配ロッカー',
        'ご家族やご同居の方がお受け取りになっていないか',
      ]),
      `配達完了から${v.waitHours}時間後の${f.dateTime(f.plusHours(v.deliveredAt, v.waitHours))}を過ぎてもお荷物が見つからない場合は、恐れ入りますが本メールにご返信ください。配送業者への調査依頼を含め、速やかに次のご案内をいたします。`,
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: marked delivered but not received`,
    body: [
      `Sorry your parcel hasn\u2019t turned up. ${v.carrier} marked it delivered on ${f.dateTime(v.deliveredAt)}.`,
      facts(['Tracking number', v.trackingCode], v.deliveryLocation && ['Left at', v.deliveryLocation], v.signedBy && ['Signed for by', v.signedBy]),
      v.photoUrl && link('Delivery photo', v.photoUrl),
      'Parcels marked delivered often turn up within a day. Please check:',
      list([
        'around your door, porch, garage or parcel box',
        'with your neighbors',
        'your building\u2019s mailroom, front desk or parcel lockers',
        'with others in your household',
      ]),
      `If it hasn\u2019t turned up by ${f.dateTime(f.plusHours(v.deliveredAt, v.waitHours))} (${v.waitHours} hours after the delivery scan), reply to this email and we\u2019ll take it from there.`,
    ],
  }),
});

export const dnrFollowup = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    deliveredAt: p.date,
    foundUrl: optional(p.url),
    notFoundUrl: optional(p.url),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'お荷物のお届け状況のご確認', v.orderNumber),
    body: [
      '先日は、お荷物が届いていないとのご連絡をいただき、誠にありがとうございました。ご不便をおかけしており、誠に申し訳ございません。',
      `${f.date(v.deliveredAt)}に配達完了となっているお荷物は、その後お手元に届きましたでしょうか。`,
      '恐れ入りますが、お荷物の状況を下記のリンク、または本メールへのご返信にてお知らせいただけますと幸いです。まだ見つからない場合は、配送業者への調査を含め、次の対応に進ませていただきます。',
      v.foundUrl && link('お荷物が見つかりました', v.foundUrl),
      v.notFoundUrl && link('まだ見つかりません', v.notFoundUrl),
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: has your parcel turned up?`,
    body: [
      `Has your parcel (marked delivered on ${f.date(v.deliveredAt)}) turned up? Let us know with a link below or reply to this email. If it\u2019s still missing, we\u2019ll take the next step.`,
      v.foundUrl && link('Found it', v.foundUrl),
      v.notFoundUrl && link('Still missing', v.notFoundUrl),
    ],
  }),
});

export const dnrClaimFiledReship = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    claimReference: optional(p.text),
    reshipBy: p.date,
    lines: optional(p.lines),
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, '商品の再発送のご案内', v.orderNumber),
    body: [
      'お荷物が見つからないとのこと、ご不便をおかけしており誠に申し訳ございません。',
      `本件につきまして、配送業者（${v.carrier}）へ調査および補償の申し立てを行いました。お客様をこれ以上お待たせすることのないよう、申し立ての結果を待たずに商品を再発送いたします。${f.date(v.reshipBy)}までに発送し、発送後に追跡番号をお知らせいたします。`,
      v.lines && '再発送する商品：',
      v.lines && list(f.lines(v.lines)),
      v.claimReference && facts(['申し立ての受付番号', v.claimReference]),
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: we\u2019re sending a replacement`,
    body: [
      `We\u2019ve filed a claim with ${v.carrier}. You don\u2019t have to wait for it: we\u2019ll ship a replacement by ${f.date(v.reshipBy)} and email you the tracking number.`,
      v.lines && list(f.lines(v.lines)),
      v.claimReference && facts(['Claim reference', v.claimReference]),
    ],
  }),
});

export const dnrClaimFiledRefund = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    carrier: p.text,
    claimReference: optional(p.text),
    refundAmount: p.money,
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'ご返金のご案内', v.orderNumber),
    body: [
      'お荷物が見つからないとのこと、ご不便をおかけしており誠に申し訳ございません。',
      `本件につきまして、配送業者（${v.carrier}）へ調査および補償の申し立てを行いました。お客様をこれ以上お待たせすることのないよう、申し立ての結果を待たずに${f.money(v.refundAmount)}をご返金いたします。`,
      REFUND_TIMING.ja,
      v.claimReference && facts(['申し立ての受付番号', v.claimReference]),
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: refund of ${f.money(v.refundAmount)}`,
    body: [
      `We\u2019ve filed a claim with ${v.carrier}. You don\u2019t have to wait for it: we\u2019re refunding ${f.money(v.refundAmount)} to your original payment method. ${REFUND_TIMING.en}`,
      v.claimReference && facts(['Claim reference', v.claimReference]),
    ],
  }),
});

/** Sent while a supervisor reviews the claim (repeat claims, high value); says nothing of why. */
export const dnrUnderReview = defineTemplate({
  audience: 'customer',
  params: {
    ...CUSTOMER_PARAMS,
    reviewBy: p.date,
    cause: jaOnly(p.cause),
  },
  ja: (v, f) => ({
    subject: jaSubject(v.merchant.nameJa, 'お問い合わせの確認状況のご報告', v.orderNumber),
    body: [
      'お荷物が届いていないとのお問い合わせにつきまして、現在、担当部署にて詳細を確認しております。確認に少々お時間をいただいており、お待たせしてしまい誠に申し訳ございません。',
      `${f.date(v.reviewBy)}までに、確認の結果と今後の対応についてご連絡申し上げます。`,
    ],
  }),
  en: (v, f) => ({
    subject: `Order ${v.orderNumber}: we\u2019re reviewing your report`,
    body: [`We\u2019re reviewing your report that your parcel didn\u2019t arrive. We\u2019ll get back to you by ${f.date(v.reviewBy)}.`],
  }),
});
