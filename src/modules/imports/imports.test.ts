import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/test-context.js';
import { createCustomField } from '../custom-fields/custom-fields.js';
import { getCustomerByCode } from '../customers/get-customer.js';
import { listCustomers } from '../customers/list-customers.js';
import { exportCustomersCsv } from './export-customers.js';
import { importCustomers } from './import-customers.js';
import { importTransactions } from './import-transactions.js';

let t: TestContext;
let dir: string;
beforeAll(async () => {
  t = await createTestContext({ now: () => new Date('2024-06-01T09:00:00+08:00') });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-import-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, content);
  return target;
}

async function count(table: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n ?? 0;
}

describe('import customers', () => {
  it('reads a CRLF file with a BOM, creates customers and updates them on a second import', async () => {
    const csv = file(
      'customers.csv',
      '\ufeffcode,name,type,phone,email,province,city,industry,source,tags\r\n' +
        'C001,张三,个人,138 0013 8000,zs@example.com,浙江省,杭州市,零售,官网,"老客户,重点客户"\r\n' +
        'C002,杭州明远机械有限公司,企业,0571-8888 6666,,浙江省,杭州市,制造业,展会,\r\n',
    );
    expect((await importCustomers(t.ctx, csv)).report).toEqual({
      rows: 2,
      valid: 2,
      created: 2,
      updated: 0,
      skipped: 0,
      duplicates: { inFile: 0, existing: 0 },
      possibleDuplicates: [],
      invalid: [],
    });
    const zhang = await getCustomerByCode(t.ctx, 'C001');
    expect(zhang).toMatchObject({
      name: '张三',
      type: 'individual',
      phone: '+8613800138000',
      tags: ['老客户', '重点客户'],
    });
    expect((await importCustomers(t.ctx, csv)).report).toMatchObject({
      rows: 2,
      created: 0,
      updated: 2,
      duplicates: { inFile: 0, existing: 2 },
      invalid: [],
    });
    expect(await count('customers')).toBe(2);
    expect((await getCustomerByCode(t.ctx, 'C001')).version).toBe(2);
  });

  it('generates numbers for rows without a code and matches them by phone on the next import', async () => {
    const csv = file('no-code.csv', 'name,phone\n李四,139 1234 5678\n王五,\n');
    const first = await importCustomers(t.ctx, csv);
    expect(first.report).toMatchObject({ created: 2, updated: 0 });
    const li = await listCustomers(t.ctx, { search: '李四' });
    expect(li.items[0]?.code).toMatch(/^KH2024\d{5}$/);
    // 李四 by phone; 王五 (no phone) as the same row of the same file imported before
    expect((await importCustomers(t.ctx, csv)).report).toMatchObject({ created: 0, updated: 2 });
  });

  it('writes nothing when a row is invalid, and names the row and field', async () => {
    const before = await count('customers');
    const csv = file(
      'bad.csv',
      'code,name,type,phone,email\nB1,好人,个人,13800138001,\nB2,,企业,,\nB3,坏人,alien,12345,not-an-email\n',
    );
    const { report } = await importCustomers(t.ctx, csv);
    expect(report.rows).toBe(3);
    expect(report.created).toBe(0);
    expect(report.invalid.map((issue) => [issue.row, issue.field])).toEqual([
      [3, 'name'],
      [4, 'type'],
      [4, 'phone'],
      [4, 'email'],
    ]);
    expect(report.invalid[0]?.message).toMatch(/[\u4e00-\u9fa5].* \/ .*[A-Za-z]/);
    expect(await count('customers')).toBe(before);
  });

  it('imports the valid rows with skipInvalid', async () => {
    const csv = file('mixed.csv', 'code,name\nS1,甲\nS2,\nS3,丙\n');
    const { report } = await importCustomers(t.ctx, csv, { skipInvalid: true });
    expect(report).toMatchObject({ rows: 3, created: 2, updated: 0 });
    expect(report.invalid).toHaveLength(1);
    expect((await getCustomerByCode(t.ctx, 'S3')).name).toBe('丙');
  });

  it('reports unknown columns and imports the rest; refuses a file without a name column or an empty file', async () => {
    const csv = file('header.csv', 'code,name,favourite_colour\nH1,某人,red\n');
    const outcome = await importCustomers(t.ctx, csv);
    expect(outcome.unknownColumns).toEqual(['favourite_colour']);
    expect(outcome.report.created).toBe(1);
    await expect(
      importCustomers(t.ctx, file('noname.csv', 'code,phone\nX1,13800138000\n')),
    ).rejects.toMatchObject({
      code: 'IMPORT_FAILED',
    });
    await expect(importCustomers(t.ctx, file('empty.csv', ''))).rejects.toMatchObject({
      code: 'IMPORT_FAILED',
    });
  });

  it('counts a code repeated within the file as an in-file duplicate: later values win, or it is skipped', async () => {
    const updated = await importCustomers(t.ctx, file('dupe.csv', 'code,name\nD1,一\nD1,二\n'));
    expect(updated.report).toMatchObject({ created: 1, skipped: 0, duplicates: { inFile: 1, existing: 0 } });
    expect((await getCustomerByCode(t.ctx, 'D1')).name).toBe('二');
    const skipped = await importCustomers(t.ctx, file('dupe2.csv', 'code,name\nD2,一\nD2,二\n'), {
      onDuplicate: 'skip',
    });
    expect(skipped.report).toMatchObject({ created: 1, skipped: 1, duplicates: { inFile: 1, existing: 0 } });
    expect((await getCustomerByCode(t.ctx, 'D2')).name).toBe('一');
  });

  it('validates custom-field columns', async () => {
    await createCustomField(t.ctx, {
      key: 'level',
      type: 'single_select',
      labelZh: '级别',
      labelEn: 'Level',
      options: [
        { value: 'gold', labelZh: '金牌', labelEn: 'Gold' },
        { value: 'silver', labelZh: '银牌', labelEn: 'Silver' },
      ],
    });
    const { report } = await importCustomers(
      t.ctx,
      file('custom.csv', 'code,name,custom.level\nK1,客户一,金牌\nK2,客户二,铜牌\n'),
      {
        skipInvalid: true,
      },
    );
    expect(report.invalid).toEqual([expect.objectContaining({ row: 3, field: 'custom.level' })]);
    expect((await getCustomerByCode(t.ctx, 'K1')).custom).toEqual({ level: 'gold' });
  });
});

describe('import transactions', () => {
  it('imports exact amounts, updates purchase summaries, and accepts 2024/02/05 dates', async () => {
    const csv = file(
      'tx.csv',
      'customer_code,date,amount,quantity,product,category\nC001,2024-01-05,0.10,1,茶叶,食品\nC001,2024/02/05,0.20,2,茶具,家居\nC002,2024-03-01,12345678901.99,10,轴承,零件\n',
    );
    expect((await importTransactions(t.ctx, csv)).report).toMatchObject({
      rows: 3,
      created: 3,
      updated: 0,
      invalid: [],
    });
    expect(await getCustomerByCode(t.ctx, 'C001')).toMatchObject({
      totalSpent: '0.30',
      orderCount: 2,
      firstPurchaseOn: '2024-01-05',
      lastPurchaseOn: '2024-02-05',
      averageOrderValue: '0.15',
    });
    expect((await getCustomerByCode(t.ctx, 'C002')).totalSpent).toBe('12345678901.99');
  });

  it('updates rows with a known external_ref instead of duplicating them', async () => {
    const csv = file(
      'tx-ref.csv',
      'customer_code,date,amount,external_ref\nS1,2024-04-01,50,ORD-1\nS1,2024-04-02,70,ORD-2\n',
    );
    expect((await importTransactions(t.ctx, csv)).report).toMatchObject({ created: 2, updated: 0 });
    expect((await importTransactions(t.ctx, csv)).report).toMatchObject({
      created: 0,
      updated: 2,
      duplicates: { inFile: 0, existing: 2 },
    });
    expect((await getCustomerByCode(t.ctx, 'S1')).totalSpent).toBe('120.00');
  });

  it('rejects unknown customers and bad amounts without writing anything', async () => {
    const before = await count('transactions');
    const { report } = await importTransactions(
      t.ctx,
      file(
        'tx-bad.csv',
        'customer_code,date,amount\nC001,2024-05-01,10\nNOPE,2024-05-01,10\nC001,2024-13-01,abc\n',
      ),
    );
    expect(report.invalid.map((issue) => [issue.row, issue.field])).toEqual([
      [4, 'date'],
      [4, 'amount'],
      [3, 'customer_code'],
    ]);
    expect(report.created).toBe(0);
    expect(await count('transactions')).toBe(before);
  });
});

describe('export customers', () => {
  it('writes canonical headers that import reads back unchanged', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const exported = await exportCustomersCsv(t.ctx, out, { pageSize: 3 });
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.startsWith('\ufeffcode,name,type')).toBe(true);
    expect(exported).toBe(await count('customers'));
    expect(text.split('\n').filter(Boolean)).toHaveLength(exported + 1);
    const { report } = await importCustomers(t.ctx, file('roundtrip.csv', text));
    expect(report).toMatchObject({ created: 0, updated: exported, invalid: [] });
    expect((await getCustomerByCode(t.ctx, 'C001')).tags).toEqual(['老客户', '重点客户']);
  });
});
