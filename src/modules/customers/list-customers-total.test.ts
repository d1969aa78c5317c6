import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { createTestApp, type TestApp } from '../../../test/test-context.js';
import { bulkInsertCustomers } from './bulk-insert-customers.js';
import { COUNT_CAP, type ListParams, listCustomers } from './list-customers.js';

/**
 * The total is counted up to COUNT_CAP matches at the real cap: 5,100 customers, of which
 * 5,000 (exactly the cap) are in 广东, 5,001 (one more) carry the tag `many` and are called 张…,
 * and 99 are called 李….
 */
const CUSTOMERS = COUNT_CAP + 100;
let t: TestApp;
let api: ApiClient;

beforeAll(async () => {
  t = await createTestApp();
  api = apiClient(t.app);
  const rows = Array.from({ length: CUSTOMERS }, (_, i) => ({
    fields: {
      name: i <= COUNT_CAP ? `张${i}` : `李${i}`,
      province: i < COUNT_CAP ? '广东' : '浙江',
      tags: i <= COUNT_CAP ? ['many'] : ['few'],
    },
    custom: {},
  }));
  await t.db.transaction((tx) =>
    bulkInsertCustomers(tx, rows, ['name', 'province', 'tags'], '2024-03-15', t.ctx.keyring),
  );
  await t.db.exec('ANALYZE customers');
});
afterAll(() => t.close());

const list = (params: ListParams) => listCustomers(t.ctx, params);

describe('total', () => {
  it('is the cap, marked inexact, when more customers match', async () => {
    const page = await list({});
    expect(page).toMatchObject({ total: COUNT_CAP, totalIsExact: false });
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(await list({ tag: 'many', limit: '1' })).toMatchObject({ total: COUNT_CAP, totalIsExact: false });
    expect(await list({ search: '张', limit: '1' })).toMatchObject({ total: COUNT_CAP, totalIsExact: false });
  });

  it('counts every match with exactTotal', async () => {
    expect(await list({ exactTotal: 'true' })).toMatchObject({ total: CUSTOMERS, totalIsExact: true });
    expect(await list({ tag: 'many', exactTotal: '1', limit: '1' })).toMatchObject({
      total: COUNT_CAP + 1,
      totalIsExact: true,
    });
    expect(await list({ search: '张', exactTotal: 'yes', limit: '1' })).toMatchObject({
      total: COUNT_CAP + 1,
      totalIsExact: true,
    });
    expect(await list({ exactTotal: 'false', limit: '1' })).toMatchObject({
      total: COUNT_CAP,
      totalIsExact: false,
    });
  });

  it('is exact up to the cap', async () => {
    expect(await list({ province: '广东', limit: '1' })).toMatchObject({
      total: COUNT_CAP,
      totalIsExact: true,
    });
    const few = await list({ search: '李', limit: '500' });
    expect(few).toMatchObject({ total: 99, totalIsExact: true, nextCursor: null });
    expect(few.items).toHaveLength(99);
    expect(await list({ province: '火星' })).toEqual({
      items: [],
      total: 0,
      totalIsExact: true,
      nextCursor: null,
    });
  });

  it('stays capped on later pages, which continue where the previous one ended', async () => {
    const first = await list({ tag: 'many', limit: '100' });
    const second = await list({ tag: 'many', limit: '100', cursor: first.nextCursor as string });
    expect(second).toMatchObject({ total: COUNT_CAP, totalIsExact: false });
    expect(second.items).toHaveLength(100);
    const firstIds = new Set(first.items.map((item) => item.id));
    expect(second.items.some((item) => firstIds.has(item.id))).toBe(false);
    expect(Math.min(...first.items.map((item) => item.id))).toBeGreaterThan(
      Math.max(...second.items.map((item) => item.id)),
    );
  });

  it('is part of the API response, and exactTotal must be a yes or no', async () => {
    const capped = await api.get('/api/customers?limit=1');
    expect(capped.status).toBe(200);
    expect(capped.body).toMatchObject({ total: COUNT_CAP, totalIsExact: false });
    const exact = await api.get('/api/customers?limit=1&exactTotal=true');
    expect(exact.body).toMatchObject({ total: CUSTOMERS, totalIsExact: true });
    expectError(await api.get('/api/customers?exactTotal=maybe'), 400, 'VALIDATION_FAILED', ['exactTotal']);
  });
});
