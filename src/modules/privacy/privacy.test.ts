import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { verifyAuditLog } from '../audit/audit-log.js';
import { exportCustomersCsv } from '../imports/export-customers.js';

let t: TestApp;
let marketing: TestUser;
let withConsent: number;
let withoutConsent: number;

async function customer(payload: object): Promise<number> {
  const response = await t.app.inject({ method: 'POST', url: '/api/customers', payload });
  expect(response.statusCode).toBe(201);
  return response.json().id;
}

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-08-01T10:00:00+08:00') });
  marketing = await addTestUser(t.ctx, 'mkt', 'marketing');
  withConsent = await customer({ name: '愿意营销', phone: '13811112222', email: 'yes@example.com' });
  withoutConsent = await customer({ name: '拒绝营销', phone: '13833334444' });
  await t.app.inject({
    method: 'POST',
    url: `/api/customers/${withConsent}/transactions`,
    payload: { occurredOn: '2024-07-01', amount: '88.80' },
  });
});
afterAll(() => t.close());

describe('consent (PIPL)', () => {
  it('records consent with purpose, scope and channel, and a withdrawal', async () => {
    const granted = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${withConsent}/consents`,
      payload: { purpose: 'marketing', scope: '电话和微信用于新品推荐', channel: '网页勾选' },
    });
    expect(granted.statusCode).toBe(201);
    expect(granted.json()).toMatchObject({ purpose: 'marketing', withdrawnAt: null, recordedBy: 'admin' });
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${withoutConsent}/consents`,
      payload: { purpose: 'marketing', channel: '电话' },
    });
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${withoutConsent}/consents/${other.json().id}/withdraw`,
    });
    expect(withdrawn.json().withdrawnAt).not.toBeNull();
  });

  it('gives marketing only customers with an active marketing consent, in lists and exports', async () => {
    const list = await t.app.inject({ url: '/api/customers', headers: marketing.headers });
    expect(list.json().items.map((c: { id: number }) => c.id)).toEqual([withConsent]);
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    await exportCustomersCsv({ ...t.ctx, actor: marketing.actor }, out);
    expect(text).toContain('愿意营销');
    expect(text).not.toContain('拒绝营销');
    const everyone = await t.app.inject({ url: '/api/customers?consent=marketing' });
    expect(everyone.json().total).toBe(1);
    expect((await t.app.inject({ url: '/api/customers?consent=spam' })).statusCode).toBe(400);
  });
});

describe('data-subject requests', () => {
  it('exports everything about one customer as JSON and as xlsx, audited', async () => {
    const json = await t.app.inject({ url: `/api/customers/${withConsent}/data-export` });
    expect(json.statusCode).toBe(200);
    const data = json.json();
    expect(data.customer).toMatchObject({
      name: '愿意营销',
      phone: '+8613811112222',
      email: 'yes@example.com',
    });
    expect(data.transactions).toEqual([expect.objectContaining({ amount: '88.80' })]);
    expect(data.consents).toHaveLength(1);
    expect(data.auditTrail.length).toBeGreaterThan(0);

    const xlsx = await t.app.inject({ url: `/api/customers/${withConsent}/data-export?format=xlsx` });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const values = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(values[header.indexOf('phone')]).toBe('+8613811112222');
    expect(workbook.worksheets.map((w) => w.name)).toContain('交易 Transactions');
    const { rows } = await t.db.query("SELECT 1 FROM audit_log WHERE action = 'subject.export'");
    expect(rows).toHaveLength(2);
  });

  it('is refused to roles without the permission', async () => {
    const response = await t.app.inject({
      url: `/api/customers/${withConsent}/data-export`,
      headers: marketing.headers,
    });
    expect(response.statusCode).toBe(403);
  });

  it('erases personal data, keeps transactions for the totals, and can no longer be found by phone', async () => {
    const erased = await t.app.inject({ method: 'POST', url: `/api/customers/${withConsent}/erase` });
    expect(erased.statusCode).toBe(204);
    const after = (await t.app.inject({ url: `/api/customers/${withConsent}` })).json();
    expect(after).toMatchObject({
      name: `已删除客户 #${withConsent}`,
      phone: null,
      email: null,
      totalSpent: '88.80',
      orderCount: 1,
    });
    expect((await t.app.inject({ url: '/api/customers?search=13811112222' })).json().total).toBe(0);
    expect((await t.app.inject({ url: '/api/customers?search=yuanyi' })).json().total).toBe(0);
    const consents = (await t.app.inject({ url: `/api/customers/${withConsent}/consents` })).json().items;
    expect(consents.every((consent: { withdrawnAt: string | null }) => consent.withdrawnAt !== null)).toBe(
      true,
    );
    expect(await verifyAuditLog(t.db)).toMatchObject({ ok: true });
  });
});

describe('hostile input', () => {
  it.each([
    "Robert'); DROP TABLE customers;--",
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    "' OR '1'='1",
  ])('stores %s as plain text and returns it unchanged', async (text) => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      payload: { name: text, notes: text },
    });
    expect(created.statusCode).toBe(201);
    const read = await t.app.inject({ url: `/api/customers/${created.json().id}` });
    expect(read.json()).toMatchObject({ name: text, notes: text });
    expect(read.headers['content-type']).toContain('application/json');
    const search = await t.app.inject({ url: `/api/customers?search=${encodeURIComponent(text)}` });
    expect(search.statusCode).toBe(200);
    expect((await t.db.query('SELECT count(*)::int AS n FROM customers')).rows[0]).toBeDefined();
  });

  it('rejects injection through sort and filter names instead of running it', async () => {
    const sort = await t.app.inject({
      url: `/api/customers?sort=${encodeURIComponent('name; DROP TABLE customers')}`,
    });
    expect(sort.statusCode).toBe(400);
    const filter = await t.app.inject({ url: `/api/customers?${encodeURIComponent("cf.x'--")}=1` });
    expect(filter.statusCode).toBe(400);
  });
});

describe('audit trail', () => {
  it('records writes of contacts, transactions, custom fields and settings, and the chain verifies', async () => {
    await t.app.inject({
      method: 'POST',
      url: `/api/customers/${withoutConsent}/contacts`,
      payload: { name: '联系人' },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/custom-fields',
      payload: { key: 'level', type: 'text', labelZh: '级别', labelEn: 'Level' },
    });
    await t.app.inject({
      method: 'PUT',
      url: '/api/settings/customer-number',
      payload: { pattern: 'C{YY}{SEQ:4}' },
    });
    const { rows } = await t.db.query<{ action: string }>('SELECT DISTINCT action FROM audit_log');
    const actions = rows.map((row) => row.action);
    for (const action of [
      'customer.create',
      'transaction.create',
      'contact.create',
      'custom_field.create',
      'settings.customer_number',
      'consent.grant',
      'subject.erase',
    ]) {
      expect(actions).toContain(action);
    }
    expect(await verifyAuditLog(t.db)).toEqual({
      ok: true,
      entries: expect.any(Number),
      firstBadId: null,
      problem: null,
    });
  });

  it('detects an edited entry', async () => {
    await t.db.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change');
    await t.db.query("UPDATE audit_log SET actor = 'someone-else' WHERE id = 3");
    await t.db.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change');
    expect(await verifyAuditLog(t.db)).toMatchObject({ ok: false, firstBadId: 3, problem: 'hash_mismatch' });
  });

  it('refuses updates and deletes of entries', async () => {
    await expect(t.db.query('DELETE FROM audit_log WHERE id = 1')).rejects.toThrow(/append-only/);
  });
});
