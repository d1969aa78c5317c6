import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { clientAs, expectOk } from '../../../test/records.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { recordCommunication } from './communications.js';

let t: TestApp;
let api: ApiClient;
let sales: TestUser;
let other: TestUser;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-03-15T10:00:00+08:00') });
  api = apiClient(t.app);
  sales = await addTestUser(t.ctx, 'sales-comm', 'sales');
  other = await addTestUser(t.ctx, 'sales-other', 'sales');
});
afterAll(() => t.close());

async function newCustomer(name: string, owner?: string): Promise<number> {
  return expectOk(await api.post('/api/customers', { name, ...(owner ? { owner } : {}) }), 201).id;
}

async function lastContacted(customerId: number): Promise<string | null> {
  const { rows } = await t.db.query<{ at: string | null }>(
    'SELECT last_contacted_at AS at FROM customers WHERE id = $1',
    [customerId],
  );
  return rows[0]?.at ?? null;
}

async function count(customerId: number): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM communications WHERE customer_id = $1',
    [customerId],
  );
  return rows[0]?.n ?? 0;
}

describe('recording communications', () => {
  it('records a call with Chinese labels and China wall time, contacts and staff', async () => {
    const customerId = await newCustomer('沟通客户');
    const contact = expectOk(
      await api.post(`/api/customers/${customerId}/contacts`, { name: '王经理', phone: '13800138000' }),
      201,
    );
    const created = expectOk(
      await api.post(`/api/customers/${customerId}/communications`, {
        occurredAt: '2024/3/5 14:30',
        channel: '电话',
        direction: '来电',
        content: '  询问报价，客户关心交期  ',
        contactIds: [contact.id],
        staffIds: [sales.id],
        nextStep: '周五前发报价单',
      }),
      201,
    );
    expect(created).toMatchObject({
      customerId,
      occurredAt: '2024-03-05T06:30:00.000Z',
      channel: 'phone',
      direction: 'inbound',
      content: '询问报价，客户关心交期',
      contactIds: [contact.id],
      contacts: [{ id: contact.id, name: '王经理' }],
      staffIds: [sales.id],
      staff: [{ id: sales.id, username: 'sales-comm' }],
      nextStep: '周五前发报价单',
      followupId: null,
      createdBy: 'admin',
      createdAt: '2024-03-15T02:00:00.000Z',
    });
    expect(await lastContacted(customerId)).toBe('2024-03-05T06:30:00.000Z');
  });

  it.each([
    ['2024-03-05T14:30:00+08:00', '2024-03-05T06:30:00.000Z'],
    ['2024-03-05T06:30:00Z', '2024-03-05T06:30:00.000Z'],
    ['2024-03-05 14:30:15', '2024-03-05T06:30:15.000Z'],
    ['2024年3月5日 14时30分', '2024-03-05T06:30:00.000Z'],
    ['2024-03-05', '2024-03-04T16:00:00.000Z'],
  ])('reads the time %s as %s', async (occurredAt, stored) => {
    const customerId = await newCustomer('时间格式');
    const created = expectOk(
      await api.post(`/api/customers/${customerId}/communications`, {
        occurredAt,
        channel: 'email',
        content: 'x',
      }),
      201,
    );
    expect(created.occurredAt).toBe(stored);
  });

  it('defaults the time to now and the direction to outbound', async () => {
    const customerId = await newCustomer('默认值');
    const created = expectOk(
      await api.post(`/api/customers/${customerId}/communications`, { channel: 'wechat', content: '问候' }),
      201,
    );
    expect(created).toMatchObject({ occurredAt: '2024-03-15T02:00:00.000Z', direction: 'outbound' });
  });

  it.each([
    [{ occurredAt: '2024-02-30 10:00' }, ['occurredAt']],
    [{ occurredAt: '2024-03-05 25:00' }, ['occurredAt']],
    [{ occurredAt: 'soon' }, ['occurredAt']],
    [{ channel: 'pigeon' }, ['channel']],
    [{ channel: undefined }, ['channel']],
    [{ content: '   ' }, ['content']],
    [{ direction: 'sideways' }, ['direction']],
    [{ contactIds: ['x'] }, ['contactIds.0']],
    [{ colour: 'red' }, ['colour']],
  ])('refuses %j with 400 naming the fields, writing nothing', async (change, fields) => {
    const customerId = await newCustomer('无效沟通');
    const response = await api.post(`/api/customers/${customerId}/communications`, {
      channel: 'phone',
      content: '内容',
      ...change,
    });
    expectError(response, 400, 'VALIDATION_FAILED', fields);
    expect(await count(customerId)).toBe(0);
    expect(await lastContacted(customerId)).toBeNull();
  });

  it("refuses another customer's contact and unknown users, writing nothing", async () => {
    const customerId = await newCustomer('联系人校验');
    const elsewhere = await newCustomer('别家');
    const foreign = expectOk(await api.post(`/api/customers/${elsewhere}/contacts`, { name: '外人' }), 201);
    const mine = expectOk(await api.post(`/api/customers/${customerId}/contacts`, { name: '自己人' }), 201);
    const contacts = await api.post(`/api/customers/${customerId}/communications`, {
      channel: 'visit',
      content: '拜访',
      contactIds: [mine.id, foreign.id],
    });
    const details = expectError(contacts, 400, 'VALIDATION_FAILED', ['contactIds.1']);
    expect(details[0]?.message).toContain('不是该客户的联系人');
    expectError(
      await api.post(`/api/customers/${customerId}/communications`, {
        channel: 'visit',
        content: '拜访',
        staffIds: [sales.id, 999999],
      }),
      400,
      'VALIDATION_FAILED',
      ['staffIds.1'],
    );
    expect(await count(customerId)).toBe(0);
  });

  it('answers 404 for a customer that does not exist', async () => {
    expectError(
      await api.post('/api/customers/999999/communications', { channel: 'phone', content: 'x' }),
      404,
      'NOT_FOUND',
    );
    expectError(await api.get('/api/customers/999999/communications'), 404, 'NOT_FOUND');
  });
});

describe('the last-contacted time', () => {
  it('follows the latest communication on create, correction and delete', async () => {
    const customerId = await newCustomer('最近联系');
    const base = `/api/customers/${customerId}/communications`;
    const march = expectOk(
      await api.post(base, { channel: 'phone', content: 'a', occurredAt: '2024-03-01 09:00' }),
      201,
    );
    expect(await lastContacted(customerId)).toBe('2024-03-01T01:00:00.000Z');
    const feb = expectOk(
      await api.post(base, { channel: 'phone', content: 'b', occurredAt: '2024-02-01 09:00' }),
      201,
    );
    expect(await lastContacted(customerId)).toBe('2024-03-01T01:00:00.000Z');
    expectOk(await api.patch(`${base}/${feb.id}`, { occurredAt: '2024-03-10 09:00' }));
    expect(await lastContacted(customerId)).toBe('2024-03-10T01:00:00.000Z');
    expect((await api.del(`${base}/${feb.id}`)).status).toBe(204);
    expect(await lastContacted(customerId)).toBe('2024-03-01T01:00:00.000Z');
    expect(expectOk(await api.get(base)).lastContactedAt).toBe('2024-03-01T01:00:00.000Z');
    expect((await api.del(`${base}/${march.id}`)).status).toBe(204);
    expect(await lastContacted(customerId)).toBeNull();
  });

  it('stays exact when communications of one customer are recorded at the same time', async () => {
    const customerId = await newCustomer('并发沟通');
    const days = Array.from({ length: 12 }, (_, i) => `2024-02-${String(i + 1).padStart(2, '0')} 10:00`);
    const responses = await Promise.all(
      days.map((occurredAt) =>
        api.post(`/api/customers/${customerId}/communications`, {
          channel: 'sms',
          content: occurredAt,
          occurredAt,
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(201));
    expect(await lastContacted(customerId)).toBe('2024-02-12T02:00:00.000Z');
  });

  it('corrects fields one by one and clears the next step with null', async () => {
    const customerId = await newCustomer('更正沟通');
    const base = `/api/customers/${customerId}/communications`;
    const made = expectOk(await api.post(base, { channel: 'phone', content: 'a', nextStep: '回电' }), 201);
    const corrected = expectOk(await api.patch(`${base}/${made.id}`, { channel: '会议', nextStep: null }));
    expect(corrected).toMatchObject({ channel: 'meeting', content: 'a', nextStep: null });
    expectError(await api.patch(`${base}/${made.id}`, { occurredAt: 'never' }), 400, 'VALIDATION_FAILED', [
      'occurredAt',
    ]);
    expectError(await api.patch(`${base}/999999`, { content: 'x' }), 404, 'NOT_FOUND');
  });
});

describe('listing communications', () => {
  it('walks every page newest first, ties by id, and filters by channel', async () => {
    const customerId = await newCustomer('分页沟通');
    const base = `/api/customers/${customerId}/communications`;
    const made: number[] = [];
    for (const [occurredAt, channel] of [
      ['2024-01-01 10:00', 'phone'],
      ['2024-01-03 10:00', 'email'],
      ['2024-01-02 10:00', 'phone'],
      ['2024-01-03 10:00', 'phone'],
      ['2024-01-05 10:00', 'visit'],
    ] as const) {
      made.push(expectOk(await api.post(base, { occurredAt, channel, content: occurredAt }), 201).id);
    }
    const expected = [made[4], made[3], made[1], made[2], made[0]];
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = expectOk(await api.get(`${base}?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item: { id: number }) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    const phones = expectOk(await api.get(`${base}?channel=电话`));
    expect(phones.items.map((item: { id: number }) => item.id)).toEqual([made[3], made[2], made[0]]);
    expectError(await api.get(`${base}?cursor=nonsense`), 400, 'VALIDATION_FAILED', ['cursor']);
    expectError(await api.get(`${base}?limit=0`), 400, 'VALIDATION_FAILED', ['limit']);
    expectError(await api.get(`${base}?channel=fax`), 400, 'VALIDATION_FAILED', ['channel']);
    expectError(await api.get(`${base}?sort=x`), 400, 'VALIDATION_FAILED', ['querystring.sort']);
  });
});

describe('data scope', () => {
  it("hides another rep's customer and refuses read-only collaborators' writes", async () => {
    const mine = await newCustomer('本人客户', 'sales-comm');
    const theirs = await newCustomer('他人客户', 'sales-other');
    const asSales = clientAs(t.app, sales);
    expectOk(
      await asSales.post(`/api/customers/${mine}/communications`, { channel: 'phone', content: 'ok' }),
      201,
    );
    expectError(await asSales.get(`/api/customers/${theirs}/communications`), 404, 'NOT_FOUND');
    expectError(
      await asSales.post(`/api/customers/${theirs}/communications`, { channel: 'phone', content: 'x' }),
      404,
      'NOT_FOUND',
    );
    expectOk(await api.put(`/api/customers/${theirs}/collaborators/sales-comm`, { access: 'read' }));
    expectOk(await asSales.get(`/api/customers/${theirs}/communications`));
    expectError(
      await asSales.post(`/api/customers/${theirs}/communications`, { channel: 'phone', content: 'x' }),
      403,
      'FORBIDDEN',
    );
    expect(await count(theirs)).toBe(0);
    expect(other.id).toBeGreaterThan(0);
  });
});

describe('recordCommunication for follow-up plans', () => {
  async function plan(customerId: number): Promise<number> {
    const { rows } = await t.db.query<{ id: number }>(
      `INSERT INTO followups (customer_id, due_at, method, created_by) VALUES ($1, now(), 'phone', 'test') RETURNING id`,
      [customerId],
    );
    return rows[0]?.id as number;
  }

  it('works inside a transaction the caller opened, and rolls back with it', async () => {
    const customerId = await newCustomer('跟进完成');
    const followupId = await plan(customerId);
    const recorded = await t.db.transaction((tx) =>
      recordCommunication(
        t.ctx,
        customerId,
        { channel: 'phone', content: '完成跟进', occurredAt: '2024-03-14 16:00', followupId },
        tx,
      ),
    );
    expect(recorded).toMatchObject({ followupId, channel: 'phone', createdBy: 'os:test' });
    expect(await lastContacted(customerId)).toBe('2024-03-14T08:00:00.000Z');

    await expect(
      t.db.transaction(async (tx) => {
        await recordCommunication(
          t.ctx,
          customerId,
          { channel: 'visit', content: '撤回', occurredAt: '2024-03-15 09:00' },
          tx,
        );
        throw new Error('the plan could not be closed');
      }),
    ).rejects.toThrow('the plan could not be closed');
    expect(await count(customerId)).toBe(1);
    expect(await lastContacted(customerId)).toBe('2024-03-14T08:00:00.000Z');
  });

  it("refuses a follow-up that is not this customer's", async () => {
    const customerId = await newCustomer('别人的计划');
    const elsewhere = await newCustomer('计划主人');
    const followupId = await plan(elsewhere);
    await expect(
      recordCommunication(t.ctx, customerId, { channel: 'phone', content: 'x', followupId }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'followupId' }] });
  });

  it('writes the audit entry in the same transaction', async () => {
    const customerId = await newCustomer('审计沟通');
    const made = expectOk(
      await api.post(`/api/customers/${customerId}/communications`, {
        channel: 'email',
        content: '机密内容',
      }),
      201,
    );
    const { rows } = await t.db.query<{ action: string; details: Record<string, unknown> }>(
      `SELECT action, details FROM audit_log WHERE customer_id = $1 AND entity_id = $2`,
      [customerId, String(made.id)],
    );
    expect(rows).toEqual([
      {
        action: 'communication.create',
        details: { occurredAt: '2024-03-15T02:00:00.000Z', channel: 'email', followupId: null },
      },
    ]);
  });
});
