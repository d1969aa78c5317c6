import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { createTestApp, type TestApp } from '../../../test/test-context.js';

const MARCH_15 = new Date('2024-03-15T10:00:00+08:00');
let clock = MARCH_15;
let t: TestApp;
let api: ApiClient;
beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  api = apiClient(t.app);
});
afterAll(() => t.close());
beforeEach(() => {
  clock = MARCH_15;
});

const post = (url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, payload: payload as object });

async function customerCount(): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  return rows[0]?.n ?? 0;
}

async function create(payload: Record<string, unknown>) {
  const response = await api.post('/api/customers', payload);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe('customers API', () => {
  it('creates a customer with a generated number and reads it back', async () => {
    const created = await post('/api/customers', { name: '张三', type: '个人', phone: '138 0013 8000' });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.code).toBe('KH202400001');
    expect(body.type).toBe('individual');
    expect(body.phone).toBe('+8613800138000');
    expect(body.version).toBe(1);
    expect(body.totalSpent).toBe('0.00');
    const read = await t.app.inject(`/api/customers/${body.id}`);
    expect(read.json().name).toBe('张三');
  });

  it('stores every standard field, normalised, and returns it on read', async () => {
    const created = await create({
      name: '  北京云杉科技  ',
      type: '企业',
      company: '北京云杉科技有限公司',
      stage: '意向',
      status: '暂停',
      vip: '是',
      industry: '互联网',
      source: '展会',
      companySize: '中型',
      province: '北京',
      city: '北京',
      address: '海淀区中关村大街 1 号',
      phone: '+86 138-0013-8001',
      email: ' Sales@YunShan.CN ',
      wechat: 'yunshan_sales',
      qq: 12345678,
      birthYear: '1985',
      ageBand: '35–44岁',
      gender: '女',
      occupation: '采购经理',
      incomeLevel: '高',
      firstContactOn: '2024/1/5',
      cooperationStartOn: '2024年2月1日',
      paymentMethod: '银行转账',
      creditStatus: '关注',
      needs: '年度采购',
      purchasePreferences: '批量',
      communicationChannel: '微信',
      communicationTime: '工作日上午',
      interests: '新品',
      serviceExpectations: '快速响应',
      notes: '重要客户',
      tags: '重点，华北;年度',
      owner: 'admin',
    });
    const expected = {
      name: '北京云杉科技',
      type: 'enterprise',
      company: '北京云杉科技有限公司',
      stage: 'intent',
      status: 'paused',
      vip: true,
      industry: '互联网',
      source: '展会',
      companySize: 'medium',
      province: '北京',
      city: '北京',
      address: '海淀区中关村大街 1 号',
      phone: '+8613800138001',
      email: 'sales@yunshan.cn',
      wechat: 'yunshan_sales',
      qq: '12345678',
      birthYear: 1985,
      ageBand: '35_44',
      gender: 'female',
      occupation: '采购经理',
      incomeLevel: 'high',
      firstContactOn: '2024-01-05',
      cooperationStartOn: '2024-02-01',
      paymentMethod: '银行转账',
      creditStatus: 'watch',
      needs: '年度采购',
      purchasePreferences: '批量',
      communicationChannel: 'wechat',
      communicationTime: '工作日上午',
      interests: '新品',
      serviceExpectations: '快速响应',
      notes: '重要客户',
      tags: ['重点', '华北', '年度'],
      ownerId: t.admin.id,
      owner: 'admin',
      custom: {},
      totalSpent: '0.00',
      orderCount: 0,
      averageOrderValue: null,
      firstPurchaseOn: null,
      lastPurchaseOn: null,
      version: 1,
    };
    expect(created).toMatchObject(expected);
    const read = await api.get(`/api/customers/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject(expected);
  });

  it('fills the defaults of a customer given only a name', async () => {
    const created = await create({ name: '王小明' });
    expect(created).toMatchObject({
      type: 'individual',
      stage: 'potential',
      status: 'active',
      vip: false,
      company: null,
      phone: null,
      tags: [],
      custom: {},
    });
  });

  it('records the creation time from the application clock', async () => {
    clock = new Date('2024-03-16T09:30:00+08:00');
    const created = await create({ name: '时间客户' });
    expect(created.createdAt).toBe('2024-03-16T01:30:00.000Z');
    expect(created.updatedAt).toBe('2024-03-16T01:30:00.000Z');
  });

  it('finds a customer by its number', async () => {
    const created = await create({ name: '按编号' });
    const read = await api.get(`/api/customers/by-code/${created.code}`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(created.id);
    expectError(await api.get('/api/customers/by-code/NOPE-1'), 404, 'NOT_FOUND');
  });

  it('answers 404 for a customer that does not exist', async () => {
    expectError(await api.get('/api/customers/999999'), 404, 'NOT_FOUND');
    expectError(await api.patch('/api/customers/999999', { version: 1, name: 'x' }), 404, 'NOT_FOUND');
    expectError(await api.del('/api/customers/999999'), 404, 'NOT_FOUND');
  });

  it('deletes a customer', async () => {
    const created = await create({ name: '待删除' });
    const before = await customerCount();
    const deleted = await api.del(`/api/customers/${created.id}`);
    expect(deleted.status).toBe(204);
    expect(await customerCount()).toBe(before - 1);
    expectError(await api.get(`/api/customers/${created.id}`), 404, 'NOT_FOUND');
    expectError(await api.del(`/api/customers/${created.id}`), 404, 'NOT_FOUND');
  });
});

describe('customer numbers', () => {
  function seqOf(code: string): number {
    expect(code).toMatch(/^KH2024\d{5}$/);
    return Number(code.slice(6));
  }

  it('generates increasing numbers', async () => {
    const codes = [];
    for (const name of ['甲', '乙', '丙']) codes.push((await create({ name })).code);
    const seqs = codes.map(seqOf);
    expect(seqs[1]).toBe((seqs[0] as number) + 1);
    expect(seqs[2]).toBe((seqs[0] as number) + 2);
  });

  it('never reuses the number of a deleted customer', async () => {
    const last = await create({ name: '最后一个' });
    expect((await api.del(`/api/customers/${last.id}`)).status).toBe(204);
    const next = await create({ name: '下一个' });
    expect(seqOf(next.code)).toBe(seqOf(last.code) + 1);
  });

  it('keeps a code given by hand, trimmed', async () => {
    const created = await create({ name: '手工编号', code: '  VIP-001 ' });
    expect(created.code).toBe('VIP-001');
  });

  it('refuses a code that is taken with 409 DUPLICATE and writes nothing', async () => {
    await create({ name: '占用编号', code: 'DUP-1' });
    const before = await customerCount();
    const response = await api.post('/api/customers', { name: '重复编号', code: 'DUP-1' });
    expectError(response, 409, 'DUPLICATE', ['code']);
    expect(await customerCount()).toBe(before);
  });

  it('skips a number already given by hand', async () => {
    const probe = await create({ name: '探针' });
    const handGiven = `KH2024${String(seqOf(probe.code) + 1).padStart(5, '0')}`;
    await create({ name: '手工占位', code: handGiven });
    const next = await create({ name: '自动编号' });
    expect(seqOf(next.code)).toBe(seqOf(probe.code) + 2);
  });

  it('starts a new sequence in a new year, by the date in China', async () => {
    // 2024-12-31 16:30 UTC is already 2025-01-01 in China.
    clock = new Date('2024-12-31T16:30:00Z');
    expect((await create({ name: '新年第一' })).code).toBe('KH202500001');
    expect((await create({ name: '新年第二' })).code).toBe('KH202500002');
    clock = new Date('2024-12-31T15:59:00Z');
    expect(seqOf((await create({ name: '旧年最后' })).code)).toBeGreaterThan(1);
  });

  it('refuses to change a code to one that is taken', async () => {
    await create({ name: '甲方', code: 'TAKEN-9' });
    const other = await create({ name: '乙方' });
    const response = await api.patch(`/api/customers/${other.id}`, { version: 1, code: 'TAKEN-9' });
    expectError(response, 409, 'DUPLICATE', ['code']);
    expect((await api.get(`/api/customers/${other.id}`)).body).toMatchObject({
      code: other.code,
      version: 1,
    });
  });

  it('lets a customer keep its own code on update', async () => {
    const created = await create({ name: '自己的编号', code: 'OWN-1' });
    const response = await api.patch(`/api/customers/${created.id}`, {
      version: 1,
      code: 'OWN-1',
      city: '上海',
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ code: 'OWN-1', city: '上海', version: 2 });
  });
});

describe('updating a customer', () => {
  it('applies a partial update, increments the version and keeps other fields', async () => {
    const created = await create({ name: '赵六', city: '杭州', phone: '13800138002', tags: ['老客户'] });
    clock = new Date('2024-03-20T08:00:00+08:00');
    const updated = await api.patch(`/api/customers/${created.id}`, {
      version: 1,
      name: '赵六六',
      stage: '成交',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: '赵六六',
      stage: 'closed',
      city: '杭州',
      phone: '+8613800138002',
      tags: ['老客户'],
      version: 2,
      createdAt: created.createdAt,
      updatedAt: '2024-03-20T00:00:00.000Z',
    });
    const again = await api.patch(`/api/customers/${created.id}`, { version: 2, vip: true });
    expect(again.body).toMatchObject({ vip: true, version: 3, name: '赵六六' });
  });

  it('clears optional fields sent as null or blank', async () => {
    const created = await create({ name: '清空', city: '杭州', email: 'a@b.cn', tags: ['x'] });
    const updated = await api.patch(`/api/customers/${created.id}`, {
      version: 1,
      city: null,
      email: '',
      tags: [],
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ city: null, email: null, tags: [] });
  });

  it('refuses a stale version with 409 VERSION_CONFLICT and changes nothing', async () => {
    const created = await create({ name: '并发', city: '苏州' });
    const first = await api.patch(`/api/customers/${created.id}`, { version: 1, city: '无锡' });
    expect(first.body.version).toBe(2);
    const stale = await api.patch(`/api/customers/${created.id}`, {
      version: 1,
      city: '常州',
      name: '并发改名',
    });
    const details = stale.body.error?.details;
    expectError(stale, 409, 'VERSION_CONFLICT');
    expect(details).toMatchObject({ currentVersion: 2, yourVersion: 1 });
    const read = await api.get(`/api/customers/${created.id}`);
    expect(read.body).toMatchObject({
      city: '无锡',
      name: '并发',
      version: 2,
      updatedAt: first.body.updatedAt,
    });
  });

  it('refuses a version from the future', async () => {
    const created = await create({ name: '未来版本' });
    expectError(
      await api.patch(`/api/customers/${created.id}`, { version: 5, city: 'x' }),
      409,
      'VERSION_CONFLICT',
    );
  });

  it('requires the version', async () => {
    const created = await create({ name: '无版本' });
    expectError(await api.patch(`/api/customers/${created.id}`, { city: '上海' }), 400, 'VALIDATION_FAILED', [
      'version',
    ]);
    expect((await api.get(`/api/customers/${created.id}`)).body.city).toBeNull();
  });

  it('refuses a blank name', async () => {
    const created = await create({ name: '有名字' });
    for (const name of ['', '   ', null]) {
      const response = await api.patch(`/api/customers/${created.id}`, { version: 1, name });
      expectError(response, 400, 'VALIDATION_FAILED', ['name']);
    }
    expect((await api.get(`/api/customers/${created.id}`)).body).toMatchObject({
      name: '有名字',
      version: 1,
    });
  });

  it('accepts an update that changes nothing but the version', async () => {
    const created = await create({ name: '空更新' });
    const response = await api.patch(`/api/customers/${created.id}`, { version: 1 });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: '空更新', version: 2 });
  });
});

describe('concurrent writes', () => {
  it('gives concurrent creations distinct consecutive numbers', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api.post('/api/customers', { name: `并发客户${i}` })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(201));
    const seqs = responses
      .map((response) => Number(String(response.body.code).slice(6)))
      .sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(12);
    expect((seqs.at(-1) as number) - (seqs[0] as number)).toBe(11);
  });

  it('lets exactly one of several updates from the same version win', async () => {
    const created = await create({ name: '抢着改' });
    const responses = await Promise.all(
      ['甲', '乙', '丙', '丁', '戊'].map((city) =>
        api.patch(`/api/customers/${created.id}`, { version: 1, city }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    const winner = responses.find((response) => response.status === 200)?.body;
    const read = await api.get(`/api/customers/${created.id}`);
    expect(read.body).toMatchObject({ city: winner.city, version: 2 });
  });
});

describe('concurrent duplicates', () => {
  it('refuses all but one of several creations with the same code, naming the code field', async () => {
    const before = await customerCount();
    const responses = await Promise.all(
      [1, 2, 3, 4].map((i) => api.post('/api/customers', { name: `抢编号${i}`, code: 'RACE-1' })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409]);
    for (const response of responses.filter((r) => r.status === 409)) {
      expectError(response, 409, 'DUPLICATE', ['code']);
    }
    expect(await customerCount()).toBe(before + 1);
  });
});
