import { describe, expect, it } from 'vitest';
import { nameLength, normaliseName, pinyinKey } from './name-key.js';
import { allowedEdits, matchNames, type NameKeys } from './name-match.js';

const keys = (name: string): NameKeys => {
  const key = normaliseName(name);
  return { key, pinyin: pinyinKey(key), length: nameLength(key) };
};
const match = (a: string, b: string) => matchNames(keys(a), keys(b));

describe('matchNames', () => {
  it('matches company names that differ only in suffix, case or punctuation', () => {
    expect(match('上海星辰科技有限公司', '上海星辰科技')).toEqual({ kind: 'same_name' });
    expect(match('Acme Trading Co., Ltd.', 'ACME TRADING')).toEqual({ kind: 'same_name' });
  });

  it('matches Chinese names that read alike (a pinyin input slip)', () => {
    expect(match('上海星辰科技有限公司', '上海星晨科技')).toEqual({ kind: 'same_pinyin' });
  });

  it('matches a Chinese name with a character left out or added', () => {
    expect(match('杭州西湖龙井茶叶', '杭州西湖龙井茶')).toEqual({ kind: 'similar_name', distance: 1 });
    expect(match('杭州西湖龙井茶叶销售', '杭州西湖龙井茶销')).toEqual({ kind: 'similar_name', distance: 2 });
  });

  it('does not match Chinese names where one character is replaced by one that reads differently', () => {
    expect(match('杭州康耀餐饮连锁', '杭州启耀餐饮连锁')).toBeUndefined();
    expect(match('北京丰达便利店', '北京通达便利店')).toBeUndefined();
  });

  it('matches Latin names within one edit (4–7 letters) or two (8 and more)', () => {
    expect(match('Acme Trading', 'Acme Tradng Ltd')).toEqual({ kind: 'similar_name', distance: 1 });
    expect(match('Acme Trading', 'Acne Tradng')).toEqual({ kind: 'similar_name', distance: 2 });
    expect(match('Globex', 'Glubex')).toEqual({ kind: 'similar_name', distance: 1 });
    expect(match('Globex', 'Glubix')).toBeUndefined();
    expect(match('Tom', 'Tim')).toBeUndefined();
  });

  it('allows more edits for longer names only', () => {
    expect([2, 3, 4, 7, 8, 20].map(allowedEdits)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});
