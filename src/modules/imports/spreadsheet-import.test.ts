/**
 * Imports of the files real users bring: xlsx with title rows and Chinese headers, GBK CSV,
 * duplicates against stored customers and within the file, dry runs, undo, the HTTP upload.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { AppError } from '../../shared/app-error.js';
import { getCustomerByCode } from '../customers/get-customer.js';
import { setUniqueCustomerFields } from '../settings/unique-fields.js';
import { importCustomers } from './import-customers.js';
import { importTransactions } from './import-transactions.js';
import { undoImport } from './import-undo.js';
import { writeErrorReport } from './xlsx-writers.js';

let t: TestApp;
let dir: string;
let sales: TestUser;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-06-01T09:00:00+08:00') });
  sales = await addTestUser(t.ctx, 'wang', 'sales');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-sheet-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await t.db.query('DELETE FROM customers');
  await t.db.query("DELETE FROM settings WHERE key = 'customers.unique_fields'");
});

async function xlsx(name: string, rows: unknown[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户名单');
  for (const row of rows) sheet.addRow(row);
  const target = path.join(dir, name);
  await workbook.xlsx.writeFile(target);
  return target;
}

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, content);
  return target;
}

async function count(table: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n ?? 0;
}

const HEADER = [
  '客户名称',
  '手机号码',
  '邮箱',
  '客户类型',
  '所属行业',
  '客户来源',
  '省份',
  '城市',
  '首次接触日期',
  '备注',
];

describe('reading what people keep in Excel and WPS', () => {
  it('finds the header below a title, maps Chinese headers, and normalises phones, dates and full-width text', async () => {
    const target = await xlsx('list.xlsx', [
      ['2024年客户名单'],
      [],
      HEADER,
      [
        '杭州明远机械有限公司',
        13800138000,
        'Sales@MingYuan.CN',
        '企业',
        '制造业',
        '展会',
        '浙江',
        '杭州',
        new Date(Date.UTC(2024, 2, 5)),
        '老客户',
      ],
      [
        '张三',
        '１３９ １２３４ ５６７８',
        'ＺＳ@example.com',
        '个人',
        '零售',
        '官网',
        '浙江',
        '宁波',
        '2024年3月5日',
        null,
      ],
      ['李四', '86-137 0000 1111', null, 'Individual', null, null, null, null, 45356, '  '],
      [],
    ]);
    const outcome = await importCustomers(t.ctx, target);
    expect(outcome.table).toMatchObject({ format: 'xlsx', sheet: '客户名单', headerRow: 3 });
    expect(outcome.unknownColumns).toEqual([]);
    expect(outcome.report).toMatchObject({ rows: 3, valid: 3, created: 3, invalid: [] });
    const { rows } = await t.db.query<{ code: string; name: string; import_row: number }>(
      'SELECT code, name, import_row FROM customers ORDER BY import_row',
    );
    expect(rows.map((row) => [row.name, row.import_row])).toEqual([
      ['杭州明远机械有限公司', 4],
      ['张三', 5],
      ['李四', 6],
    ]);
    const [ming, zhang, li] = await Promise.all(rows.map((row) => getCustomerByCode(t.ctx, row.code)));
    expect(ming).toMatchObject({
      phone: '+8613800138000',
      email: 'sales@mingyuan.cn',
      type: 'enterprise',
      firstContactOn: '2024-03-05',
    });
    expect(zhang).toMatchObject({
      phone: '+8613912345678',
      email: 'zs@example.com',
      firstContactOn: '2024-03-05',
    });
    expect(li).toMatchObject({
      phone: '+8613700001111',
      type: 'individual',
      firstContactOn: '2024-03-05',
      notes: null,
    });
  });

  it('reads GBK CSV from Excel on Chinese Windows and tab-separated text', async () => {
    const gbk = file(
      'gbk.csv',
      iconv.encode('客户姓名,联系电话,电子邮箱\r\n王小明,13600001111,wxm@example.com\r\n', 'gbk'),
    );
    const outcome = await importCustomers(t.ctx, gbk);
    expect(outcome.table).toMatchObject({ format: 'csv', encoding: 'gb18030' });
    expect(outcome.report.created).toBe(1);
    const tsv = file('list.txt', 'name\tphone\n赵六\t13500002222\n');
    expect((await importCustomers(t.ctx, tsv)).report.created).toBe(1);
    expect(await count('customers')).toBe(2);
  });

  it('reports every invalid row with its row number, column, value and message, writes nothing, and builds the error report', async () => {
    const target = await xlsx('bad.xlsx', [
      ['客户名称', '手机', '邮箱', '客户类型'],
      ['好客户', '13800138001', null, null],
      [null, '13800138002', null, null],
      ['坏客户', '12345', 'not-an-email', '外星人'],
    ]);
    const outcome = await importCustomers(t.ctx, target);
    expect(outcome.committed).toBe(false);
    expect(outcome.report.invalid).toEqual([
      expect.objectContaining({ row: 3, column: '客户名称', field: 'name', value: '' }),
      expect.objectContaining({ row: 4, column: '客户类型', field: 'type', value: '外星人' }),
      expect.objectContaining({ row: 4, column: '手机', field: 'phone', value: '12345' }),
      expect.objectContaining({ row: 4, column: '邮箱', field: 'email', value: 'not-an-email' }),
    ]);
    for (const issue of outcome.report.invalid)
      expect(issue.message).toMatch(/\p{Script=Han}.* \/ .*[A-Za-z]/u);
    expect(await count('customers')).toBe(0);
    const report = path.join(dir, 'errors.xlsx');
    await writeErrorReport(report, outcome.header, outcome.errorRows);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(report);
    const sheet = book.worksheets[0] as ExcelJS.Worksheet;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1).slice(0, 4)).toEqual(['客户名称', '手机', '邮箱', '客户类型']);
    expect(values(1).at(-1)).toMatch(/错误/);
    expect(sheet.rowCount).toBe(3);
    expect(String(values(3).at(-1))).toContain('手机');
  });

  it('refuses what is not a spreadsheet, changing nothing', async () => {
    const imports = await count('imports');
    const garbage = file(
      'garbage.xlsx',
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
    );
    const error = await importCustomers(t.ctx, garbage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('IMPORT_FAILED');
    const noHeader = await xlsx('numbers.xlsx', [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await expect(importCustomers(t.ctx, noHeader)).rejects.toMatchObject({ code: 'IMPORT_FAILED' });
    expect(await count('imports')).toBe(imports);
  });
});

describe('duplicates', () => {
  it('matches stored customers by phone in any format and e-mail in any case; reports similar names; skip or update', async () => {
    await importCustomers(
      t.ctx,
      file(
        'first.csv',
        'code,name,phone,email,owner\nA1,上海星辰科技有限公司,021-6552 9988,info@xc.cn,wang\nA2,李雷,13811112222,,\n',
      ),
    );
    const again = file(
      'again.csv',
      [
        '客户名称,电话,邮箱,所属行业',
        '星辰科技,+86 21 6552 9988,,软件', // same landline → existing A1
        '李雷雷,,LILEI@x.cn,教育', // new
        '李雷雷,,lilei@x.cn,', // repeats the row above → in file
        '上海星辰科技,,,', // similar name to A1 → possible duplicate, created
      ].join('\n'),
    );
    const dry = await importCustomers(t.ctx, again, { dryRun: true });
    expect(dry.report).toEqual({
      rows: 4,
      valid: 4,
      created: 2,
      updated: 1,
      skipped: 0,
      duplicates: { inFile: 1, existing: 1 },
      possibleDuplicates: [
        {
          row: 5,
          name: '上海星辰科技',
          similarTo: [{ code: 'A1', name: '上海星辰科技有限公司', owner: 'wang' }],
        },
      ],
      invalid: [],
    });
    expect(await count('customers')).toBe(2);
    const committed = await importCustomers(t.ctx, again);
    expect(committed.report).toEqual(dry.report);
    // update fills and overwrites with non-empty cells; an empty cell never erases
    expect(await getCustomerByCode(t.ctx, 'A1')).toMatchObject({
      name: '星辰科技',
      industry: '软件',
      email: 'info@xc.cn',
    });
    const skip = await importCustomers(t.ctx, again, { onDuplicate: 'skip' });
    expect(skip.report).toMatchObject({
      created: 0,
      updated: 0,
      skipped: 4,
      duplicates: { inFile: 0, existing: 4 },
    });
    expect(await count('customers')).toBe(4);
  });

  it('keeps rows with different codes apart even when they share a phone, and reports them', async () => {
    const outcome = await importCustomers(
      t.ctx,
      file('codes.csv', 'code,name,phone\nF1,张先生,010-6552 9988\nF2,张太太,010-6552 9988\n'),
    );
    expect(outcome.report).toMatchObject({ created: 2, duplicates: { inFile: 0, existing: 0 } });
    expect(outcome.report.possibleDuplicates).toEqual([
      { row: 3, name: '张太太', similarTo: [{ row: 2, name: '张先生' }] },
    ]);
    const again = await importCustomers(
      t.ctx,
      file('codes2.csv', 'code,name,phone\nF3,张小姐,01065529988\n'),
    );
    expect(again.report.possibleDuplicates).toEqual([
      { row: 2, name: '张小姐', similarTo: [{ code: 'F1', name: '张先生', owner: null }] },
    ]);
    expect(await count('customers')).toBe(3);
  });

  it('honours a uniqueness rule and names the owner of a customer the importer may not change', async () => {
    await importCustomers(t.ctx, file('owned.csv', 'code,name,owner\nU1,北京远航贸易有限公司,wang\n'));
    await setUniqueCustomerFields(t.ctx, ['name']);
    const other = await addTestUser(t.ctx, `li${Date.now()}`, 'sales');
    const outcome = await importCustomers(
      { ...t.ctx, actor: other.actor },
      file('same-name.csv', 'name,city\n北京远航贸易有限公司,北京\n'),
    );
    expect(outcome.report.duplicates.existing).toBe(1);
    expect(outcome.report.invalid).toEqual([
      expect.objectContaining({ row: 2, field: 'name', message: expect.stringContaining('wang') }),
    ]);
    expect(await count('customers')).toBe(1);
    // The same rule guards customers entered by hand.
    const typed = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      payload: { name: ' 北京远航贸易有限公司 ' },
    });
    expect(typed.statusCode).toBe(409);
    expect(typed.json().error).toMatchObject({ code: 'DUPLICATE', details: [{ field: 'name' }] });
    expect(typed.json().error.message).toContain('wang');
  });

  it('creates nothing new when the same file is imported again, even for rows without code, phone or e-mail', async () => {
    const target = await xlsx('names.xlsx', [
      ['姓名', '城市'],
      ['甲', '北京'],
      ['乙', '上海'],
    ]);
    expect((await importCustomers(t.ctx, target)).report.created).toBe(2);
    expect((await importCustomers(t.ctx, target)).report).toMatchObject({
      created: 0,
      updated: 2,
      duplicates: { existing: 2 },
    });
    expect(await count('customers')).toBe(2);
  });
});

describe('mapping, dry run and undo', () => {
  it('uses a saved mapping for headers nobody recognises, and ignores columns mapped to null', async () => {
    const target = file('custom-headers.csv', '客户全称,内部代号,手机\n甲公司,X-1,13800001234\n');
    const outcome = await importCustomers(t.ctx, target, { mapping: { 客户全称: 'name', 内部代号: null } });
    expect(outcome.unknownColumns).toEqual([]);
    expect(outcome.columns).toEqual([
      { header: '客户全称', field: 'name' },
      { header: '内部代号', field: null },
      { header: '手机', field: 'phone' },
    ]);
    expect(outcome.report.created).toBe(1);
    await expect(importCustomers(t.ctx, target, { mapping: { 客户全称: 'nonsense' } })).rejects.toMatchObject(
      {
        code: 'IMPORT_FAILED',
      },
    );
  });

  it('undoes an import while its records are untouched, restoring updated customers', async () => {
    await importCustomers(t.ctx, file('base.csv', 'code,name,city\nB1,老客户,北京\n'));
    const outcome = await importCustomers(
      t.ctx,
      file('change.csv', 'code,name,city\nB1,老客户,上海\nB2,新客户,广州\n'),
    );
    expect(outcome.report).toMatchObject({ created: 1, updated: 1 });
    const undone = await undoImport(t.ctx, outcome.importId as number);
    expect(undone).toEqual({ id: outcome.importId, deleted: 1, restored: 1 });
    expect((await getCustomerByCode(t.ctx, 'B1')).city).toBe('北京');
    await expect(getCustomerByCode(t.ctx, 'B2')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(undoImport(t.ctx, outcome.importId as number)).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
    });

    const later = await importCustomers(t.ctx, file('later.csv', 'code,name\nB3,会被修改\n'));
    await t.app.inject({
      method: 'PATCH',
      url: `/api/customers/${(await getCustomerByCode(t.ctx, 'B3')).id}`,
      payload: { city: '深圳', version: 1 },
    });
    const refused = await undoImport(t.ctx, later.importId as number).catch((e: unknown) => e);
    expect((refused as AppError).message).toContain('B3');
    expect((await getCustomerByCode(t.ctx, 'B3')).city).toBe('深圳');
  });

  it('imports transactions from xlsx with Chinese headers and order numbers, and undoes them', async () => {
    await importCustomers(t.ctx, file('tx-customers.csv', 'code,name\nT1,交易客户\n'));
    const target = await xlsx('orders.xlsx', [
      ['订单号', '客户编号', '下单日期', '金额', '数量', '商品名称'],
      ['SO-1', 'T1', new Date(Date.UTC(2024, 0, 5)), 199.5, 2, '茶叶'],
      ['SO-2', 'T1', '2024/2/5', '¥1,200.00', 1, '茶具'],
      ['SO-2', 'T1', '2024/2/5', '1300', 1, '茶具'],
    ]);
    const outcome = await importTransactions(t.ctx, target);
    expect(outcome.report).toMatchObject({
      rows: 3,
      created: 2,
      duplicates: { inFile: 1, existing: 0 },
      invalid: [],
    });
    expect(await getCustomerByCode(t.ctx, 'T1')).toMatchObject({ totalSpent: '1499.50', orderCount: 2 });
    expect((await importTransactions(t.ctx, target)).report).toMatchObject({
      created: 0,
      duplicates: { existing: 3 },
    });
    const fresh = await importTransactions(
      t.ctx,
      await xlsx('more.xlsx', [
        ['客户编号', '日期', '金额'],
        ['T1', '2024-03-01', 1],
      ]),
    );
    await undoImport(t.ctx, fresh.importId as number);
    expect(await getCustomerByCode(t.ctx, 'T1')).toMatchObject({ totalSpent: '1499.50', orderCount: 2 });
  });
});

describe('HTTP upload', () => {
  it('takes the file as the request body, previews it, imports it, and serves the error report', async () => {
    const target = await xlsx('upload.xlsx', [
      HEADER,
      ['上传客户', '13800009999', null, '企业', null, null, null, null, null, null],
      ['缺手机', 'abc', null, null, null, null, null, null, null, null],
    ]);
    const body = fs.readFileSync(target);
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/imports/customers?dryRun=true&fileName=upload.xlsx',
      headers: { 'content-type': 'application/octet-stream' },
      payload: body,
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      dryRun: true,
      committed: false,
      report: { rows: 2, valid: 1, created: 1 },
    });
    const errors = await t.app.inject({ url: preview.json().errorReport });
    expect(errors.statusCode).toBe(200);
    expect(errors.headers['content-type']).toContain('spreadsheetml');
    const done = await t.app.inject({
      method: 'POST',
      url: '/api/imports/customers?skipInvalid=true',
      headers: { 'content-type': 'application/octet-stream' },
      payload: body,
    });
    expect(done.json()).toMatchObject({ committed: true, report: { created: 1 } });
    const list = await t.app.inject({ url: '/api/imports' });
    expect(list.json().items[0]).toMatchObject({ kind: 'customers', created: 1, invalid: 1 });
    const asSales = await t.app.inject({ url: '/api/imports/template', headers: sales.headers });
    expect(asSales.statusCode).toBe(200);
    expect(asSales.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
