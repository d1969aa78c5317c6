import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectBilingual, expectError } from '../../../test/api.js';
import { createTestApp, type TestApp } from '../../../test/test-context.js';
import { loadMigrations } from '../../db/migrate.js';

const BODY_LIMIT = 4096;
let t: TestApp;
let api: ApiClient;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-03-15T10:00:00+08:00'), bodyLimit: BODY_LIMIT });
  api = apiClient(t.app);
});
afterAll(() => t.close());

async function customerCount(): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  return rows[0]?.n ?? 0;
}

/** Posts an invalid customer and checks the 400, the fields named and that nothing was written. */
async function expectRefused(payload: Record<string, unknown>, fields: string[]) {
  const before = await customerCount();
  const response = await api.post('/api/customers', payload);
  const details = expectError(response, 400, 'VALIDATION_FAILED', fields);
  expect(await customerCount()).toBe(before);
  return details;
}

describe('creating an invalid customer', () => {
  it('refuses a missing name', async () => {
    await expectRefused({ phone: '13800138000' }, ['name']);
  });

  it.each(['', '   '])('refuses the blank name %j', async (name) => {
    await expectRefused({ name }, ['name']);
  });

  it.each(['12345', '138 0013 800', 'not a phone', '+86 999'])('refuses the phone %j', async (phone) => {
    const [detail] = await expectRefused({ name: '坏电话', phone }, ['phone']);
    expect(detail?.message).toMatch(/电话号码无效/);
    expect(detail?.message).toMatch(/Invalid phone number/);
  });

  it.each(['zhangsan', 'a@b', '@example.com', 'a b@c.cn'])('refuses the e-mail %j', async (email) => {
    await expectRefused({ name: '坏邮箱', email }, ['email']);
  });

  it.each([
    ['type', 'company-ish'],
    ['stage', '火星'],
    ['status', 'sleeping'],
    ['gender', 'x'],
    ['companySize', 'huge'],
    ['ageBand', '100+'],
    ['incomeLevel', 'rich'],
    ['creditStatus', 'bad'],
    ['communicationChannel', 'pigeon'],
  ])('refuses the %s %j', async (field, value) => {
    await expectRefused({ name: '坏枚举', [field]: value }, [field]);
  });

  it.each(['2024-02-30', '2023-02-29', '2024-13-01', '15/03/2024', 'yesterday'])(
    'refuses the date %j',
    async (firstContactOn) => {
      await expectRefused({ name: '坏日期', firstContactOn }, ['firstContactOn']);
    },
  );

  it.each([1899, 2101, 'abc', 1990.5])('refuses the birth year %j', async (birthYear) => {
    await expectRefused({ name: '坏年份', birthYear }, ['birthYear']);
  });

  it('refuses a vip flag that is not yes or no', async () => {
    await expectRefused({ name: '坏VIP', vip: 'perhaps' }, ['vip']);
  });

  it('refuses a qq number that is not digits', async () => {
    await expectRefused({ name: '坏QQ', qq: 'qq123' }, ['qq']);
  });

  it('refuses tags that are not text', async () => {
    await expectRefused({ name: '坏标签', tags: [1, 2] }, ['tags.0', 'tags.1']);
  });

  it('names every bad field of one request, each in both languages', async () => {
    const details = await expectRefused(
      { phone: '123', email: 'nope', stage: '火星', firstContactOn: '2024-02-30' },
      ['name', 'phone', 'email', 'stage', 'firstContactOn'],
    );
    expect(details).toHaveLength(5);
  });

  it('refuses a body that is not an object', async () => {
    const before = await customerCount();
    expectError(await api.post('/api/customers', ['张三']), 400, 'VALIDATION_FAILED');
    expect(await customerCount()).toBe(before);
  });

  it('refuses malformed JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "张三",',
    });
    expectError(
      { status: response.statusCode, body: response.json(), headers: response.headers },
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('updating with invalid input', () => {
  it('refuses bad fields, names them and changes nothing', async () => {
    const created = await api.post('/api/customers', {
      name: '原样',
      phone: '13800138000',
      email: 'ok@ok.cn',
    });
    expect(created.status).toBe(201);
    const response = await api.patch(`/api/customers/${created.body.id}`, {
      version: 1,
      phone: '000',
      email: 'bad',
      stage: 'nowhere',
      cooperationStartOn: '2024-04-31',
    });
    expectError(response, 400, 'VALIDATION_FAILED', ['phone', 'email', 'stage', 'cooperationStartOn']);
    const read = await api.get(`/api/customers/${created.body.id}`);
    expect(read.body).toMatchObject({
      phone: '+8613800138000',
      email: 'ok@ok.cn',
      stage: 'potential',
      version: 1,
    });
  });

  it('refuses a version that is not a positive integer', async () => {
    const created = await api.post('/api/customers', { name: '版本' });
    for (const version of [0, -1, 1.5, '1']) {
      expectError(
        await api.patch(`/api/customers/${created.body.id}`, { version }),
        400,
        'VALIDATION_FAILED',
        ['version'],
      );
    }
  });
});

describe('request limits and routing', () => {
  it('refuses a body over the limit with 413 PAYLOAD_TOO_LARGE and writes nothing', async () => {
    const before = await customerCount();
    const response = await api.post('/api/customers', { name: '大请求', notes: '字'.repeat(BODY_LIMIT) });
    expectError(response, 413, 'PAYLOAD_TOO_LARGE');
    expect(await customerCount()).toBe(before);
  });

  it('accepts a body just under the limit', async () => {
    const response = await api.post('/api/customers', {
      name: '小请求',
      notes: 'x'.repeat(BODY_LIMIT - 100),
    });
    expect(response.status).toBe(201);
  });

  it.each([
    ['GET', '/api/nothing-here'],
    ['POST', '/api/nothing-here'],
    ['DELETE', '/api/customers'],
    ['GET', '/api/customers/1/unknown'],
  ] as const)('answers %s %s with 404 NOT_FOUND in the error shape', async (method, url) => {
    const response = await t.app.inject({ method, url });
    expectError(
      { status: response.statusCode, body: response.json(), headers: response.headers },
      404,
      'NOT_FOUND',
    );
    expect(response.json().error.message).toContain(url);
  });

  it.each(['abc', '0', '-1', '1.5'])('refuses the customer id %j', async (id) => {
    const response = await api.get(`/api/customers/${id}`);
    expectError(response, 400, 'VALIDATION_FAILED', ['params.id']);
  });

  it('serves the health check', async () => {
    const response = await api.get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: true, schemaVersion: loadMigrations().at(-1)?.version });
    expect(['pglite', 'postgres']).toContain(response.body.database);
  });
});

describe('invalid list parameters', () => {
  it.each([
    ['bogus=1', ['bogus']],
    ['cf.nofield=1', ['cf.nofield']],
    ['sort=password', ['sort']],
    ['limit=0', ['limit']],
    ['limit=501', ['limit']],
    ['limit=ten', ['limit']],
    ['vip=perhaps', ['vip']],
    ['createdFrom=2024-02-30', ['createdFrom']],
    ['lastPurchaseTo=soon', ['lastPurchaseTo']],
    ['totalSpentMin=lots', ['totalSpentMin']],
    ['orderCountMax=1e3', ['orderCountMax']],
    ['cursor=garbage', ['cursor']],
    ['bogus=1&limit=0&sort=nope', ['bogus', 'limit', 'sort']],
  ])('refuses %s naming %j', async (query, fields) => {
    expectError(await api.get(`/api/customers?${query}`), 400, 'VALIDATION_FAILED', fields);
  });

  it('explains an unknown parameter in both languages', async () => {
    const [detail] = expectError(await api.get('/api/customers?colour=red'), 400, 'VALIDATION_FAILED', [
      'colour',
    ]);
    expectBilingual(detail?.message);
  });
});
