import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';

let t: TestApp;
let api: ApiClient;
let sales: TestUser;
let other: TestUser;
let mine: number;
let theirs: number;

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2026-01-15T12:00:00+08:00') });
  api = apiClient(t.app);
  sales = await addTestUser(t.ctx, 'sales1', 'sales');
  other = await addTestUser(t.ctx, 'sales2', 'sales');
  const customer = async (name: string, ownerId: number, amounts: number[]) => {
    const created = await api.post('/api/customers', { name, ownerId });
    expect(created.status).toBe(201);
    for (const [i, amount] of amounts.entries()) {
      const recorded = await api.post(`/api/customers/${created.body.id}/transactions`, {
        occurredOn: `2025-${String(10 + i).padStart(2, '0')}-10`,
        amount: String(amount),
      });
      expect(recorded.status).toBe(201);
    }
    return created.body.id as number;
  };
  mine = await customer('甲公司', sales.id, [600, 600, 600]);
  theirs = await customer('乙公司', other.id, [50]);
});
afterAll(() => t.close());

const asUser = (user: TestUser) => ({
  get: (url: string) => t.app.inject({ url, headers: user.headers }),
  post: (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, payload, headers: user.headers }),
});

describe('tier API', () => {
  it('lists presets and creates schemes from a preset or a definition, refusing bad ones with paths', async () => {
    const presets = await api.get('/api/tiers/presets');
    expect(presets.body.items.map((preset: { id: string }) => preset.id)).toEqual([
      'monthly-spend',
      'ecommerce-membership',
      'hotel',
      'abc',
    ]);
    const created = await api.post('/api/tiers/schemes', { preset: 'monthly-spend' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'monthly-spend', version: 1, active: true });
    expectError(await api.post('/api/tiers/schemes', { preset: 'monthly-spend' }), 409, 'DUPLICATE');
    const bad = await api.post('/api/tiers/schemes', {
      definition: {
        ...presets.body.items[2],
        id: 'hotel2',
        rules: [
          { id: 'x', to: 'vip', when: { metric: 'nope', op: '>', value: 1 }, reason: { zh: 'a', en: 'b' } },
        ],
      },
    });
    expectError(bad, 400, 'VALIDATION_FAILED', ['rules.0.when.metric']);
    const schemes = await api.get('/api/tiers/schemes');
    expect(schemes.body.items).toMatchObject([{ id: 'monthly-spend', assigned: 0, lastReviewOn: null }]);
  });

  it('previews and applies a review; assignments, distribution and customer history follow', async () => {
    const preview = await api.post('/api/tiers/schemes/monthly-spend/reviews', { asOf: '2025-12-31' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      dryRun: true,
      changesTotal: 2,
      counts: { high: 1, mid: 0, low: 1 },
    });
    expect((await api.get('/api/tiers/schemes/monthly-spend/assignments')).body.items).toEqual([]);
    const applied = await api.post('/api/tiers/schemes/monthly-spend/reviews', {
      asOf: '2025-12-31',
      dryRun: false,
    });
    expect(applied.body.changes.map((change: { to: string }) => change.to).sort()).toEqual(['high', 'low']);
    const assigned = await api.get('/api/tiers/schemes/monthly-spend/assignments?tier=high');
    expect(assigned.body.items).toMatchObject([{ customerId: mine, tier: 'high', since: '2025-12-31' }]);
    const distribution = await api.get('/api/tiers/schemes/monthly-spend/distribution');
    expect(distribution.body).toEqual({
      current: { high: 1, mid: 0, low: 1 },
      overTime: [{ asOf: '2025-12-31', counts: { high: 1, mid: 0, low: 1 } }],
    });
    const tiers = await api.get(`/api/customers/${mine}/tiers`);
    expect(tiers.body.items).toMatchObject([{ scheme: 'monthly-spend', tier: 'high' }]);
    expect(tiers.body.history[0].reason.zh).toBe('您最近3个月每月消费均超过500元');
    const reviews = await api.get('/api/tiers/schemes/monthly-spend/reviews');
    expect(reviews.body.items).toMatchObject([{ asOf: '2025-12-31', trigger: 'manual', changes: 2 }]);
  });

  it('keeps each user to their data scope, and reviews to those who manage tiers', async () => {
    const listed = await asUser(sales).get('/api/tiers/schemes/monthly-spend/assignments');
    expect(listed.json().items.map((item: { customerId: number }) => item.customerId)).toEqual([mine]);
    expect((await asUser(sales).get(`/api/customers/${theirs}/tiers`)).statusCode).toBe(404);
    const distribution = await asUser(sales).get('/api/tiers/schemes/monthly-spend/distribution');
    expect(distribution.json()).toEqual({ current: { high: 1, mid: 0, low: 0 }, overTime: [] });
    expect(
      (await asUser(sales).post('/api/tiers/schemes/monthly-spend/reviews', { asOf: '2025-12-31' }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await asUser(sales).post(`/api/customers/${mine}/tiers/monthly-spend/override`, {
          tier: 'low',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('overrides with a reason and releases the lock', async () => {
    const set = await api.post(`/api/customers/${theirs}/tiers/monthly-spend/override`, {
      tier: 'mid',
      reason: '老客户关照',
      until: '2026-06-30',
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      tier: 'mid',
      override: { reason: '老客户关照', locked: true, until: '2026-06-30' },
    });
    expectError(
      await api.post(`/api/customers/${theirs}/tiers/monthly-spend/override`, { tier: 'gold', reason: '' }),
      400,
      'VALIDATION_FAILED',
      ['tier', 'reason'],
    );
    expect((await api.del(`/api/customers/${theirs}/tiers/monthly-spend/override`)).status).toBe(204);
    expectError(await api.del(`/api/customers/${theirs}/tiers/monthly-spend/override`), 404, 'NOT_FOUND');
    const history = (await api.get(`/api/customers/${theirs}/tiers`)).body.history;
    expect(history[0]).toMatchObject({
      kind: 'override',
      from: 'low',
      to: 'mid',
      reason: { zh: '人工调整：老客户关照' },
    });
  });

  it('keeps notices in an outbox, exports them as CSV and marks them sent', async () => {
    const pending = await api.get('/api/tiers/notices?status=pending');
    expect(pending.body.items.map((notice: { text: { zh: string } }) => notice.text.zh)).toContain(
      '您最近3个月每月消费均超过500元，已评定为高级客户。',
    );
    const csv = await t.app.inject({ url: '/api/tiers/notices?format=csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFFid,customer,name,scheme,date,from,to,status,text_zh,text_en')).toBe(
      true,
    );
    const ids = pending.body.items.map((notice: { id: number }) => notice.id);
    expect((await api.post('/api/tiers/notices/mark', { ids, status: 'sent' })).body).toEqual({
      updated: ids.length,
    });
    expect((await api.get('/api/tiers/notices?status=pending')).body.items).toEqual([]);
  });

  it('backtests a saved scheme and a draft without writing anything', async () => {
    const result = await api.post('/api/tiers/backtests', {
      scheme: 'monthly-spend',
      from: '2025-10-01',
      to: '2025-12-31',
      every: 'month',
    });
    expect(result.status).toBe(200);
    expect(result.body.periods.map((period: { asOf: string }) => period.asOf)).toEqual([
      '2025-10-31',
      '2025-11-30',
      '2025-12-31',
    ]);
    expectError(
      await api.post('/api/tiers/backtests', { from: '2025-10-01', to: '2025-12-31' }),
      400,
      'VALIDATION_FAILED',
      ['scheme'],
    );
  });

  it('saves an edited scheme as a new version and switches scheduled reviews off', async () => {
    const current = (await api.get('/api/tiers/schemes/monthly-spend')).body;
    const saved = await api.put('/api/tiers/schemes/monthly-spend', {
      ...current.definition,
      cadence: 'quarterly',
    });
    expect(saved.body).toMatchObject({ version: 2, definition: { cadence: 'quarterly' } });
    const paused = await api.patch('/api/tiers/schemes/monthly-spend', { active: false });
    expect(paused.body.active).toBe(false);
    const shown = await api.get('/api/tiers/schemes/monthly-spend?version=1');
    expect(shown.body).toMatchObject({ version: 1, definition: { cadence: 'monthly' } });
    expect(shown.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });
});
