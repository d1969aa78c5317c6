import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { clientAs, expectOk } from '../../../test/records.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { customerTimeline } from './timeline.js';

let t: TestApp;
let api: ApiClient;
let sales: TestUser;
let customerId: number;

interface Item {
  kind: string;
  id: number;
  at: string;
  title: { zh: string; en: string };
  summary: string | null;
  data: Record<string, unknown>;
}

async function page(query: string): Promise<{ items: Item[]; nextCursor: string | null }> {
  return expectOk(await api.get(`/api/customers/${customerId}/timeline${query}`));
}

async function walk(customer: number, query: string, limit: number): Promise<Item[]> {
  const seen: Item[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 500; i++) {
    const response = expectOk(
      await api.get(
        `/api/customers/${customer}/timeline?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ),
    );
    expect(response.items.length).toBeLessThanOrEqual(limit);
    seen.push(...response.items);
    cursor = response.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('too many pages');
}

async function addFollowup(
  customer: number,
  values: { due: string; status: string; completed?: string; outcome?: string },
) {
  await t.db.query(
    `INSERT INTO followups (customer_id, due_at, method, content, status, completed_at, outcome, created_by)
     VALUES ($1, $2, 'phone', '回访报价', $3, $4, $5, 'test')`,
    [customer, values.due, values.status, values.completed ?? null, values.outcome ?? null],
  );
}

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-03-15T10:00:00+08:00') });
  api = apiClient(t.app);
  sales = await addTestUser(t.ctx, 'sales-tl', 'sales');
  customerId = expectOk(await api.post('/api/customers', { name: '时间线客户' }), 201).id;
  const url = `/api/customers/${customerId}`;
  expectOk(
    await api.post(`${url}/transactions`, {
      occurredOn: '2024-03-05',
      amount: '1280.00',
      product: '茶叶礼盒',
    }),
    201,
  );
  expectOk(
    await api.post(`${url}/transactions`, { occurredOn: '2024-02-20', amount: '-80.00', notes: '退货' }),
    201,
  );
  expectOk(
    await api.post(`${url}/communications`, {
      occurredAt: '2024-03-05 00:00',
      channel: 'phone',
      content: '确认收货',
    }),
    201,
  );
  expectOk(
    await api.post(`${url}/communications`, {
      occurredAt: '2024-03-12 15:00',
      channel: 'visit',
      direction: 'inbound',
      content: '客户到店看样品',
      nextStep: '寄样',
    }),
    201,
  );
  expectOk(
    await api.post(`${url}/feedback`, {
      kind: 'complaint',
      rating: 2,
      content: '包装破损',
      receivedAt: '2024-03-08 09:00',
    }),
    201,
  );
  expectOk(
    await api.post(`${url}/service-records`, {
      request: '更换包装',
      category: '售后',
      openedAt: '2024-03-09 10:00',
    }),
    201,
  );
  const project = expectOk(
    await api.post(`${url}/projects`, {
      name: '年度供货',
      contractAmount: '10000',
      instalments: [
        { dueOn: '2024-03-05', amount: '5000', label: '首付款' },
        { dueOn: '2024-06-30', amount: '5000', label: '尾款' },
      ],
    }),
    201,
  );
  expectOk(
    await api.post(`${url}/projects/${project.id}/payments`, { receivedOn: '2024-03-05', amount: '5000' }),
    201,
  );
  expectOk(await api.post('/api/tiers/schemes', { preset: 'monthly-spend' }), 201);
  expectOk(await api.post(`${url}/tiers/monthly-spend/override`, { tier: 'high', reason: '战略客户' }));
  await addFollowup(customerId, {
    due: '2024-03-10T10:00:00+08:00',
    status: 'done',
    completed: '2024-03-11T09:30:00+08:00',
    outcome: '已报价',
  });
  await addFollowup(customerId, { due: '2024-03-20T10:00:00+08:00', status: 'planned' });
});
afterAll(() => t.close());

describe('the customer timeline', () => {
  it('merges every source newest first, with titles in both languages', async () => {
    const { items, nextCursor } = await page('');
    expect(nextCursor).toBeNull();
    expect(items.map((item) => [item.kind, item.at, item.title.zh])).toEqual(
      [
        ['instalment', '2024-06-29T16:00:00.000Z', '应收款到期 ¥5000.00（年度供货）'],
        ['followup', '2024-03-20T02:00:00.000Z', '跟进计划：电话'],
        ['tier', '2024-03-14T16:00:00.000Z', '人工调整等级：无 → high（monthly-spend）'],
        ['project', '2024-03-15T02:00:00.000Z', '新项目：年度供货，合同 ¥10000.00（进行中）'],
        ['communication', '2024-03-12T07:00:00.000Z', '拜访沟通（客户来联系）'],
        ['followup', '2024-03-11T01:30:00.000Z', '跟进已完成：电话'],
        ['service', '2024-03-09T02:00:00.000Z', '服务请求：售后（待处理）'],
        ['feedback', '2024-03-08T01:00:00.000Z', '投诉 2星（待处理，已超期）'],
        // The same instant (midnight of 5 March in China): kinds in reverse order, then ids.
        ['transaction', '2024-03-04T16:00:00.000Z', '交易 ¥1280.00 · 茶叶礼盒'],
        ['payment', '2024-03-04T16:00:00.000Z', '收到回款 ¥5000.00（年度供货）'],
        ['instalment', '2024-03-04T16:00:00.000Z', '应收款到期 ¥5000.00（年度供货）'],
        ['communication', '2024-03-04T16:00:00.000Z', '电话沟通（主动联系）'],
        ['transaction', '2024-02-19T16:00:00.000Z', '退款 ¥80.00'],
      ].sort((a, b) => (a[1] === b[1] ? 0 : (a[1] as string) < (b[1] as string) ? 1 : -1)),
    );
    const visit = items.find((item) => item.kind === 'communication' && item.summary === '客户到店看样品');
    expect(visit).toMatchObject({
      title: { zh: '拜访沟通（客户来联系）', en: 'Visit (inbound)' },
      data: {
        channel: 'visit',
        direction: 'inbound',
        nextStep: '寄样',
        occurredAt: '2024-03-12T07:00:00.000Z',
      },
    });
    const payment = items.find((item) => item.kind === 'payment');
    expect(payment).toMatchObject({
      title: { en: 'Payment received ¥5000.00 (年度供货)' },
      data: { amount: '5000.00', receivedOn: '2024-03-05', projectName: '年度供货' },
    });
    const refund = items.find((item) => item.kind === 'transaction' && item.data.amount === '-80.00');
    expect(refund).toMatchObject({ summary: '退货', title: { en: 'Refund ¥80.00' } });
    expect(items.find((item) => item.kind === 'feedback')?.title.en).toBe('Complaint 2/5 (open, overdue)');
  });

  it('filters by kind', async () => {
    const { items } = await page('?kinds=communication,transaction');
    expect(items.map((item) => item.kind)).toEqual([
      'communication',
      'transaction',
      'communication',
      'transaction',
    ]);
    expect((await page('?kinds=payment&kinds=tier')).items.map((item) => item.kind)).toEqual([
      'tier',
      'payment',
    ]);
  });

  it('walks every page once, for every page size and filter', async () => {
    const everything = (await page('?limit=200')).items;
    for (const limit of [1, 2, 3, 5, 7]) {
      expect(await walk(customerId, '', limit)).toEqual(everything);
    }
    const some = (await page('?kinds=transaction,payment,instalment,communication')).items;
    expect(await walk(customerId, '&kinds=transaction,payment,instalment,communication', 1)).toEqual(some);
  });

  it('refuses unknown kinds, bad limits and cursors with 400', async () => {
    expectError(
      await api.get(`/api/customers/${customerId}/timeline?kinds=email`),
      400,
      'VALIDATION_FAILED',
      ['kinds'],
    );
    expectError(await api.get(`/api/customers/${customerId}/timeline?limit=0`), 400, 'VALIDATION_FAILED', [
      'limit',
    ]);
    expectError(await api.get(`/api/customers/${customerId}/timeline?limit=201`), 400, 'VALIDATION_FAILED', [
      'limit',
    ]);
    expectError(await api.get(`/api/customers/${customerId}/timeline?cursor=abc`), 400, 'VALIDATION_FAILED', [
      'cursor',
    ]);
    expectError(await api.get(`/api/customers/${customerId}/timeline?sort=at`), 400, 'VALIDATION_FAILED', [
      'querystring.sort',
    ]);
    expectError(await api.get('/api/customers/999999/timeline'), 404, 'NOT_FOUND');
  });

  it("answers 404 for another rep's customer and shows the rep's own", async () => {
    const asSales = clientAs(t.app, sales);
    expectError(await asSales.get(`/api/customers/${customerId}/timeline`), 404, 'NOT_FOUND');
    const own = expectOk(await asSales.post('/api/customers', { name: '销售自己的' }), 201);
    expectOk(
      await asSales.post(`/api/customers/${own.id}/communications`, { channel: 'sms', content: 'hi' }),
      201,
    );
    expect(expectOk(await asSales.get(`/api/customers/${own.id}/timeline`)).items).toHaveLength(1);
  });
});

describe('the API description', () => {
  it('lists the record and timeline endpoints in the OpenAPI document', async () => {
    const { paths } = expectOk(await api.get('/api/docs/json'));
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/customers/{id}/timeline',
        '/api/customers/{id}/communications',
        '/api/customers/{id}/feedback',
        '/api/customers/{id}/service-records',
        '/api/customers/{id}/projects/{projectId}/payments',
        '/api/complaints',
        '/api/imports/communications',
      ]),
    );
  });
});

describe('pagination with many ties', () => {
  it('orders by (time, kind, id) and pages through identical times without loss or repetition', async () => {
    const id = expectOk(await api.post('/api/customers', { name: '并列时间' }), 201).id;
    const url = `/api/customers/${id}`;
    const days = ['2024-01-01', '2024-01-02', '2024-01-03'];
    for (const day of days) {
      for (let i = 0; i < 3; i++) {
        expectOk(await api.post(`${url}/transactions`, { occurredOn: day, amount: String(i + 1) }), 201);
        expectOk(
          await api.post(`${url}/communications`, {
            occurredAt: day,
            channel: 'email',
            content: `${day}#${i}`,
          }),
          201,
        );
        expectOk(
          await api.post(`${url}/communications`, {
            occurredAt: `${day} 12:00`,
            channel: 'email',
            content: `${day} noon`,
          }),
          201,
        );
        expectOk(
          await api.post(`${url}/feedback`, { kind: 'review', receivedAt: day, content: `${day}` }),
          201,
        );
      }
    }
    const all = (await customerTimeline(t.ctx, id, { limit: 200 })).items;
    expect(all).toHaveLength(36);
    const sorted = [...all].sort((a, b) =>
      a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.kind !== b.kind ? (a.kind < b.kind ? 1 : -1) : b.id - a.id,
    );
    expect(all).toEqual(sorted);
    for (const limit of [1, 2, 4, 5, 11]) {
      expect(await walk(id, '', limit)).toEqual(all);
    }
  });
});
