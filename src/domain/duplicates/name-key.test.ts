import { describe, expect, it } from 'vitest';
import { editDistance } from './edit-distance.js';
import { nameLength, normaliseName, pinyinKey } from './name-key.js';

describe('normaliseName', () => {
  it.each([
    ['上海星辰科技有限公司', '上海星辰科技'],
    ['上海星辰科技', '上海星辰科技'],
    ['上海星辰科技股份有限公司', '上海星辰科技'],
    ['上海星辰科技有限责任公司', '上海星辰科技'],
    ['上海 星辰·科技（中国）有限公司', '上海星辰科技'],
    ['上海星辰科技(中国)有限公司', '上海星辰科技'],
    ['星辰集团有限公司', '星辰'],
    ['星辰集团', '星辰'],
    ['上海星辰科技有限公司北京分公司', '上海星辰科技有限公司北京'],
    ['ＡＣＭＥ　Ｔｒａｄｉｎｇ', 'acmetrading'],
    ['Acme Trading Co., Ltd.', 'acmetrading'],
    ['ACME TRADING CO LTD', 'acmetrading'],
    ['Acme Trading Limited', 'acmetrading'],
    ['Marco Polo', 'marcopolo'],
    ['公司', '公司'],
    ['张 三', '张三'],
  ])('%s → %s', (name, key) => {
    expect(normaliseName(name)).toBe(key);
  });
});

describe('pinyinKey', () => {
  it('reads homophones alike and leaves Latin names to their letters', () => {
    expect(pinyinKey('上海星辰科技')).toBe('shanghaixingchenkeji');
    expect(pinyinKey('上海星晨科技')).toBe(pinyinKey('上海星辰科技'));
    expect(pinyinKey('北京云帆')).toBe(pinyinKey('北京云凡'));
    expect(pinyinKey('abc科技')).toBe('abckeji');
    expect(pinyinKey('acmetrading')).toBe('');
  });

  it('counts characters, not bytes', () => {
    expect(nameLength('上海星辰科技')).toBe(6);
    expect(nameLength('acme')).toBe(4);
  });
});

describe('editDistance', () => {
  it.each([
    ['上海星辰科技', '上海星辰科技', 0],
    ['上海星辰科技', '上海星辰科', 1],
    ['上海星辰科技', '上海星晨科技', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['acmetrading', 'acmetradng', 1],
  ])('%s / %s: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  it('stops at the limit and says limit + 1', () => {
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('abcdefgh', 'abcdefgh', 0)).toBe(0);
    expect(editDistance('abcdefgh', 'abXdefgh', 0)).toBe(1);
    expect(editDistance('abcdefgh', 'ab', 2)).toBe(3);
    expect(editDistance('上海星辰科技有限', '上海辰星科技有限', 2)).toBe(2);
  });

  it('agrees with the unbounded distance whenever that is within the limit', () => {
    const words = ['acme', 'acne', 'acmes', 'came', 'macro', 'acmetrading', 'acmetradin', 'acmxtrading', 'a'];
    for (const a of words)
      for (const b of words)
        for (const limit of [0, 1, 2, 3]) {
          const full = editDistance(a, b);
          expect(editDistance(a, b, limit)).toBe(full <= limit ? full : limit + 1);
        }
  });
});
