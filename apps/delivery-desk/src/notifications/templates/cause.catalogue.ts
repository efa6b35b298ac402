/**
 * Why a delivery problem happened, as a fixed list. Japanese customers expect a message about a
 * problem to say what caused it (原因) and what is being done so it does not happen again
 * (再発防止策); each cause carries default wording for both, which the agent may replace with
 * free text when the case is more specific. English messages stay short and use only `en`.
 */
export const CAUSE_CODES = [
  'carrier_delay',
  'carrier_misdelivery',
  'carrier_damage',
  'carrier_loss',
  'address_incomplete',
  'packing_damage',
  'picking_error',
  'split_shipment',
  'stock_shortage',
  'weather',
  'customer_unavailable',
  'unknown',
] as const;

export type CauseCode = (typeof CAUSE_CODES)[number];

export interface CauseWording {
  /** 原因: one or two sentences, polite form. */
  causeJa: string;
  /** 再発防止策. */
  preventionJa: string;
  /** A noun phrase for English, e.g. in "The delay is due to {en}." */
  en: string;
}

// Wording avoids blaming the customer even where the cause is on their side (address,
// absence): the message states the fact and what the shop will do about it.
export const CAUSES: Readonly<Record<CauseCode, CauseWording>> = {
  carrier_delay: {
    causeJa: '配送業者の輸送拠点において荷物が滞留し、輸送に遅れが生じたことによるものでございます。',
    preventionJa:
      '配送業者へ状況の改善を申し入れるとともに、遅延の兆候を早期に把握し、速やかにお客様へご連絡できる体制を整えてまいります。',
    en: 'a delay in the carrier\u2019s network',
  },
  carrier_misdelivery: {
    causeJa: '配送業者が、ご指定のお届け先とは異なる場所へお荷物を配達した可能性がございます。',
    preventionJa:
      '本件を配送業者へ報告し、配達時の確認手順の徹底を申し入れました。あわせて、配達完了時の記録（受領者・写真）の確認を強化してまいります。',
    en: 'the carrier delivering to the wrong place',
  },
  carrier_damage: {
    causeJa: '輸送中のお取り扱いにより、お荷物に強い衝撃が加わったものと考えられます。',
    preventionJa: '配送業者へ取り扱いの改善を申し入れるとともに、破損しやすい商品の梱包を見直してまいります。',
    en: 'damage in transit',
  },
  carrier_loss: {
    causeJa: '配送業者の輸送過程において、お荷物の所在が確認できなくなったことによるものでございます。',
    preventionJa: '配送業者へ調査と再発防止を申し入れるとともに、追跡情報の監視を強化し、異常を早期に把握できるよう努めてまいります。',
    en: 'the carrier losing the parcel',
  },
  address_incomplete: {
    causeJa:
      'お届け先のご住所の情報（部屋番号など）が配送業者の登録情報と一致せず、配達先を特定できなかったことによるものでございます。',
    preventionJa: 'ご注文時の住所確認の仕組みを改善し、確認が必要なご住所は出荷前にお客様へお問い合わせするようにいたします。',
    en: 'an address the carrier could not match',
  },
  packing_damage: {
    causeJa: '輸送中の衝撃に対して当店の梱包が十分ではなく、商品が破損したものと考えられます。',
    preventionJa: '緩衝材の追加や梱包資材の変更など梱包方法を見直し、同様の破損が起きないよう改善いたします。',
    en: 'insufficient packing',
  },
  picking_error: {
    causeJa: '当店の出荷作業において、商品の取り違え・入れ漏れが発生したことによるものでございます。',
    preventionJa: '出荷前の検品においてバーコードによる照合を徹底し、複数人による確認体制を強化いたします。',
    en: 'a packing error in our warehouse',
  },
  split_shipment: {
    causeJa: '在庫の保管場所の都合により、ご注文の商品を複数のお荷物に分けて発送したためでございます。',
    preventionJa: '分割してお届けする場合は、発送時にその旨と各お荷物の内容を明確にお知らせするよう改善いたします。',
    en: 'the order shipping in more than one parcel',
  },
  stock_shortage: {
    causeJa: '想定を上回るご注文をいただき、商品の在庫が不足したことによるものでございます。',
    preventionJa: '在庫管理の精度を高め、在庫の状況を販売ページへ速やかに反映できるよう改善いたします。',
    en: 'the item being out of stock',
  },
  weather: {
    causeJa: '悪天候の影響により、配送業者の輸送に遅れが生じたことによるものでございます。',
    preventionJa: '気象情報を踏まえて出荷の計画を立て、影響が見込まれる場合には事前にお知らせするよう努めてまいります。',
    en: 'severe weather',
  },
  customer_unavailable: {
    causeJa: '配達の際にお受け取りいただくことができず、お荷物をお渡しできなかったことによるものでございます。',
    preventionJa: '今後は配達予定日を事前にお知らせし、お受け取り方法をお選びいただけるよう努めてまいります。',
    en: 'no one being available to receive the parcel',
  },
  unknown: {
    causeJa: '現在、配送業者とともに原因を調査しております。判明いたしましたら、改めてご報告申し上げます。',
    preventionJa: '原因を特定したうえで再発防止策を講じ、その内容をあわせてご報告申し上げます。',
    en: 'a cause we are still looking into',
  },
};

export function isCauseCode(value: unknown): value is CauseCode {
  return typeof value === 'string' && (CAUSE_CODES as readonly string[]).includes(value);
}
