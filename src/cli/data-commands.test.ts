import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

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

async function add(...args: string[]): Promise<string> {
  const created = await cli('customers', 'add', '--json', ...args);
  expect(created.code, created.stderr).toBe(0);
  return JSON.parse(created.stdout).code;
}

let a: string;
let b: string;
let c: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-data-cli-'));
  data = path.join(dir, 'data');
  a = await add('--name', '上海星辰科技有限公司', '--type', 'enterprise', '--phone', '13800138000');
  b = await add(
    '--name',
    '上海星辰科技',
    '--type',
    'enterprise',
    '--phone',
    '138-0013-8000',
    '--email',
    'xc@example.cn',
    '--set',
    'stage=closed',
  );
  c = await add('--name', '=1+1 测试', '--set', 'stage=closed', '--set', 'notes=-5 件');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('clientele duplicates and quality', () => {
  it('finds, merges and unmerges', async () => {
    const found = await cli('duplicates', 'find', '--json');
    expect(found.code, found.stderr).toBe(0);
    const report = JSON.parse(found.stdout);
    expect(report.counts).toEqual({ duplicate: 1, possible: 0 });
    expect(report.groups[0]).toMatchObject({
      level: 'duplicate',
      members: [{ code: a }, { code: b }],
      matches: expect.arrayContaining([{ kind: 'phone', customers: [a, b] }]),
    });
    const table = await cli('duplicates', 'find');
    expect(table.stdout).toContain('重复 1 组');

    const merged = await cli(
      'duplicates',
      'merge',
      '--survivor',
      a,
      '--others',
      b,
      '--take',
      `stage=${b}`,
      '--json',
    );
    expect(merged.code, merged.stderr).toBe(0);
    const result = JSON.parse(merged.stdout);
    expect(result).toMatchObject({
      survivor: { code: a },
      removed: [{ code: b }],
      fields: expect.arrayContaining([
        { field: 'stage', from: b },
        { field: 'email', from: b },
      ]),
      customer: { code: a, stage: 'closed', email: 'xc@example.cn' },
    });
    expect((await cli('customers', 'show', b)).code).not.toBe(0);
    const merges = JSON.parse((await cli('duplicates', 'merges', '--json')).stdout);
    expect(merges).toMatchObject([{ id: result.mergeId, survivor: { code: a }, undoneAt: null }]);

    const undone = await cli('duplicates', 'unmerge', String(result.mergeId), '--json');
    expect(undone.code, undone.stderr).toBe(0);
    expect(JSON.parse(undone.stdout)).toMatchObject({ restoredCustomers: [{ code: b }], changedSince: [] });
    expect(JSON.parse((await cli('customers', 'show', b, '--json')).stdout)).toMatchObject({
      code: b,
      email: 'xc@example.cn',
    });
    const again = await cli('duplicates', 'unmerge', String(result.mergeId));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('VERSION_CONFLICT');
  });

  it('summarises data quality', async () => {
    const quality = await cli('quality', '--json', '--list', 'incomplete');
    expect(quality.code, quality.stderr).toBe(0);
    const summary = JSON.parse(quality.stdout);
    expect(summary).toMatchObject({ customers: 3, incomplete: 3, stale: 0, staleDays: 180 });
    expect(summary.incompleteCustomers.items).toHaveLength(3);
    expect((await cli('quality')).stdout).toContain('average completeness');
  });
});

describe('clientele export customers', () => {
  it('still writes UTF-8 CSV with BOM to standard output', async () => {
    const exported = await cli('export', 'customers', '--format', 'csv');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.startsWith('\ufeffcode,name,type')).toBe(true);
    expect(exported.stdout).toContain(`${c},'=1+1 测试,individual`);
  });

  it('writes xlsx with Chinese headers and filtered GBK CSV to files', async () => {
    const xlsx = path.join(dir, 'customers.xlsx');
    const written = await cli('export', 'customers', '--format', 'xlsx', '--headers', 'zh', '--output', xlsx);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toContain('Exported 3 customers');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['客户编号', '客户名称']);
    expect(sheet.getRow(4).getCell(2).value).toBe('=1+1 测试');
    expect(sheet.getRow(4).getCell(2).type).toBe(ExcelJS.ValueType.String);

    const csv = path.join(dir, 'closed.csv');
    const filtered = await cli(
      'export',
      'customers',
      '--encoding',
      'gbk',
      '--headers',
      'zh',
      '--filter',
      'stage=closed',
      '--output',
      csv,
    );
    expect(filtered.code, filtered.stderr).toBe(0);
    const text = iconv.decode(fs.readFileSync(csv), 'gbk');
    expect(text.split(/\r?\n/).filter(Boolean)).toHaveLength(3);
    expect(text).toContain(`${c},'=1+1 测试,个人`);
    expect(text).toContain("'-5 件");

    const refused = await cli('export', 'customers', '--format', 'xlsx');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--output');
  });
});
