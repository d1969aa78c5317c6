import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-context.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-03-15T10:00:00+08:00') });
});
afterAll(() => t.close());

const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object });

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
});
