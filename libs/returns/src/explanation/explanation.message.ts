/**
 * Sentences the explanation is made of, one per finding, in English and in polite business
 * Japanese (keigo). Placeholders are filled by the renderer: `*Minor` values become money,
 * dates and instants are written in the ship-to zone, and enum values get their labels.
 */

export type MessageVars = Record<string, string | number>;

/** Helpers a template uses to write values. */
export interface Fmt {
  money(minor: number | string): string;
  date(value: number | string): string;
  label(value: number | string): string;
}

type Template = (v: MessageVars, f: Fmt) => string;

export const MESSAGES = {
  // FTC Mail Order Rule
  'ftc.exempt': {
    en: (v, f) => `The FTC Mail Order Rule does not cover this order (${f.label(v.reason!)}), so only the merchant policy applies.`,
    ja: (v, f) => `本ご注文はFTC通信販売規則の対象外（${f.label(v.reason!)}）のため、ストアの規定のみを適用いたします。`,
  },
  'ftc.shipDate': {
    en: (v, f) => `Under the FTC Mail Order Rule the order must ship by ${f.date(v.date!)} (${f.label(v.basis!)}).`,
    ja: (v, f) => `FTC通信販売規則により、${f.date(v.date!)}までに発送する必要がございます（${f.label(v.basis!)}）。`,
  },
  'ftc.onTime': {
    en: (v, f) => `The order is within its shipping time; nothing is owed before ${f.date(v.date!)}.`,
    ja: (v, f) => `ご注文は発送期限内でございます。${f.date(v.date!)}までは追加のご対応は不要です。`,
  },
  'ftc.noticeDue': {
    en: (v, f) => `The order will ship late: a delay option notice offering cancellation must reach the buyer by ${f.date(v.dueBy!)}.`,
    ja: (v, f) => `発送が遅れる見込みのため、${f.date(v.dueBy!)}までにキャンセルの選択肢を含む遅延通知をお送りする必要がございます。`,
  },
  'ftc.renewedNoticeDue': {
    en: (v, f) => `The revised date will be missed: a renewed notice is due by ${f.date(v.dueBy!)}, and the buyer must expressly consent or the order is cancelled.`,
    ja: (v, f) => `改定発送日に間に合わないため、${f.date(v.dueBy!)}までに再通知が必要です。お客様の明示的なご同意がない場合、ご注文は取り消しとなります。`,
  },
  'ftc.noticeLate': {
    en: (v, f) => `The delay notice of ${f.date(v.date!)} came after the ship date and does not count.`,
    ja: (v, f) => `${f.date(v.date!)}の遅延通知は発送期限後に送付されたため、有効な通知とはみなされません。`,
  },
  'ftc.noticeStatusPage': {
    en: (v, f) => `The notice of ${f.date(v.date!)} was only posted on the order-status page, which is not enough.`,
    ja: (v, f) => `${f.date(v.date!)}の通知は注文状況ページへの掲載のみであり、有効な通知とはみなされません。`,
  },
  'ftc.deemedConsent': {
    en: (v, f) => `The buyer was notified of a delay to ${f.date(v.revised!)} (within 30 days); silence counts as consent, and the buyer may still cancel.`,
    ja: (v, f) => `${f.date(v.revised!)}への遅延（30日以内）をご通知済みのため、ご返答がない場合はご同意とみなされます。お客様はキャンセルも可能です。`,
  },
  'ftc.expressConsent': {
    en: (v, f) => `The buyer expressly agreed to the delay${v.revised ? ` until ${f.date(v.revised)}` : ''}.`,
    ja: (v, f) => `お客様より${v.revised ? `${f.date(v.revised)}までの` : ''}遅延について明示的なご同意をいただいております。`,
  },
  'ftc.consentNeeded': {
    en: (v, f) => `The delay needs the buyer's express consent; without it the order cancels itself on ${f.date(v.autoCancelOn!)}.`,
    ja: (v, f) => `今回の遅延にはお客様の明示的なご同意が必要です。ご同意がない場合、${f.date(v.autoCancelOn!)}にご注文は自動的に取り消されます。`,
  },
  'ftc.vested': {
    en: (v, f) => `The buyer's right to a refund vested on ${f.date(v.vest!)} (${f.label(v.cause!)}): the order must be cancelled and refunded without being asked.`,
    ja: (v, f) => `${f.date(v.vest!)}にお客様の返金を受ける権利が確定いたしました（${f.label(v.cause!)}）。ご請求を待たずにご注文を取り消し、返金する必要がございます。`,
  },
  'ftc.refundDue': {
    en: (v, f) => `Refund ${f.money(v.amountMinor!)} by ${f.date(v.dueBy!)}; store credit only if the buyer chooses it.`,
    ja: (v, f) => `${f.date(v.dueBy!)}までに${f.money(v.amountMinor!)}をご返金いたします。ストアクレジットはお客様がご希望の場合のみとなります。`,
  },
  'ftc.noSubstitute': {
    en: () => 'No substitute item may be sent without the buyer\u2019s consent.',
    ja: () => 'お客様のご同意なく代替品をお送りすることはできません。',
  },
  'cancel.policy': {
    en: (v, f) => `The unshipped items are cancelled under the store policy; refund by ${f.date(v.dueBy!)}.`,
    ja: (v, f) => `未発送の商品はストアの規定に基づきキャンセルいたします。${f.date(v.dueBy!)}までにご返金いたします。`,
  },
  'cancel.notAllowed': {
    en: (v, f) => `The store does not accept cancellations before shipment; the order ships by ${f.date(v.date!)}.`,
    ja: (v, f) => `恐れ入りますが、発送前のキャンセルは承っておりません。ご注文は${f.date(v.date!)}までに発送いたします。`,
  },
  'cancel.shipped': {
    en: () => 'Part of the order has already been handed to the carrier and can no longer be cancelled as such.',
    ja: () => 'ご注文の一部はすでに配送業者へお引き渡し済みのため、通常のキャンセルはできかねます。',
  },
  'cancel.intercept': {
    en: (v, f) => `The parcel can be stopped and returned by the carrier (fee ${f.money(v.feeMinor!)}, paid by the ${f.label(v.payer!)}).`,
    ja: (v, f) => `配送業者にて荷物を止めて返送することが可能です（手数料${f.money(v.feeMinor!)}、${f.label(v.payer!)}のご負担）。`,
  },
  // Transit
  'transit.onTime': {
    en: (v, f) => `The parcel is on its way and on time; the carrier expects delivery by ${f.date(v.expected!)}.`,
    ja: (v, f) => `お荷物は予定どおり輸送中で、${f.date(v.expected!)}までにお届けの見込みでございます。`,
  },
  'transit.noEstimate': {
    en: (v, f) => `The parcel is on its way; with no carrier estimate, it would count as lost on ${f.date(v.lostOn!)} without a new scan.`,
    ja: (v, f) => `お荷物は輸送中でございます。配達予定日の情報がないため、新たな追跡情報がない場合は${f.date(v.lostOn!)}に紛失と判断いたします。`,
  },
  'transit.late': {
    en: (v, f) => `The parcel is past its expected date (${f.date(v.expected!)}); we ask the carrier to trace it, and without a new scan it counts as lost on ${f.date(v.lostOn!)}.`,
    ja: (v, f) => `お荷物は配達予定日（${f.date(v.expected!)}）を過ぎております。配送業者へ調査を依頼し、新たな追跡情報がない場合は${f.date(v.lostOn!)}に紛失と判断いたします。`,
  },
  'transit.lost': {
    en: (v, f) => `No carrier scan since ${f.date(v.lastScan!)} (${v.days} days, limit ${v.threshold}): the parcel counts as lost.`,
    ja: (v, f) => `${f.date(v.lastScan!)}以降、追跡情報の更新がございません（${v.days}日、基準${v.threshold}日）。紛失として対応いたします。`,
  },
  'transit.foundLater': {
    en: () => 'If the parcel turns up after we compensate, the case is reopened.',
    ja: () => 'ご対応後にお荷物が見つかった場合は、改めてご連絡いたします。',
  },
  'transit.addressProblem': {
    en: () => 'The carrier reports an address problem; the address must be confirmed before delivery can continue.',
    ja: () => '配送業者より住所不備の連絡がございました。配達を続けるため、ご住所の確認が必要です。',
  },
  'trace.unsearchable': {
    en: () => 'USPS does not search for perishables or hazardous items; no trace is possible.',
    ja: () => 'USPSでは生鮮品・危険物の調査を行っていないため、追跡調査はできかねます。',
  },
  // Carrier claims
  'claim.open': {
    en: (v, f) => `A carrier claim can be filed now; file by ${f.date(v.fileBy!)} (last day ${f.date(v.lastDay!)}).`,
    ja: (v, f) => `配送業者への補償請求が可能です。${f.date(v.fileBy!)}までに申請いたします（最終期限${f.date(v.lastDay!)}）。`,
  },
  'claim.openFileEarly': {
    en: (v, f) => `A FedEx damage claim can be filed now; file at once (last day ${f.date(v.lastDay!)}, older terms allowed only 21 days).`,
    ja: (v, f) => `FedExへの破損補償請求が可能です。速やかに申請いたします（最終期限${f.date(v.lastDay!)}。旧規約では21日以内）。`,
  },
  'claim.opensLater': {
    en: (v, f) => `The carrier claim cannot be filed before ${f.date(v.opensOn!)}; it is scheduled, to be filed by ${f.date(v.fileBy!)}.`,
    ja: (v, f) => `配送業者への補償請求は${f.date(v.opensOn!)}以降に申請可能となります。${f.date(v.fileBy!)}までに申請いたします。`,
  },
  'claim.closed': {
    en: (v, f) => `The carrier claim window closed on ${f.date(v.lastDay!)}.`,
    ja: (v, f) => `配送業者への補償請求期限（${f.date(v.lastDay!)}）を過ぎております。`,
  },
  'claim.afterTrace': {
    en: (v, f) => `DHL processes a loss claim only after a completed trace; file by ${f.date(v.fileBy!)}.`,
    ja: (v, f) => `DHLでは調査完了後に紛失補償請求を受け付けます。${f.date(v.fileBy!)}までに申請いたします。`,
  },
  'claim.alreadyFiled': {
    en: (v, f) => `A carrier claim is already ${f.label(v.status!)}; it is not filed again.`,
    ja: (v, f) => `配送業者への補償請求はすでに${f.label(v.status!)}のため、重複して申請いたしません。`,
  },
  'claim.notInsured': {
    en: () => 'The shipment carries no carrier coverage, so no carrier claim is possible.',
    ja: () => '本配送には補償が付帯していないため、配送業者への補償請求はできかねます。',
  },
  'claim.postDelivery': {
    en: () => 'USPS insurance does not cover loss after a valid delivery scan, so no USPS claim is filed.',
    ja: () => 'USPSの保険は配達完了後の紛失を補償対象としていないため、USPSへの請求は行いません。',
  },
  // Not received
  'dnr.wait': {
    en: (v, f) => `Marked delivered on ${f.date(v.deliveredOn!)}; parcels often turn up, so we wait ${v.hours} hours (until ${f.date(v.until!)}) — please check around the property, mailbox and with neighbours.`,
    ja: (v, f) => `${f.date(v.deliveredOn!)}に配達済みとなっております。後から見つかることも多いため、${v.hours}時間（${f.date(v.until!)}まで）お待ちいただけますでしょうか。お手数ですが、玄関周り・郵便受け・ご近所もご確認ください。`,
  },
  'dnr.remedy': {
    en: (v, f) => `The parcel marked delivered on ${f.date(v.deliveredOn!)} has not been found after the waiting period; the customer may choose a remedy.`,
    ja: (v, f) => `${f.date(v.deliveredOn!)}に配達済みとなったお荷物が待機期間後も見つからないため、ご希望の対応をお選びいただけます。`,
  },
  'dnr.review': {
    en: (v, f) => `This claim needs a supervisor's review first (${f.label(v.reasons!)}; earlier claims: ${v.priorClaims}).`,
    ja: (v, f) => `本件は責任者による確認が必要です（${f.label(v.reasons!)}、過去のお申し出${v.priorClaims}件）。`,
  },
  'dnr.noSignature': {
    en: (v, f) => `The order is above ${f.money(v.thresholdMinor!)} but shipped without a signature, so there is no signature proof of delivery.`,
    ja: (v, f) => `ご注文額が${f.money(v.thresholdMinor!)}を超えておりますが、署名なしで発送されたため、署名による配達証明がございません。`,
  },
  // Item problems
  'item.lateReport': {
    en: (v, f) => `The report came after the reporting window ended on ${f.date(v.endsOn!)}; a supervisor may grant an exception.`,
    ja: (v, f) => `恐れ入りますが、お申し出の受付期限（${f.date(v.endsOn!)}）を過ぎております。責任者の判断で例外対応となる場合がございます。`,
  },
  'item.utahOverride': {
    en: () => 'Utah does not let a seller refuse refunds for damaged or defective goods not sold "as is"; the late report goes to compliance.',
    ja: () => 'ユタ州では「現状渡し」でない破損・不良品の返金拒否が認められないため、期限後のお申し出もコンプライアンス確認といたします。',
  },
  'item.evidenceNeeded': {
    en: (v, f) => `Before a remedy we need: ${f.label(v.evidence!)}.`,
    ja: (v, f) => `ご対応にあたり、次の資料をお送りいただけますでしょうか：${f.label(v.evidence!)}。`,
  },
  'item.splitShipment': {
    en: (v, f) => `The "missing" item is in another parcel still on its way (expected ${f.date(v.eta!)}).`,
    ja: (v, f) => `お届けがない商品は別便にて輸送中でございます（${f.date(v.eta!)}お届け予定）。`,
  },
  'item.missing': {
    en: () => 'The missing items are replaced or refunded; only those lines are affected.',
    ja: () => '不足していた商品のみ、再送または返金にて対応いたします。',
  },
  'item.damagedWhole': {
    en: () => 'The whole shipment arrived damaged; the customer may choose a replacement or a refund.',
    ja: () => 'お届けした商品がすべて破損していたため、再送または返金をお選びいただけます。',
  },
  'item.damagedPartial': {
    en: () => 'Part of the shipment arrived damaged; only the damaged items are replaced or refunded.',
    ja: () => '一部の商品が破損していたため、破損した商品のみ再送または返金にて対応いたします。',
  },
  'item.keepForClaim': {
    en: () => 'Please keep the item and all packaging until the carrier claim is closed; the carrier may inspect them.',
    ja: () => '配送業者の補償手続きが完了するまで、商品と梱包材をすべて保管いただけますでしょうか。配送業者が確認に伺う場合がございます。',
  },
  'item.noReturn': {
    en: (v, f) => `The item cannot be sent back (${f.label(v.reason!)}); it is kept or disposed of.`,
    ja: (v, f) => `本商品はご返送いただけません（${f.label(v.reason!)}）。お手元で保管または処分をお願いいたします。`,
  },
  'item.defectiveKeep': {
    en: () => 'The defective item does not need to come back.',
    ja: () => '不良品のご返送は不要でございます。',
  },
  'item.defectiveReturnFirst': {
    en: (v, f) => `The defective item comes back first (at the store's label); the remedy follows on ${f.label(v.trigger!)}.`,
    ja: (v, f) => `不良品を先にご返送いただき（返送ラベルをご用意いたします）、${f.label(v.trigger!)}時点で対応いたします。`,
  },
  'item.defectiveReturnAfter': {
    en: () => 'The remedy is given now and the defective item is collected afterwards.',
    ja: () => '先にご対応し、不良品は後ほど回収いたします。',
  },
  'perishable.excluded': {
    en: (v, f) => `Spoilage caused by ${f.label(v.cause!)} is excluded for perishables; a supervisor may grant an exception.`,
    ja: (v, f) => `生鮮品について、${f.label(v.cause!)}による品質劣化は対象外となります。責任者の判断で例外対応となる場合がございます。`,
  },
  'perishable.remedy': {
    en: () => 'Perishables are not returned: please dispose of them; a replacement, refund or credit is offered.',
    ja: () => '生鮮品はご返送不要です。お手数ですが処分いただき、再送・返金・クレジットのいずれかで対応いたします。',
  },
  'wrong.noBill': {
    en: () => 'The item sent by mistake will not be billed, and the remedy does not depend on its return.',
    ja: () => '誤ってお届けした商品のご請求はいたしません。また、ご返送の有無にかかわらず対応いたします。',
  },
  'wrong.keep': {
    en: (v, f) => `The wrong item (worth ${f.money(v.valueMinor!)}) stays with the customer; nothing needs to come back.`,
    ja: (v, f) => `誤配送の商品（${f.money(v.valueMinor!)}相当）はご返送不要でございます。`,
  },
  'wrong.askBack': {
    en: (v, f) => `We may collect the wrong item at our cost until ${f.date(v.to!)}; after that it is written off.`,
    ja: (v, f) => `誤配送の商品は${f.date(v.to!)}まで当社負担で回収させていただく場合がございます。期限後はお手元で処分いただいて構いません。`,
  },
  // Returns
  'return.nonReturnable': {
    en: (v) => `${v.count} item(s) cannot be returned for change of mind (store policy or legal exemption).`,
    ja: (v) => `${v.count}点の商品は、ストアの規定または法令上の除外により、お客様都合での返品を承れません。`,
  },
  'return.windowClosed': {
    en: (v, f) => `The return window ended on ${f.date(v.lastDay!)}.`,
    ja: (v, f) => `返品受付期限（${f.date(v.lastDay!)}）を過ぎております。`,
  },
  'return.statutoryRight': {
    en: (v) => `${v.state} law gives a return right here because the refund policy was not disclosed as required.`,
    ja: (v) => `返品規定が所定の方法で表示されていなかったため、${v.state}州法に基づき返品をお受けいたします。`,
  },
  'return.alcoholCallTag': {
    en: () => 'Alcohol cannot be shipped back by the customer; only the store\u2019s licensed carrier pickup can collect it.',
    ja: () => '酒類はお客様からご返送いただけないため、当社の認可を受けた配送業者による集荷のみとなります。',
  },
  'return.lithiumIntl': {
    en: () => 'Used devices with lithium batteries cannot be returned from abroad (surface transport only).',
    ja: () => 'リチウム電池を含む使用済み機器は、海外からのご返送ができません（陸送のみ可）。',
  },
  'return.intlNotAccepted': {
    en: () => 'The store does not accept returns from outside the US.',
    ja: () => '恐れ入りますが、米国外からの返品は承っておりません。',
  },
  'return.customsEntry': {
    en: (v, f) => `The return needs a US customs entry (${f.label(v.entry!)}): duty-free de minimis entry is suspended.`,
    ja: (v, f) => `米国の少額免税制度が停止中のため、ご返送には通関手続き（${f.label(v.entry!)}）が必要です。`,
  },
  'return.restockingProhibited': {
    en: () => 'No restocking fee may be deducted for this state.',
    ja: () => '本州では返品手数料を差し引くことができません。',
  },
  'return.restockingUndisclosed': {
    en: () => 'The restocking fee was not disclosed with its amount before purchase, so it is not charged.',
    ja: () => '返品手数料が購入前に金額とともに表示されていなかったため、手数料はいただきません。',
  },
  'return.refundOn': {
    en: (v, f) => `Refund of ${f.money(v.amountMinor!)} is issued on ${f.label(v.trigger!)}.`,
    ja: (v, f) => `${f.label(v.trigger!)}時点で${f.money(v.amountMinor!)}をご返金いたします。`,
  },
  'return.inProgress': {
    en: (v, f) => `A return is in progress (${f.label(v.stage!)}).`,
    ja: (v, f) => `返品手続き中でございます（${f.label(v.stage!)}）。`,
  },
  'return.inspection': {
    en: (v) => `${v.count} returned item(s) did not come back as sent and go to review.`,
    ja: (v) => `ご返送いただいた商品のうち${v.count}点がお届け時の状態と異なるため、確認させていただきます。`,
  },
  'return.visa137': {
    en: (v, f) => `Refund before ${f.date(v.date!)} to stay clear of a Visa "return not credited" dispute.`,
    ja: (v, f) => `Visaの「返品未返金」チャージバックを避けるため、${f.date(v.date!)}より前にご返金いたします。`,
  },
  'return.compliance': {
    en: (v) => `${v.state}: refund-disclosure rules are not verified; a compliance check is suggested.`,
    ja: (v) => `${v.state}州の返金表示規定は未確認のため、コンプライアンス確認をお勧めいたします。`,
  },
  'intl.caB2g': {
    en: () => 'Duties and taxes paid to CBSA cannot be refunded by the store; the customer can claim them back on Form B2G.',
    ja: () => 'カナダ税関（CBSA）へお支払いの関税・税金は当社からご返金できません。様式B2Gにてお客様ご自身で還付をご請求いただけます。',
  },
  'intl.caB2gTooSmall': {
    en: () => 'Duties paid were under CAD 2, below the CBSA refund minimum.',
    ja: () => 'お支払いの関税が2カナダドル未満のため、CBSAの還付対象外となります。',
  },
  'intl.ddpRefunded': {
    en: () => 'Duties the customer paid us (DDP) are refunded with the items.',
    ja: () => '当社にお支払いいただいた関税（DDP）は、商品代金とあわせてご返金いたします。',
  },
  'intl.ddpKept': {
    en: () => 'Duties paid at import (DDP) are not refunded under the store policy.',
    ja: () => '輸入時の関税（DDP）は、ストアの規定によりご返金の対象外となります。',
  },
  'intl.jpBonded': {
    en: (v, f) => `For a Japanese duty refund the goods must enter a bonded area by ${f.date(v.lastDay!)} (6 months from the import permit).`,
    ja: (v, f) => `関税の還付を受けるには、${f.date(v.lastDay!)}（輸入許可から6か月）までに保税地域へ搬入する必要がございます。`,
  },
  // Address, hold, redirect, return to sender
  'address.customerSupplied': {
    en: (v, f) => `The address was entered by the customer; carrier fees are paid by the ${f.label(v.payer!)}.`,
    ja: (v, f) => `ご住所はお客様がご入力されたものでございます。配送業者の手数料は${f.label(v.payer!)}のご負担となります。`,
  },
  'address.merchantSupplied': {
    en: (v, f) => `The address error is on our side; carrier fees are paid by the ${f.label(v.payer!)}.`,
    ja: (v, f) => `住所の誤りは当社側の不備によるものでございます。配送業者の手数料は${f.label(v.payer!)}の負担といたします。`,
  },
  'address.confirm': {
    en: () => 'The customer is asked to confirm or correct the address before the parcel is redirected.',
    ja: () => '転送の前に、お客様にご住所のご確認・ご訂正をお願いいたします。',
  },
  'hold.expires': {
    en: (v, f) => `The carrier holds the parcel until ${f.date(v.date!)}, then returns it to us.`,
    ja: (v, f) => `お荷物は${f.date(v.date!)}まで配送業者にて保管され、その後当社へ返送されます。`,
  },
  'hold.pickUpBy': {
    en: (v, f) => `The parcel is waiting for pickup until ${f.date(v.date!)}.`,
    ja: (v, f) => `お荷物は${f.date(v.date!)}まで受け取り可能でございます。`,
  },
  'hold.expired': {
    en: (v, f) => `The hold ended on ${f.date(v.date!)}; the parcel is going back to the sender.`,
    ja: (v, f) => `保管期限（${f.date(v.date!)}）を過ぎたため、お荷物は当社へ返送されます。`,
  },
  'hold.perishable': {
    en: () => 'Perishables left uncollected may spoil; spoilage from an uncollected parcel is not covered.',
    ja: () => '生鮮品は受け取りが遅れると傷む場合がございます。未受領による品質劣化は補償の対象外となります。',
  },
  'redirect.delivered': {
    en: () => 'The parcel is already delivered and can no longer be redirected.',
    ja: () => 'お荷物はすでに配達済みのため、転送できかねます。',
  },
  'redirect.restricted': {
    en: () => 'Delivery changes are restricted for this parcel (perishable, alcohol, signature or shipper restriction).',
    ja: () => '本荷物は配送変更が制限されております（生鮮品・酒類・署名付き、または出荷元の制限）。',
  },
  'redirect.notPossible': {
    en: (v, f) => `The carrier cannot redirect this parcel (${f.label(v.reason!)}).`,
    ja: (v, f) => `本荷物は配送業者にて転送できかねます（${f.label(v.reason!)}）。`,
  },
  'redirect.fee': {
    en: (v, f) => `The carrier change costs ${f.money(v.feeMinor!)}, paid by the ${f.label(v.payer!)}${v.onSuccess ? ', charged only if it succeeds' : ''}.`,
    ja: (v, f) => `配送変更の手数料は${f.money(v.feeMinor!)}で、${f.label(v.payer!)}のご負担となります${v.onSuccess ? '（変更が成功した場合のみ）' : ''}。`,
  },
  'redirect.alcohol': {
    en: () => 'Alcohol still needs an adult (21+) signature at the new address.',
    ja: () => '酒類は転送先でも21歳以上の方のご署名が必要です。',
  },
  'rts.returning': {
    en: (v, f) => `The parcel is on its way back to us (${f.label(v.cause!)} cause).`,
    ja: (v, f) => `お荷物は当社へ返送中でございます（${f.label(v.cause!)}起因）。`,
  },
  'rts.returned': {
    en: (v, f) => `The parcel came back to us (${f.label(v.cause!)} cause).`,
    ja: (v, f) => `お荷物が当社へ返送されました（${f.label(v.cause!)}起因）。`,
  },
  // Overlays
  'dispute.accept': {
    en: (v, f) => `A ${f.label(v.network!)} dispute (${v.reason}) is open: no refund or reship on top of it; accept the dispute instead.`,
    ja: (v, f) => `${f.label(v.network!)}のチャージバック（${v.reason}）が申し立てられているため、重複した返金・再送は行わず、チャージバックを受け入れます。`,
  },
  'dispute.contest': {
    en: (v, f) => `A ${f.label(v.network!)} dispute (${v.reason}) is open: no refund or reship on top of it; contest it with the evidence listed.`,
    ja: (v, f) => `${f.label(v.network!)}のチャージバック（${v.reason}）が申し立てられているため、重複した返金・再送は行わず、証拠資料をもって反論いたします。`,
  },
  'dispute.ftcViaAccept': {
    en: () => 'The refund the FTC Rule requires is made by accepting the dispute.',
    ja: () => 'FTC規則上必要な返金は、チャージバックの受け入れにより行います。',
  },
  'alcohol.dtcBanned': {
    en: (v) => `Alcohol cannot be shipped direct to consumers in ${v.state}; no reship.`,
    ja: (v) => `${v.state}州では酒類の消費者直送が認められていないため、再送いたしかねます。`,
  },
  'alcohol.notByUsps': {
    en: () => 'Alcohol cannot travel by USPS: a reship must go by a carrier under an alcohol shipping agreement.',
    ja: () => '酒類はUSPSで配送できないため、再送は酒類配送契約のある配送業者で手配する必要がございます。',
  },
  'alcohol.dtcCheck': {
    en: (v) => `Shipping alcohol to ${v.state} again needs a compliance check.`,
    ja: (v) => `${v.state}州への酒類の再送には、コンプライアンス確認が必要です。`,
  },
  'ledger.alreadyCompensated': {
    en: (v, f) => `These items were already compensated (${f.label(v.kind!)} on ${f.date(v.on!)}).`,
    ja: (v, f) => `対象の商品はすでに補償済みでございます（${f.date(v.on!)}、${f.label(v.kind!)}）。`,
  },
  'ledger.foundAfterPayout': {
    en: () => 'The parcel turned up after the carrier paid the claim: the payout must be repaid and the case reviewed.',
    ja: () => '配送業者の補償金支払い後にお荷物が見つかったため、補償金を返還し、本件を再確認いたします。',
  },
  'ledger.capped': {
    en: (v, f) => `The refund was reduced by ${f.money(v.capMinor!)} so that it never exceeds what was paid.`,
    ja: (v, f) => `お支払い額を超えないよう、返金額を${f.money(v.capMinor!)}減額しております。`,
  },
  'request.notAvailable': {
    en: (v, f) => `The requested ${f.label(v.kind!)} is not available for this case.`,
    ja: (v, f) => `ご希望の${f.label(v.kind!)}は、本件ではお受けいたしかねます。`,
  },
} as const satisfies Record<string, { en: Template; ja: Template }>;

export type MessageKey = keyof typeof MESSAGES;
