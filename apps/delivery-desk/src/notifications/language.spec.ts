import { looksJapaneseName } from './japanese-name';
import { chooseLanguages } from './language';

describe(chooseLanguages.name, () => {
  it.each([
    // preferred wins, whatever the name
    ['ja', 'Emily Clark', 'en', ['ja']],
    ['en', '佐藤 花子', 'ja', ['en']],
    ['ja-JP', null, 'en', ['ja']],
    ['EN_us', 'Sato Hanako', 'ja', ['en']],
    // unknown preference and a Japanese-looking name: both
    [null, '佐藤 花子', 'en', ['ja', 'en']],
    [undefined, 'サトウ', 'en', ['ja', 'en']],
    [null, 'Sato Hanako', 'en', ['ja', 'en']],
    [null, 'Kenji Watanabe', 'ja', ['ja', 'en']],
    ['', 'Satō Hanako', 'en', ['ja', 'en']],
    // a language the desk does not write counts as unknown
    ['es', 'Yuki Nakamura', 'en', ['ja', 'en']],
    ['zh-CN', 'Li Wei', 'en', ['en']],
    // otherwise the merchant's default
    [null, 'Emily Clark', 'en', ['en']],
    [null, 'Emily Clark', 'ja', ['ja']],
    [null, 'Nguyen', 'en', ['en']],
    [null, 'Li Wei', 'en', ['en']],
    [null, 'Kim', 'ja', ['ja']],
    [null, null, 'en', ['en']],
    [null, '   ', 'ja', ['ja']],
  ] as const)('preferred %p, name %p, merchant default %p → %p', (preferred, customerName, merchantDefault, expected) => {
    expect(chooseLanguages({ preferred, customerName, merchantDefault })).toEqual(expected);
  });
});

describe(looksJapaneseName.name, () => {
  it.each([
    '佐藤 花子',
    '高橋一郎',
    '林 修', // single-kanji surname that is also Chinese-looking, but 林 is common in Japan
    '金子 健', // starts with 金, a Chinese surname, but 金子 is the surname here
    'サトウ',
    'さとう はなこ',
    'ｻﾄｳ ﾊﾅｺ', // half-width katakana from old systems
    'Sato Hanako',
    'Hanako Sato',
    'SATŌ Hanako',
    'Satoh Hanako',
    'Kenji Watanabe',
    'Watanabe, Kenji',
    'Mr. Kenji Watanabe',
    'Ryota Inoue',
    'Shin\u2019ichi Ito',
    'Yoko Ono',
    'Ｙｕｋｉ Ｎａｋａｍｕｒａ', // full-width Latin
  ])('%s looks Japanese', (name) => {
    expect(looksJapaneseName(name)).toBe(true);
  });

  it.each([
    'Emily Clark',
    'Nguyen',
    'Nguyen Van An',
    'Li Wei', // Chinese romanisation: l and "wei" are not romaji
    'Chen Wei',
    '李伟', // simplified-only 伟
    '王芳', // common Chinese surname, short name
    '陳 志明',
    'Kim',
    'Kim Min-jun',
    '김민준',
    'Tanaka', // one word: a surname alone is not enough
    'Anna Sato', // Western given name that happens to be valid romaji
    'Maria Mori',
    'Paolo Mori',
    'Mike Tanaka',
    'John Smith',
    'Hanako Sato Smith', // three words: not the pattern we trust
    '',
  ])('%s does not', (name) => {
    expect(looksJapaneseName(name)).toBe(false);
  });
});
