import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { createTestApp, type TestApp } from '../../../test/test-context.js';

let t: TestApp;
let api: ApiClient;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-03-15T10:00:00+08:00') });
  api = apiClient(t.app);
});
afterAll(() => t.close());

async function newCustomer(name: string): Promise<number> {
  const created = await api.post('/api/customers', { name });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function record(customerId: number, payload: Record<string, unknown>) {
  const response = await api.post(`/api/customers/${customerId}/transactions`, payload);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function summary(customerId: number) {
  const { body } = await api.get(`/api/customers/${customerId}`);
  const { totalSpent, orderCount, averageOrderValue, firstPurchaseOn, lastPurchaseOn } = body;
  return { totalSpent, orderCount, averageOrderValue, firstPurchaseOn, lastPurchaseOn };
}

async function count(table: 'transactions' | 'contacts' | 'customers', customerId?: number): Promise<number> {
  const where = customerId === undefined ? '' : ` WHERE ${table === 'customers' ? 'id' : 'customer_id'} = $1`;
  const { rows } = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table}${where}`,
    customerId === undefined ? [] : [customerId],
  );
  return rows[0]?.n ?? 0;
}

describe('recording transactions', () => {
  it('records a transaction and returns it with exact decimal strings', async () => {
    const customerId = await newCustomer('交易客户');
    const tx = await record(customerId, {
      occurredOn: '2024/3/5',
      product: '茶叶礼盒',
      category: '礼品',
      quantity: '2.5',
      amount: '1,234.50',
      cost: 800,
      channel: '门店',
      externalRef: 'SO-1',
      notes: '春节',
    });
    expect(tx).toMatchObject({
      customerId,
      occurredOn: '2024-03-05',
      product: '茶叶礼盒',
      category: '礼品',
      quantity: '2.500',
      amount: '1234.50',
      cost: '800.00',
      channel: '门店',
      externalRef: 'SO-1',
      notes: '春节',
      createdAt: '2024-03-15T02:00:00.000Z',
    });
  });

  it('defaults the quantity to one and leaves the cost empty', async () => {
    const customerId = await newCustomer('默认数量');
    const tx = await record(customerId, { occurredOn: '2024-03-01', amount: 19.9 });
    expect(tx).toMatchObject({ quantity: '1.000', amount: '19.90', cost: null, externalRef: null });
  });

  it('adds 0.10 and 0.20 to exactly 0.30', async () => {
    const customerId = await newCustomer('精确小数');
    await record(customerId, { occurredOn: '2024-03-01', amount: '0.10' });
    await record(customerId, { occurredOn: '2024-03-02', amount: 0.2 });
    expect(await summary(customerId)).toEqual({
      totalSpent: '0.30',
      orderCount: 2,
      averageOrderValue: '0.15',
      firstPurchaseOn: '2024-03-01',
      lastPurchaseOn: '2024-03-02',
    });
  });

  it('keeps every digit of large amounts', async () => {
    const customerId = await newCustomer('大额');
    const tx = await record(customerId, { occurredOn: '2024-01-01', amount: '12345678901.99' });
    expect(tx.amount).toBe('12345678901.99');
    await record(customerId, { occurredOn: '2024-01-02', amount: '12345678901.99' });
    await record(customerId, { occurredOn: '2024-01-03', amount: '0.01' });
    expect(await summary(customerId)).toMatchObject({
      totalSpent: '24691357803.99',
      orderCount: 3,
      averageOrderValue: '8230452601.33',
    });
  });

  it('records a refund as a negative amount', async () => {
    const customerId = await newCustomer('退款');
    await record(customerId, { occurredOn: '2024-01-01', amount: '100.00' });
    await record(customerId, { occurredOn: '2024-01-05', amount: '-30.50' });
    expect((await summary(customerId)).totalSpent).toBe('69.50');
  });

  it.each([
    [{ amount: 'abc' }, ['amount']],
    [{ amount: '1.234' }, ['amount']],
    [{ amount: '' }, ['amount']],
    [{ amount: null }, ['amount']],
    [{ amount: '1e5' }, ['amount']],
    [{ amount: '123456789012345.00' }, ['amount']],
    [{ amount: true }, ['amount']],
    [{}, ['amount']],
    [{ amount: '10', cost: '-1' }, ['cost']],
    [{ amount: '10', quantity: '-2' }, ['quantity']],
    [{ amount: '10', quantity: '1.2345' }, ['quantity']],
    [{ amount: '10', occurredOn: '2024-02-30' }, ['occurredOn']],
    [{ amount: 'x', occurredOn: 'soon' }, ['amount', 'occurredOn']],
  ])('refuses %j and writes nothing', async (payload, fields) => {
    const customerId = await newCustomer('无效交易');
    await record(customerId, { occurredOn: '2024-01-01', amount: '5.00' });
    const before = await summary(customerId);
    const response = await api.post(`/api/customers/${customerId}/transactions`, {
      occurredOn: '2024-03-01',
      ...payload,
    });
    expectError(response, 400, 'VALIDATION_FAILED', fields);
    expect(await count('transactions', customerId)).toBe(1);
    expect(await summary(customerId)).toEqual(before);
  });

  it('requires the date', async () => {
    const customerId = await newCustomer('无日期');
    expectError(
      await api.post(`/api/customers/${customerId}/transactions`, { amount: '1' }),
      400,
      'VALIDATION_FAILED',
      ['occurredOn'],
    );
  });

  it('answers 404 for a customer that does not exist', async () => {
    const before = await count('transactions');
    expectError(
      await api.post('/api/customers/999999/transactions', { occurredOn: '2024-01-01', amount: '1' }),
      404,
      'NOT_FOUND',
    );
    expectError(await api.get('/api/customers/999999/transactions'), 404, 'NOT_FOUND');
    expect(await count('transactions')).toBe(before);
  });
});

describe('external references', () => {
  it('refuses a reference used before by the same customer with 409 DUPLICATE', async () => {
    const customerId = await newCustomer('单号');
    await record(customerId, { occurredOn: '2024-01-01', amount: '10', externalRef: 'ORD-7' });
    const response = await api.post(`/api/customers/${customerId}/transactions`, {
      occurredOn: '2024-01-02',
      amount: '20',
      externalRef: 'ORD-7',
    });
    expectError(response, 409, 'DUPLICATE', ['externalRef']);
    expect(await count('transactions', customerId)).toBe(1);
    expect((await summary(customerId)).totalSpent).toBe('10.00');
  });

  it('accepts the same reference for another customer', async () => {
    const a = await newCustomer('单号甲');
    const b = await newCustomer('单号乙');
    await record(a, { occurredOn: '2024-01-01', amount: '10', externalRef: 'SHARED-1' });
    await record(b, { occurredOn: '2024-01-01', amount: '10', externalRef: 'SHARED-1' });
  });

  it('refuses changing a reference to one the customer already used', async () => {
    const customerId = await newCustomer('改单号');
    await record(customerId, { occurredOn: '2024-01-01', amount: '10', externalRef: 'R-1' });
    const second = await record(customerId, { occurredOn: '2024-01-02', amount: '20', externalRef: 'R-2' });
    const response = await api.patch(`/api/customers/${customerId}/transactions/${second.id}`, {
      externalRef: 'R-1',
      amount: '99',
    });
    expectError(response, 409, 'DUPLICATE', ['externalRef']);
    const list = await api.get(`/api/customers/${customerId}/transactions`);
    expect(list.body.items.find((tx: { id: number }) => tx.id === second.id)).toMatchObject({
      externalRef: 'R-2',
      amount: '20.00',
    });
  });

  it('lets a transaction keep its own reference on update', async () => {
    const customerId = await newCustomer('保留单号');
    const tx = await record(customerId, { occurredOn: '2024-01-01', amount: '10', externalRef: 'KEEP-1' });
    const response = await api.patch(`/api/customers/${customerId}/transactions/${tx.id}`, {
      externalRef: 'KEEP-1',
      amount: '11',
    });
    expect(response.status).toBe(200);
    expect(response.body.amount).toBe('11.00');
  });
});

describe('correcting and deleting transactions', () => {
  it('keeps the purchase summary in step on create, update and delete', async () => {
    const customerId = await newCustomer('汇总');
    const first = await record(customerId, { occurredOn: '2024-02-01', amount: '100.00' });
    const second = await record(customerId, { occurredOn: '2024-03-01', amount: '50.25' });
    expect(await summary(customerId)).toEqual({
      totalSpent: '150.25',
      orderCount: 2,
      averageOrderValue: '75.13',
      firstPurchaseOn: '2024-02-01',
      lastPurchaseOn: '2024-03-01',
    });

    const corrected = await api.patch(`/api/customers/${customerId}/transactions/${first.id}`, {
      amount: '10.00',
      occurredOn: '2024-04-01',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ amount: '10.00', occurredOn: '2024-04-01' });
    expect(await summary(customerId)).toEqual({
      totalSpent: '60.25',
      orderCount: 2,
      averageOrderValue: '30.13',
      firstPurchaseOn: '2024-03-01',
      lastPurchaseOn: '2024-04-01',
    });

    expect((await api.del(`/api/customers/${customerId}/transactions/${first.id}`)).status).toBe(204);
    expect(await summary(customerId)).toEqual({
      totalSpent: '50.25',
      orderCount: 1,
      averageOrderValue: '50.25',
      firstPurchaseOn: '2024-03-01',
      lastPurchaseOn: '2024-03-01',
    });

    expect((await api.del(`/api/customers/${customerId}/transactions/${second.id}`)).status).toBe(204);
    expect(await summary(customerId)).toEqual({
      totalSpent: '0.00',
      orderCount: 0,
      averageOrderValue: null,
      firstPurchaseOn: null,
      lastPurchaseOn: null,
    });
  });

  it('refuses an invalid correction and changes nothing', async () => {
    const customerId = await newCustomer('无效更正');
    const tx = await record(customerId, { occurredOn: '2024-02-01', amount: '100.00' });
    const response = await api.patch(`/api/customers/${customerId}/transactions/${tx.id}`, {
      amount: '1.001',
      occurredOn: '2024-02-30',
    });
    expectError(response, 400, 'VALIDATION_FAILED', ['amount', 'occurredOn']);
    expect(await summary(customerId)).toMatchObject({ totalSpent: '100.00', lastPurchaseOn: '2024-02-01' });
  });

  it("answers 404 for another customer's transaction and changes nothing", async () => {
    const owner = await newCustomer('交易所有者');
    const stranger = await newCustomer('交易陌生人');
    const tx = await record(owner, { occurredOn: '2024-02-01', amount: '100.00' });
    const url = `/api/customers/${stranger}/transactions/${tx.id}`;
    expectError(await api.patch(url, { amount: '1' }), 404, 'NOT_FOUND');
    expectError(await api.del(url), 404, 'NOT_FOUND');
    expect((await summary(owner)).totalSpent).toBe('100.00');
    expect((await summary(stranger)).totalSpent).toBe('0.00');
  });

  it('deletes the contacts and transactions of a deleted customer', async () => {
    const customerId = await newCustomer('连带删除');
    await record(customerId, { occurredOn: '2024-02-01', amount: '1' });
    await record(customerId, { occurredOn: '2024-02-02', amount: '2' });
    expect((await api.post(`/api/customers/${customerId}/contacts`, { name: '联系人' })).status).toBe(201);
    const otherTransactions = (await count('transactions')) - 2;
    expect((await api.del(`/api/customers/${customerId}`)).status).toBe(204);
    expect(await count('transactions', customerId)).toBe(0);
    expect(await count('contacts', customerId)).toBe(0);
    expect(await count('transactions')).toBe(otherTransactions);
  });
});

describe('listing transactions', () => {
  let alpha: number;
  let beta: number;
  const names = new Map<number, string>();

  beforeAll(async () => {
    alpha = await newCustomer('列表甲');
    beta = await newCustomer('列表乙');
    const rows: [number, string, string, string, string, string][] = [
      [alpha, 'a1', '2024-01-10', '茶叶', '食品', '门店'],
      [alpha, 'a2', '2024-02-10', '茶具', '器具', '网店'],
      [beta, 'b1', '2024-02-10', '茶叶', '食品', '网店'],
      [alpha, 'a3', '2024-02-10', '茶叶', '食品', '网店'],
      [beta, 'b2', '2024-03-01', '茶具', '器具', '门店'],
      [beta, 'b3', '2023-12-31', '茶叶', '食品', '门店'],
    ];
    for (const [customerId, notes, occurredOn, product, category, channel] of rows) {
      const tx = await record(customerId, { occurredOn, amount: '10', product, category, channel, notes });
      names.set(tx.id, notes);
    }
  });

  async function notesOf(url: string): Promise<string[]> {
    const response = await api.get(url);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return (response.body.items as { id: number }[]).map((tx) => names.get(tx.id) ?? '?');
  }

  /** Walks every page of GET /api/transactions; returns the ids in order. */
  async function walk(query: string, limit: number): Promise<number[]> {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const response = await api.get(
        `/api/transactions?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...(response.body.items as { id: number }[]).map((tx) => tx.id));
      cursor = response.body.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error('too many pages');
  }

  const notes = (txIds: number[]) => txIds.map((id) => names.get(id) ?? '?');

  const customersOf = (key: 'alpha' | 'beta') => (key === 'alpha' ? alpha : beta);

  it("lists a customer's transactions, newest first", async () => {
    expect(await notesOf(`/api/customers/${alpha}/transactions`)).toEqual(['a3', 'a2', 'a1']);
    expect(await notesOf(`/api/customers/${customersOf('beta')}/transactions`)).toEqual(['b2', 'b1', 'b3']);
  });

  it.each([
    ['customerId=ALPHA', ['a3', 'a2', 'a1']],
    ['customerId=BETA&from=2024-01-01', ['b2', 'b1']],
    ['customerId=ALPHA&from=2024-02-10&to=2024-02-10', ['a3', 'a2']],
    ['customerId=BETA&to=2024/2/10', ['b1', 'b3']],
    ['customerId=ALPHA&category=食品', ['a3', 'a1']],
    ['customerId=BETA&product=茶具', ['b2']],
    ['customerId=ALPHA&channel=网店', ['a3', 'a2']],
  ])('filters GET /api/transactions?%s', async (query, expected) => {
    const url = `/api/transactions?${query.replace('ALPHA', String(alpha)).replace('BETA', String(beta))}`;
    expect(await notesOf(url)).toEqual(expected);
  });

  it('walks every page of all transactions once, newest first and ties by id', async () => {
    const { body } = await api.get('/api/transactions?limit=500');
    const everything = body.items as { id: number; occurredOn: string }[];
    expect(body.nextCursor).toBeNull();
    expect(everything.length).toBe(await count('transactions'));
    const expected = [...everything].sort((a, b) =>
      a.occurredOn === b.occurredOn ? b.id - a.id : a.occurredOn < b.occurredOn ? 1 : -1,
    );
    expect(everything.map((tx) => tx.id)).toEqual(expected.map((tx) => tx.id));
    expect(notes(everything.map((tx) => tx.id)).filter((note) => note !== '?')).toEqual([
      'b2',
      'a3',
      'b1',
      'a2',
      'a1',
      'b3',
    ]);
    for (const limit of [1, 2, 3, 7]) {
      expect(await walk('', limit)).toEqual(everything.map((tx) => tx.id));
    }
  });

  it('walks the pages of a filtered list', async () => {
    expect(notes(await walk(`customerId=${beta}`, 1))).toEqual(['b2', 'b1', 'b3']);
    expect(notes(await walk('category=食品&channel=网店', 1))).toEqual(['a3', 'b1']);
    expect(notes(await walk(`customerId=${alpha}&from=2024-02-10`, 1))).toEqual(['a3', 'a2']);
  });

  it.each([
    ['limit=0', ['limit']],
    ['limit=501', ['limit']],
    ['limit=abc', ['querystring.limit']],
    ['from=2024-02-30', ['from']],
    ['to=tomorrow', ['to']],
    ['cursor=nonsense', ['cursor']],
    ['customer=1', ['querystring.customer']],
    ['customer=1&sort=amount', ['querystring.customer', 'querystring.sort']],
  ])('refuses %s', async (query, fields) => {
    expectError(await api.get(`/api/transactions?${query}`), 400, 'VALIDATION_FAILED', fields);
  });
});

describe('concurrent transactions', () => {
  it('keeps the summary exact when transactions of one customer are recorded at the same time', async () => {
    const customerId = await newCustomer('并发交易');
    const days = Array.from({ length: 16 }, (_, i) => `2024-05-${String(i + 1).padStart(2, '0')}`);
    const responses = await Promise.all(
      days.map((occurredOn) =>
        api.post(`/api/customers/${customerId}/transactions`, { occurredOn, amount: '1.01' }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(16).fill(201));
    expect(await summary(customerId)).toEqual({
      totalSpent: '16.16',
      orderCount: 16,
      averageOrderValue: '1.01',
      firstPurchaseOn: '2024-05-01',
      lastPurchaseOn: '2024-05-16',
    });
  });

  it('keeps the summary exact when transactions are corrected and deleted at the same time', async () => {
    const customerId = await newCustomer('并发更正');
    const made = [];
    for (let i = 0; i < 8; i++)
      made.push(await record(customerId, { occurredOn: '2024-06-01', amount: '10.00' }));
    await Promise.all([
      ...made
        .slice(0, 4)
        .map((tx) => api.patch(`/api/customers/${customerId}/transactions/${tx.id}`, { amount: '0.50' })),
      ...made.slice(4).map((tx) => api.del(`/api/customers/${customerId}/transactions/${tx.id}`)),
    ]);
    expect(await summary(customerId)).toMatchObject({ totalSpent: '2.00', orderCount: 4 });
  });
});

describe('concurrent duplicate references', () => {
  it('refuses all but one of several transactions with the same reference, naming the field', async () => {
    const customerId = await newCustomer('抢单号');
    const responses = await Promise.all(
      [1, 2, 3, 4].map(() =>
        api.post(`/api/customers/${customerId}/transactions`, {
          occurredOn: '2024-07-01',
          amount: '5',
          externalRef: 'RACE-REF',
        }),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409]);
    for (const response of responses.filter((r) => r.status === 409)) {
      expectError(response, 409, 'DUPLICATE', ['externalRef']);
    }
    expect(await summary(customerId)).toMatchObject({ totalSpent: '5.00', orderCount: 1 });
  });
});
