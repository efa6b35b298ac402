import type { Language } from '@app/returns';
import type { LinkPurpose } from './customer-link.entity';

const TEXT = {
  en: {
    case: { title: 'Your case', prompt: null },
    delay_consent: { title: 'Your order is delayed', prompt: 'Wait for the new ship date, or cancel for a full refund.' },
    address_confirm: { title: 'Please confirm your address', prompt: 'Confirm the address we have, or correct it.' },
    pickup: { title: 'Your return pickup', prompt: 'Move the pickup to another day, or cancel it.' },
    answered: 'Thanks: we have your answer.',
  },
  ja: {
    case: { title: 'お問い合わせの状況', prompt: null },
    delay_consent: { title: 'ご注文の発送遅延について', prompt: '新しい発送予定日までお待ちいただくか、キャンセルして全額返金をお受けいただくかをお選びください。' },
    address_confirm: { title: 'お届け先ご住所のご確認', prompt: 'ご登録のご住所をご確認いただくか、正しいご住所をご入力ください。' },
    pickup: { title: '返品商品の集荷について', prompt: '集荷日時の変更、または集荷の取り消しをお選びください。' },
    answered: 'ご回答を承りました。誠にありがとうございます。',
  },
} as const;

/** The page's headings in the customer's language. */
export function linkText(language: Language, purpose: LinkPurpose, asking: boolean): { title: string; prompt: string | null } {
  const t = TEXT[language === 'ja' ? 'ja' : 'en'];
  return { title: t[purpose].title, prompt: asking ? t[purpose].prompt : purpose === 'case' ? null : t.answered };
}
