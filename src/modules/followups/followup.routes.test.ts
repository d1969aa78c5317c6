import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, expectError } from '../../../test/api.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { addTeam } from '../access/users.js';

let t: TestApp;
let clock = new Date('2026-03-02T10:00:00+08:00');
let rep1: TestUser;
let rep2: TestUser;
let rep3: TestUser;
let manager: TestUser;
let analyst: TestUser;
let c1: { id: number; code: string };
let c2: { id: number; code: string };
let c3: { id: number; code: string };
let churned: { id: number; code: string };

function as(user: TestUser) {
  const send = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
    const response = await t.app.inject({
      method,
      url,
      headers: user.headers,
      ...(payload ? { payload } : {}),
    });
    const type = String(response.headers['content-type'] ?? '');
    return {
      status: response.statusCode,
      body: type.includes('json') ? response.json() : response.body,
      headers: response.headers,
    } satisfies ApiResponse;
  };
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, payload: object = {}) => send('POST', url, payload),
    patch: (url: string, payload: object) => send('PATCH', url, payload),
    del: (url: string) => send('DELETE', url),
  };
}

async function customer(user: TestUser, payload: object) {
  const response = await as(user).post('/api/customers', payload);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { id: response.body.id as number, code: response.body.code as string };
}

async function count(table: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  await addTeam(t.ctx, { name: '销售一部' });
  await addTeam(t.ctx, { name: '销售二部' });
  rep1 = await addTestUser(t.ctx, 'rep1', 'sales', '销售一部');
  rep2 = await addTestUser(t.ctx, 'rep2', 'sales', '销售一部');
  rep3 = await addTestUser(t.ctx, 'rep3', 'sales', '销售二部');
  manager = await addTestUser(t.ctx, 'manager1', 'manager', '销售一部');
  analyst = await addTestUser(t.ctx, 'analyst1', 'analyst');
  c1 = await customer(rep1, { name: '甲公司' });
  c2 = await customer(rep3, { name: '乙公司' });
  c3 = await customer(rep1, { name: '丙公司' });
  churned = await customer(rep1, { name: '丁公司', stage: 'churned' });
});
afterAll(() => t.close());

describe('follow-up plans', () => {
  it('plans one with the customer’s owner by default, methods by key or Chinese label', async () => {
    const created = await as(rep1).post(`/api/customers/${c1.id}/followups`, {
      dueAt: '2026-03-05',
      method: '拜访',
      content: '介绍新品',
      goal: '约定试用',
      expectedResult: '签试用单',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      customerId: c1.id,
      customer: c1.code,
      customerName: '甲公司',
      dueAt: '2026-03-05T01:00:00.000Z',
      method: 'visit',
      owner: 'rep1',
      ownerId: rep1.id,
      status: 'planned',
      overdue: false,
      source: 'manual',
      createdBy: 'rep1',
    });
    const list = await as(rep1).get(`/api/customers/${c1.id}/followups`);
    expect(list.body).toMatchObject({ lastContactedAt: null, daysSinceContact: null });
    expect(list.body.items.map((item: { id: number }) => item.id)).toEqual([created.body.id]);
    const audit = await t.db.query(`SELECT actor FROM audit_log WHERE action = 'followup.create'`);
    expect(audit.rows).toEqual([{ actor: 'rep1' }]);
  });

  it('refuses a churned customer, an unknown owner and an impossible date at once, writing nothing', async () => {
    const before = await count('followups');
    const bad = await as(rep1).post(`/api/customers/${churned.id}/followups`, {
      dueAt: '2026-02-30',
      method: 'phone',
      owner: 'nobody',
    });
    expectError(bad, 400, 'VALIDATION_FAILED', ['customer', 'dueAt', 'owner']);
    const past = await as(rep1).post(`/api/customers/${c1.id}/followups`, {
      dueAt: '2026-03-01 18:00',
      method: 'phone',
    });
    expectError(past, 400, 'VALIDATION_FAILED', ['dueAt']);
    const method = await as(rep1).post(`/api/customers/${c1.id}/followups`, {
      dueAt: '2026-03-09',
      method: 'fax',
      x: 1,
    });
    expectError(method, 400, 'VALIDATION_FAILED', ['method', 'x']);
    const ownerId = await as(rep1).post(`/api/customers/${c1.id}/followups`, {
      dueAt: '2026-03-09',
      method: 'phone',
      ownerId: 999_999,
    });
    expectError(ownerId, 400, 'VALIDATION_FAILED', ['ownerId']);
    // A rep plans for themselves or the customer's owner, not for a rep of another team.
    const outsider = await as(rep1).post(`/api/customers/${c1.id}/followups`, {
      dueAt: '2026-03-09',
      method: 'phone',
      owner: 'rep3',
    });
    expectError(outsider, 400, 'VALIDATION_FAILED', ['owner']);
    expect(await count('followups')).toBe(before);
    // A manager plans for a member of the team.
    const byManager = await as(manager).post(`/api/customers/${c1.id}/followups`, {
      dueAt: '2026-03-09 15:30',
      method: 'phone',
      owner: 'rep2',
    });
    expect(byManager.status, JSON.stringify(byManager.body)).toBe(201);
    expect(byManager.body).toMatchObject({ owner: 'rep2', dueAt: '2026-03-09T07:30:00.000Z' });
  });

  it('keeps follow-ups inside the data scope', async () => {
    expectError(await as(rep3).get(`/api/customers/${c1.id}/followups`), 404, 'NOT_FOUND');
    expectError(
      await as(rep3).post(`/api/customers/${c1.id}/followups`, { dueAt: '2026-03-09', method: 'phone' }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await as(analyst).post(`/api/customers/${c1.id}/followups`, { dueAt: '2026-03-09', method: 'phone' }),
      403,
      'FORBIDDEN',
    );
    expect((await as(analyst).get(`/api/customers/${c1.id}/followups`)).status).toBe(200);
    expect((await as(manager).get(`/api/customers/${c1.id}/followups`)).status).toBe(200);
  });

  it('changes and deletes open plans', async () => {
    const plan = await as(rep1).post(`/api/customers/${c3.id}/followups`, {
      dueAt: '2026-03-10',
      method: 'phone',
    });
    const changed = await as(rep1).patch(`/api/customers/${c3.id}/followups/${plan.body.id}`, {
      dueAt: '2026-03-11 16:00',
      method: 'wechat',
      content: '发送报价',
    });
    expect(changed.body).toMatchObject({
      dueAt: '2026-03-11T08:00:00.000Z',
      method: 'wechat',
      content: '发送报价',
    });
    expectError(
      await as(rep1).patch(`/api/customers/${c3.id}/followups/${plan.body.id}`, { dueAt: 'soon' }),
      400,
      'VALIDATION_FAILED',
      ['dueAt'],
    );
    expect((await as(rep1).del(`/api/customers/${c3.id}/followups/${plan.body.id}`)).status).toBe(204);
    expectError(await as(rep1).del(`/api/customers/${c3.id}/followups/${plan.body.id}`), 404, 'NOT_FOUND');
  });

  it('completes a plan: the outcome becomes a communication, the last contact moves, the next plan is made', async () => {
    const plan = await as(rep1).post(`/api/customers/${c3.id}/followups`, {
      dueAt: '2026-03-02 11:00',
      method: 'visit',
    });
    const done = await as(rep1).post(`/api/customers/${c3.id}/followups/${plan.body.id}/complete`, {
      outcome: '已拜访，客户有意向',
      nextDueAt: '2026-03-20 14:00',
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.followup).toMatchObject({
      status: 'done',
      outcome: '已拜访，客户有意向',
      completedAt: clock.toISOString(),
      communicationId: done.body.communicationId,
    });
    expect(done.body.next).toMatchObject({
      dueAt: '2026-03-20T06:00:00.000Z',
      method: 'visit',
      owner: 'rep1',
      status: 'planned',
    });
    const communication = await t.db.query(
      'SELECT channel, direction, content, followup_id, staff_ids FROM communications WHERE customer_id = $1 AND id = $2',
      [c3.id, done.body.communicationId],
    );
    expect(communication.rows).toEqual([
      {
        channel: 'visit',
        direction: 'outbound',
        content: '已拜访，客户有意向',
        followup_id: plan.body.id,
        staff_ids: [rep1.id],
      },
    ]);
    const list = await as(rep1).get(`/api/customers/${c3.id}/followups`);
    expect(list.body).toMatchObject({ lastContactedAt: clock.toISOString(), daysSinceContact: 0 });
    expectError(
      await as(rep1).post(`/api/customers/${c3.id}/followups/${plan.body.id}/complete`, {
        outcome: '再来一次',
      }),
      400,
      'VALIDATION_FAILED',
      ['status'],
    );
    expectError(
      await as(rep1).post(`/api/customers/${c3.id}/followups/${done.body.next.id}/complete`, {
        outcome: '  ',
        occurredAt: '2027-01-01',
      }),
      400,
      'VALIDATION_FAILED',
      ['outcome'],
    );
    expectError(
      await as(rep1).post(`/api/customers/${c3.id}/followups/${done.body.next.id}/complete`, {
        outcome: '提前联系',
        occurredAt: '2027-01-01',
      }),
      400,
      'VALIDATION_FAILED',
      ['occurredAt'],
    );
  });

  it('skips a plan with a reason', async () => {
    const plan = await as(rep1).post(`/api/customers/${c3.id}/followups`, {
      dueAt: '2026-03-04',
      method: 'sms',
    });
    expectError(
      await as(rep1).post(`/api/customers/${c3.id}/followups/${plan.body.id}/skip`, {}),
      400,
      'VALIDATION_FAILED',
      ['reason'],
    );
    const skipped = await as(rep1).post(`/api/customers/${c3.id}/followups/${plan.body.id}/skip`, {
      reason: '客户休假',
    });
    expect(skipped.body).toMatchObject({ followup: { status: 'skipped', outcome: '客户休假' }, next: null });
  });
});

describe('reminders', () => {
  it('groups an owner’s open plans into overdue, today and the next 7 days', async () => {
    const plan = async (dueAt: string) =>
      (await as(rep1).post(`/api/customers/${c1.id}/followups`, { dueAt, method: 'phone' })).body
        .id as number;
    const overdue = await plan('2026-03-02 09:30');
    const today = await plan('2026-03-02 18:00');
    const soon = await plan('2026-03-09 20:00');
    const later = await plan('2026-03-10 09:00');
    const due = await as(rep1).get('/api/followups/due');
    expect(due.status, JSON.stringify(due.body)).toBe(200);
    expect(due.body).toMatchObject({ owner: 'rep1', date: '2026-03-02' });
    const ids = (items: { id: number }[]) => items.map((item) => item.id);
    expect(ids(due.body.overdue)).toContain(overdue);
    expect(ids(due.body.today)).toEqual([today]);
    expect(ids(due.body.upcoming)).toContain(soon);
    expect([...ids(due.body.overdue), ...ids(due.body.today), ...ids(due.body.upcoming)]).not.toContain(
      later,
    );
    expect(due.body.overdue.find((item: { id: number }) => item.id === overdue)).toMatchObject({
      overdue: true,
      customer: c1.code,
      lastContactedAt: null,
    });
    expect(due.body.counts).toEqual({
      overdue: due.body.overdue.length,
      today: 1,
      upcoming: due.body.upcoming.length,
    });
    expect((await as(rep1).get('/api/followups/due?limit=1')).body.upcoming).toHaveLength(1);
  });

  it('shows a manager the team’s reminders and nobody else’s', async () => {
    expect((await as(manager).get('/api/followups/due?owner=rep1')).body.owner).toBe('rep1');
    expectError(await as(rep2).get('/api/followups/due?owner=rep1'), 403, 'FORBIDDEN');
    expectError(await as(manager).get('/api/followups/due?owner=rep3'), 403, 'FORBIDDEN');
    expect((await t.app.inject({ url: '/api/followups/due?owner=rep3' })).statusCode).toBe(200);
    expectError(await as(manager).get('/api/followups/due?owner=nobody'), 400, 'VALIDATION_FAILED', [
      'owner',
    ]);
  });
});

describe('calendar feed', () => {
  it('serves the open plans as iCalendar behind a secret token that can be replaced', async () => {
    const made = await as(rep1).post('/api/followups/calendar-token');
    expect(made.status).toBe(201);
    expect(made.body.path).toBe(`/api/calendar/${made.body.token}.ics`);
    const stored = await t.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM calendar_tokens WHERE user_id = $1',
      [rep1.id],
    );
    expect(stored.rows[0]?.token_hash).not.toContain(made.body.token);

    const feed = await t.app.inject({ url: made.body.path, headers: { authorization: '' } });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    for (const line of feed.body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const calendar = new ICAL.Component(ICAL.parse(feed.body));
    const events = calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
    const planned = await t.db.query<{ customer_id: number; id: number; due_at: string }>(
      `SELECT customer_id, id, due_at FROM followups WHERE owner_id = $1 AND status = 'planned' ORDER BY due_at, id`,
      [rep1.id],
    );
    expect(events.map((event) => event.uid)).toEqual(
      planned.rows.map((row) => `followup-${row.customer_id}-${row.id}@clientele`),
    );
    expect(events.map((event) => event.startDate.toJSDate().toISOString())).toEqual(
      planned.rows.map((row) => row.due_at),
    );
    const visit = events.find((event) => event.summary.includes('Visit'));
    expect(visit?.summary).toBe('拜访 / Visit: 甲公司');
    expect(visit?.description).toContain(`客户 / Customer: 甲公司 (${c1.code})\n内容 / Content: 介绍新品`);

    const replaced = await as(rep1).post('/api/followups/calendar-token');
    const old = await t.app.inject({ url: made.body.path, headers: { authorization: '' } });
    expectError({ status: old.statusCode, body: old.json(), headers: old.headers }, 404, 'NOT_FOUND');
    expect((await t.app.inject({ url: replaced.body.path, headers: { authorization: '' } })).statusCode).toBe(
      200,
    );
    expect((await as(rep1).del('/api/followups/calendar-token')).status).toBe(204);
    expect((await t.app.inject({ url: replaced.body.path, headers: { authorization: '' } })).statusCode).toBe(
      404,
    );
    expect(
      (await t.app.inject({ url: '/api/calendar/not-a-token.ics', headers: { authorization: '' } }))
        .statusCode,
    ).toBe(404);
  });
});

describe('neglected customers', () => {
  it('lists customers not contacted within their tier’s cadence, in the caller’s scope', async () => {
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/tiers/schemes', payload: { preset: 'abc' } }))
        .statusCode,
    ).toBe(201);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/tiers/schemes', payload: { preset: 'hotel' } }))
        .statusCode,
    ).toBe(201);
    for (const [id, tier] of [
      [c1.id, 'A'],
      [c2.id, 'B'],
      [c3.id, 'C'],
    ] as const) {
      await t.db.query(
        `INSERT INTO tier_assignments (customer_id, scheme_id, tier, since, scheme_version, changed_on)
         VALUES ($1, 'abc', $2, '2026-01-01', 1, '2026-01-01')`,
        [id, tier],
      );
    }
    // c3 was visited today (its plan was completed above); c1 and c2 were never contacted.
    const mine = await as(rep1).get('/api/followups/neglected?scheme=abc');
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(mine.body).toMatchObject({ scheme: 'abc', date: '2026-03-02', total: 1 });
    expect(mine.body.items).toEqual([
      {
        customerId: c1.id,
        customer: c1.code,
        name: '甲公司',
        owner: 'rep1',
        tier: 'A',
        method: 'visit',
        lastContactedAt: null,
        daysSinceContact: null,
        contactDueOn: null,
      },
    ]);
    const all = await t.app.inject({ url: '/api/followups/neglected?scheme=abc' });
    expect(
      all
        .json()
        .items.map((item: { customer: string }) => item.customer)
        .sort(),
    ).toEqual([c1.code, c2.code].sort());
    // Four months on, c3's quarterly e-mail is overdue too.
    clock = new Date('2026-07-01T10:00:00+08:00');
    const later = await as(rep1).get('/api/followups/neglected?scheme=abc');
    expect(later.body.items.map((item: { customer: string }) => item.customer)).toEqual([c1.code, c3.code]);
    expect(later.body.items[1]).toMatchObject({ daysSinceContact: 121, contactDueOn: '2026-06-02' });
    clock = new Date('2026-03-02T10:00:00+08:00');
    expectError(await as(rep1).get('/api/followups/neglected?scheme=hotel'), 400, 'VALIDATION_FAILED', [
      'scheme',
    ]);
  });
});

describe('the API description', () => {
  it('lists the follow-up and pool endpoints in the OpenAPI document', async () => {
    const response = await t.app.inject({ url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json().paths)).toEqual(
      expect.arrayContaining([
        '/api/customers/{id}/followups',
        '/api/customers/{id}/followups/{fid}/complete',
        '/api/followups/due',
        '/api/followups/neglected',
        '/api/followups/calendar-token',
        '/api/calendar/{token}.ics',
        '/api/pool',
        '/api/pool/{id}/claim',
        '/api/customers/{id}/release',
      ]),
    );
  });
});
