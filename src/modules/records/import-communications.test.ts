import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient } from '../../../test/api.js';
import { expectOk } from '../../../test/records.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { userActor } from '../access/actor.js';
import { importTransactions } from '../imports/import-transactions.js';
import { undoImport } from '../imports/import-undo.js';
import { importCommunications } from './import-communications.js';

let t: TestApp;
let api: ApiClient;
let dir: string;
let sales: TestUser;

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-03-15T10:00:00+08:00') });
  api = apiClient(t.app);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-comm-import-'));
  sales = await addTestUser(t.ctx, 'sales-imp', 'sales');
  for (const [code, owner] of [
    ['C001', undefined],
    ['C002', undefined],
    ['S001', 'sales-imp'],
  ] as const) {
    expectOk(
      await api.post('/api/customers', { code, name: `客户${code}`, ...(owner ? { owner } : {}) }),
      201,
    );
  }
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function csv(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`);
  return file;
}

async function communicationsOf(code: string) {
  const { rows } = await t.db.query<{
    occurredAt: string;
    channel: string;
    content: string;
    nextStep: string | null;
  }>(
    `SELECT m.occurred_at AS "occurredAt", m.channel, m.content, m.next_step AS "nextStep"
     FROM communications m JOIN customers c ON c.id = m.customer_id WHERE c.code = $1 ORDER BY m.occurred_at, m.id`,
    [code],
  );
  return rows;
}

async function lastContacted(code: string): Promise<string | null> {
  const { rows } = await t.db.query<{ at: string | null }>(
    'SELECT last_contacted_at AS at FROM customers WHERE code = $1',
    [code],
  );
  return rows[0]?.at ?? null;
}

describe('importing communications', () => {
  it('reads Chinese headers and labels, China times, and reports like every other import', async () => {
    const file = csv('沟通记录.csv', [
      '沟通记录导出,,,,',
      '客户编号,沟通时间,沟通方式,沟通内容,下一步',
      'C001,2024/3/1 09:30,电话,确认报价,周五回电',
      'C001,2024-03-02 14:00,拜访,现场演示,',
      'C002,2024年3月3日 10:00,微信,发送资料,',
      'C002,2024-03-04,邮件,合同草稿,法务审核',
    ]);
    const outcome = await importCommunications(t.ctx, file);
    expect(Object.keys(outcome.report)).toEqual([
      'rows',
      'valid',
      'created',
      'updated',
      'skipped',
      'duplicates',
      'possibleDuplicates',
      'invalid',
    ]);
    expect(outcome.report).toEqual({
      rows: 4,
      valid: 4,
      created: 4,
      updated: 0,
      skipped: 0,
      duplicates: { inFile: 0, existing: 0 },
      possibleDuplicates: [],
      invalid: [],
    });
    expect(outcome.committed).toBe(true);
    expect(outcome.table.headerRow).toBe(2);
    expect(await communicationsOf('C001')).toEqual([
      { occurredAt: '2024-03-01T01:30:00.000Z', channel: 'phone', content: '确认报价', nextStep: '周五回电' },
      { occurredAt: '2024-03-02T06:00:00.000Z', channel: 'visit', content: '现场演示', nextStep: null },
    ]);
    expect(await lastContacted('C001')).toBe('2024-03-02T06:00:00.000Z');
    expect(await lastContacted('C002')).toBe('2024-03-03T16:00:00.000Z');

    // The same file again creates nothing new; with skip, nothing changes.
    const again = await importCommunications(t.ctx, file, { onDuplicate: 'skip' });
    expect(again.report).toMatchObject({ created: 0, skipped: 4, duplicates: { existing: 4 } });
    expect(await communicationsOf('C001')).toHaveLength(2);
  });

  it('updates the next step of a communication recorded before', async () => {
    const file = csv('update.csv', [
      '客户编号,时间,方式,内容,下一步',
      'C001,2024-03-01 09:30,phone,确认报价,下周一回电',
    ]);
    const outcome = await importCommunications(t.ctx, file);
    expect(outcome.report).toMatchObject({ created: 0, updated: 1, duplicates: { inFile: 0, existing: 1 } });
    expect((await communicationsOf('C001'))[0]?.nextStep).toBe('下周一回电');
  });

  it('reports invalid rows with row, column, value and message, and writes nothing', async () => {
    const file = csv('bad.csv', [
      '客户编号,沟通时间,沟通方式,沟通内容',
      'C001,2024-02-30 10:00,电话,日期不存在',
      'C001,2024-03-05 10:00,飞鸽传书,未知方式',
      'NOPE,2024-03-05 10:00,电话,未知客户',
      'C002,,电话,没有时间',
      'C002,2024-03-05 10:00,电话,',
      'C002,2024-03-06 10:00,短信,有效行',
    ]);
    const outcome = await importCommunications(t.ctx, file);
    expect(outcome.committed).toBe(false);
    expect(
      [...outcome.report.invalid]
        .sort((a, b) => a.row - b.row)
        .map(({ row, column, field, value }) => ({ row, column, field, value })),
    ).toEqual([
      { row: 2, column: '沟通时间', field: 'time', value: '2024-02-30 10:00' },
      { row: 3, column: '沟通方式', field: 'channel', value: '飞鸽传书' },
      { row: 4, column: '客户编号', field: 'customer_code', value: 'NOPE' },
      { row: 5, column: '沟通时间', field: 'time', value: '' },
      { row: 6, column: '沟通内容', field: 'content', value: '' },
    ]);
    for (const issue of outcome.report.invalid)
      expect(issue.message).toMatch(/\p{Script=Han}.* \/ [A-Za-z]/u);
    expect(await communicationsOf('C002')).toHaveLength(2);
    const partial = await importCommunications(t.ctx, file, { skipInvalid: true });
    expect(partial.report).toMatchObject({ created: 1, valid: 1 });
    expect(await lastContacted('C002')).toBe('2024-03-06T02:00:00.000Z');
  });

  it('reads xlsx date-time cells as the wall time they show', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('沟通');
    sheet.addRow(['客户编号', '沟通时间', '沟通方式', '沟通内容', '方向']);
    sheet.addRow(['C002', new Date(Date.UTC(2024, 2, 7, 16, 45)), '会议', '季度复盘', '来电']);
    sheet.getCell('B2').numFmt = 'yyyy-mm-dd hh:mm';
    const file = path.join(dir, 'meetings.xlsx');
    await workbook.xlsx.writeFile(file);
    const outcome = await importCommunications(t.ctx, file);
    expect(outcome.report).toMatchObject({ created: 1, invalid: [] });
    const { rows } = await t.db.query<{ occurredAt: string; direction: string }>(
      `SELECT occurred_at AS "occurredAt", direction FROM communications WHERE content = '季度复盘'`,
    );
    expect(rows).toEqual([{ occurredAt: '2024-03-07T08:45:00.000Z', direction: 'inbound' }]);
  });

  it('imports only into customers the importer may change', async () => {
    const file = csv('scope.csv', [
      '客户编号,沟通时间,沟通方式,沟通内容',
      'S001,2024-03-08 10:00,电话,本人客户',
      'C001,2024-03-08 10:00,电话,他人客户',
    ]);
    const outcome = await importCommunications({ ...t.ctx, actor: sales.actor }, file, { skipInvalid: true });
    expect(outcome.report).toMatchObject({ created: 1 });
    expect(outcome.report.invalid).toMatchObject([{ row: 3, field: 'customer_code' }]);
    expect(sales.actor).toEqual(userActor({ id: sales.id, username: 'sales-imp', role: 'sales' }));
  });

  it('is undone with its rows, and the last contact goes back', async () => {
    const before = await lastContacted('C001');
    const file = csv('undo.csv', [
      '客户编号,沟通时间,沟通方式,沟通内容',
      'C001,2024-03-14 18:00,电话,晚间回访',
    ]);
    const outcome = await importCommunications(t.ctx, file);
    expect(await lastContacted('C001')).toBe('2024-03-14T10:00:00.000Z');
    const undone = await undoImport(t.ctx, outcome.importId as number);
    expect(undone).toMatchObject({ deleted: 1 });
    expect(await lastContacted('C001')).toBe(before);
    expect((await communicationsOf('C001')).map((row) => row.content)).not.toContain('晚间回访');
  });

  it('is offered over HTTP and listed with the other imports', async () => {
    const body = Buffer.from('客户编号,沟通时间,沟通方式,沟通内容\nC002,2024-03-09 10:00,电话,上传导入\n');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/imports/communications?fileName=upload.csv',
      headers: { 'content-type': 'text/csv' },
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ committed: true, report: { created: 1 } });
    const list = expectOk(await api.get('/api/imports'));
    expect(list.items[0]).toMatchObject({ kind: 'communications', fileName: 'upload.csv', created: 1 });
  });

  it('leaves the transaction import as it was', async () => {
    const file = csv('tx.csv', ['客户编号,日期,金额', 'C001,2024-03-01,10']);
    expect((await importTransactions(t.ctx, file)).report).toMatchObject({ created: 1 });
  });
});
