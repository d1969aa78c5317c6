import { editDistance } from './edit-distance.js';

/** Names shorter than this (after normalisation) are compared by phone and e-mail only. */
export const MIN_NAME_LENGTH = 4;
/** Enterprises are also compared by shorter names (百度, 华为): a company name is rarely shared by chance. */
export const MIN_ENTERPRISE_NAME_LENGTH = 2;
/**
 * Bumped whenever normaliseName or pinyinKey changes, so that stored keys are recomputed.
 * (customer_name_keys.rules)
 */
export const NAME_RULES_VERSION = 1;

export interface NameKeys {
  /** normaliseName(name) */
  key: string;
  /** pinyinKey(key); empty for names without Chinese characters. */
  pinyin: string;
  /** Characters in `key`. */
  length: number;
}

/**
 * Edits allowed between two normalised names, by the shorter one's length: one for 4–7
 * characters, two from 8. Shorter names allow none (Li Na / Li Ma are different people).
 */
export function allowedEdits(shorterLength: number): number {
  if (shorterLength >= 8) return 2;
  if (shorterLength >= MIN_NAME_LENGTH) return 1;
  return 0;
}

export type NameMatch =
  | { kind: 'same_name' }
  | { kind: 'same_pinyin' }
  | { kind: 'similar_name'; distance: number };

/**
 * Why two names may belong to one customer, or undefined.
 * - same_name: equal once suffixes, case, spaces and punctuation are gone.
 * - same_pinyin: Chinese names read alike (星辰 / 星晨, a pinyin input-method slip).
 * - similar_name: within allowedEdits. For Chinese names only dropped or extra characters count
 *   (上海星辰科技 / 上海星辰科): one character replaced by another that reads differently makes a
 *   different name far more often than a typo (杭州康耀餐饮 / 杭州启耀餐饮 are two companies, and on
 *   the 100,000-customer demo set such pairs outnumbered every other match by 200 to 1).
 */
export function matchNames(a: NameKeys, b: NameKeys): NameMatch | undefined {
  if (a.key === b.key) return { kind: 'same_name' };
  if (a.pinyin !== '' && a.pinyin === b.pinyin) return { kind: 'same_pinyin' };
  const limit = allowedEdits(Math.min(a.length, b.length));
  if (limit === 0) return undefined;
  const distance = editDistance(a.key, b.key, limit);
  if (distance > limit) return undefined;
  const chinese = a.pinyin !== '' || b.pinyin !== '';
  // Distance equal to the length difference: the shorter name is the longer one with characters left out.
  if (chinese && distance !== Math.abs(a.length - b.length)) return undefined;
  return { kind: 'similar_name', distance };
}
