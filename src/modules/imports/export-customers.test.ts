import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { recogniseHeader } from '../../domain/imports/column-mapping.js';
import { exportCustomers, neutraliseFormula } from './export-customers.js';
import { importCustomers } from './import-customers.js';

let t: TestApp;
let api: ApiClient;
let rep: TestUser;
let dir: string;
const codes: Record<string, string> = {};

async function create(key: string, payload: object, user?: TestUser) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/customers',
    payload,
    ...(user ? { headers: user.headers } : {}),
  });
  expect(response.statusCode, response.body).toBe(201);
  codes[key] = response.json().code;
}

async function download(url: string, user?: TestUser) {
  const response = await t.app.inject({ url, ...(user ? { headers: user.headers } : {}) });
  return { status: response.statusCode, headers: response.headers, body: response.rawPayload };
}

async function readXlsx(buffer: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook.worksheets[0] as ExcelJS.Worksheet;
}

/** Rows of a CSV text (cells without embedded commas or quotes in these tests, except where noted). */
function csvRows(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const char = line[i] as string;
        if (quoted) {
          if (char === '"' && line[i + 1] === '"') {
            cell += '"';
            i++;
          } else if (char === '"') quoted = false;
          else cell += char;
        } else if (char === '"') quoted = true;
        else if (char === ',') {
          cells.push(cell);
          cell = '';
        } else cell += char;
      }
      cells.push(cell);
      return cells;
    });
}

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2026-01-15T12:00:00+08:00') });
  api = apiClient(t.app);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-export-'));
  rep = await addTestUser(t.ctx, 'rep', 'sales');
  await api.post('/api/custom-fields', {
    key: 'balance',
    type: 'number',
    labelZh: '余额',
    labelEn: 'Balance',
  });
  await api.post('/api/custom-fields', { key: 'memo', type: 'text', labelZh: '附言', labelEn: 'Memo' });
  await create('evil', {
    name: '=HYPERLINK("http://evil.example","点我")',
    type: 'enterprise',
    stage: 'closed',
    vip: true,
    phone: '13800138000',
    wechat: '@SUM(A1)',
    notes: '+cmd|calc',
    tags: ['重点', '老客户'],
    custom: { balance: -5, memo: '-3 元' },
  });
  await create('abroad', { name: 'Acme Trading', phone: '+1 415 555 0100', city: '-上海', stage: 'intent' });
  await create('plain', { name: '张三', stage: 'closed', custom: { balance: 12.5 } }, rep);
  await api.post('/api/customers/1/transactions', { occurredOn: '2025-12-01', amount: '-20.00' });
  // Forms and imports trim text; a tab in front can still come from elsewhere (an old database).
  await t.db.query("UPDATE customers SET company = E'\\t=1+1' WHERE code = $1", [codes.evil]);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('formula neutralisation', () => {
  it('prefixes cells a spreadsheet would run', () => {
    for (const text of ['=1+1', '+1', '-1', '@A1', '\t=1', '\r=1'])
      expect(neutraliseFormula(text)).toBe(`'${text}`);
    for (const text of ['1+1', '张三', "'=1", 'a=b']) expect(neutraliseFormula(text)).toBe(text);
  });
});

describe('customer export', () => {
  it('writes UTF-8 CSV with BOM and API headers, formulas neutralised, numbers left as numbers', async () => {
    const response = await download('/api/customers/export?format=csv');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="customers-2026-01-15.csv"');
    const text = response.body.toString('utf8');
    expect(text.startsWith('\uFEFFcode,name,type,')).toBe(true);
    const [header, ...rows] = csvRows(text);
    const at = (row: string[] | undefined, name: string) => row?.[(header as string[]).indexOf(name)];
    const evil = rows.find((row) => row[0] === codes.evil);
    expect(at(evil, 'name')).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    expect(at(evil, 'company')).toBe("'\t=1+1");
    expect(at(evil, 'wechat')).toBe("'@SUM(A1)");
    expect(at(evil, 'notes')).toBe("'+cmd|calc");
    expect(at(evil, 'custom.memo')).toBe("'-3 元");
    expect(at(evil, 'custom.balance')).toBe('-5');
    expect(at(evil, 'totalSpent')).toBe('-20');
    expect(at(evil, 'phone')).toBe('138 0013 8000');
    expect(at(evil, 'tags')).toBe('重点,老客户');
    expect(at(evil, 'stage')).toBe('closed');
    const abroad = rows.find((row) => row[0] === codes.abroad);
    expect(at(abroad, 'phone')).toBe('001 415 555 0100');
    expect(at(abroad, 'city')).toBe("'-上海");
    expect(rows).toHaveLength(3);
  });

  it('writes GBK CSV with Chinese headers and labels, read back with iconv-lite', async () => {
    const response = await download('/api/customers/export?format=csv&encoding=gbk&headers=zh&stage=closed');
    expect(response.headers['content-type']).toBe('text/csv; charset=GBK');
    expect(response.body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const text = iconv.decode(response.body, 'gbk');
    const [header, ...rows] = csvRows(text);
    expect(header?.slice(0, 4)).toEqual(['客户编号', '客户名称', '客户类型', '所属公司']);
    expect(header).toContain('余额');
    expect(header).toContain('累计消费');
    expect(rows.map((row) => row[0]).sort()).toEqual([codes.evil, codes.plain].sort());
    const evil = rows.find((row) => row[0] === codes.evil) as string[];
    expect(evil[(header as string[]).indexOf('客户类型')]).toBe('企业');
    expect(evil[(header as string[]).indexOf('客户阶段')]).toBe('成交');
    expect(evil[(header as string[]).indexOf('是否VIP')]).toBe('是');
    // Every header is one import recognises.
    const recognise = recogniseHeader('customers', [
      { key: 'balance', labelZh: '余额', labelEn: 'Balance' },
      { key: 'memo', labelZh: '附言', labelEn: 'Memo' },
    ]);
    for (const name of header as string[]) expect(recognise(name), name).not.toBeUndefined();
  });

  it('writes xlsx with English headers: formulas as plain strings, numbers as numbers, read back with exceljs', async () => {
    const response = await download('/api/customers/export?format=xlsx&headers=en&sort=name');
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const sheet = await readXlsx(response.body);
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    expect(header.slice(0, 3)).toEqual(['Code', 'Name', 'Type']);
    const column = (name: string) => header.indexOf(name) + 1;
    // Sorted by name: "=HYPERLINK…" < "Acme Trading" < "张三".
    const names = [2, 3, 4].map((row) => sheet.getRow(row).getCell(column('Name')));
    expect(names.map((cell) => cell.value)).toEqual([
      '=HYPERLINK("http://evil.example","点我")',
      'Acme Trading',
      '张三',
    ]);
    for (const cell of names) expect(cell.type).toBe(ExcelJS.ValueType.String);
    const evil = sheet.getRow(2);
    expect(evil.getCell(column('Company')).value).toBe('\t=1+1');
    expect(evil.getCell(column('Company')).type).toBe(ExcelJS.ValueType.String);
    expect(evil.getCell(column('Balance')).value).toBe(-5);
    expect(evil.getCell(column('Balance')).type).toBe(ExcelJS.ValueType.Number);
    expect(evil.getCell(column('Total spent')).value).toBe(-20);
    expect(evil.getCell(column('Stage')).value).toBe('Closed');
    expect(evil.getCell(column('VIP')).value).toBe('Yes');
    expect(sheet.rowCount).toBe(4);
  });

  it('exports only what the actor may see, audited with the filter', async () => {
    const mine = await download('/api/customers/export?format=csv', rep);
    const rows = csvRows(mine.body.toString('utf8'));
    expect(rows.slice(1).map((row) => row[0])).toEqual([codes.plain]);
    // Masked without personal.view? The rep has it; an analyst would get 138****8000 (see personal-data.test.ts).
    const audit = await api.get('/api/audit?action=customers.export');
    expect(audit.body.items[0]).toMatchObject({
      actor: 'rep',
      details: { count: 1, format: 'csv', encoding: 'utf-8', headers: 'api' },
    });
    const filtered = audit.body.items.find(
      (item: { details: { format: string; encoding: string } }) => item.details.encoding === 'gbk',
    );
    expect(filtered.details.filter).toEqual({ stage: 'closed' });
  });

  it('refuses bad parameters before writing anything', async () => {
    expectError(await api.get('/api/customers/export?format=pdf'), 400, 'VALIDATION_FAILED', ['format']);
    expectError(await api.get('/api/customers/export?colour=red'), 400, 'VALIDATION_FAILED', ['colour']);
    expectError(await api.get('/api/customers/export?sort=phone'), 400, 'VALIDATION_FAILED', ['sort']);
    const analyst = await addTestUser(t.ctx, 'analyst', 'analyst');
    expect((await download('/api/customers/export', analyst)).status).toBe(403);
  });

  it('is read back by import: a Chinese-header xlsx updates every customer and creates none', async () => {
    const file = path.join(dir, 'customers.xlsx');
    const out = fs.createWriteStream(file);
    const count = await exportCustomers(t.ctx, out, { format: 'xlsx', headers: 'zh' });
    expect(count).toBe(3);
    const { report } = await importCustomers(t.ctx, file);
    expect(report).toMatchObject({ created: 0, invalid: [] });
    const again = await api.get(`/api/customers/by-code/${codes.evil}`);
    expect(again.body).toMatchObject({
      name: '=HYPERLINK("http://evil.example","点我")',
      type: 'enterprise',
      vip: true,
      phone: '+8613800138000',
      custom: { balance: -5, memo: '-3 元' },
      tags: ['重点', '老客户'],
    });
  });

  it('streams page by page in a steady order', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const count = await exportCustomers(t.ctx, out, { pageSize: 1, filter: { sort: '-name' } });
    expect(count).toBe(3);
    const rows = csvRows(Buffer.concat(chunks).toString('utf8'));
    expect(rows.slice(1).map((row) => row[0])).toEqual([codes.plain, codes.abroad, codes.evil]);
  });
});
