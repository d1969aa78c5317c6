import { describe, expect, it } from 'vitest';
import {
  buildSearchMaterial,
  parseSearchQuery,
  type SearchMaterial,
  type SearchQuery,
} from './search-material.js';

/** Whether a query finds a customer, the way list-customers.ts applies it in SQL (LIKE / array contains). */
function finds(material: SearchMaterial, input: string): boolean {
  const query = parseSearchQuery(input);
  if (query.kind === 'none') return true;
  if (query.kind === 'grams') return material.grams.includes(query.gram);
  // Phones and e-mails are matched by blind index in SQL, never against this material.
  if (query.kind !== 'text') return false;
  return likeToRegExp(query.pattern).test(material.text);
}

/** SQL `LIKE` with the default escape character `\`, translated to a regular expression. */
function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      i++;
      source += (pattern[i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const zhangSan = buildSearchMaterial({
  name: '张三',
  company: '深圳华为技术有限公司',
});

describe('buildSearchMaterial', () => {
  it('holds the Chinese name, its full pinyin and its initials', () => {
    const tokens = zhangSan.text.split(' ');
    expect(tokens).toContain('张三');
    expect(tokens).toContain('zhangsan');
    expect(tokens).toContain('zs');
  });

  it('holds no phone or e-mail: those are encrypted and found by blind index', () => {
    const material = buildSearchMaterial({ name: '张三', phone: '+8613800138000', email: 'a@b.cn' } as never);
    expect(material.text).not.toMatch(/138|@/);
  });

  it('holds single characters and pairs of the name and of the initials as grams', () => {
    expect(zhangSan.grams).toEqual(expect.arrayContaining(['张', '三', '张三', 'z', 's', 'zs', 'zh', 'sa']));
  });

  it('reads a surname with its surname pronunciation (单 as shan, 曾 as zeng)', () => {
    expect(buildSearchMaterial({ name: '单田芳' }).text.split(' ')).toContain('shantianfang');
    expect(buildSearchMaterial({ name: '曾小贤' }).text.split(' ')).toContain('zengxiaoxian');
  });

  it('adds the company name with its pinyin', () => {
    const tokens = zhangSan.text.split(' ');
    expect(tokens).toContain('深圳华为技术有限公司');
    expect(tokens).toContain('shenzhenhuaweijishuyouxiangongsi');
  });

  it('adds contact names', () => {
    const material = buildSearchMaterial({ name: '某某贸易', contacts: [{ name: '李四' }] });
    const tokens = material.text.split(' ');
    expect(tokens).toEqual(expect.arrayContaining(['李四', 'lisi', 'ls']));
    expect(material.grams).toContain('李');
  });

  it('drops spaces inside names so that "Tom Lee" is one token', () => {
    expect(buildSearchMaterial({ name: 'Tom  Lee' }).text).toBe('tomlee');
  });

  it('leaves out empty optional values', () => {
    const material = buildSearchMaterial({
      name: 'Acme',
      company: null,
      contacts: [],
    });
    expect(material.text).toBe('acme');
  });
});

describe('parseSearchQuery', () => {
  it('is empty for blank input', () => {
    expect(parseSearchQuery('   ')).toEqual<SearchQuery>({ kind: 'none' });
  });

  it('uses grams for queries shorter than three characters', () => {
    expect(parseSearchQuery('张')).toEqual<SearchQuery>({ kind: 'grams', gram: '张' });
    expect(parseSearchQuery('ZS')).toEqual<SearchQuery>({ kind: 'grams', gram: 'zs' });
  });

  it('uses a LIKE pattern for longer queries, lower-cased and without spaces', () => {
    expect(parseSearchQuery('Zhang San')).toEqual<SearchQuery>({ kind: 'text', pattern: '%zhangsan%' });
  });

  it.each([
    '138 0013 8000',
    '138-0013-8000',
    '+86 138 0013 8000',
    '+86-138-0013-8000',
    '+8613800138000',
    '8613800138000',
    '(138) 0013 8000',
  ])('turns the phone %s into E.164 for the blind index', (input) => {
    expect(parseSearchQuery(input)).toEqual<SearchQuery>({ kind: 'phone', e164: '+8613800138000' });
  });

  it('reads a landline with its area code', () => {
    expect(parseSearchQuery('010-6552 9988')).toEqual<SearchQuery>({ kind: 'phone', e164: '+861065529988' });
  });

  it('treats an e-mail address as an exact e-mail lookup, lower-cased', () => {
    expect(parseSearchQuery('Zhang.San@Example.com')).toEqual<SearchQuery>({
      kind: 'email',
      email: 'zhang.san@example.com',
    });
  });

  it('keeps a partial run of digits as text (it cannot match an encrypted phone)', () => {
    expect(parseSearchQuery('0013800')).toEqual<SearchQuery>({ kind: 'text', pattern: '%0013800%' });
  });

  it('escapes % and _ so that they match only themselves', () => {
    expect(parseSearchQuery('50%_off')).toEqual<SearchQuery>({ kind: 'text', pattern: '%50\\%\\_off%' });
    const material = buildSearchMaterial({ name: '50%_off' });
    expect(finds(material, '50%_off')).toBe(true);
    expect(finds(buildSearchMaterial({ name: '50xyoff' }), '50%_off')).toBe(false);
    expect(finds(buildSearchMaterial({ name: 'a_b_c' }), 'a_b')).toBe(true);
    expect(finds(buildSearchMaterial({ name: 'axbxc' }), 'a_b')).toBe(false);
  });

  it('escapes a backslash', () => {
    expect(parseSearchQuery('a\\b')).toEqual<SearchQuery>({ kind: 'text', pattern: '%a\\\\b%' });
  });
});

describe('search material and query together', () => {
  it.each(['zhangsan', 'zs', '张', '张三', 'zhang san', 'ZhangSan', 'zhang', 'san'])(
    'finds 张三 by %s',
    (input) => {
      expect(finds(zhangSan, input)).toBe(true);
    },
  );

  it.each(['华为', '华为技术', 'huawei', 'hwjs'])('finds 张三 by the company %s', (input) => {
    expect(finds(zhangSan, input)).toBe(true);
  });

  it.each(['李四', 'lisi', 'zhangwei'])('does not find 张三 by %s', (input) => {
    expect(finds(zhangSan, input)).toBe(false);
  });

  it('finds a customer by a contact name', () => {
    const material = buildSearchMaterial({ name: '某某贸易', contacts: [{ name: '李四' }] });
    expect(finds(material, '李四')).toBe(true);
    expect(finds(material, 'ls')).toBe(true);
  });
});
