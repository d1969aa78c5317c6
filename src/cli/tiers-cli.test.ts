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
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-tiers-cli-'));
  data = path.join(dir, 'data');
  const db = await openDatabase({ kind: 'pglite', dataDir: data, command: 'test seed' });
  await migrate(db);
  const three = (amount: number) => ['2025-10', '2025-11', '2025-12'].map((m) => ({ on: `${m}-08`, amount }));
  await seedCustomers(db, { K001: three(600), K002: three(200), K003: [] });
  await db.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('clientele tiers', () => {
  it('adds a preset, reviews with the exact JSON, lists, explains, overrides and backtests', async () => {
    const presets = JSON.parse((await cli('tiers', 'presets', '--json')).stdout);
    expect(presets.map((preset: { id: string }) => preset.id)).toEqual([
      'monthly-spend',
      'ecommerce-membership',
      'hotel',
      'abc',
    ]);
    expect((await cli('tiers', 'schemes', 'add', '--preset', 'monthly-spend')).code).toBe(0);
    expect(
      JSON.parse(
        (await cli('tiers', 'schemes', 'add', '--preset', 'abc', '--id', 'key-accounts', '--json')).stdout,
      ),
    ).toEqual({
      id: 'key-accounts',
      version: 1,
    });

    const dry = await cli(
      'tiers',
      'review',
      '--scheme',
      'monthly-spend',
      '--as-of',
      '2025-12-31',
      '--dry-run',
      '--json',
    );
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({
      scheme: 'monthly-spend',
      asOf: '2025-12-31',
      changes: [
        { customer: 'K001', from: null, to: 'high', reason: '您最近3个月每月消费均超过500元' },
        { customer: 'K002', from: null, to: 'mid', reason: '您上个月消费200.00元，在100至500元之间' },
        { customer: 'K003', from: null, to: 'low', reason: '您最近6个月每月消费均低于100元' },
      ],
      counts: { high: 1, mid: 1, low: 1 },
    });
    const applied = JSON.parse(
      (await cli('tiers', 'review', '--scheme', 'monthly-spend', '--as-of', '2025-12-31', '--json')).stdout,
    );
    expect(applied.changes).toHaveLength(3);
    const again = JSON.parse(
      (await cli('tiers', 'review', '--scheme', 'monthly-spend', '--as-of', '2025-12-31', '--json')).stdout,
    );
    expect(again).toEqual({
      scheme: 'monthly-spend',
      asOf: '2025-12-31',
      changes: [],
      counts: { high: 1, mid: 1, low: 1 },
    });

    expect(JSON.parse((await cli('tiers', 'list', '--scheme', 'monthly-spend', '--json')).stdout)).toEqual([
      { customer: 'K001', tier: 'high', since: '2025-12-31' },
      { customer: 'K002', tier: 'mid', since: '2025-12-31' },
      { customer: 'K003', tier: 'low', since: '2025-12-31' },
    ]);

    const overridden = await cli(
      'tiers',
      'override',
      '--customer',
      'K003',
      '--scheme',
      'monthly-spend',
      '--tier',
      'mid',
      '--reason',
      '重点培养',
    );
    expect(overridden.code).toBe(0);
    const history = JSON.parse(
      (await cli('tiers', 'history', '--customer', 'K003', '--json', '--lang', 'en')).stdout,
    );
    expect(history).toMatchObject([
      {
        scheme: 'monthly-spend',
        from: 'low',
        to: 'mid',
        kind: 'override',
        reason: 'Manual override: 重点培养',
      },
      {
        from: null,
        to: 'low',
        kind: 'review',
        rule: 'six_months_low',
        reason: 'you spent less than 100 in each of the last 6 months',
      },
    ]);

    const backtest = JSON.parse(
      (
        await cli(
          'tiers',
          'backtest',
          '--scheme',
          'monthly-spend',
          '--from',
          '2025-07-01',
          '--to',
          '2025-12-31',
          '--every',
          'quarter',
          '--json',
        )
      ).stdout,
    );
    expect(backtest.periods.map((period: { asOf: string }) => period.asOf)).toEqual([
      '2025-09-30',
      '2025-12-31',
    ]);
    expect(backtest.periods[1].counts).toEqual({ high: 1, mid: 1, low: 1 });
  });

  it('refuses a bad scheme file with the path of the problem, and a review before the last one', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ id: 'bad', name: { zh: '坏', en: 'Bad' }, tiers: [], metrics: {}, rules: [] }),
    );
    const refused = await cli('tiers', 'schemes', 'add', '--file', file);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('tiers:');
    fs.writeFileSync(file, '{ not json');
    expect((await cli('tiers', 'schemes', 'add', '--file', file)).stderr).toContain('is not valid JSON');
    const back = await cli('tiers', 'review', '--scheme', 'monthly-spend', '--as-of', '2025-11-30', '--json');
    expect(back.code).not.toBe(0);
    expect(JSON.parse(back.stderr).error.code).toBe('VALIDATION_FAILED');
  });
});
