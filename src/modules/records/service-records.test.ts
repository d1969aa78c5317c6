import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { expectOk } from '../../../test/records.js';
import { addTestUser, createTestApp, type TestApp } from '../../../test/test-context.js';

let t: TestApp;
let api: ApiClient;
let handler: number;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-03-15T10:00:00+08:00') });
  api = apiClient(t.app);
  handler = (await addTestUser(t.ctx, 'service-1', 'service')).id;
});
afterAll(() => t.close());

async function newCustomer(name: string): Promise<number> {
  return expectOk(await api.post('/api/customers', { name }), 201).id;
}

describe('service records', () => {
  it('records a request, resolves it with the time to resolve, and reopens it', async () => {
    const customerId = await newCustomer('服务客户');
    const base = `/api/customers/${customerId}/service-records`;
    const made = expectOk(
      await api.post(base, {
        request: '打印机卡纸，需上门维修',
        category: '维修',
        openedAt: '2024-03-14 10:00',
        handlerId: handler,
      }),
      201,
    );
    expect(made).toMatchObject({
      request: '打印机卡纸，需上门维修',
      category: '维修',
      status: 'open',
      openedAt: '2024-03-14T02:00:00.000Z',
      resolvedAt: null,
      timeToResolveHours: null,
      handler: 'service-1',
    });
    const resolved = expectOk(
      await api.patch(`${base}/${made.id}`, { status: '已解决', resolution: '更换搓纸轮' }),
    );
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolution: '更换搓纸轮',
      resolvedAt: '2024-03-15T02:00:00.000Z',
      timeToResolveHours: 24,
    });
    const backdated = expectOk(await api.patch(`${base}/${made.id}`, { resolvedAt: '2024-03-14 16:30' }));
    expect(backdated.timeToResolveHours).toBe(6.5);
    const reopened = expectOk(await api.patch(`${base}/${made.id}`, { status: 'in_progress' }));
    expect(reopened).toMatchObject({ resolvedAt: null, timeToResolveHours: null });
    const list = expectOk(await api.get(`${base}?status=处理中`));
    expect(list.items.map((item: { id: number }) => item.id)).toEqual([made.id]);
    expect((await api.del(`${base}/${made.id}`)).status).toBe(204);
    expect(expectOk(await api.get(base)).items).toEqual([]);
  });

  it.each([
    [{ request: '' }, ['request']],
    [{ status: 'waiting' }, ['status']],
    [{ openedAt: '2024-02-30 08:00' }, ['openedAt']],
    [{ handlerId: 424242 }, ['handlerId']],
    [{ status: 'resolved', openedAt: '2024-03-14 10:00', resolvedAt: '2024-03-13 10:00' }, ['resolvedAt']],
  ])('refuses %j with 400, writing nothing', async (change, fields) => {
    const customerId = await newCustomer('无效服务');
    expectError(
      await api.post(`/api/customers/${customerId}/service-records`, { request: '安装', ...change }),
      400,
      'VALIDATION_FAILED',
      fields,
    );
    const { rows } = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM service_records WHERE customer_id = $1',
      [customerId],
    );
    expect(rows[0]?.n).toBe(0);
  });
});
