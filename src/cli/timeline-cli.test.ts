import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedCustomers } from '../../test/tiers.js';
import { openDatabase } from '../db/connect.js';
import { migrate } from '../db/migrate.js';

const run = promisify(execFile);
vi.setConfig({ testTimeout: 240_000 });
const entry = path.resolve(import.meta.dirname, 'entry.ts');
const { DATABASE_URL: _server, ...env } = process.env;
let dir: string;
let data: string;

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', entry, '--data', data, ...args],
      {
        env,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-timeline-cli-'));
  data = path.join(dir, 'data');
  const db = await openDatabase({ kind: 'pglite', dataDir: data, command: 'test seed' });
  await migrate(db);
  const ids = await seedCustomers(db, { T001: [{ on: '2024-03-01', amount: '88.00' }], T002: [] });
  const project = await db.query<{ id: number }>(
    `INSERT INTO projects (customer_id, name, contract_amount, created_by, created_at)
     VALUES ($1, '门店装修', 1000, 'test', '2024-01-10T10:00:00+08:00') RETURNING id`,
    [ids.get('T002')],
  );
  await db.query(
    `INSERT INTO project_instalments (customer_id, project_id, due_on, amount) VALUES ($1, $2, '2024-02-01', 400)`,
    [ids.get('T002'), project.rows[0]?.id],
  );
  await db.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('clientele communications and timeline', () => {
  it('records communications and prints the timeline as JSON, newest first', async () => {
    const added = await cli(
      'communications',
      'add',
      'T001',
      '--channel',
      '电话',
      '--content',
      '确认下月订单',
      '--at',
      '2024-03-05 14:30',
      '--next-step',
      '周五发合同',
      '--json',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      channel: 'phone',
      occurredAt: '2024-03-05T06:30:00.000Z',
      nextStep: '周五发合同',
      createdBy: expect.stringMatching(/^os:/),
    });
    expect(
      (
        await cli(
          'communications',
          'add',
          'T001',
          '--channel',
          'wechat',
          '--content',
          '问候',
          '--at',
          '2024-02-01',
        )
      ).code,
    ).toBe(0);

    const timeline = await cli('timeline', 'T001', '--json');
    expect(timeline.code, timeline.stderr).toBe(0);
    const items = JSON.parse(timeline.stdout) as { kind: string; at: string; title: { zh: string } }[];
    expect(items.map((item) => [item.kind, item.at, item.title.zh])).toEqual([
      ['communication', '2024-03-05T06:30:00.000Z', '电话沟通（主动联系）'],
      ['transaction', '2024-02-29T16:00:00.000Z', '交易 ¥88.00'],
      ['communication', '2024-01-31T16:00:00.000Z', '微信沟通（主动联系）'],
    ]);
    const limited = JSON.parse(
      (await cli('timeline', 'T001', '--kinds', 'communication', '--limit', '1', '--json')).stdout,
    );
    expect(limited.map((item: { title: { zh: string } }) => item.title.zh)).toEqual(['电话沟通（主动联系）']);

    const table = await cli('timeline', 'T001', '--lang', 'en');
    expect(table.stdout).toContain('2024-03-05 14:30  communication  Phone (outbound)');
    expect((await cli('communications', 'list', 'T001', '--json')).stdout).toContain('确认下月订单');
  });

  it('refuses bad input in both languages with a non-zero exit, writing nothing', async () => {
    const channel = await cli(
      'communications',
      'add',
      'T001',
      '--channel',
      'fax',
      '--content',
      'x',
      '--json',
    );
    expect(channel.code).toBe(1);
    expect(JSON.parse(channel.stderr).error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'channel' }],
    });
    const time = await cli(
      'communications',
      'add',
      'T001',
      '--channel',
      'phone',
      '--content',
      'x',
      '--at',
      '2024-02-30 10:00',
    );
    expect(time.code).toBe(1);
    expect(time.stderr).toContain('occurredAt');
    expect(time.stderr).toMatch(/须为日期时间.*Must be a date and time/);
    const staff = await cli(
      'communications',
      'add',
      'T001',
      '--channel',
      'phone',
      '--content',
      'x',
      '--staff',
      'nobody',
    );
    expect(staff.code).toBe(1);
    expect(staff.stderr).toContain('staff.0');
    const unknown = await cli('timeline', 'NOPE', '--json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error.code).toBe('NOT_FOUND');
    const kinds = await cli('timeline', 'T001', '--kinds', 'letters');
    expect(kinds.code).toBe(1);
    expect(kinds.stderr).toContain('kinds');
    const items = JSON.parse((await cli('timeline', 'T001', '--kinds', 'communication', '--json')).stdout);
    expect(items).toHaveLength(2);
  });

  it('imports communications from a file, with the report of every import', async () => {
    const file = path.join(dir, '沟通.csv');
    fs.writeFileSync(
      file,
      '客户编号,沟通时间,沟通方式,沟通内容,下一步\nT002,2024-01-20 10:00,拜访,催款,下周付款\n',
    );
    const imported = await cli('import', 'communications', file, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({
      rows: 1,
      valid: 1,
      created: 1,
      updated: 0,
      skipped: 0,
      duplicates: { inFile: 0, existing: 0 },
      possibleDuplicates: [],
      invalid: [],
    });
    const timeline = JSON.parse((await cli('timeline', 'T002', '--kinds', 'communication', '--json')).stdout);
    expect(timeline).toMatchObject([
      { kind: 'communication', summary: '催款', data: { nextStep: '下周付款' } },
    ]);
  });

  it('refreshes the overdue credit status of every customer', async () => {
    const first = await cli('projects', 'refresh-credit', '--date', '2024-03-15', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ date: '2024-03-15', overdue: ['T002'], restored: [] });
    const before = await cli('projects', 'refresh-credit', '--date', '2024-01-15');
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('0 customers marked overdue, 1 back to good');
    expect(before.stdout).toContain('good     T002');
    const timeline = JSON.parse((await cli('timeline', 'T002', '--json')).stdout);
    expect(timeline.map((item: { kind: string }) => item.kind)).toEqual([
      'instalment',
      'communication',
      'project',
    ]);
    expect((await cli('projects', 'refresh-credit', '--date', 'tomorrow')).code).toBe(1);
  });
});
