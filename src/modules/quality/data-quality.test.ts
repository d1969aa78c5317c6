import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { COMPLETENESS_WEIGHTS, completenessScore } from './completeness.js';

let t: TestApp;
let api: ApiClient;
let rep: TestUser;
let marketing: TestUser;
const ids: Record<string, number> = {};

const NOW = new Date('2026-01-15T12:00:00+08:00');

async function create(key: string, payload: object, user?: TestUser) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/customers',
    payload,
    ...(user ? { headers: user.headers } : {}),
  });
  expect(response.statusCode, response.body).toBe(201);
  ids[key] = response.json().id;
}

async function setUpdatedAt(key: string, at: string) {
  await t.db.query('UPDATE customers SET updated_at = $2 WHERE id = $1', [ids[key], at]);
}

beforeAll(async () => {
  t = await createTestApp({ now: () => NOW });
  api = apiClient(t.app);
  rep = await addTestUser(t.ctx, 'rep', 'sales');
  marketing = await addTestUser(t.ctx, 'mkt', 'marketing');
  // Everything weighted: 100.
  await create('full', {
    name: '杭州全信息科技有限公司',
    phone: '13800000001',
    email: 'a@example.cn',
    province: '浙江',
    city: '杭州',
    address: '西湖区文三路 1 号',
    industry: '软件',
    source: '展会',
    firstContactOn: '2025-01-02',
    wechat: 'quanxinxi',
    communicationChannel: 'wechat',
  });
  // Name and owner: 15. Untouched since June, never bought, never contacted: stale.
  await create('bare', { name: '空白客户' });
  await setUpdatedAt('bare', '2025-06-01T00:00:00+08:00');
  // Name, phone, industry, owner (the rep): 45. Old record, but a purchase in December: not stale.
  await create('partial', { name: '半完整', phone: '13800000002', industry: '零售' }, rep);
  await api.post(`/api/customers/${ids.partial}/transactions`, { occurredOn: '2025-12-01', amount: '10.00' });
  await setUpdatedAt('partial', '2025-01-01T00:00:00+08:00');
  // Only a province (no city): the region does not count. 15. Old, but contacted last week: not stale.
  await create('contacted', { name: '最近联系过', province: '江苏' });
  await setUpdatedAt('contacted', '2024-01-01T00:00:00+08:00');
  await t.db.query(
    `INSERT INTO communications (customer_id, occurred_at, channel, content, created_by)
     VALUES ($1, '2026-01-08T10:00:00+08:00', 'phone', '回访', 'test')`,
    [ids.contacted],
  );
  await t.db.query('UPDATE customers SET last_contacted_at = $2, updated_at = $3 WHERE id = $1', [
    ids.contacted,
    '2026-01-08T10:00:00+08:00',
    '2024-01-01T00:00:00+08:00',
  ]);
  await api.post(`/api/customers/${ids.bare}/consents`, { purpose: 'marketing' });
});
afterAll(() => t.close());

describe('completeness weights', () => {
  it('add up to 100, one entry per field', () => {
    expect(COMPLETENESS_WEIGHTS.reduce((sum, { weight }) => sum + weight, 0)).toBe(100);
    expect(new Set(COMPLETENESS_WEIGHTS.map(({ field }) => field)).size).toBe(COMPLETENESS_WEIGHTS.length);
    expect(completenessScore(new Set(COMPLETENESS_WEIGHTS.map(({ field }) => field)))).toBe(100);
    expect(completenessScore(new Set(['name', 'owner']))).toBe(15);
  });
});

describe('data quality', () => {
  it('scores every customer in SQL as the weights say, and lists the incomplete ones with what they miss', async () => {
    const list = await api.get('/api/quality/incomplete?below=101&sort=-score');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(4);
    const byId = new Map(list.body.items.map((item: { id: number }) => [item.id, item]));
    expect(byId.get(ids.full)).toMatchObject({ score: 100, missing: [] });
    expect(byId.get(ids.partial)).toMatchObject({
      score: 45,
      owner: 'rep',
      missing: [
        'email',
        'region',
        'address',
        'source',
        'firstContactOn',
        'wechatOrQq',
        'communicationChannel',
      ],
    });
    for (const item of list.body.items as { score: number; missing: string[] }[]) {
      const present = COMPLETENESS_WEIGHTS.map(({ field }) => field).filter((f) => !item.missing.includes(f));
      expect(item.score).toBe(completenessScore(new Set(present)));
    }
    expect(list.body.items.map((item: { score: number }) => item.score)).toEqual([100, 45, 15, 15]);

    const incomplete = await api.get('/api/quality/incomplete');
    expect(incomplete.body).toMatchObject({ total: 3 });
    expect(incomplete.body.items.map((item: { id: number }) => item.id)).toEqual([
      ids.bare,
      ids.contacted,
      ids.partial,
    ]);
    const paged = await api.get('/api/quality/incomplete?limit=1&offset=1');
    expect(paged.body).toMatchObject({ total: 3, items: [{ id: ids.contacted }] });
  });

  it('lists stale customers: no update, no purchase and no contact for N days', async () => {
    const stale = await api.get('/api/quality/stale');
    expect(stale.body).toMatchObject({ days: 180, total: 1, items: [{ id: ids.bare, idleDays: 228 }] });
    const longer = await api.get('/api/quality/stale?days=30');
    expect(longer.body.items.map((item: { id: number }) => item.id)).toEqual([ids.bare, ids.partial]);
    expect(longer.body.items[1]).toMatchObject({ lastPurchaseOn: '2025-12-01', idleDays: 45 });
  });

  it('summarises by score band, field and staleness', async () => {
    const summary = await api.get('/api/quality/summary');
    expect(summary.body).toMatchObject({
      customers: 4,
      averageScore: 43.8,
      incomplete: 3,
      incompleteBelow: 60,
      stale: 1,
      staleDays: 180,
      bands: [
        { band: '0-39', count: 2 },
        { band: '40-59', count: 1 },
        { band: '60-79', count: 0 },
        { band: '80-100', count: 1 },
      ],
    });
    const fields = Object.fromEntries(
      summary.body.fields.map((f: { field: string; filled: number }) => [f.field, f.filled]),
    );
    expect(fields).toMatchObject({ name: 4, phone: 2, region: 1, owner: 4, wechatOrQq: 1 });
  });

  it('keeps to the data scope, and to consenting customers for marketing', async () => {
    const asRep = await t.app.inject({ url: '/api/quality/summary', headers: rep.headers });
    expect(asRep.json()).toMatchObject({ customers: 1, averageScore: 45, stale: 0 });
    const repList = await t.app.inject({ url: '/api/quality/incomplete?below=101', headers: rep.headers });
    expect(repList.json().items.map((item: { id: number }) => item.id)).toEqual([ids.partial]);
    const asMarketing = await t.app.inject({ url: '/api/quality/stale', headers: marketing.headers });
    expect(asMarketing.json().items.map((item: { id: number }) => item.id)).toEqual([ids.bare]);
    const mkSummary = await t.app.inject({ url: '/api/quality/summary', headers: marketing.headers });
    expect(mkSummary.json()).toMatchObject({ customers: 1 });
  });

  it('refuses bad parameters with the parameter named', async () => {
    expectError(await api.get('/api/quality/stale?days=0'), 400, 'VALIDATION_FAILED', ['querystring.days']);
    expectError(await api.get('/api/quality/incomplete?sort=phone'), 400, 'VALIDATION_FAILED', [
      'querystring.sort',
    ]);
    expect(
      (await t.app.inject({ url: '/api/quality/summary', headers: { authorization: '' } })).statusCode,
    ).toBe(401);
  });
});
