/**
 * The customer pool (公海) through the API: what a rep sees before claiming, claims within the
 * limits, release and the no-reclaim period, assignment, locks, recycling with warnings — and two
 * reps claiming one customer at the same moment (on the PostgreSQL server these are two real
 * connections racing; exactly one wins).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, expectError } from '../../../test/api.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { findPreset } from '../../domain/tiers/presets.js';
import { addTeam } from '../access/users.js';

let t: TestApp;
let clock = new Date('2026-03-02T10:00:00+08:00');
let rep1: TestUser;
let rep2: TestUser;
let rep3: TestUser;
let manager: TestUser;
let analyst: TestUser;
const pool: Record<string, number> = {};

function as(user: TestUser | null) {
  const send = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const response = await t.app.inject({
      method,
      url,
      ...(user ? { headers: user.headers } : {}),
      ...(payload ? { payload } : {}),
    });
    return {
      status: response.statusCode,
      body: response.json(),
      headers: response.headers,
    } satisfies ApiResponse;
  };
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, payload: object = {}) => send('POST', url, payload),
    put: (url: string, payload: object) => send('PUT', url, payload),
  };
}
const admin = as(null);

/** A customer made by the admin, then put into the pool (or given to `owner`) directly. */
async function seed(name: string, extra: object = {}, owner: TestUser | null = null): Promise<number> {
  const created = await admin.post('/api/customers', { name, ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await t.db.query('UPDATE customers SET owner_id = $2 WHERE id = $1', [created.body.id, owner?.id ?? null]);
  return created.body.id;
}

async function rows(sql: string, params: unknown[] = []) {
  return (await t.db.query(sql, params)).rows;
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
  pool.P1 = await seed('杭州甲科技', {
    city: '杭州',
    industry: '制造',
    phone: '13800000001',
    notes: '内部备注',
  });
  pool.P2 = await seed('上海乙贸易', { city: '上海', industry: '零售' });
  pool.P3 = await seed('杭州丙食品', { city: '杭州', industry: '食品' });
  pool.P4 = await seed('南京丁物流', { city: '南京' });
  const settings = await admin.put('/api/pool/settings', {
    dailyClaimLimit: 2,
    holdingLimit: 3,
    noReclaimDays: 7,
  });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
});
afterAll(() => t.close());

describe('pool settings', () => {
  it('starts from defaults with recycling off, merges changes and refuses bad ones with field paths', async () => {
    expect((await as(rep1).get('/api/pool/settings')).body).toEqual({
      dailyClaimLimit: 2,
      holdingLimit: 3,
      defaultRecycleDays: 30,
      warnDaysBefore: 3,
      noReclaimDays: 7,
      scheme: null,
      autoRecycle: false,
    });
    expectError(await as(rep1).put('/api/pool/settings', { dailyClaimLimit: 5 }), 403, 'FORBIDDEN');
    expectError(
      await admin.put('/api/pool/settings', { dailyClaimLimit: -1, nope: 1 }),
      400,
      'VALIDATION_FAILED',
      ['dailyClaimLimit', 'nope'],
    );
    expectError(await admin.put('/api/pool/settings', { warnDaysBefore: 30 }), 400, 'VALIDATION_FAILED', [
      'warnDaysBefore',
    ]);
    expectError(await admin.put('/api/pool/settings', { scheme: 'no-such' }), 400, 'VALIDATION_FAILED', [
      'scheme',
    ]);
  });
});

describe('the pool list', () => {
  it('shows every reader the customers without an owner, without personal fields', async () => {
    const list = await as(rep1).get('/api/pool');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 4, totalIsExact: true, nextCursor: null });
    const first = list.body.items.find((item: { id: number }) => item.id === pool.P1);
    expect(Object.keys(first).sort()).toEqual(
      [
        'id',
        'code',
        'name',
        'type',
        'company',
        'industry',
        'province',
        'city',
        'source',
        'companySize',
        'stage',
        'status',
        'tags',
        'createdAt',
        'lastContactedAt',
        'inPoolSince',
        'poolReason',
        'previousOwner',
        'reclaimBlockedUntil',
      ].sort(),
    );
    expect(JSON.stringify(list.body)).not.toContain('13800000001');
    expect(JSON.stringify(list.body)).not.toContain('内部备注');
    expect(
      (await as(analyst).get('/api/pool?city=杭州')).body.items.map((i: { id: number }) => i.id),
    ).toEqual([pool.P3, pool.P1]);
    expect(
      (await as(rep1).get('/api/pool?search=乙贸易')).body.items.map((i: { id: number }) => i.id),
    ).toEqual([pool.P2]);
    const page = await as(rep1).get('/api/pool?limit=3');
    expect(page.body.items).toHaveLength(3);
    const rest = await as(rep1).get(`/api/pool?limit=3&cursor=${page.body.nextCursor}`);
    expect(rest.body).toMatchObject({ nextCursor: null });
    expect(rest.body.items.map((i: { id: number }) => i.id)).toEqual([pool.P1]);
    expectError(await as(rep1).get('/api/pool?limit=0'), 400, 'VALIDATION_FAILED', ['querystring.limit']);
    // The detail opens only once the customer is theirs.
    expectError(await as(rep1).get(`/api/customers/${pool.P1}`), 404, 'NOT_FOUND');
  });
});

describe('claiming (领取)', () => {
  it('gives the customer to the first claimer, with history, event and audit; others get 409', async () => {
    const claimed = await as(rep1).post(`/api/pool/${pool.P1}/claim`);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body).toMatchObject({ customerId: pool.P1, name: '杭州甲科技', owner: 'rep1' });
    expect((await as(rep1).get(`/api/customers/${pool.P1}`)).body).toMatchObject({ owner: 'rep1' });
    expect(
      await rows('SELECT from_user_id, to_user_id, reason FROM ownership_transfers WHERE customer_id = $1', [
        pool.P1,
      ]),
    ).toEqual([{ from_user_id: null, to_user_id: rep1.id, reason: '从公海领取 / Claimed from the pool' }]);
    expect(
      await rows('SELECT kind, user_id, actor FROM pool_events WHERE customer_id = $1', [pool.P1]),
    ).toEqual([{ kind: 'claim', user_id: rep1.id, actor: 'rep1' }]);
    expect(
      await rows(`SELECT actor FROM audit_log WHERE action = 'customer.transfer' AND customer_id = $1`, [
        pool.P1,
      ]),
    ).toEqual([{ actor: 'rep1' }]);
    const second = await as(rep2).post(`/api/pool/${pool.P1}/claim`);
    expectError(second, 409, 'VERSION_CONFLICT');
    expectError(await as(analyst).post(`/api/pool/${pool.P2}/claim`), 403, 'FORBIDDEN');
    expectError(await as(rep1).post('/api/pool/999999/claim'), 404, 'NOT_FOUND');
  });

  it('stops at the daily claim limit, and at the holding limit (库容) the next day', async () => {
    expect((await as(rep1).post(`/api/pool/${pool.P2}/claim`)).status).toBe(200);
    const third = await as(rep1).post(`/api/pool/${pool.P3}/claim`);
    expectError(third, 403, 'FORBIDDEN');
    expect(third.body.error.message).toContain('2');
    expect(third.body.error.details).toEqual({ dailyClaimLimit: 2, claimedToday: 2 });
    clock = new Date('2026-03-03T09:00:00+08:00');
    expect((await as(rep1).post(`/api/pool/${pool.P3}/claim`)).status).toBe(200);
    const full = await as(rep1).post(`/api/pool/${pool.P4}/claim`);
    expectError(full, 403, 'FORBIDDEN');
    expect(full.body.error.details).toEqual({ holdingLimit: 3, held: 3 });
  });
});

describe('release (释放), no-reclaim period, assignment (分配) and locks (锁定)', () => {
  it('releases with a reason; open plans wait without an owner; the previous owner may not claim it back yet', async () => {
    const plan = await as(rep1).post(`/api/customers/${pool.P1}/followups`, {
      dueAt: '2026-03-10',
      method: 'phone',
    });
    expect(plan.status).toBe(201);
    expectError(await as(rep1).post(`/api/customers/${pool.P1}/release`, {}), 400, 'VALIDATION_FAILED', [
      'reason',
    ]);
    expectError(await as(rep3).post(`/api/customers/${pool.P1}/release`, { reason: 'x' }), 404, 'NOT_FOUND');
    const released = await as(rep1).post(`/api/customers/${pool.P1}/release`, { reason: '客户暂无需求' });
    expect(released.body).toMatchObject({
      customerId: pool.P1,
      previousOwner: 'rep1',
      reason: '客户暂无需求',
    });
    expect(await rows('SELECT owner_id FROM followups WHERE customer_id = $1', [pool.P1])).toEqual([
      { owner_id: null },
    ]);
    expect(
      await rows(
        `SELECT kind, user_id, reason FROM pool_events WHERE customer_id = $1 AND kind = 'release'`,
        [pool.P1],
      ),
    ).toEqual([{ kind: 'release', user_id: rep1.id, reason: '客户暂无需求' }]);
    const listed = (await as(rep1).get('/api/pool')).body.items.find(
      (item: { id: number }) => item.id === pool.P1,
    );
    expect(listed).toMatchObject({
      previousOwner: 'rep1',
      poolReason: '客户暂无需求',
      reclaimBlockedUntil: '2026-03-10',
    });
    const back = await as(rep1).post(`/api/pool/${pool.P1}/claim`);
    expectError(back, 403, 'FORBIDDEN');
    expect(back.body.error.message).toContain('2026-03-10');
    // Someone else may; the waiting plan becomes theirs.
    expect((await as(rep2).post(`/api/pool/${pool.P1}/claim`)).status).toBe(200);
    expect(await rows('SELECT owner_id FROM followups WHERE customer_id = $1', [pool.P1])).toEqual([
      { owner_id: rep2.id },
    ]);
  });

  it('lets a manager assign to the team only, within the holding limit', async () => {
    expectError(await as(rep1).post(`/api/pool/${pool.P4}/assign`, { userId: rep2.id }), 403, 'FORBIDDEN');
    expectError(
      await as(manager).post(`/api/pool/${pool.P4}/assign`, { userId: rep3.id }),
      400,
      'VALIDATION_FAILED',
      ['userId'],
    );
    // rep1 owns two customers: at a holding limit of 2, no more can be assigned to them.
    await admin.put('/api/pool/settings', { holdingLimit: 2 });
    expectError(await as(manager).post(`/api/pool/${pool.P4}/assign`, { userId: rep1.id }), 403, 'FORBIDDEN');
    await admin.put('/api/pool/settings', { holdingLimit: 3 });
    const assigned = await as(manager).post(`/api/pool/${pool.P4}/assign`, { userId: rep2.id });
    expect(assigned.body).toMatchObject({ owner: 'rep2' });
    expect(
      await rows('SELECT kind, user_id, actor FROM pool_events WHERE customer_id = $1', [pool.P4]),
    ).toEqual([{ kind: 'assign', user_id: rep2.id, actor: 'manager1' }]);
    expectError(
      await as(manager).post(`/api/pool/${pool.P4}/assign`, { userId: rep2.id }),
      409,
      'VERSION_CONFLICT',
    );
  });

  it('keeps a locked customer from being released until a manager unlocks it', async () => {
    expectError(await as(rep2).post(`/api/customers/${pool.P4}/lock`, {}), 403, 'FORBIDDEN');
    expect(
      (await as(manager).post(`/api/customers/${pool.P4}/lock`, { reason: '重点跟进' })).body,
    ).toMatchObject({
      locked: true,
    });
    expectError(
      await as(rep2).post(`/api/customers/${pool.P4}/release`, { reason: '不做了' }),
      403,
      'FORBIDDEN',
    );
    expect((await as(manager).post(`/api/customers/${pool.P4}/unlock`)).body).toMatchObject({
      locked: false,
    });
    expect(await rows(`SELECT action FROM audit_log WHERE action LIKE 'pool.%' ORDER BY id`)).toEqual([
      { action: 'pool.lock' },
      { action: 'pool.unlock' },
    ]);
  });
});

describe('recycling (回收)', () => {
  it('warns first, recycles after the warning days, by tier; locked and contacted customers stay', async () => {
    const abc = findPreset('abc');
    const scheme = await admin.post('/api/tiers/schemes', {
      definition: {
        ...abc,
        id: 'abc-pool',
        cadences: { ...abc?.cadences, A: { everyMonths: 1, method: 'visit', recycleAfterDays: 20 } },
      },
    });
    expect(scheme.status, JSON.stringify(scheme.body)).toBe(201);
    await admin.put('/api/pool/settings', { defaultRecycleDays: 10, warnDaysBefore: 2, scheme: 'abc-pool' });
    const r = {
      R1: await seed('回收甲', {}, rep3),
      R2: await seed('回收乙', {}, rep3),
      R3: await seed('回收丙', {}, rep3),
      R4: await seed('回收丁', {}, rep3),
    };
    // The customers of the tests above are locked, out of the way.
    await t.db.query('UPDATE customers SET pool_locked = true WHERE NOT (id = ANY($1))', [Object.values(r)]);
    await t.db.query(`UPDATE customers SET created_at = '2026-03-01T10:00:00+08:00' WHERE id = ANY($1)`, [
      Object.values(r),
    ]);
    await t.db.query(
      `INSERT INTO tier_assignments (customer_id, scheme_id, tier, since, scheme_version, changed_on)
       VALUES ($1, 'abc-pool', 'A', '2026-03-01', 1, '2026-03-01')`,
      [r.R2],
    );
    await t.db.query('UPDATE customers SET pool_locked = true WHERE id = $1', [r.R3]);
    await t.db.query(`UPDATE customers SET last_contacted_at = '2026-03-08T15:00:00+08:00' WHERE id = $1`, [
      r.R4,
    ]);
    await t.db.query(
      `INSERT INTO followups (customer_id, due_at, method, owner_id, created_by) VALUES ($1, '2026-03-20T01:00:00Z', 'phone', $2, 'test')`,
      [r.R1, rep3.id],
    );
    const recycle = (dryRun: boolean) => admin.post('/api/pool/recycle', { dryRun });

    clock = new Date('2026-03-09T10:00:00+08:00');
    const events = await rows('SELECT count(*)::int AS n FROM pool_events');
    const dry = await recycle(true);
    expect(dry.body).toEqual({
      dryRun: true,
      date: '2026-03-09',
      recycled: [],
      warnings: [
        {
          customerId: r.R1,
          customer: expect.any(String),
          name: '回收甲',
          owner: 'rep3',
          recycleOn: '2026-03-11',
        },
      ],
    });
    expect(await rows('SELECT count(*)::int AS n FROM pool_events')).toEqual(events);
    expect((await recycle(false)).body.warnings.map((w: { name: string }) => w.name)).toEqual(['回收甲']);
    expect((await recycle(false)).body).toMatchObject({ recycled: [], warnings: [] });
    const due = await admin.get('/api/followups/due?owner=rep3');
    expect(due.body.recycleWarnings).toEqual([
      expect.objectContaining({ customerId: r.R1, recycleOn: '2026-03-11', warnedAt: clock.toISOString() }),
    ]);

    clock = new Date('2026-03-11T10:00:00+08:00');
    const done = await recycle(false);
    expect(done.body.recycled).toEqual([
      {
        customerId: r.R1,
        customer: expect.any(String),
        name: '回收甲',
        owner: 'rep3',
        since: '2026-03-01T02:00:00.000Z',
        days: 10,
        reason: '10 天未跟进，回收到公海 / No follow-up for 10 days: returned to the pool',
      },
    ]);
    expect(await rows('SELECT owner_id FROM customers WHERE id = $1', [r.R1])).toEqual([{ owner_id: null }]);
    expect(await rows('SELECT owner_id FROM followups WHERE customer_id = $1', [r.R1])).toEqual([
      { owner_id: null },
    ]);
    expect(
      await rows('SELECT from_user_id, to_user_id, actor FROM ownership_transfers WHERE customer_id = $1', [
        r.R1,
      ]),
    ).toEqual([{ from_user_id: rep3.id, to_user_id: null, actor: 'admin' }]);
    expect(await rows(`SELECT kind FROM pool_events WHERE customer_id = $1 ORDER BY id`, [r.R1])).toEqual([
      { kind: 'warn' },
      { kind: 'recycle' },
    ]);
    expect((await admin.get('/api/followups/due?owner=rep3')).body.recycleWarnings).toEqual([]);

    // Days past both deadlines without a run: R2 (A: 20 days) and R4 are warned first, never recycled unwarned.
    clock = new Date('2026-03-21T10:00:00+08:00');
    const late = await recycle(false);
    expect(late.body.recycled).toEqual([]);
    expect(
      late.body.warnings.map((w: { name: string; recycleOn: string }) => `${w.name} ${w.recycleOn}`),
    ).toEqual(['回收乙 2026-03-23', '回收丁 2026-03-23']);
    // R4 is followed up after the warning: the warning lapses and the clock starts again.
    await t.db.query(`UPDATE customers SET last_contacted_at = '2026-03-22T10:00:00+08:00' WHERE id = $1`, [
      r.R4,
    ]);
    clock = new Date('2026-03-23T10:00:00+08:00');
    const final = await recycle(false);
    expect(final.body.recycled.map((item: { name: string }) => item.name)).toEqual(['回收乙']);
    expect(final.body.warnings).toEqual([]);
    expect(
      await rows('SELECT owner_id FROM customers WHERE id = ANY($1) ORDER BY id', [[r.R3, r.R4]]),
    ).toEqual([{ owner_id: rep3.id }, { owner_id: rep3.id }]);
    expect(
      await rows(
        `SELECT details->'recycled' AS recycled FROM audit_log WHERE action = 'pool.recycle' ORDER BY id DESC LIMIT 1`,
      ),
    ).toEqual([{ recycled: [{ customerId: r.R2, customer: expect.any(String), owner: 'rep3' }] }]);
  });
});

describe('claiming races', () => {
  it('gives a customer claimed by two reps at the same moment to exactly one of them', async () => {
    clock = new Date('2026-04-01T09:00:00+08:00');
    await admin.put('/api/pool/settings', { holdingLimit: null, dailyClaimLimit: 100, noReclaimDays: 0 });
    for (let round = 0; round < 5; round++) {
      const id = await seed(`争抢客户${round}`);
      const answers = await Promise.all([
        as(rep1).post(`/api/pool/${id}/claim`),
        as(rep3).post(`/api/pool/${id}/claim`),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const winner = answers.find((answer) => answer.status === 200)?.body.owner;
      const winnerId = winner === 'rep1' ? rep1.id : rep3.id;
      expect(await rows('SELECT owner_id FROM customers WHERE id = $1', [id])).toEqual([
        { owner_id: winnerId },
      ]);
      expect(await rows('SELECT user_id FROM pool_events WHERE customer_id = $1', [id])).toEqual([
        { user_id: winnerId },
      ]);
      expect(await rows('SELECT to_user_id FROM ownership_transfers WHERE customer_id = $1', [id])).toEqual([
        { to_user_id: winnerId },
      ]);
    }
  });

  it('keeps one rep’s parallel claims within the daily limit', async () => {
    await admin.put('/api/pool/settings', { dailyClaimLimit: 1 });
    clock = new Date('2026-04-02T09:00:00+08:00');
    const ids = [await seed('并发甲'), await seed('并发乙'), await seed('并发丙')];
    const answers = await Promise.all(ids.map((id) => as(rep2).post(`/api/pool/${id}/claim`)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 403, 403]);
  });
});
