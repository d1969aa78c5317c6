import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { exportCustomersCsv } from '../imports/export-customers.js';
import { importCustomers } from '../imports/import-customers.js';
import { importTransactions } from '../imports/import-transactions.js';
import { userActor } from './actor.js';
import { addTeam } from './users.js';

let t: TestApp;
let salesA: TestUser;
let salesB: TestUser;
let salesC: TestUser;
let manager: TestUser;
let analyst: TestUser;
let customerA: { id: number; code: string };
let customerB: { id: number; code: string };
let dir: string;

async function create(user: TestUser, payload: object) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/customers',
    headers: user.headers,
    payload,
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: number; code: string; ownerId: number; owner: string; version: number };
}

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-06-01T10:00:00+08:00') });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-scope-'));
  await addTeam(t.ctx, { name: '华东销售部' });
  await addTeam(t.ctx, { name: '杭州组', parent: '华东销售部' });
  await addTeam(t.ctx, { name: '华南销售部' });
  salesA = await addTestUser(t.ctx, 'sales-a', 'sales', '杭州组');
  salesB = await addTestUser(t.ctx, 'sales-b', 'sales', '华南销售部');
  salesC = await addTestUser(t.ctx, 'sales-c', 'sales', '华东销售部');
  manager = await addTestUser(t.ctx, 'manager-east', 'manager', '华东销售部');
  analyst = await addTestUser(t.ctx, 'analyst', 'analyst');
  customerA = await create(salesA, { name: '甲方张三', phone: '13800000001' });
  customerB = await create(salesB, { name: '乙方李四', phone: '13800000002' });
  await t.app.inject({
    method: 'POST',
    url: `/api/customers/${customerB.id}/transactions`,
    headers: salesB.headers,
    payload: { occurredOn: '2024-05-01', amount: '100.00' },
  });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('data scope (本人 / 本部门 / 全部)', () => {
  it('makes the creator the owner', async () => {
    const response = await t.app.inject({ url: `/api/customers/${customerA.id}`, headers: salesA.headers });
    expect(response.json()).toMatchObject({ ownerId: salesA.id, owner: 'sales-a' });
  });

  it('hides another rep’s customer by id, by code, in lists, search, transactions and export (IDOR)', async () => {
    const h = salesA.headers;
    const byId = await t.app.inject({ url: `/api/customers/${customerB.id}`, headers: h });
    expect(byId.statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: `/api/customers/by-code/${customerB.code}`, headers: h })).statusCode,
    ).toBe(404);
    const list = await t.app.inject({ url: '/api/customers', headers: h });
    expect(list.json().items.map((c: { id: number }) => c.id)).toEqual([customerA.id]);
    expect(list.json().total).toBe(1);
    expect((await t.app.inject({ url: '/api/customers?search=lisi', headers: h })).json().total).toBe(0);
    expect((await t.app.inject({ url: '/api/customers?search=13800000002', headers: h })).json().total).toBe(
      0,
    );
    expect(
      (await t.app.inject({ url: `/api/customers/${customerB.id}/transactions`, headers: h })).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ url: `/api/customers/${customerB.id}/contacts`, headers: h })).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ url: '/api/transactions', headers: h })).json().items).toEqual([]);
  });

  it('leaves another rep’s customers out of exports', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const count = await exportCustomersCsv({ ...t.ctx, actor: salesA.actor }, out);
    expect(count).toBe(1);
    expect(text).toContain('甲方张三');
    expect(text).not.toContain('乙方李四');
    expect(text).not.toContain(customerB.code);
  });

  it('refuses to update, delete or add to another rep’s customer, and changes nothing', async () => {
    const h = salesA.headers;
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/customers/${customerB.id}`,
      headers: h,
      payload: { name: '偷改', version: 1 },
    });
    expect(patch.statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/customers/${customerB.id}`, headers: h }))
        .statusCode,
    ).toBe(403);
    const contact = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${customerB.id}/contacts`,
      headers: h,
      payload: { name: '间谍' },
    });
    expect(contact.statusCode).toBe(404);
    const after = await t.app.inject({ url: `/api/customers/${customerB.id}`, headers: salesB.headers });
    expect(after.json()).toMatchObject({ name: '乙方李四', version: 1, contacts: [] });
  });

  it('shows a manager the customers of their team and its sub-teams, not other teams', async () => {
    const list = await t.app.inject({ url: '/api/customers', headers: manager.headers });
    const names = list.json().items.map((c: { name: string }) => c.name);
    expect(names).toContain('甲方张三');
    expect(names).not.toContain('乙方李四');
    const teammate = await create(salesC, { name: '丙方王五' });
    const again = await t.app.inject({ url: '/api/customers', headers: manager.headers });
    expect(again.json().items.map((c: { id: number }) => c.id)).toContain(teammate.id);
  });

  it('lets analysts read everything and change nothing', async () => {
    expect(
      (await t.app.inject({ url: '/api/customers', headers: analyst.headers })).json().total,
    ).toBeGreaterThanOrEqual(3);
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: analyst.headers,
      payload: { name: 'x' },
    });
    expect(write.statusCode).toBe(403);
  });

  it('gives a collaborator read access until a date, and write access only when granted', async () => {
    const grant = await t.app.inject({
      method: 'PUT',
      url: `/api/customers/${customerB.id}/collaborators/sales-a`,
      headers: salesB.headers,
      payload: { access: 'read', until: '2024-06-30' },
    });
    expect(grant.statusCode).toBe(200);
    expect(
      (await t.app.inject({ url: `/api/customers/${customerB.id}`, headers: salesA.headers })).statusCode,
    ).toBe(200);
    const write = await t.app.inject({
      method: 'PATCH',
      url: `/api/customers/${customerB.id}`,
      headers: salesA.headers,
      payload: { notes: '协作', version: 1 },
    });
    expect(write.statusCode).toBe(403);
    await t.app.inject({
      method: 'PUT',
      url: `/api/customers/${customerB.id}/collaborators/sales-a`,
      headers: salesB.headers,
      payload: { access: 'write' },
    });
    const allowed = await t.app.inject({
      method: 'PATCH',
      url: `/api/customers/${customerB.id}`,
      headers: salesA.headers,
      payload: { notes: '协作', version: 1 },
    });
    expect(allowed.statusCode).toBe(200);
    await t.app.inject({
      method: 'DELETE',
      url: `/api/customers/${customerB.id}/collaborators/sales-a`,
      headers: salesB.headers,
    });
    expect(
      (await t.app.inject({ url: `/api/customers/${customerB.id}`, headers: salesA.headers })).statusCode,
    ).toBe(404);
  });

  it('ends a collaboration after its end date', async () => {
    const expired = await createTestApp({ now: () => new Date('2024-07-02T10:00:00+08:00') });
    try {
      const owner = await addTestUser(expired.ctx, 'o', 'sales');
      const guest = await addTestUser(expired.ctx, 'g', 'sales');
      const customer = await expired.app.inject({
        method: 'POST',
        url: '/api/customers',
        headers: owner.headers,
        payload: { name: '到期' },
      });
      const id = customer.json().id;
      await expired.app.inject({
        method: 'PUT',
        url: `/api/customers/${id}/collaborators/g`,
        headers: owner.headers,
        payload: { access: 'read', until: '2024-07-01' },
      });
      expect(
        (await expired.app.inject({ url: `/api/customers/${id}`, headers: guest.headers })).statusCode,
      ).toBe(404);
    } finally {
      await expired.close();
    }
  });

  it('transfers a customer with history, and only with the transfer permission', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${customerA.id}/transfer`,
      headers: salesA.headers,
      payload: { to: 'sales-c' },
    });
    expect(refused.statusCode).toBe(403);
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${customerA.id}/transfer`,
      headers: manager.headers,
      payload: { to: 'sales-c', reason: '离职交接' },
    });
    expect(moved.json()).toMatchObject({ owner: 'sales-c' });
    expect(
      (await t.app.inject({ url: `/api/customers/${customerA.id}`, headers: salesA.headers })).statusCode,
    ).toBe(404);
    const history = await t.app.inject({
      url: `/api/customers/${customerA.id}/transfers`,
      headers: salesC.headers,
    });
    expect(history.json().items).toEqual([
      expect.objectContaining({ from: 'sales-a', to: 'sales-c', actor: 'manager-east', reason: '离职交接' }),
    ]);
    const { rows } = await t.db.query("SELECT 1 FROM audit_log WHERE action = 'customer.transfer'");
    expect(rows).toHaveLength(1);
  });

  it('keeps imports inside the scope', async () => {
    const file = path.join(dir, 'steal.csv');
    fs.writeFileSync(file, `code,name\n${customerB.code},改名\nNEW1,新客户\n`);
    const ctx = { ...t.ctx, actor: salesA.actor };
    const { report } = await importCustomers(ctx, file);
    expect(report.invalid).toEqual([expect.objectContaining({ row: 2, field: 'code' })]);
    const ok = await importCustomers(ctx, file, { skipInvalid: true });
    expect(ok.report.created).toBe(1);
    const mine = await t.app.inject({ url: '/api/customers/by-code/NEW1', headers: salesA.headers });
    expect(mine.json().owner).toBe('sales-a');
    const tx = path.join(dir, 'tx.csv');
    fs.writeFileSync(tx, `customer_code,date,amount\n${customerB.code},2024-05-02,1\n`);
    const { report: txReport } = await importTransactions(
      { ...t.ctx, actor: userActor({ id: salesA.id, username: 'sales-a', role: 'sales' }) },
      tx,
    );
    expect(txReport.invalid).toEqual([expect.objectContaining({ field: 'customer_code' })]);
  });
});
