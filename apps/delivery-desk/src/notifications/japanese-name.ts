/**
 * Does a customer's name look Japanese? Used only when the customer's language is unknown, to
 * decide whether to add Japanese to the message. A wrong "yes" sends a bilingual e-mail to
 * someone who reads only English, a wrong "no" sends English to someone who also reads it, so
 * the test leans to "no" wherever a name is shared with other languages:
 *
 * - kana anywhere → yes;
 * - Han characters only → yes, unless the name uses simplified-Chinese-only characters
 *   (李伟) or is a short name with a common Chinese single-character surname (王芳, 陈 志明);
 * - Latin letters → yes only for exactly two words (surname + given name, either order), both
 *   spellable in Hepburn or Kunrei romaji, one a common Japanese surname, and the other not a
 *   common Western given name that happens to be spellable in romaji (Anna Sato, Maria Mori);
 * - anything else (Hangul, Vietnamese, a single word like "Kim" or "Tanaka") → no.
 */

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HAN = /\p{Script=Han}/u;
const HAN_ONLY = /^[\p{Script=Han}々〆ヶ\s・]+$/u;

// Forms that exist only in simplified Chinese; Japanese writes 偉, 劉, 張, 陳...
const SIMPLIFIED_ONLY = new Set('伟刘张陈杨赵吴孙郑谢罗冯邓许韩军刚华丽强涛艳龙东红兰凤辉鹏飞宁晓颖梦轩泽庆'.split(''));

// Common Chinese surnames that are rare or unknown as Japanese surnames (林, 森, 原, 東 are not
// here: they are ordinary Japanese surnames too).
const CHINESE_SURNAMES = new Set(
  '王李張劉陳楊趙周呉徐孫朱胡郭何馬羅梁宋鄭謝韓唐馮于董蕭程曹袁鄧許傅沈曾彭呂蘇盧蔣蔡賈丁魏薛葉閻余潘杜戴鍾汪任姜范姚譚廖鄒熊金陸郝孔崔康毛邱秦顧侯邵孟萬段雷錢湯尹黎喬賀賴龔'.split(''),
);

// The 150-odd most common Japanese surnames, in Hepburn.
const SURNAMES = `
sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato yoshida yamada sasaki
yamaguchi matsumoto inoue kimura hayashi shimizu yamazaki mori abe ikeda hashimoto yamashita ishikawa
nakajima maeda fujita ogawa goto okada hasegawa murakami kondo ishii saito sakamoto endo aoki fujii
nishimura fukuda ota miura fujiwara okamoto matsuda nakagawa nakano harada ono tamura takeuchi kaneko
wada nakayama ishida ueda morita hara shibata sakai kudo yokoyama miyazaki miyamoto uchida takagi ando
taniguchi ohno maruyama imai takada fujimoto takeda murata ueno sugiyama masuda sugawara hirano kojima
otsuka chiba kubo matsui iwasaki sakurai kinoshita noguchi matsuo kikuchi nomura arai sano onishi
sugimoto hamada ichikawa furukawa mizuno komatsu shimada koyama takano yamauchi nishida nishikawa
igarashi kitamura yasuda nakata kawaguchi hirata kawasaki iida yoshikawa honda kubota sawada tsuji
seki yoshimura iwata nakanishi hattori higuchi fukushima kawakami nagai matsuoka taguchi yamanaka
morimoto tsuchiya yano hirose akiyama ishihara matsushita oshima oda ochiai nagata kishi asano yamane
kojima okubo miyata osawa nakamoto katayama kurosawa shiraishi hoshino tsuda kataoka omura nakai
`;

// Western given names that are also spellable in romaji. Names shared by both cultures (Naomi,
// Erika, Maya, Ken, Kai) are deliberately absent.
const WESTERN_GIVEN = `
anna ana maria mario sara nina tina dana mona tara kara mia nora rosa rita diana mike jake kate dave
pete jose jon john jane june jamie amanda susan karen dan ron ben ian zoe emma sonia sofia tania
tanya laura paula monica marina martina regina gina joe
`;

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'san', 'sama']);

/** One romaji word: morae, syllabic n, geminates, m before b/p/m (Hepburn), h lengthening o/u. */
const ROMAJI_WORD =
  /^(?:(?:ky|gy|sh|ch|ny|hy|by|py|my|ry|sy|ty|zy|ts|j|[kgsztdnhbpmrf])?[aiueo]|y[auo]|w[ao]|n(?![aiueoy])|([kgsztdbpfcjr])(?=\1)|t(?=ch)|m(?=[bpm])|(?<=[ou])h(?![aiueoy]))+$/;

function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{Mn}/gu, '');
}

/** Spelling-insensitive form: Satō, Satou, Satoh and Sato meet as one; Ohno and Ono too. */
function canonical(word: string): string {
  return stripDiacritics(word.toLowerCase())
    .replace(/oh(?![aiueoy])/g, 'o')
    .replace(/ou/g, 'o')
    .replace(/oo/g, 'o')
    .replace(/uu/g, 'u');
}

const SURNAME_SET = new Set(SURNAMES.split(/\s+/).filter(Boolean).map(canonical));
const WESTERN_SET = new Set(WESTERN_GIVEN.split(/\s+/).filter(Boolean));

function looksLikeChinese(hanName: string): boolean {
  const chars = [...hanName.replace(/[\s・]/g, '')];
  if (chars.some((c) => SIMPLIFIED_ONLY.has(c))) return true;
  // 王芳 or 王 小明, but not 金子 健 (a two-character surname starting with 金).
  const spaced = /\s/.test(hanName.trim());
  const surnameAlone = !spaced || /^\S\s/.test(hanName.trim());
  return chars.length <= 3 && surnameAlone && CHINESE_SURNAMES.has(chars[0]!);
}

function looksLikeRomajiName(name: string): boolean {
  const words = stripDiacritics(name)
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .split(/[\s,.]+/)
    .filter((w) => w && !TITLES.has(w));
  if (words.length !== 2 || !words.every((w) => /^[a-z-]+$/.test(w))) return false;
  const parts = words.flatMap((w) => w.split('-'));
  if (!parts.every((w) => w.length > 0 && ROMAJI_WORD.test(w))) return false;
  const [a, b] = words as [string, string];
  const surnameFirst = SURNAME_SET.has(canonical(a)) && !WESTERN_SET.has(b);
  const surnameLast = SURNAME_SET.has(canonical(b)) && !WESTERN_SET.has(a);
  return surnameFirst || surnameLast;
}

/**
 * True when the name is written in kana, in kanji that are not recognisably Chinese, or in
 * romaji as a common Japanese surname plus a given name.
 *
 * @example
 * ```ts
 * looksJapaneseName('佐藤 花子'); // true
 * looksJapaneseName('Kenji Watanabe'); // true
 * looksJapaneseName('Li Wei'); // false
 * looksJapaneseName('Kim'); // false
 * ```
 */
export function looksJapaneseName(name: string | null | undefined): boolean {
  if (!name) return false;
  const text = name.normalize('NFKC').trim();
  if (!text) return false;
  if (KANA.test(text)) return true;
  if (HAN.test(text)) return HAN_ONLY.test(text) && !looksLikeChinese(text);
  return looksLikeRomajiName(text);
}
