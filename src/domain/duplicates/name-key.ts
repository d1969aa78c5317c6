import { pinyin } from 'pinyin-pro';

/**
 * Legal-form and organisation suffixes that do not tell two companies apart, longest first so that
 * 股份有限公司 is removed whole rather than leaving 股份. They are stripped from the end repeatedly:
 * 星辰集团有限公司 → 星辰集团 → 星辰.
 */
export const COMPANY_SUFFIXES: readonly string[] = [
  '股份有限公司',
  '有限责任公司',
  '集团有限公司',
  '有限公司',
  '集团公司',
  '分公司',
  '总公司',
  '公司',
  '集团',
];

/** The same for names in Latin letters; removed only as whole words ("Marco" keeps its "co"). */
export const LATIN_COMPANY_SUFFIXES: readonly string[] = [
  'corporation',
  'company',
  'limited',
  'group',
  'corp',
  'gmbh',
  'inc',
  'llc',
  'ltd',
  'plc',
  'co',
];

/** Parenthesised remarks such as (中国), （上海）, (China), (HK) — a place or an aside, not the name. */
const PARENTHESISED = /\([^()]*\)/g;
/** Whitespace, punctuation and symbols: 上海 星辰·科技 and 上海星辰科技 are one name. */
const NOISE = /[\s\p{P}\p{S}]+/gu;
const HAN = /\p{Script=Han}/u;

function stripSuffixes(value: string): string {
  let rest = value;
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of COMPANY_SUFFIXES) {
      if (rest.length > suffix.length && rest.endsWith(suffix)) {
        rest = rest.slice(0, -suffix.length);
        changed = true;
        break;
      }
    }
  }
  return rest;
}

/**
 * The name two records of one company or person share however it was typed: full-width forms
 * folded (NFKC), lower case, parenthesised remarks and legal-form suffixes removed, whitespace and
 * punctuation dropped. `上海星辰科技有限公司`, `上海星辰科技` and `上海 星辰科技(中国)有限公司` all
 * become `上海星辰科技`; `Acme Trading Co., Ltd.` becomes `acmetrading`.
 * A name that is nothing but a suffix (`公司`) keeps its characters.
 */
export function normaliseName(name: string): string {
  const folded = name.normalize('NFKC').toLowerCase().replace(PARENTHESISED, ' ');
  // Latin words first, so that a suffix must be a whole word: "acme trading co ltd" → "acme trading".
  const words = folded.split(/[\s,.;，。、]+/).filter((word) => word !== '');
  while (words.length > 1 && LATIN_COMPANY_SUFFIXES.includes((words.at(-1) as string).replace(NOISE, ''))) {
    words.pop();
  }
  const joined = words.join(' ').replace(NOISE, '');
  // Chinese suffixes are not separated by spaces: strip them from the joined text.
  const stripped = HAN.test(joined) ? stripSuffixes(joined) : joined;
  return stripped || folded.replace(NOISE, '');
}

/**
 * The reading of a normalised name: 上海星辰科技 and 上海星晨科技 (a homophone typed with a pinyin
 * input method) both read `shanghaixingchenkeji`. Latin letters and digits are kept as they are.
 * Empty when the name has no Chinese characters: the name itself is then the key.
 */
export function pinyinKey(normalised: string): string {
  if (!HAN.test(normalised)) return '';
  return pinyin(normalised, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Number of characters (code points), as edit distances count them. */
export function nameLength(normalised: string): number {
  return Array.from(normalised).length;
}
