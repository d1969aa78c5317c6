import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { addTestUser, createTestApp, type TestApp } from '../../../test/test-context.js';

let clock = new Date('2024-03-15T10:00:00+08:00');
let t: TestApp;
let api: ApiClient;
/** name → id of the fixture customers. */
const ids = new Map<string, number>();
const codes = new Map<string, string>();

interface Fixture {
  createdAt: string;
  fields: Record<string, unknown>;
  purchases?: [string, string][];
}

/** Seven customers chosen so that every filter tells some of them apart, with ties and NULLs for sorting. */
const fixtures: Record<string, Fixture> = {
  张三: {
    createdAt: '2024-03-01T00:10:00+08:00',
    fields: {
      type: '个人',
      stage: '意向',
      status: 'active',
      vip: true,
      industry: '制造业',
      source: '官网',
      province: '广东',
      city: '深圳',
      gender: 'male',
      ageBand: '25_34',
      incomeLevel: 'high',
      creditStatus: 'good',
      paymentMethod: '银行转账',
      communicationChannel: 'wechat',
      owner: 'u1',
      tags: ['重点', '华南'],
      firstContactOn: '2024-01-10',
      cooperationStartOn: '2024-02-01',
      custom: { level: 'gold', hobbies: ['golf', 'tea'], score: 9, since: '2023-05-01' },
    },
    purchases: [
      ['2024-03-05', '100.00'],
      ['2024-02-20', '50.50'],
    ],
  },
  李四: {
    createdAt: '2024-03-01T23:50:00+08:00',
    fields: {
      type: '企业',
      company: '北京字节跳动',
      stage: 'closed',
      industry: '互联网',
      source: '展会',
      companySize: 'large',
      province: '北京',
      city: '北京',
      creditStatus: 'watch',
      paymentMethod: '现金',
      communicationChannel: 'email',
      owner: 'u2',
      tags: ['重点'],
      firstContactOn: '2024-02-01',
      custom: { level: 'silver', hobbies: ['tea'], score: 5, since: '2022-01-01' },
    },
    purchases: [['2024-02-10', '1000.00']],
  },
  王五: {
    createdAt: '2024-02-29T23:59:00+08:00',
    fields: {
      type: 'enterprise',
      stage: 'potential',
      status: '暂停',
      industry: '制造业',
      companySize: 'small',
      province: '广东',
      city: '广州',
      gender: 'female',
      incomeLevel: 'middle',
      tags: ['华南'],
      firstContactOn: '2023-12-01',
      custom: { score: 10, hobbies: ['wine'] },
    },
    purchases: [['2024-03-05', '50.50']],
  },
  赵六: {
    createdAt: '2024-03-02T00:00:00+08:00',
    fields: { stage: '流失', status: 'terminated', province: '浙江', city: '杭州', ageBand: '55_plus' },
  },
  alice: {
    createdAt: '2024-03-10T12:00:00+08:00',
    fields: { province: '上海', tags: ['latin'], custom: { score: 5 } },
  },
  bob: {
    createdAt: '2024-03-10T12:00:00+08:00',
    fields: { province: '上海', tags: ['latin'] },
    purchases: [['2024-01-15', '150.50']],
  },
  carol: {
    createdAt: '2024-03-11T09:00:00+08:00',
    fields: { tags: ['latin'] },
    purchases: [['2024-03-05', '0.00']],
  },
};
const ALL = Object.keys(fixtures);

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  api = apiClient(t.app);
  await addTestUser(t.ctx, 'u1', 'sales');
  await addTestUser(t.ctx, 'u2', 'sales');
  const fields = [
    {
      key: 'level',
      type: 'single_select',
      labelZh: '等级',
      labelEn: 'Level',
      options: [
        { value: 'gold', labelZh: '金牌', labelEn: 'Gold' },
        { value: 'silver', labelZh: '银牌', labelEn: 'Silver' },
      ],
    },
    {
      key: 'hobbies',
      type: 'multi_select',
      labelZh: '爱好',
      labelEn: 'Hobbies',
      options: [
        { value: 'golf', labelZh: '高尔夫', labelEn: 'Golf' },
        { value: 'tea', labelZh: '茶', labelEn: 'Tea' },
        { value: 'wine', labelZh: '红酒', labelEn: 'Wine' },
      ],
    },
    { key: 'score', type: 'number', labelZh: '评分', labelEn: 'Score' },
    { key: 'since', type: 'date', labelZh: '起始', labelEn: 'Since' },
  ];
  for (const field of fields) expect((await api.post('/api/custom-fields', field)).status).toBe(201);
  for (const [name, fixture] of Object.entries(fixtures)) {
    clock = new Date(fixture.createdAt);
    const created = await api.post('/api/customers', { name, ...fixture.fields });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids.set(name, created.body.id);
    codes.set(name, created.body.code);
    for (const [occurredOn, amount] of fixture.purchases ?? []) {
      const tx = await api.post(`/api/customers/${created.body.id}/transactions`, { occurredOn, amount });
      expect(tx.status, JSON.stringify(tx.body)).toBe(201);
    }
  }
  clock = new Date('2024-03-15T10:00:00+08:00');
});
afterAll(() => t.close());

async function list(query: string) {
  const response = await api.get(`/api/customers?${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { items: { id: number; name: string }[]; total: number; nextCursor: string | null };
}

/** The names a query finds, sorted, and checks that `total` agrees. */
async function namesFound(query: string): Promise<string[]> {
  const page = await list(`${query}&limit=500`);
  expect(page.total).toBe(page.items.length);
  return page.items.map((item) => item.name).sort();
}

const sorted = (names: string[]) => [...names].sort();

/** Walks every page of a query with the given page size; returns the names in order. */
async function walk(query: string, limit: number): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await list(
      `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.items.length).toBeLessThanOrEqual(limit);
    names.push(...page.items.map((item) => item.name));
    cursor = page.nextCursor;
    pages++;
    expect(pages).toBeLessThan(100);
  } while (cursor);
  return names;
}

describe('equality filters', () => {
  it.each([
    ['type=enterprise', ['李四', '王五']],
    ['type=企业', ['李四', '王五']],
    ['type=个人', ['张三', '赵六', 'alice', 'bob', 'carol']],
    ['stage=意向', ['张三']],
    ['stage=intent&stage=成交', ['张三', '李四']],
    ['stage=potential', ['王五', 'alice', 'bob', 'carol']],
    ['status=paused', ['王五']],
    ['status=终止', ['赵六']],
    ['vip=true', ['张三']],
    ['vip=是', ['张三']],
    ['vip=false', ['李四', '王五', '赵六', 'alice', 'bob', 'carol']],
    ['industry=制造业', ['张三', '王五']],
    ['industry=制造业&industry=互联网', ['张三', '李四', '王五']],
    ['source=展会', ['李四']],
    ['companySize=large', ['李四']],
    ['companySize=小型', ['王五']],
    ['province=广东', ['张三', '王五']],
    ['city=深圳', ['张三']],
    ['city=深圳&city=杭州', ['张三', '赵六']],
    ['province=广东&city=广州', ['王五']],
    ['gender=女', ['王五']],
    ['ageBand=55_plus', ['赵六']],
    ['incomeLevel=middle', ['王五']],
    ['creditStatus=关注', ['李四']],
    ['paymentMethod=现金', ['李四']],
    ['communicationChannel=邮件', ['李四']],
    ['owner=u1', ['张三']],
    ['owner=u1&owner=u2', ['张三', '李四']],
    ['province=广东&stage=potential', ['王五']],
    ['province=火星', []],
  ])('%s finds %j', async (query, names) => {
    expect(await namesFound(query)).toEqual(sorted(names));
  });

  it('finds by customer number', async () => {
    expect(await namesFound(`code=${codes.get('李四')}`)).toEqual(['李四']);
  });

  it('ignores a filter given without a value', async () => {
    expect(await namesFound('stage=&city=')).toEqual(sorted(ALL));
  });
});

describe('tag filters', () => {
  it.each([
    ['tag=重点', ['张三', '李四']],
    ['tag=重点&tag=华南', ['张三']],
    ['tag=不存在', []],
    ['anyTag=重点&anyTag=华南', ['张三', '李四', '王五']],
    ['anyTag=latin', ['alice', 'bob', 'carol']],
    ['tag=华南&anyTag=重点', ['张三']],
  ])('%s finds %j', async (query, names) => {
    expect(await namesFound(query)).toEqual(sorted(names));
  });
});

describe('range filters', () => {
  it.each([
    // 张三 was created at 00:10 and 李四 at 23:50 on 1 March in China; 王五 at 23:59 on 29 February.
    ['createdFrom=2024-03-01&createdTo=2024-03-01', ['张三', '李四']],
    ['createdTo=2024-02-29', ['王五']],
    ['createdFrom=2024-03-02&createdTo=2024-03-09', ['赵六']],
    ['createdFrom=2024-03-10', ['alice', 'bob', 'carol']],
    ['createdFrom=2024/3/10&createdTo=2024/3/10', ['alice', 'bob']],
    ['firstContactFrom=2024-01-10&firstContactTo=2024-02-01', ['张三', '李四']],
    ['firstContactTo=2023-12-31', ['王五']],
    ['cooperationStartFrom=2024-02-01', ['张三']],
    ['lastPurchaseFrom=2024-03-01&lastPurchaseTo=2024-03-31', ['张三', '王五', 'carol']],
    ['lastPurchaseTo=2024-02-10', ['李四', 'bob']],
    ['totalSpentMin=150.5', ['张三', '李四', 'bob']],
    ['totalSpentMin=50.50&totalSpentMax=150.50', ['张三', '王五', 'bob']],
    ['totalSpentMax=0', ['赵六', 'alice', 'carol']],
    ['orderCountMin=2', ['张三']],
    ['orderCountMax=0', ['赵六', 'alice']],
  ])('%s finds %j', async (query, names) => {
    expect(await namesFound(query)).toEqual(sorted(names));
  });

  it('finds by updatedFrom/updatedTo with China local dates', async () => {
    clock = new Date('2024-04-01T23:30:00+08:00');
    const id = ids.get('赵六') as number;
    const current = (await api.get(`/api/customers/${id}`)).body;
    expect(
      (await api.patch(`/api/customers/${id}`, { version: current.version, notes: '更新' })).status,
    ).toBe(200);
    clock = new Date('2024-03-15T10:00:00+08:00');
    expect(await namesFound('updatedFrom=2024-04-01&updatedTo=2024-04-01')).toEqual(['赵六']);
    expect(await namesFound('updatedFrom=2024-04-02')).toEqual([]);
  });
});

describe('custom field filters', () => {
  it.each([
    ['cf.level=gold', ['张三']],
    ['cf.level=金牌', ['张三']],
    ['cf.level=gold&cf.level=silver', ['张三', '李四']],
    ['cf.hobbies=tea', ['张三', '李四']],
    ['cf.hobbies=wine', ['王五']],
    ['cf.hobbies=golf&cf.hobbies=wine', ['张三', '王五']],
    ['cf.score=10', ['王五']],
    ['cf.score.min=5&cf.score.max=9', ['张三', '李四', 'alice']],
    ['cf.score.min=9.5', ['王五']],
    ['cf.since.min=2023-01-01', ['张三']],
    ['cf.since.max=2023-01-01', ['李四']],
    ['cf.level=gold&province=广东', ['张三']],
    ['cf.level=', ALL],
  ])('%s finds %j', async (query, names) => {
    expect(await namesFound(query)).toEqual(sorted(names));
  });

  it.each([
    ['cf.score=many', 'cf.score'],
    ['cf.level=bronze', 'cf.level'],
    ['cf.since=someday', 'cf.since'],
    ['cf.level.min=1', 'cf.level.min'],
    ['cf.score.max=lots', 'cf.score.max'],
    ['cf.since.min=2024-02-30', 'cf.since.min'],
    ['cf.score.avg=1', 'cf.score.avg'],
  ])('refuses %s', async (query, field) => {
    expectError(await api.get(`/api/customers?${query}`), 400, 'VALIDATION_FAILED', [field]);
  });
});

describe('total and pages', () => {
  it('gives the filtered count as total, not the page size', async () => {
    const first = await list('type=enterprise&limit=1');
    expect(first.total).toBe(2);
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(
      `type=enterprise&limit=1&cursor=${encodeURIComponent(first.nextCursor as string)}`,
    );
    expect(second.total).toBe(2);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
    expect(second.nextCursor).toBeNull();
  });

  it('has no next page when everything fits', async () => {
    const page = await list('limit=7');
    expect(page.items).toHaveLength(7);
    expect(page.nextCursor).toBeNull();
  });

  it('defaults to the newest customers first', async () => {
    const page = await list('');
    expect(page.items.map((item) => item.name)).toEqual([
      'carol',
      'bob',
      'alice',
      '赵六',
      '李四',
      '张三',
      '王五',
    ]);
  });
});

describe('sorting and keyset pagination', () => {
  const orders: [string, string[]][] = [
    ['createdAt', ['王五', '张三', '李四', '赵六', 'alice', 'bob', 'carol']],
    ['-createdAt', ['carol', 'bob', 'alice', '赵六', '李四', '张三', '王五']],
    ['totalSpent', ['赵六', 'alice', 'carol', '王五', '张三', 'bob', '李四']],
    ['-totalSpent', ['李四', 'bob', '张三', '王五', 'carol', 'alice', '赵六']],
    ['lastPurchaseOn', ['bob', '李四', '张三', '王五', 'carol', '赵六', 'alice']],
    ['-lastPurchaseOn', ['carol', '王五', '张三', '李四', 'bob', 'alice', '赵六']],
    ['orderCount', ['赵六', 'alice', '李四', '王五', 'bob', 'carol', '张三']],
    ['-orderCount', ['张三', 'carol', 'bob', '王五', '李四', 'alice', '赵六']],
    ['cf.score', ['李四', 'alice', '张三', '王五', '赵六', 'bob', 'carol']],
    ['-cf.score', ['王五', '张三', 'alice', '李四', 'carol', 'bob', '赵六']],
    ['-firstContactOn', ['李四', '张三', '王五', 'carol', 'bob', 'alice', '赵六']],
  ];

  it.each(orders)('sorts by %s', async (sort, names) => {
    expect((await list(`sort=${sort}&limit=500`)).items.map((item) => item.name)).toEqual(names);
  });

  it.each(orders)('walks every page of sort=%s, each row once in order', async (sort, names) => {
    for (const limit of [1, 2, 3]) expect(await walk(`sort=${sort}`, limit)).toEqual(names);
  });

  it.each([
    ['name', ['alice', 'bob', 'carol']],
    ['-name', ['carol', 'bob', 'alice']],
  ])('sorts by %s', async (sort, names) => {
    expect((await list(`sort=${sort}&tag=latin`)).items.map((item) => item.name)).toEqual(names);
    expect(await walk(`sort=${sort}&tag=latin`, 1)).toEqual(names);
  });

  it.each([
    'name',
    '-name',
    'code',
    '-code',
    'province',
    '-province',
    'stage',
    'cf.level',
    '-cf.since',
    'updatedAt',
  ])('walks every page of sort=%s in the order of one big page', async (sort) => {
    const all = (await list(`sort=${sort}&limit=500`)).items.map((item) => item.name);
    expect(sorted(all)).toEqual(sorted(ALL));
    for (const limit of [1, 2, 4]) expect(await walk(`sort=${sort}`, limit)).toEqual(all);
  });

  it('walks the pages of a filtered list', async () => {
    expect(await walk('sort=-totalSpent&anyTag=latin&anyTag=重点', 1)).toEqual([
      '李四',
      'bob',
      '张三',
      'carol',
      'alice',
    ]);
  });

  it('refuses a cursor made for another sort', async () => {
    const page = await list('sort=name&limit=1');
    const cursor = encodeURIComponent(page.nextCursor as string);
    expectError(
      await api.get(`/api/customers?sort=-name&limit=1&cursor=${cursor}`),
      400,
      'VALIDATION_FAILED',
      ['cursor'],
    );
    expectError(await api.get(`/api/customers?limit=1&cursor=${cursor}`), 400, 'VALIDATION_FAILED', [
      'cursor',
    ]);
    expect((await api.get(`/api/customers?sort=name&limit=1&cursor=${cursor}`)).status).toBe(200);
  });

  it.each(['cf.nothing', 'password', '-search_text', 'cf.'])('refuses sort=%s', async (sort) => {
    expectError(await api.get(`/api/customers?sort=${sort}`), 400, 'VALIDATION_FAILED', ['sort']);
  });

  it('pages through creation times that differ by microseconds', async () => {
    const made: number[] = [];
    for (const name of ['m1', 'm2', 'm3', 'm4', 'm5']) {
      const created = await api.post('/api/customers', { name, tags: ['micro'] });
      made.push(created.body.id);
    }
    // As a PostgreSQL server's now() records them: same millisecond, different microseconds, one tie.
    const instants = [
      '2024-05-01 00:00:00.000100+00',
      '2024-05-01 00:00:00.000300+00',
      '2024-05-01 00:00:00.000200+00',
      '2024-05-01 00:00:00.000300+00',
      '2024-05-01 00:00:00.000900+00',
    ];
    for (const [i, id] of made.entries()) {
      await t.db.query('UPDATE customers SET created_at = $1::timestamptz WHERE id = $2', [instants[i], id]);
    }
    expect(await walk('tag=micro&sort=createdAt', 1)).toEqual(['m1', 'm3', 'm2', 'm4', 'm5']);
    expect(await walk('tag=micro&sort=-createdAt', 1)).toEqual(['m5', 'm4', 'm2', 'm3', 'm1']);
    expect(await walk('tag=micro&sort=-createdAt', 2)).toEqual(['m5', 'm4', 'm2', 'm3', 'm1']);
  });
});
