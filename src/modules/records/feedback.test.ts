import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { clientAs, expectOk } from '../../../test/records.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';

let t: TestApp;
let api: ApiClient;
let sales: TestUser;
let clock = new Date('2024-03-15T10:00:00+08:00');
beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  api = apiClient(t.app);
  sales = await addTestUser(t.ctx, 'sales-fb', 'sales');
});
afterAll(() => t.close());

async function newCustomer(name: string, owner?: string): Promise<number> {
  return expectOk(await api.post('/api/customers', { name, ...(owner ? { owner } : {}) }), 201).id;
}

async function count(customerId: number): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM feedback WHERE customer_id = $1',
    [customerId],
  );
  return rows[0]?.n ?? 0;
}

describe('feedback', () => {
  it('records a review with a rating and a suggestion without one; neither has a due time', async () => {
    const customerId = await newCustomer('反馈客户');
    const review = expectOk(
      await api.post(`/api/customers/${customerId}/feedback`, {
        kind: '评价',
        rating: '5',
        content: '服务很好',
      }),
      201,
    );
    expect(review).toMatchObject({
      kind: 'review',
      rating: 5,
      status: 'open',
      receivedAt: '2024-03-15T02:00:00.000Z',
      dueAt: null,
      resolvedAt: null,
      overdue: false,
      timeToResolveHours: null,
    });
    const suggestion = expectOk(
      await api.post(`/api/customers/${customerId}/feedback`, {
        kind: 'suggestion',
        content: '希望增加夜间配送',
      }),
      201,
    );
    expect(suggestion).toMatchObject({ kind: 'suggestion', rating: null, dueAt: null });
  });

  it.each([
    [{ rating: 0 }, ['rating']],
    [{ rating: 6 }, ['rating']],
    [{ rating: '4.5' }, ['rating']],
    [{ rating: 'five' }, ['rating']],
    [{ kind: 'praise' }, ['kind']],
    [{ content: '' }, ['content']],
    [{ status: 'done?' }, ['status']],
    [{ receivedAt: '2024-13-01 10:00' }, ['receivedAt']],
    [{ handlerId: 999999 }, ['handlerId']],
    [{ dueAt: '2024-03-20 10:00' }, ['dueAt']],
    [{ kind: 'complaint', receivedAt: '2024-03-10 10:00', dueAt: '2024-03-09 10:00' }, ['dueAt']],
    [{ status: 'resolved', receivedAt: '2024-03-10 10:00', resolvedAt: '2024-03-09 10:00' }, ['resolvedAt']],
  ])('refuses %j with 400, writing nothing', async (change, fields) => {
    const customerId = await newCustomer('无效反馈');
    expectError(
      await api.post(`/api/customers/${customerId}/feedback`, { kind: 'review', content: '内容', ...change }),
      400,
      'VALIDATION_FAILED',
      fields,
    );
    expect(await count(customerId)).toBe(0);
  });
});

describe('complaints', () => {
  it('are due 48 hours after they came in, and overdue while open after that', async () => {
    const customerId = await newCustomer('投诉客户');
    const complaint = expectOk(
      await api.post(`/api/customers/${customerId}/feedback`, {
        kind: '投诉',
        rating: 1,
        content: '送货延误三天',
        receivedAt: '2024-03-12 09:00',
        handlerId: sales.id,
      }),
      201,
    );
    expect(complaint).toMatchObject({
      receivedAt: '2024-03-12T01:00:00.000Z',
      dueAt: '2024-03-14T01:00:00.000Z',
      overdue: true,
      handlerId: sales.id,
      handler: 'sales-fb',
    });
    const handling = expectOk(
      await api.patch(`/api/customers/${customerId}/feedback/${complaint.id}`, { status: '处理中' }),
    );
    expect(handling).toMatchObject({ status: 'in_progress', overdue: true, resolvedAt: null });
    const resolved = expectOk(
      await api.patch(`/api/customers/${customerId}/feedback/${complaint.id}`, {
        status: 'resolved',
        resolution: '补发并赔偿运费',
      }),
    );
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolvedAt: '2024-03-15T02:00:00.000Z',
      timeToResolveHours: 73,
      overdue: false,
    });
    const closed = expectOk(
      await api.patch(`/api/customers/${customerId}/feedback/${complaint.id}`, { status: 'closed' }),
    );
    expect(closed.resolvedAt).toBe('2024-03-15T02:00:00.000Z');
    const reopened = expectOk(
      await api.patch(`/api/customers/${customerId}/feedback/${complaint.id}`, { status: 'open' }),
    );
    expect(reopened).toMatchObject({ resolvedAt: null, timeToResolveHours: null, overdue: true });
  });

  it('take their due time from the complaints.due_hours setting, or the one given', async () => {
    expectError(await api.put('/api/settings/complaints', { dueHours: 0 }), 400, 'VALIDATION_FAILED', [
      'dueHours',
    ]);
    expect(expectOk(await api.put('/api/settings/complaints', { dueHours: 24 }))).toEqual({ dueHours: 24 });
    expect(expectOk(await api.get('/api/settings/complaints'))).toEqual({ dueHours: 24 });
    const customerId = await newCustomer('时限客户');
    const quick = expectOk(
      await api.post(`/api/customers/${customerId}/feedback`, {
        kind: 'complaint',
        content: 'a',
        receivedAt: '2024-03-15 08:00',
      }),
      201,
    );
    expect(quick.dueAt).toBe('2024-03-16T00:00:00.000Z');
    const given = expectOk(
      await api.post(`/api/customers/${customerId}/feedback`, {
        kind: 'complaint',
        content: 'b',
        receivedAt: '2024-03-15 08:00',
        dueAt: '2024-03-15 12:00',
      }),
      201,
    );
    expect(given.dueAt).toBe('2024-03-15T04:00:00.000Z');
    const review = expectOk(
      await api.post(`/api/customers/${customerId}/feedback`, { kind: 'review', content: 'c' }),
      201,
    );
    const becomes = expectOk(
      await api.patch(`/api/customers/${customerId}/feedback/${review.id}`, { kind: 'complaint' }),
    );
    expect(becomes.dueAt).toBe('2024-03-16T02:00:00.000Z');
    expect(expectOk(await api.put('/api/settings/complaints', { dueHours: 48 }))).toEqual({ dueHours: 48 });
  });
});

describe('the complaint list', () => {
  let alpha: number;
  let beta: number;
  let hidden: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    alpha = await newCustomer('投诉甲', 'sales-fb');
    beta = await newCustomer('投诉乙', 'sales-fb');
    hidden = await newCustomer('投诉丙');
    const add = async (name: string, customerId: number, receivedAt: string, status = 'open') => {
      ids[name] = expectOk(
        await api.post(`/api/customers/${customerId}/feedback`, {
          kind: 'complaint',
          content: name,
          receivedAt,
          status,
        }),
        201,
      ).id;
    };
    // Now is 2024-03-15 10:00 (+08): due = received + 48 h.
    await add('late-old', alpha, '2024-03-01 09:00');
    await add('late-new', beta, '2024-03-12 09:00', 'in_progress');
    await add('fresh', alpha, '2024-03-15 09:00');
    await add('fresher', beta, '2024-03-15 09:30');
    await add('done-late', alpha, '2024-03-02 09:00', 'resolved');
    await add('other-rep', hidden, '2024-03-03 09:00');
    await api.post(`/api/customers/${alpha}/feedback`, { kind: 'review', content: 'not a complaint' });
  });

  /** The complaints of this block by name (other tests' complaints left out). */
  const names = (items: { id: number }[]) =>
    items
      .map((item) => Object.entries(ids).find(([, id]) => id === item.id)?.[0] ?? '?')
      .filter((name) => name !== '?');

  it('puts overdue complaints first, then the rest by due time', async () => {
    const all = expectOk(await api.get('/api/complaints?limit=500'));
    expect(names(all.items)).toEqual(['late-old', 'other-rep', 'late-new', 'done-late', 'fresh', 'fresher']);
    expect(all.items.filter((item: { overdue: boolean }) => item.overdue).length).toBeGreaterThanOrEqual(3);
    expect(all.items[0]).toMatchObject({ customerCode: expect.any(String), customerName: '投诉甲' });
  });

  it('filters by overdue and status, and walks its pages', async () => {
    expect(names(expectOk(await api.get('/api/complaints?overdue=true')).items)).toEqual([
      'late-old',
      'other-rep',
      'late-new',
    ]);
    expect(names(expectOk(await api.get('/api/complaints?status=resolved,closed')).items)).toEqual([
      'done-late',
    ]);
    expect(names(expectOk(await api.get('/api/complaints?status=待处理&overdue=false')).items)).toEqual([
      'fresh',
      'fresher',
    ]);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = expectOk(await api.get(`/api/complaints?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...page.items.map((item: { id: number }) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names(seen.map((id) => ({ id })))).toEqual([
      'late-old',
      'other-rep',
      'late-new',
      'done-late',
      'fresh',
      'fresher',
    ]);
  });

  it("shows only the complaints of the caller's customers", async () => {
    const asSales = clientAs(t.app, sales);
    expect(names(expectOk(await asSales.get('/api/complaints?overdue=true')).items)).toEqual([
      'late-old',
      'late-new',
    ]);
    expectError(await asSales.get(`/api/customers/${hidden}/feedback`), 404, 'NOT_FOUND');
  });

  it('refuses unknown parameters and values', async () => {
    expectError(await api.get('/api/complaints?status=lost'), 400, 'VALIDATION_FAILED', ['status']);
    expectError(await api.get('/api/complaints?overdue=maybe'), 400, 'VALIDATION_FAILED', [
      'querystring.overdue',
    ]);
    expectError(await api.get('/api/complaints?cursor=abc'), 400, 'VALIDATION_FAILED', ['cursor']);
    expectError(await api.get('/api/complaints?kind=review'), 400, 'VALIDATION_FAILED', ['querystring.kind']);
  });

  it('stops being overdue as time passes only by being resolved', async () => {
    const customerId = await newCustomer('时钟客户');
    const made = expectOk(
      await api.post(`/api/customers/${customerId}/feedback`, { kind: 'complaint', content: 'x' }),
      201,
    );
    expect(made.overdue).toBe(false);
    clock = new Date('2024-03-18T10:00:00+08:00');
    try {
      const later = expectOk(await api.get(`/api/customers/${customerId}/feedback?kind=complaint`));
      expect(later.items[0]).toMatchObject({ id: made.id, overdue: true });
    } finally {
      clock = new Date('2024-03-15T10:00:00+08:00');
    }
  });
});
