import { describe, expect, it } from 'vitest';
import { type CustomFieldDefinition, parseCustomValue, validateCustomValues } from './custom-field-values.js';

function def(key: string, type: CustomFieldDefinition['type'], extra: Partial<CustomFieldDefinition> = {}) {
  return {
    key,
    type,
    labelZh: `字段${key}`,
    labelEn: `Field ${key}`,
    options: [],
    required: false,
    ...extra,
  };
}

const levelOptions = [
  { value: 'gold', labelZh: '金牌', labelEn: 'Gold' },
  { value: 'silver', labelZh: '银牌', labelEn: 'Silver' },
];
const level = def('level', 'single_select', { options: levelOptions });
const hobbies = def('hobbies', 'multi_select', {
  options: [
    { value: 'golf', labelZh: '高尔夫', labelEn: 'Golf' },
    { value: 'tea', labelZh: '茶', labelEn: 'Tea' },
    { value: 'wine', labelZh: '红酒', labelEn: 'Wine' },
  ],
});

const ok = (value: unknown) => ({ ok: true, value });

describe('parseCustomValue', () => {
  describe('text', () => {
    const text = def('note', 'text');
    it('trims text', () => expect(parseCustomValue(text, '  hello ')).toEqual(ok('hello')));
    it('takes a number as its text', () => expect(parseCustomValue(text, 42)).toEqual(ok('42')));
    it('refuses an object', () => expect(parseCustomValue(text, { a: 1 }).ok).toBe(false));
    it('refuses text over 2000 characters', () => {
      expect(parseCustomValue(text, 'x'.repeat(2000)).ok).toBe(true);
      expect(parseCustomValue(text, 'x'.repeat(2001)).ok).toBe(false);
    });
  });

  describe('number', () => {
    const num = def('score', 'number');
    it('takes a JSON number', () => expect(parseCustomValue(num, 12.5)).toEqual(ok(12.5)));
    it('takes a numeric string', () => expect(parseCustomValue(num, ' -3.25 ')).toEqual(ok(-3.25)));
    it.each(['abc', '12abc', true, [], Number.NaN, Number.POSITIVE_INFINITY])('refuses %j', (input) => {
      const result = parseCustomValue(num, input);
      expect(result).toMatchObject({ ok: false, en: 'Must be a number', zh: '须为数字' });
    });
  });

  describe('date', () => {
    const date = def('since', 'date');
    it.each([
      ['2024-03-05', '2024-03-05'],
      ['2024/3/5', '2024-03-05'],
      ['2024.03.05', '2024-03-05'],
      ['2024-2-29', '2024-02-29'],
    ])('reads %s as %s', (input, iso) => {
      expect(parseCustomValue(date, input)).toEqual(ok(iso));
    });
    it.each(['2023-02-29', '2024-13-01', '2024-04-31', '03/05/2024', 'tomorrow', 20240305])(
      'refuses %j',
      (input) => {
        expect(parseCustomValue(date, input).ok).toBe(false);
      },
    );
  });

  describe('boolean', () => {
    const flag = def('agreed', 'boolean');
    it.each([
      [true, true],
      [false, false],
      ['true', true],
      ['是', true],
      ['YES', true],
      ['1', true],
      ['否', false],
      ['no', false],
      ['0', false],
    ])('reads %j as %s', (input, value) => {
      expect(parseCustomValue(flag, input)).toEqual(ok(value));
    });
    it.each(['maybe', 2, null])('refuses %j', (input) => {
      expect(parseCustomValue(flag, input).ok).toBe(false);
    });
  });

  describe('single select', () => {
    it('takes an option value, its Chinese label or its English label', () => {
      expect(parseCustomValue(level, 'gold')).toEqual(ok('gold'));
      expect(parseCustomValue(level, '金牌')).toEqual(ok('gold'));
      expect(parseCustomValue(level, 'silver ')).toEqual(ok('silver'));
      expect(parseCustomValue(level, 'SILVER')).toEqual(ok('silver'));
    });
    it('refuses other text and lists the options', () => {
      const result = parseCustomValue(level, 'bronze');
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.zh).toContain('gold(金牌)');
        expect(result.en).toContain('silver(银牌)');
      }
    });
  });

  describe('multi select', () => {
    it('takes a list of values and labels, without repeats', () => {
      expect(parseCustomValue(hobbies, ['golf', '茶', 'Golf'])).toEqual(ok(['golf', 'tea']));
    });
    it('takes one text separated by commas, Chinese commas or 、', () => {
      expect(parseCustomValue(hobbies, '高尔夫，红酒、tea')).toEqual(ok(['golf', 'wine', 'tea']));
    });
    it('refuses a list with an unknown option', () => {
      expect(parseCustomValue(hobbies, ['golf', 'chess']).ok).toBe(false);
    });
    it('refuses a number', () => {
      expect(parseCustomValue(hobbies, 3).ok).toBe(false);
    });
  });
});

describe('validateCustomValues', () => {
  const score = def('score', 'number', { required: true });
  const note = def('note', 'text');
  const defs = [score, note, level];

  it('returns the parsed values of a valid write', () => {
    const result = validateCustomValues(defs, { score: '7', note: ' hi ', level: '金牌' }, 'create');
    expect(result).toEqual({ values: { score: 7, note: 'hi', level: 'gold' }, removed: [], issues: [] });
  });

  it('requires every required field on create', () => {
    const result = validateCustomValues(defs, { note: 'x' }, 'create');
    expect(result.issues).toEqual([
      { field: 'custom.score', message: '字段score为必填项 / Field score is required' },
    ]);
  });

  it('does not require a field that is not sent on update', () => {
    expect(validateCustomValues(defs, { note: 'x' }, 'update').issues).toEqual([]);
  });

  it.each(['create', 'update'] as const)('refuses to clear a required field on %s', (mode) => {
    for (const blank of [null, '', '   ']) {
      const result = validateCustomValues(defs, { score: blank }, mode);
      expect(result.issues.map((issue) => issue.field)).toEqual(['custom.score']);
      expect(result.removed).toEqual([]);
    }
  });

  it('removes an optional field sent blank, null or as an empty list', () => {
    const withList = [...defs, hobbies];
    const result = validateCustomValues(withList, { note: '  ', level: null, hobbies: [] }, 'update');
    expect(result).toEqual({ values: {}, removed: ['note', 'level', 'hobbies'], issues: [] });
  });

  it('refuses keys without a definition', () => {
    const result = validateCustomValues(defs, { score: 1, colour: 'red' }, 'create');
    expect(result.issues).toEqual([
      { field: 'custom.colour', message: '未定义的自定义字段 / Unknown custom field "colour"' },
    ]);
  });

  it('names the field and explains in both languages when a value is invalid', () => {
    const result = validateCustomValues(defs, { score: 'lots', level: 'bronze' }, 'create');
    expect(result.issues.map((issue) => issue.field)).toEqual(['custom.score', 'custom.level']);
    expect(result.issues[0]?.message).toBe('字段score：须为数字 / Field score: Must be a number');
    expect(result.values).toEqual({});
  });

  it('reports every problem at once', () => {
    const result = validateCustomValues(defs, { level: 'bronze', other: 1 }, 'create');
    expect(result.issues.map((issue) => issue.field).sort()).toEqual([
      'custom.level',
      'custom.other',
      'custom.score',
    ]);
  });
});
