import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { createTestApp, type TestApp } from '../../../test/test-context.js';

let t: TestApp;
let api: ApiClient;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-03-15T10:00:00+08:00') });
  api = apiClient(t.app);
  for (const field of definitions) {
    const response = await api.post('/api/custom-fields', field);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  }
});
afterAll(() => t.close());

const tiers = [
  { value: 'gold', labelZh: '金牌', labelEn: 'Gold' },
  { value: 'silver', labelZh: '银牌', labelEn: 'Silver' },
  { value: 'bronze', labelZh: '铜牌', labelEn: 'Bronze' },
];
const hobbies = [
  { value: 'golf', labelZh: '高尔夫', labelEn: 'Golf' },
  { value: 'tea', labelZh: '茶', labelEn: 'Tea' },
  { value: 'wine', labelZh: '红酒', labelEn: 'Wine' },
];
const definitions = [
  { key: 'wechat_group', type: 'text', labelZh: '微信群', labelEn: 'WeChat group', position: 1 },
  { key: 'score', type: 'number', labelZh: '评分', labelEn: 'Score', position: 2 },
  { key: 'renewal_on', type: 'date', labelZh: '续约日', labelEn: 'Renewal date', position: 3 },
  { key: 'tier', type: 'single_select', labelZh: '等级', labelEn: 'Tier', options: tiers, position: 4 },
  {
    key: 'hobbies',
    type: 'multi_select',
    labelZh: '爱好',
    labelEn: 'Hobbies',
    options: hobbies,
    position: 5,
  },
  { key: 'agreed', type: 'boolean', labelZh: '已签约', labelEn: 'Agreed', position: 6 },
];

async function createCustomer(payload: Record<string, unknown>) {
  const response = await api.post('/api/customers', payload);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function customerCount(): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  return rows[0]?.n ?? 0;
}

describe('custom field definitions', () => {
  it('lists every definition in position order with defaults filled in', async () => {
    const response = await api.get('/api/custom-fields');
    expect(response.status).toBe(200);
    expect(response.body.items.map((field: { key: string }) => field.key)).toEqual(
      definitions.map((field) => field.key),
    );
    expect(response.body.items[0]).toMatchObject({ type: 'text', options: [], required: false, position: 1 });
    expect(response.body.items[3]).toMatchObject({ type: 'single_select', options: tiers });
  });

  it('reads one definition and answers 404 for an unknown key', async () => {
    expect((await api.get('/api/custom-fields/score')).body).toMatchObject({ key: 'score', type: 'number' });
    expectError(await api.get('/api/custom-fields/nothing'), 404, 'NOT_FOUND');
    expectError(await api.patch('/api/custom-fields/nothing', { labelZh: '无' }), 404, 'NOT_FOUND');
    expectError(await api.del('/api/custom-fields/nothing'), 404, 'NOT_FOUND');
  });

  it('refuses a key that is taken with 409 DUPLICATE', async () => {
    const response = await api.post('/api/custom-fields', {
      key: 'score',
      type: 'text',
      labelZh: '重',
      labelEn: 'Dup',
    });
    expectError(response, 409, 'DUPLICATE', ['key']);
    expect((await api.get('/api/custom-fields/score')).body.type).toBe('number');
  });

  it.each([
    [{ key: 'Bad-Key', type: 'text', labelZh: '坏', labelEn: 'Bad' }, ['key']],
    [{ key: '1abc', type: 'text', labelZh: '坏', labelEn: 'Bad' }, ['key']],
    [{ key: 'ok_key', type: 'colour', labelZh: '坏', labelEn: 'Bad' }, ['type']],
    [{ key: 'ok_key', type: 'text', labelZh: '', labelEn: 'Bad' }, ['labelZh']],
    [{ key: 'ok_key', type: 'single_select', labelZh: '选', labelEn: 'Pick' }, ['options']],
    [{ key: 'ok_key', type: 'number', labelZh: '数', labelEn: 'Num', options: tiers }, ['options']],
    [
      {
        key: 'ok_key',
        type: 'multi_select',
        labelZh: '选',
        labelEn: 'Pick',
        options: [tiers[0], { ...tiers[1], value: 'gold' }],
      },
      ['options.1.value'],
    ],
  ])('refuses the definition %j', async (payload, fields) => {
    expectError(await api.post('/api/custom-fields', payload), 400, 'VALIDATION_FAILED', fields);
    expectError(await api.get('/api/custom-fields/ok_key'), 404, 'NOT_FOUND');
  });

  it('changes labels, required flag and position', async () => {
    const response = await api.patch('/api/custom-fields/wechat_group', {
      labelZh: '微信群名',
      labelEn: 'WeChat group name',
      position: 9,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ labelZh: '微信群名', labelEn: 'WeChat group name', position: 9 });
    const listed = (await api.get('/api/custom-fields')).body.items.map(
      (field: { key: string }) => field.key,
    );
    expect(listed.at(-1)).toBe('wechat_group');
  });

  it('appears in /api/meta for forms', async () => {
    const meta = await api.get('/api/meta');
    expect(meta.status).toBe(200);
    expect(meta.body.customFields.map((field: { key: string }) => field.key)).toContain('tier');
    expect(meta.body.enums.stage).toContainEqual({ value: 'intent', zh: '意向', en: 'Intent' });
  });
});

describe('custom values on customers', () => {
  it('stores a value of every type, normalised', async () => {
    const customer = await createCustomer({
      name: '自定义全',
      custom: {
        wechat_group: ' 华南客户群 ',
        score: '8.5',
        renewal_on: '2025/1/31',
        tier: '金牌',
        hobbies: '茶，Golf',
        agreed: '是',
      },
    });
    const expected = {
      wechat_group: '华南客户群',
      score: 8.5,
      renewal_on: '2025-01-31',
      tier: 'gold',
      hobbies: ['tea', 'golf'],
      agreed: true,
    };
    expect(customer.custom).toEqual(expected);
    expect((await api.get(`/api/customers/${customer.id}`)).body.custom).toEqual(expected);
  });

  it.each([
    ['score', 'many'],
    ['renewal_on', '2025-02-30'],
    ['tier', 'platinum'],
    ['hobbies', ['tea', 'chess']],
    ['agreed', 'maybe'],
    ['wechat_group', { nested: true }],
  ])('refuses %s = %j with 400 naming custom.%s, and writes nothing', async (key, value) => {
    const before = await customerCount();
    const response = await api.post('/api/customers', { name: '坏自定义', custom: { [key]: value } });
    const [detail] = expectError(response, 400, 'VALIDATION_FAILED', [`custom.${key}`]);
    const label = definitions.find((field) => field.key === key)?.labelZh as string;
    expect(detail?.message).toContain(label);
    expect(await customerCount()).toBe(before);
  });

  it('refuses a key without a definition', async () => {
    const response = await api.post('/api/customers', { name: '未知字段', custom: { colour: 'red' } });
    expectError(response, 400, 'VALIDATION_FAILED', ['custom.colour']);
  });

  it('merges values on update, removes blank ones and keeps the rest', async () => {
    const customer = await createCustomer({
      name: '合并',
      custom: { score: 1, tier: 'silver', agreed: false },
    });
    const updated = await api.patch(`/api/customers/${customer.id}`, {
      version: customer.version,
      custom: { score: 2, tier: '' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.custom).toEqual({ score: 2, agreed: false });
    const again = await api.patch(`/api/customers/${customer.id}`, {
      version: updated.body.version,
      city: '厦门',
    });
    expect(again.body.custom).toEqual({ score: 2, agreed: false });
  });

  it('refuses an invalid value on update and changes nothing', async () => {
    const customer = await createCustomer({ name: '更新校验', custom: { score: 3 } });
    const response = await api.patch(`/api/customers/${customer.id}`, {
      version: customer.version,
      name: '改名',
      custom: { score: 'ten' },
    });
    expectError(response, 400, 'VALIDATION_FAILED', ['custom.score']);
    expect((await api.get(`/api/customers/${customer.id}`)).body).toMatchObject({
      name: '更新校验',
      custom: { score: 3 },
      version: 1,
    });
  });
});

describe('required custom fields', () => {
  beforeAll(async () => {
    const response = await api.post('/api/custom-fields', {
      key: 'region_code',
      type: 'text',
      labelZh: '区域编码',
      labelEn: 'Region code',
      required: true,
    });
    expect(response.status).toBe(201);
  });
  afterAll(async () => {
    expect((await api.del('/api/custom-fields/region_code')).status).toBe(204);
  });

  it('requires the field when a customer is created', async () => {
    const before = await customerCount();
    const [detail] = expectError(
      await api.post('/api/customers', { name: '缺必填' }),
      400,
      'VALIDATION_FAILED',
      ['custom.region_code'],
    );
    expect(detail?.message).toBe('区域编码为必填项 / Region code is required');
    expectError(
      await api.post('/api/customers', { name: '空必填', custom: { region_code: '  ' } }),
      400,
      'VALIDATION_FAILED',
      ['custom.region_code'],
    );
    expect(await customerCount()).toBe(before);
    const created = await createCustomer({ name: '有必填', custom: { region_code: 'SZ' } });
    expect(created.custom.region_code).toBe('SZ');
  });

  it('does not require the field on an update that does not send it, but refuses clearing it', async () => {
    const created = await createCustomer({ name: '必填更新', custom: { region_code: 'GZ' } });
    const updated = await api.patch(`/api/customers/${created.id}`, { version: 1, city: '广州' });
    expect(updated.status).toBe(200);
    const cleared = await api.patch(`/api/customers/${created.id}`, {
      version: 2,
      custom: { region_code: null },
    });
    expectError(cleared, 400, 'VALIDATION_FAILED', ['custom.region_code']);
    expect((await api.get(`/api/customers/${created.id}`)).body.custom.region_code).toBe('GZ');
  });
});

describe('changing and deleting definitions', () => {
  it('deletes a definition with its values on every customer', async () => {
    expect(
      (await api.post('/api/custom-fields', { key: 'temp', type: 'text', labelZh: '临时', labelEn: 'Temp' }))
        .status,
    ).toBe(201);
    const a = await createCustomer({ name: '临时甲', custom: { temp: 'x', score: 1 } });
    const b = await createCustomer({ name: '临时乙', custom: { temp: 'y' } });
    expect((await api.del('/api/custom-fields/temp')).status).toBe(204);
    expect((await api.get(`/api/customers/${a.id}`)).body.custom).toEqual({ score: 1 });
    expect((await api.get(`/api/customers/${b.id}`)).body.custom).toEqual({});
    expectError(await api.get('/api/custom-fields/temp'), 404, 'NOT_FOUND');
    expectError(await api.get('/api/customers?cf.temp=x'), 400, 'VALIDATION_FAILED', ['cf.temp']);
    expectError(
      await api.post('/api/customers', { name: '已删字段', custom: { temp: 'z' } }),
      400,
      'VALIDATION_FAILED',
      ['custom.temp'],
    );
  });

  it('refuses removing a single-select option still in use, and allows it once unused', async () => {
    const customer = await createCustomer({ name: '铜牌客户', custom: { tier: 'bronze' } });
    const withoutBronze = tiers.filter((option) => option.value !== 'bronze');
    const refused = await api.patch('/api/custom-fields/tier', { options: withoutBronze });
    const [detail] = expectError(refused, 400, 'VALIDATION_FAILED', ['options']);
    expect(detail?.message).toContain('bronze');
    expect((await api.get('/api/custom-fields/tier')).body.options).toEqual(tiers);

    const current = (await api.get(`/api/customers/${customer.id}`)).body;
    expect(
      (
        await api.patch(`/api/customers/${customer.id}`, {
          version: current.version,
          custom: { tier: 'gold' },
        })
      ).status,
    ).toBe(200);
    const allowed = await api.patch('/api/custom-fields/tier', { options: withoutBronze });
    expect(allowed.status).toBe(200);
    expect(allowed.body.options).toEqual(withoutBronze);
    expectError(
      await api.post('/api/customers', { name: '铜牌已删', custom: { tier: 'bronze' } }),
      400,
      'VALIDATION_FAILED',
      ['custom.tier'],
    );
  });

  it('refuses removing a multi-select option still in use', async () => {
    await createCustomer({ name: '红酒爱好者', custom: { hobbies: ['wine', 'tea'] } });
    const refused = await api.patch('/api/custom-fields/hobbies', {
      options: hobbies.filter((option) => option.value !== 'wine'),
    });
    expectError(refused, 400, 'VALIDATION_FAILED', ['options']);
    expect((await api.get('/api/custom-fields/hobbies')).body.options).toEqual(hobbies);
  });

  it('allows relabelling options in use and adding new ones', async () => {
    const relabelled = hobbies.map((option) =>
      option.value === 'tea' ? { ...option, labelZh: '品茶' } : option,
    );
    const response = await api.patch('/api/custom-fields/hobbies', {
      options: [...relabelled, { value: 'chess', labelZh: '象棋', labelEn: 'Chess' }],
    });
    expect(response.status).toBe(200);
    expect(response.body.options.map((option: { labelZh: string }) => option.labelZh)).toEqual([
      '高尔夫',
      '品茶',
      '红酒',
      '象棋',
    ]);
  });

  it('refuses options on a field that is not a select, and an empty option list on a select', async () => {
    expectError(await api.patch('/api/custom-fields/score', { options: tiers }), 400, 'VALIDATION_FAILED', [
      'options',
    ]);
    expectError(await api.patch('/api/custom-fields/tier', { options: [] }), 400, 'VALIDATION_FAILED', [
      'options',
    ]);
  });
});

describe('OpenAPI document', () => {
  it('is served at /api/docs/json and lists the customer endpoints', async () => {
    const response = await api.get('/api/docs/json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/customers',
        '/api/customers/{id}',
        '/api/customers/{id}/contacts',
        '/api/customers/{id}/transactions',
        '/api/transactions',
        '/api/custom-fields',
        '/api/settings/customer-number',
      ]),
    );
    expect(response.body.paths['/api/customers'].post).toBeDefined();
    expect(response.body.paths['/api/customers'].get).toBeDefined();
  });
});

describe('concurrent definitions', () => {
  it('refuses all but one of several definitions with the same key, naming the key', async () => {
    const responses = await Promise.all(
      [1, 2, 3].map((i) =>
        api.post('/api/custom-fields', {
          key: 'race_key',
          type: 'text',
          labelZh: `抢${i}`,
          labelEn: `Race ${i}`,
        }),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409]);
    for (const response of responses.filter((r) => r.status === 409)) {
      expectError(response, 409, 'DUPLICATE', ['key']);
    }
  });
});
