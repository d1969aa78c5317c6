import { describe, expect, it } from 'vitest';
import { customerEnums, toEnumKey } from './enums.js';

describe('toEnumKey', () => {
  it.each([
    ['type', '个人', 'individual'],
    ['type', '企业', 'enterprise'],
    ['stage', '潜在', 'potential'],
    ['stage', '意向', 'intent'],
    ['stage', '成交', 'closed'],
    ['stage', '流失', 'churned'],
    ['status', '活跃', 'active'],
    ['status', '暂停', 'paused'],
    ['status', '终止', 'terminated'],
    ['companySize', '中型', 'medium'],
    ['gender', '女', 'female'],
    ['ageBand', '25–34岁', '25_34'],
    ['incomeLevel', '高', 'high'],
    ['creditStatus', '逾期', 'overdue'],
    ['communicationChannel', '微信', 'wechat'],
  ] as const)('maps the %s label %s to %s', (name, label, key) => {
    expect(toEnumKey(name, label)).toBe(key);
  });

  it('maps every Chinese and English label of every enumeration to its key', () => {
    for (const [name, options] of Object.entries(customerEnums)) {
      for (const option of options) {
        expect(toEnumKey(name as keyof typeof customerEnums, option.zh)).toBe(option.value);
        expect(toEnumKey(name as keyof typeof customerEnums, option.en)).toBe(option.value);
        expect(toEnumKey(name as keyof typeof customerEnums, option.value)).toBe(option.value);
      }
    }
  });

  it('ignores case and surrounding spaces', () => {
    expect(toEnumKey('type', '  Enterprise ')).toBe('enterprise');
    expect(toEnumKey('stage', 'INTENT')).toBe('intent');
    expect(toEnumKey('stage', ' 意向 ')).toBe('intent');
  });

  it('knows the spellings of spreadsheets', () => {
    expect(toEnumKey('type', '公司')).toBe('enterprise');
    expect(toEnumKey('stage', '意向客户')).toBe('intent');
    expect(toEnumKey('stage', '已成交')).toBe('closed');
    expect(toEnumKey('gender', 'M')).toBe('male');
    expect(toEnumKey('communicationChannel', '邮箱')).toBe('email');
  });

  it('returns unknown text as it is, for the validator to refuse', () => {
    expect(toEnumKey('stage', '火星')).toBe('火星');
    expect(toEnumKey('stage', 'unknown')).toBe('unknown');
  });

  it('returns non-strings untouched', () => {
    expect(toEnumKey('type', null)).toBeNull();
    expect(toEnumKey('type', 3)).toBe(3);
  });

  it('has distinct keys and labels in every enumeration', () => {
    for (const options of Object.values(customerEnums)) {
      expect(new Set(options.map((o) => o.value)).size).toBe(options.length);
      expect(new Set(options.map((o) => o.zh)).size).toBe(options.length);
    }
  });
});
