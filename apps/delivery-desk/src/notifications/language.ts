import { LANGUAGES, type Language } from '@app/returns';
import { looksJapaneseName } from './japanese-name';

export interface LanguageChoiceInput {
  /**
   * What the customer or the platform said: `ja`, `en`, or a BCP 47 tag such as `ja-JP`.
   * A language the desk does not write counts as unknown.
   */
  preferred?: string | null;
  customerName?: string | null;
  merchantDefault: Language;
}

function supported(tag: string | null | undefined): Language | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(primary ?? '') ? (primary as Language) : null;
}

/**
 * The languages to write to a customer in, Japanese first:
 * 1. a supported preferred language wins;
 * 2. otherwise, a name that looks Japanese gets both, so a Japanese speaker is served and an
 *    English-only reader still has their part;
 * 3. otherwise the merchant's default.
 *
 * @example
 * ```ts
 * chooseLanguages({ preferred: 'en-US', customerName: '佐藤 花子', merchantDefault: 'ja' }); // ['en']
 * chooseLanguages({ preferred: null, customerName: 'Sato Hanako', merchantDefault: 'en' }); // ['ja', 'en']
 * chooseLanguages({ preferred: null, customerName: 'Emily Clark', merchantDefault: 'en' }); // ['en']
 * ```
 */
export function chooseLanguages(input: LanguageChoiceInput): readonly Language[] {
  const preferred = supported(input.preferred);
  if (preferred) return [preferred];
  if (looksJapaneseName(input.customerName)) return ['ja', 'en'];
  return [input.merchantDefault];
}
