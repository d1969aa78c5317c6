import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { addTeam } from '../access/users.js';
import { CUSTOMER_OWNED_TABLES } from './customer-owned-tables.js';
import { mergeCustomers } from './merge-customers.js';
import { unmergeCustomers } from './unmerge-customers.js';

let t: TestApp;
let api: ApiClient;
let manager: TestUser;
let rep: TestUser;
let southRep: TestUser;

interface Created {
  id: number;
  code: string;
}

async function customer(payload: object, user?: TestUser): Promise<Created> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/customers',
    payload,
    ...(user ? { headers: user.headers } : {}),
  });
  expect(response.statusCode).toBe(201);
  return response.json() as Created;
}

async function ok(response: Promise<{ status: number; body: unknown }>, status = 201) {
  const result = await response;
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  return result.body as Record<string, unknown>;
}

/** Every row of the customers and of every table they own, as PostgreSQL prints it. */
async function snapshot(ids: number[]): Promise<Record<string, string[]>> {
  const tables = CUSTOMER_OWNED_TABLES.filter((entry) => entry.onMerge !== 'derived').map((e) => e.table);
  const result: Record<string, string[]> = {};
  for (const table of ['customers', ...tables]) {
    const column = table === 'customers' ? 'id' : 'customer_id';
    const { rows } = await t.db.query<{ row: string }>(
      `SELECT to_jsonb(x)::text AS row FROM ${table} x WHERE ${column} = ANY($1::bigint[]) ORDER BY 1`,
      [ids],
    );
    result[table] = rows.map((row) => row.row);
  }
  return result;
}

async function count(table: string, customerId: number): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE customer_id = $1`,
    [customerId],
  );
  return rows[0]?.n ?? 0;
}

let survivor: Created;
let other1: Created;
let other2: Created;

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2026-01-15T12:00:00+08:00') });
  api = apiClient(t.app);
  await addTeam(t.ctx, { name: '华东' });
  await addTeam(t.ctx, { name: '华南' });
  manager = await addTestUser(t.ctx, 'manager-east', 'manager', '华东');
  rep = await addTestUser(t.ctx, 'rep-east', 'sales', '华东');
  southRep = await addTestUser(t.ctx, 'rep-south', 'sales', '华南');
  await ok(api.post('/api/custom-fields', { key: 'level', type: 'text', labelZh: '级别', labelEn: 'Level' }));
  await ok(api.post('/api/tiers/schemes', { preset: 'monthly-spend' }));

  survivor = await customer(
    {
      name: '上海星辰科技有限公司',
      type: 'enterprise',
      phone: '13800138000',
      industry: '软件',
      tags: ['老客户'],
      custom: { level: 'A' },
    },
    rep,
  );
  other1 = await customer(
    {
      name: '上海星辰科技',
      type: 'enterprise',
      phone: '+86 138-0013-8000',
      email: 'Info@XingChen.cn',
      province: '上海',
      city: '上海',
      tags: ['展会'],
    },
    rep,
  );
  other2 = await customer(
    {
      name: '上海星晨科技',
      type: 'enterprise',
      wechat: 'xc_wx',
      industry: '信息技术',
      custom: { level: 'B' },
    },
    rep,
  );
  // Contacts: each company has a primary one.
  await ok(
    api.post(`/api/customers/${survivor.id}/contacts`, {
      name: '李雷',
      phone: '13900000001',
      isPrimary: true,
    }),
  );
  await ok(
    api.post(`/api/customers/${other1.id}/contacts`, {
      name: '韩梅梅',
      phone: '13900000002',
      isPrimary: true,
    }),
  );
  await ok(api.post(`/api/customers/${other1.id}/contacts`, { name: '王芳' }));
  // Transactions: the same order (ORD-1) was recorded on two of them.
  for (const [id, on, amount, ref] of [
    [survivor.id, '2025-11-03', '800.00', 'ORD-1'],
    [survivor.id, '2025-12-01', '200.00', null],
    [other1.id, '2025-11-03', '800.00', 'ORD-1'],
    [other1.id, '2025-10-10', '50.00', null],
    [other1.id, '2025-12-20', '1250.50', 'ORD-2'],
    [other2.id, '2025-09-09', '99.90', null],
  ] as const) {
    await ok(api.post(`/api/customers/${id}/transactions`, { occurredOn: on, amount, externalRef: ref }));
  }
  await ok(api.post(`/api/customers/${survivor.id}/consents`, { purpose: 'marketing', channel: '网页勾选' }));
  await ok(api.post(`/api/customers/${other1.id}/consents`, { purpose: 'service', channel: '电话录音' }));
  // A colleague collaborates on two of them (a conflict: the survivor keeps its own grant).
  await ok(
    api.put(`/api/customers/${survivor.id}/collaborators/${manager.username}`, { access: 'read' }),
    200,
  );
  await ok(
    api.put(`/api/customers/${other1.id}/collaborators/${manager.username}`, { access: 'write' }),
    200,
  );
  await ok(
    api.put(`/api/customers/${other2.id}/collaborators/${southRep.username}`, { access: 'read' }),
    200,
  );
  // Ownership history: other2 went to the manager and back.
  await ok(api.post(`/api/customers/${other2.id}/transfer`, { to: manager.username, reason: '休假' }), 200);
  await ok(api.post(`/api/customers/${other2.id}/transfer`, { to: rep.username, reason: '回来了' }), 200);
  // Tiers: a review puts all three in the scheme; other1 also gets an override (history + notice).
  await ok(api.post('/api/tiers/schemes/monthly-spend/reviews', { asOf: '2025-12-31', dryRun: false }), 200);
  await ok(
    api.post(`/api/customers/${other1.id}/tiers/monthly-spend/override`, {
      tier: 'high',
      reason: '战略客户',
    }),
    200,
  );
  // Timeline records, written directly: communications, feedback, service, a project with its
  // instalments and payment, follow-up plans (both companies have an open cadence plan: a conflict)
  // and a customer-pool event.
  await t.db.query(
    `INSERT INTO communications (customer_id, occurred_at, channel, content, created_by)
     VALUES ($1, '2025-12-28T10:00:00+08:00', 'phone', '确认续约', 'test')`,
    [other1.id],
  );
  // As recording a communication does: the last contact is kept in step.
  await t.db.query(`UPDATE customers SET last_contacted_at = '2025-12-28T10:00:00+08:00' WHERE id = $1`, [
    other1.id,
  ]);
  await t.db.query(
    `INSERT INTO feedback (customer_id, kind, content, received_at, created_by)
     VALUES ($1, 'complaint', '发票延迟', '2025-12-01T09:00:00+08:00', 'test')`,
    [other1.id],
  );
  await t.db.query(
    `INSERT INTO service_records (customer_id, request, opened_at, created_by)
     VALUES ($1, '安装调试', '2025-11-11T09:00:00+08:00', 'test')`,
    [other2.id],
  );
  const project = await t.db.query<{ id: number }>(
    `INSERT INTO projects (customer_id, name, contract_amount, created_by) VALUES ($1, '二期', 10000, 'test') RETURNING id`,
    [other1.id],
  );
  await t.db.query(
    `INSERT INTO project_instalments (customer_id, project_id, due_on, amount)
     VALUES ($1, $2, '2025-12-01', 5000), ($1, $2, '2026-06-01', 5000)`,
    [other1.id, project.rows[0]?.id],
  );
  await t.db.query(
    `INSERT INTO project_payments (customer_id, project_id, received_on, amount, created_by)
     VALUES ($1, $2, '2025-12-02', 5000, 'test')`,
    [other1.id, project.rows[0]?.id],
  );
  for (const [id, status] of [
    [survivor.id, 'planned'],
    [other1.id, 'planned'],
    [other1.id, 'done'],
  ] as const) {
    await t.db.query(
      `INSERT INTO followups (customer_id, due_at, method, status, source, scheme_id, created_by)
       VALUES ($1, '2026-02-01T10:00:00+08:00', 'phone', $2, 'cadence', 'monthly-spend', 'test')`,
      [id, status],
    );
  }
  await t.db.query(`INSERT INTO pool_events (customer_id, kind, actor) VALUES ($1, 'claim', 'test')`, [
    other2.id,
  ]);
  // An import updated other2: its before-image describes other2 only.
  const imported = await t.db.query<{ id: number }>(
    `INSERT INTO imports (kind, file_name, file_hash, format, on_duplicate, actor)
     VALUES ('customers', 'a.csv', 'x', 'csv', 'update', 'test') RETURNING id`,
  );
  await t.db.query(
    `INSERT INTO import_updates (customer_id, import_id, before, version_after) VALUES ($1, $2, '{"name": "旧名"}', 2)`,
    [other2.id, imported.rows[0]?.id],
  );
});
afterAll(() => t.close());

describe('merging customers', () => {
  let before: Record<string, string[]>;
  let mergeId: number;

  it('has rows in every customer-owned table to move', async () => {
    for (const entry of CUSTOMER_OWNED_TABLES) {
      if (entry.onMerge === 'derived') continue;
      const { rows } = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${entry.table} WHERE customer_id = ANY($1::bigint[])`,
        [[other1.id, other2.id]],
      );
      expect(rows[0]?.n, entry.table).toBeGreaterThan(0);
    }
  });

  it('previews a merge without writing anything', async () => {
    const ids = [survivor.id, other1.id, other2.id];
    before = await snapshot(ids);
    const preview = await ok(
      api.post('/api/merges', { survivor: survivor.code, others: [other1.code, other2.code], dryRun: true }),
      200,
    );
    expect(preview).toMatchObject({ mergeId: null, dryRun: true });
    expect(await snapshot(ids)).toEqual(before);
  });

  it('moves every related record to the survivor, choosing each field, in one audited transaction', async () => {
    const merged = await ok(
      api.post('/api/merges', {
        survivor: survivor.code,
        others: [other1.code, other2.code],
        take: { industry: other2.code },
      }),
    );
    mergeId = merged.mergeId as number;
    expect(merged.fields).toEqual([
      { field: 'industry', from: other2.code },
      { field: 'province', from: other1.code },
      { field: 'city', from: other1.code },
      { field: 'email', from: other1.code },
      { field: 'wechat', from: other2.code },
      { field: 'tags', from: null },
    ]);
    // The survivor keeps its own non-empty values (phone, custom.level) and gets the rest.
    expect(merged.customer).toMatchObject({
      id: survivor.id,
      code: survivor.code,
      name: '上海星辰科技有限公司',
      phone: '+8613800138000',
      email: 'info@xingchen.cn',
      wechat: 'xc_wx',
      province: '上海',
      industry: '信息技术',
      tags: ['老客户', '展会'],
      custom: { level: 'A' },
      // 800 + 200 + 50 + 1250.50 + 99.90: the second ORD-1 is the same order, kept aside.
      totalSpent: '2400.40',
      orderCount: 5,
      firstPurchaseOn: '2025-09-09',
      lastPurchaseOn: '2025-12-20',
    });
    expect(merged.moved).toEqual({
      contacts: 2,
      transactions: 3,
      consents: 1,
      customer_collaborators: 1,
      ownership_transfers: 2,
      tier_history: 3,
      tier_notices: expect.any(Number),
      communications: 1,
      feedback: 1,
      service_records: 1,
      projects: 1,
      project_instalments: 2,
      project_payments: 1,
      followups: 1,
      pool_events: 1,
    });
    expect(merged.setAside).toEqual({
      transactions: 1,
      customer_collaborators: 1,
      tier_assignments: 2,
      followups: 1,
      import_updates: 1,
    });

    for (const removed of [other1, other2]) {
      expectError(await api.get(`/api/customers/${removed.id}`), 404, 'NOT_FOUND');
      for (const entry of CUSTOMER_OWNED_TABLES)
        expect(await count(entry.table, removed.id), entry.table).toBe(0);
    }
    expect(await count('contacts', survivor.id)).toBe(3);
    const primaries = await t.db.query<{ name: string }>(
      'SELECT name FROM contacts WHERE customer_id = $1 AND is_primary',
      [survivor.id],
    );
    expect(primaries.rows).toEqual([{ name: '李雷' }]);
    expect(await count('transactions', survivor.id)).toBe(5);
    expect(await count('consents', survivor.id)).toBe(2);
    const collaborators = await api.get(`/api/customers/${survivor.id}/collaborators`);
    expect(collaborators.body.items).toMatchObject([
      { username: manager.username, access: 'read' },
      { username: southRep.username, access: 'read' },
    ]);
    expect(await count('ownership_transfers', survivor.id)).toBe(2);
    const tiers = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tier_assignments WHERE customer_id = $1',
      [survivor.id],
    );
    expect(tiers.rows[0]?.n).toBe(1);
    expect(await count('tier_history', survivor.id)).toBe(4);
    // Every notice followed its history row (ON UPDATE CASCADE of the composite foreign key).
    expect(await count('tier_notices', survivor.id)).toBe((before.tier_notices as string[]).length);
    expect(await count('import_updates', survivor.id)).toBe(0);
    // Summaries kept in step with moved rows: the last contact came with other1's communication.
    const summary = await t.db.query<{ last_contacted_at: string }>(
      'SELECT last_contacted_at FROM customers WHERE id = $1',
      [survivor.id],
    );
    expect(summary.rows[0]?.last_contacted_at).toBe('2025-12-28T02:00:00.000Z');

    // Contacts' names, the new e-mail and the contacts' phones find the survivor.
    for (const search of ['韩梅梅', 'info@xingchen.cn', '13900000002']) {
      const found = await api.get(`/api/customers?search=${encodeURIComponent(search)}`);
      expect(
        found.body.items.map((c: { id: number }) => c.id),
        search,
      ).toEqual([survivor.id]);
    }
    const audit = await api.get(`/api/audit?action=customer.merge`);
    expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual([
      'customer.merged_into',
      'customer.merged_into',
      'customer.merge',
    ]);
    const entry = audit.body.items[2];
    expect(entry).toMatchObject({ customerId: survivor.id, entityId: String(mergeId) });
    expect(entry.details.changes.email.after).toContain('***');

    const record = await api.get(`/api/merges/${mergeId}`);
    expect(record.body).toMatchObject({
      id: mergeId,
      survivor: { id: survivor.id, code: survivor.code },
      removed: [
        { id: other1.id, code: other1.code },
        { id: other2.id, code: other2.code },
      ],
      taken: { industry: other2.code, email: other1.code },
      undoneAt: null,
    });
    // Encrypted fields stay encrypted in the record.
    const stored = await t.db.query<{ removed: string }>(
      'SELECT removed::text FROM customer_merges WHERE id = $1',
      [mergeId],
    );
    expect(stored.rows[0]?.removed).not.toContain('info@');
    expect(stored.rows[0]?.removed).toContain('"email": "v1:');
  });

  it('unmerges exactly: the same rows, ids and codes, and the survivor as it was', async () => {
    const undone = await ok(api.post(`/api/merges/${mergeId}/undo`, {}), 200);
    expect(undone).toMatchObject({
      restoredCustomers: [
        { id: other1.id, code: other1.code },
        { id: other2.id, code: other2.code },
      ],
      changedSince: [],
      missing: {},
      notRestored: {},
      restored: {
        transactions: 1,
        customer_collaborators: 1,
        tier_assignments: 2,
        followups: 1,
        import_updates: 1,
      },
    });
    expect((undone.restoredFields as string[]).sort()).toEqual(
      ['city', 'email', 'industry', 'province', 'tags', 'wechat'].sort(),
    );
    const after = await snapshot([survivor.id, other1.id, other2.id]);
    const withoutVersion = (rows: string[]) =>
      rows.map((row) => {
        const { version: _v, updated_at: _u, ...rest } = JSON.parse(row) as Record<string, unknown>;
        return rest;
      });
    expect(withoutVersion(after.customers as string[])).toEqual(withoutVersion(before.customers as string[]));
    for (const [table, rows] of Object.entries(before)) {
      if (table !== 'customers') expect(after[table], table).toEqual(rows);
    }
    // Only the survivor was written to (twice).
    const versions = await t.db.query<{ id: number; version: number }>(
      'SELECT id, version FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id',
      [[survivor.id, other1.id, other2.id]],
    );
    const versionsBefore = (before.customers as string[]).map(
      (row) => JSON.parse(row) as { id: number; version: number },
    );
    for (const row of versions.rows) {
      const was = versionsBefore.find((candidate) => candidate.id === row.id)?.version as number;
      expect(row.version).toBe(row.id === survivor.id ? was + 2 : was);
    }
    expectError(await api.post(`/api/merges/${mergeId}/undo`, {}), 409, 'VERSION_CONFLICT');
  });
});

describe('unmerge after changes', () => {
  it('keeps survivor fields changed since the merge and names them', async () => {
    const a = await customer({ name: '北京云帆科技', phone: '13700000001' });
    const b = await customer({ name: '北京云帆科技有限公司', email: 'yf@example.cn', city: '北京' });
    const merged = await mergeCustomers(t.ctx, { survivor: a.id, others: [b.id] });
    const current = await api.get(`/api/customers/${a.id}`);
    await ok(
      api.patch(`/api/customers/${a.id}`, { version: current.body.version, email: 'new@example.cn' }),
      200,
    );
    const undone = await unmergeCustomers(t.ctx, merged.mergeId as number);
    expect(undone.changedSince).toEqual(['email']);
    expect(undone.restoredFields).toEqual(['city']);
    const survivorNow = await api.get(`/api/customers/${a.id}`);
    expect(survivorNow.body).toMatchObject({ email: 'new@example.cn', city: null });
    expect((await api.get(`/api/customers/${b.id}`)).body).toMatchObject({
      code: b.code,
      email: 'yf@example.cn',
    });
  });

  it('refuses to unmerge when a removed customer’s code was taken meanwhile, and changes nothing', async () => {
    const a = await customer({ name: '广州海讯贸易' });
    const b = await customer({ name: '广州海讯贸易有限公司', code: 'DUP-001' });
    const merged = await mergeCustomers(t.ctx, { survivor: a.code, others: [b.code] });
    await customer({ name: '另一个客户', code: 'DUP-001' });
    const refused = await api.post(`/api/merges/${merged.mergeId}/undo`, {});
    expectError(refused, 409, 'DUPLICATE', ['code']);
    expect(refused.body.error.message).toContain('DUP-001');
    expect((await api.get(`/api/merges/${merged.mergeId}`)).body.undoneAt).toBeNull();
  });

  it('refuses to unmerge when the survivor was merged away since, until that merge is undone', async () => {
    const a = await customer({ name: '深圳甲' });
    const b = await customer({ name: '深圳乙' });
    const c = await customer({ name: '深圳丙' });
    const first = await mergeCustomers(t.ctx, { survivor: b.id, others: [c.id] });
    const second = await mergeCustomers(t.ctx, { survivor: a.id, others: [b.id] });
    expectError(await api.post(`/api/merges/${first.mergeId}/undo`, {}), 404, 'NOT_FOUND');
    await ok(api.post(`/api/merges/${second.mergeId}/undo`, {}), 200);
    await ok(api.post(`/api/merges/${first.mergeId}/undo`, {}), 200);
    expect((await api.get(`/api/customers/${c.id}`)).status).toBe(200);
  });
});

describe('merge refusals and data scope', () => {
  it('refuses bad requests with the field named', async () => {
    const a = await customer({ name: '杭州一' });
    const b = await customer({ name: '杭州二' });
    expectError(await api.post('/api/merges', { survivor: a.id, others: [a.id] }), 400, 'VALIDATION_FAILED', [
      'others',
    ]);
    expectError(await api.post('/api/merges', { survivor: a.id, others: [] }), 400, 'VALIDATION_FAILED', [
      'others',
    ]);
    expectError(
      await api.post('/api/merges', { survivor: a.id, others: [b.id], take: { code: b.id } }),
      400,
      'VALIDATION_FAILED',
      ['take.code'],
    );
    expectError(
      await api.post('/api/merges', { survivor: a.id, others: [b.id], take: { phone: 999999 } }),
      400,
      'VALIDATION_FAILED',
      ['take.phone'],
    );
    expectError(await api.post('/api/merges', { survivor: a.id, others: ['NO-SUCH'] }), 404, 'NOT_FOUND');
  });

  it('needs customers.delete and write access to every customer involved', async () => {
    const mine = await customer({ name: '宁波东方五金' }, rep);
    const mineToo = await customer({ name: '宁波东方五金有限公司' }, rep);
    const south = await customer({ name: '宁波东方五金厂' }, southRep);
    const asUser = (user: TestUser, payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/merges', payload, headers: user.headers });
    // Sales may not delete customers, so may not merge them.
    const bySales = await asUser(rep, { survivor: mine.id, others: [mineToo.id] });
    expect(bySales.statusCode).toBe(403);
    // The east manager does not see the south rep's customer: as if it did not exist.
    const across = await asUser(manager, { survivor: mine.id, others: [south.id] });
    expect(across.statusCode).toBe(404);
    expect((await api.get(`/api/customers/${south.id}`)).status).toBe(200);
    const within = await asUser(manager, { survivor: mine.id, others: [mineToo.id] });
    expect(within.statusCode).toBe(201);
    // Listing merges follows the scope too.
    const southList = await t.app.inject({ url: '/api/merges', headers: southRep.headers });
    expect(southList.json().items).toEqual([]);
    const eastList = await t.app.inject({
      url: `/api/merges?customerId=${mineToo.id}`,
      headers: manager.headers,
    });
    expect(eastList.json().items.map((m: { id: number }) => m.id)).toEqual([within.json().mergeId]);
  });

  it('needs customers.transfer to give the survivor another owner', async () => {
    const a = await customer({ name: '苏州甲方' }, rep);
    const b = await customer({ name: '苏州乙方' });
    // The operator (admin) may; the merged customer then has a transfer in its history.
    const merged = await mergeCustomers(t.ctx, { survivor: a.id, others: [b.id], take: { owner: b.id } });
    expect(merged.customer.owner).toBe('admin');
    const history = await api.get(`/api/customers/${a.id}/transfers`);
    expect(history.body.items[0]).toMatchObject({ from: rep.username, to: 'admin' });
  });
});
