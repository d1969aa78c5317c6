import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { createTestApp, type TestApp } from '../../../test/test-context.js';

let clock = new Date('2024-03-15T10:00:00+08:00');
let t: TestApp;
let api: ApiClient;
beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  api = apiClient(t.app);
});
afterAll(() => t.close());

async function newCode(name = '编号客户'): Promise<string> {
  const response = await api.post('/api/customers', { name });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.code;
}

async function setPattern(pattern: string) {
  const response = await api.put('/api/settings/customer-number', { pattern });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body).toEqual({ pattern });
}

describe('customer numbering rule', () => {
  it('starts with KH{YYYY}{SEQ:5}', async () => {
    expect((await api.get('/api/settings/customer-number')).body).toEqual({ pattern: 'KH{YYYY}{SEQ:5}' });
    expect(await newCode()).toBe('KH202400001');
    expect(await newCode()).toBe('KH202400002');
  });

  it('numbers new customers by a changed pattern, with dates in China local time', async () => {
    await setPattern('C-{YY}{MM}{DD}-{SEQ:3}');
    expect((await api.get('/api/settings/customer-number')).body).toEqual({
      pattern: 'C-{YY}{MM}{DD}-{SEQ:3}',
    });
    expect(await newCode()).toBe('C-240315-001');
    expect(await newCode()).toBe('C-240315-002');
    // 16:30 UTC on the 15th is already the 16th in China: a new day, a new sequence.
    clock = new Date('2024-03-15T16:30:00Z');
    expect(await newCode()).toBe('C-240316-001');
    clock = new Date('2024-03-15T10:00:00+08:00');
    expect(await newCode()).toBe('C-240315-003');
  });

  it('continues the old sequence when the old pattern comes back', async () => {
    await setPattern('KH{YYYY}{SEQ:5}');
    expect(await newCode()).toBe('KH202400003');
  });

  it('shares the sequence of a prefix between patterns that render it alike', async () => {
    await setPattern('KH2024{SEQ:6}');
    expect(await newCode()).toBe('KH2024000004');
    await setPattern('KH{YYYY}{SEQ:5}');
    expect(await newCode()).toBe('KH202400005');
  });

  it('skips numbers that a different pattern already produced', async () => {
    // KH{SEQ:9} has a sequence of its own; its numbers 202400001 to 202400003 are taken above.
    await setPattern('KH{SEQ:9}');
    await t.db.query(`INSERT INTO number_sequences (scope, last_value) VALUES ('KH{SEQ}', 202400000)`);
    expect(await newCode()).toBe('KH202400004');
    expect(await newCode()).toBe('KH202400006');
    await setPattern('KH{YYYY}{SEQ:5}');
    // …and KH2024's own sequence now skips the 00006 drawn by the other pattern.
    expect(await newCode()).toBe('KH202400007');
  });

  it.each([
    'KH{YYYY}',
    'KH{SEQ:2}{SEQ:2}',
    'KH{YYYYY}{SEQ:5}',
    'KH {SEQ:5}',
    'KH{SEQ:0}',
    'KH{SEQ:13}',
    '',
    `${'K'.repeat(70)}{SEQ:5}`,
  ])('refuses the pattern %j and keeps the current one', async (pattern) => {
    const response = await api.put('/api/settings/customer-number', { pattern });
    expectError(response, 400, 'VALIDATION_FAILED', ['pattern']);
    expect((await api.get('/api/settings/customer-number')).body).toEqual({ pattern: 'KH{YYYY}{SEQ:5}' });
  });

  it('refuses a body without a pattern', async () => {
    expectError(await api.put('/api/settings/customer-number', {}), 400, 'VALIDATION_FAILED', ['pattern']);
    expectError(await api.put('/api/settings/customer-number', { pattern: 5 }), 400, 'VALIDATION_FAILED', [
      'pattern',
    ]);
  });
});

describe('metadata', () => {
  it('lists the enumerations with Chinese and English labels and the suggestions', async () => {
    const meta = await api.get('/api/meta');
    expect(meta.status).toBe(200);
    expect(meta.body.enums.type).toEqual([
      { value: 'individual', zh: '个人', en: 'Individual' },
      { value: 'enterprise', zh: '企业', en: 'Enterprise' },
    ]);
    expect(Object.keys(meta.body.enums)).toEqual(
      expect.arrayContaining([
        'stage',
        'status',
        'companySize',
        'gender',
        'ageBand',
        'incomeLevel',
        'creditStatus',
      ]),
    );
    expect(meta.body.suggestions.industry).toContain('制造业');
    expect(meta.body.suggestions.source).toContain('官网');
    expect(meta.body.customFields).toEqual([]);
  });
});
