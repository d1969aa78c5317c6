import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { openDatabase } from '../../db/connect.js';
import { migrate } from '../../db/migrate.js';
import { createFieldKeyring } from '../../domain/security/field-crypto.js';
import { cliActor } from '../access/actor.js';
import { loadKeyring } from '../access/keys.js';
import { exportCustomersCsv } from '../imports/export-customers.js';
import { createCustomer } from './create-customer.js';
import { encryptLegacyPersonalData, resealPersonalData } from './encrypt-personal-data.js';
import { listCustomers } from './list-customers.js';

const PHONE = '13812345678';
const EMAIL = 'wang.secret@example.com';
let t: TestApp;
let analyst: TestUser;
let id: number;

beforeAll(async () => {
  t = await createTestApp();
  analyst = await addTestUser(t.ctx, 'ana', 'analyst');
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/customers',
    payload: {
      name: '王秘密',
      phone: `${PHONE.slice(0, 3)} ${PHONE.slice(3, 7)} ${PHONE.slice(7)}`,
      email: EMAIL,
      wechat: 'wxid_secret',
      address: '杭州市西湖区文三路1号',
    },
  });
  expect(created.statusCode).toBe(201);
  id = created.json().id;
  await t.app.inject({
    method: 'POST',
    url: `/api/customers/${id}/contacts`,
    payload: { name: '小王', phone: '13900001111' },
  });
});
afterAll(() => t.close());

describe('personal data at rest', () => {
  it('stores no plaintext phone, e-mail, WeChat or address in any table (what pg_dump would show)', async () => {
    const { rows: tables } = await t.db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    for (const { table_name } of tables) {
      const { rows } = await t.db.query<{ row: string }>(`SELECT t::text AS row FROM ${table_name} t`);
      const text = rows.map((row) => row.row).join('\n');
      for (const secret of [PHONE, EMAIL, 'wxid_secret', '文三路', '13900001111']) {
        expect({ table: table_name, leaks: text.includes(secret) }).toEqual({
          table: table_name,
          leaks: false,
        });
      }
    }
  });

  it('still finds the customer by phone in any format, by e-mail, and by a contact’s phone', async () => {
    for (const search of ['138 1234 5678', '+86 138-1234-5678', EMAIL.toUpperCase(), '139-0000-1111']) {
      const response = await t.app.inject({ url: `/api/customers?search=${encodeURIComponent(search)}` });
      expect({ search, total: response.json().total }).toEqual({ search, total: 1 });
    }
  });

  it('shows full values on the detail to those with personal.view, audited, and masked to others', async () => {
    const full = await t.app.inject({ url: `/api/customers/${id}` });
    expect(full.json()).toMatchObject({ phone: `+86${PHONE}`, email: EMAIL });
    const masked = await t.app.inject({ url: `/api/customers/${id}`, headers: analyst.headers });
    expect(masked.json()).toMatchObject({
      phone: '138****5678',
      email: 'w***@example.com',
      wechat: 'w******',
    });
    expect(JSON.stringify(masked.json())).not.toContain(PHONE);
    expect(JSON.stringify(masked.json())).not.toContain('13900001111');
    const { rows } = await t.db.query("SELECT actor FROM audit_log WHERE action = 'personal.view'");
    expect(rows.length).toBeGreaterThan(0);
  });

  it('masks lists for everyone; reveal is explicit, audited and needs the permission', async () => {
    const list = await t.app.inject({ url: '/api/customers' });
    expect(list.json().items[0].phone).toBe('138****5678');
    const reveal = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${id}/reveal`,
      payload: { fields: ['phone'] },
    });
    expect(reveal.json()).toEqual({ phone: `+86${PHONE}` });
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${id}/reveal`,
      headers: analyst.headers,
      payload: { fields: ['phone'] },
    });
    expect(refused.statusCode).toBe(403);
    expect(JSON.stringify(refused.json())).not.toContain(PHONE);
    const { rows } = await t.db.query<{ details: { fields: string[] } }>(
      "SELECT details FROM audit_log WHERE action = 'personal.reveal'",
    );
    expect(rows).toEqual([{ details: { fields: ['phone'] } }]);
  });

  it('exports masked values for roles without personal.view', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    await exportCustomersCsv({ ...t.ctx, actor: analyst.actor }, out);
    expect(text).toContain('138****5678');
    expect(text).not.toContain(PHONE);
  });

  it('keeps personal values out of the audit trail', async () => {
    await t.app.inject({
      method: 'PATCH',
      url: `/api/customers/${id}`,
      payload: { phone: '13700000000', version: 1 },
    });
    const { rows } = await t.db.query<{ details: unknown }>(
      "SELECT details FROM audit_log WHERE action LIKE 'customer.%'",
    );
    const text = JSON.stringify(rows);
    expect(text).not.toContain('13700000000');
    expect(text).not.toContain(PHONE);
    expect(text).toContain('137****0000');
  });
});

describe('keys', () => {
  it('creates a key file with mode 0600 on first start and reads the same key again', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-key-'));
    try {
      const file = path.join(dir, 'data.key');
      const first = loadKeyring({ keyFile: file });
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(loadKeyring({ keyFile: file }).decrypt(first.encrypt('x'))).toBe('x');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('re-encrypts everything on rotation and keeps search working', async () => {
    const rotated = createFieldKeyring(Buffer.alloc(32, 7), []);
    const old = t.ctx.keyring;
    const both = { ...t.ctx, keyring: createFieldKeyringFrom(rotated, old) };
    const report = await resealPersonalData(both, { everything: true });
    expect(report.customers).toBeGreaterThan(0);
    const page = await listCustomers({ ...t.ctx, keyring: rotated }, { search: '137 0000 0000' });
    expect(page.total).toBe(1);
    const { rows } = await t.db.query<{ phone: string }>('SELECT phone FROM customers WHERE id = $1', [id]);
    expect(rows[0]?.phone.startsWith(`v1:${rotated.currentKeyId}:`)).toBe(true);
    expect(rotated.decrypt(rows[0]?.phone ?? '')).toBe('+8613700000000');
  });
});

/** A keyring that encrypts with `next` and can still read what `previous` wrote. */
function createFieldKeyringFrom(
  next: ReturnType<typeof createFieldKeyring>,
  previous: ReturnType<typeof createFieldKeyring>,
) {
  return {
    ...next,
    decrypt: (value: string) => {
      try {
        return next.decrypt(value);
      } catch {
        return previous.decrypt(value);
      }
    },
    isStale: next.isStale,
  };
}

describe('data written before encryption', () => {
  it('is encrypted at start-up and becomes searchable by phone', async () => {
    const db = await openDatabase({ kind: 'pglite-memory' });
    try {
      await migrate(db);
      await db.query(
        "INSERT INTO customers (code, name, phone, email) VALUES ('OLD1', '老客户', '+8613600000000', 'old@example.com')",
      );
      const ctx = {
        db,
        now: () => new Date(),
        actor: cliActor(),
        keyring: createFieldKeyring(Buffer.alloc(32, 3)),
      };
      await encryptLegacyPersonalData(ctx);
      const { rows } = await db.query<{ phone: string }>("SELECT phone FROM customers WHERE code = 'OLD1'");
      expect(rows[0]?.phone.startsWith('v1:')).toBe(true);
      expect((await listCustomers(ctx, { search: '136 0000 0000' })).total).toBe(1);
      const created = await createCustomer(ctx, { name: '新客户', phone: '13500000000' });
      expect(created.phone).toBe('+8613500000000');
    } finally {
      await db.close();
    }
  });
});

describe('the database folder', () => {
  it('holds no plaintext phone or e-mail anywhere in its files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-grep-'));
    try {
      const db = await openDatabase({ kind: 'pglite', dataDir: dir, command: 'test' });
      await migrate(db);
      const ctx = {
        db,
        now: () => new Date(),
        actor: cliActor(),
        keyring: createFieldKeyring(Buffer.alloc(32, 5)),
      };
      await createCustomer(ctx, { name: '落盘检查', phone: '13698765432', email: 'grep.me@example.com' });
      await db.close();
      const files: string[] = [];
      const walk = (folder: string) => {
        for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
          const full = path.join(folder, entry.name);
          if (entry.isDirectory()) walk(full);
          else files.push(full);
        }
      };
      walk(dir);
      expect(files.length).toBeGreaterThan(100);
      const leaks = files.filter((file) => {
        const bytes = fs.readFileSync(file);
        return bytes.includes('13698765432') || bytes.includes('grep.me@example.com');
      });
      expect(leaks).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('personal custom fields', () => {
  it('are encrypted at rest, shown in full with personal.view, masked otherwise, and not filterable', async () => {
    const defined = await t.app.inject({
      method: 'POST',
      url: '/api/custom-fields',
      payload: { key: 'id_card', type: 'text', labelZh: '身份证号', labelEn: 'ID card', personal: true },
    });
    expect(defined.json()).toMatchObject({ personal: true });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      payload: { name: '证件客户', custom: { id_card: '330106199001011234' } },
    });
    const cid = created.json().id;
    const { rows } = await t.db.query<{ custom: string }>(
      'SELECT custom::text AS custom FROM customers WHERE id = $1',
      [cid],
    );
    expect(rows[0]?.custom).not.toContain('330106199001011234');
    expect((await t.app.inject({ url: `/api/customers/${cid}` })).json().custom).toEqual({
      id_card: '330106199001011234',
    });
    const masked = (await t.app.inject({ url: `/api/customers/${cid}`, headers: analyst.headers })).json();
    expect(masked.custom.id_card).toBe('3******');
    expect((await t.app.inject({ url: '/api/customers?cf.id_card=330106199001011234' })).statusCode).toBe(
      400,
    );
    const audit = await t.db.query<{ details: unknown }>(
      'SELECT details FROM audit_log WHERE customer_id = $1',
      [cid],
    );
    expect(JSON.stringify(audit.rows)).not.toContain('330106199001011234');
  });
});
