import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testOperator } from '../../test/test-context.js';
import { seedCustomers } from '../../test/tiers.js';
import { openDatabase } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { createFieldKeyring } from '../domain/security/field-crypto.js';
import { addDays, addMonths } from '../domain/tiers/calendar.js';
import { createScheme } from '../modules/tiers/schemes.js';
import { localDate } from '../shared/context.js';

const run = promisify(execFile);
vi.setConfig({ testTimeout: 400_000 });
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
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-followups-cli-'));
  data = path.join(dir, 'data');
  const db = await openDatabase({ kind: 'pglite', dataDir: data, command: 'test seed' });
  await migrate(db);
  const ctx = {
    db,
    now: () => new Date(),
    actor: testOperator,
    keyring: createFieldKeyring(randomBytes(32)),
  };
  await createScheme(ctx, { preset: 'abc' });
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO users (username, role) VALUES ('rep1', 'sales') RETURNING id`,
  );
  const ids = await seedCustomers(db, { K001: [], K002: [], K003: [], K004: [] });
  for (const [code, tier] of Object.entries({ K001: 'A', K002: 'B', K003: 'C', K004: 'A' })) {
    await db.query(
      `INSERT INTO tier_assignments (customer_id, scheme_id, tier, since, scheme_version, changed_on)
       VALUES ($1, 'abc', $2, '2025-12-31', 1, '2025-12-31')`,
      [ids.get(code), tier],
    );
  }
  await db.query(`UPDATE customers SET owner_id = $1 WHERE code <> 'K004'`, [rows[0]?.id]);
  await db.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('clientele followups and pool', () => {
  it('plans by cadence with the documented JSON, once', async () => {
    const today = localDate(new Date());
    const planned = await cli('followups', 'plan', '--scheme', 'abc', '--json');
    expect(planned.code, planned.stderr).toBe(0);
    const at = (months: number) => `${addMonths(today, months)}T01:00:00.000Z`;
    expect(JSON.parse(planned.stdout)).toEqual([
      { customer: 'K001', dueAt: at(1), method: 'visit', owner: 'rep1' },
      { customer: 'K002', dueAt: at(3), method: 'phone', owner: 'rep1' },
      { customer: 'K003', dueAt: at(3), method: 'email', owner: 'rep1' },
    ]);
    expect(JSON.parse((await cli('followups', 'plan', '--scheme', 'abc', '--json')).stdout)).toEqual([]);
    const human = await cli('followups', 'plan', '--scheme', 'abc');
    expect(human.stdout).toContain('新建 0 个跟进计划');
    const missing = await cli('followups', 'plan', '--scheme', 'nope', '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr).error.code).toBe('NOT_FOUND');
  });

  it("prints a user's reminders; the CLI must name the user", async () => {
    const due = await cli('followups', 'due', '--owner', 'rep1', '--json');
    expect(due.code, due.stderr).toBe(0);
    expect(JSON.parse(due.stdout)).toMatchObject({
      owner: 'rep1',
      date: localDate(new Date()),
      counts: { overdue: 0, today: 0, upcoming: 0 },
      recycleWarnings: [],
    });
    const nobody = await cli('followups', 'due', '--json');
    expect(nobody.code).toBe(1);
    expect(JSON.parse(nobody.stderr).error.details).toEqual([
      { field: 'owner', message: expect.any(String) },
    ]);
  });

  it('recycles: warns first (dry run writes nothing), then returns the customers to the pool', async () => {
    const today = localDate(new Date());
    const dry = await cli('pool', 'recycle', '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const warnings = ['K001', 'K002', 'K003'].map((customer) => ({
      customerId: expect.any(Number),
      customer,
      name: `客户${customer}`,
      owner: 'rep1',
      recycleOn: addDays(today, 3),
    }));
    expect(JSON.parse(dry.stdout)).toEqual({ dryRun: true, date: today, recycled: [], warnings });
    expect(JSON.parse((await cli('pool', 'recycle', '--json')).stdout)).toEqual({
      dryRun: false,
      date: today,
      recycled: [],
      warnings,
    });
    const reminders = JSON.parse((await cli('followups', 'due', '--owner', 'rep1', '--json')).stdout);
    expect(reminders.recycleWarnings.map((w: { customer: string }) => w.customer)).toEqual([
      'K001',
      'K002',
      'K003',
    ]);

    const settings = await cli('pool', 'settings', '--set', 'warnDaysBefore=0', '--json');
    expect(JSON.parse(settings.stdout)).toMatchObject({ warnDaysBefore: 0, defaultRecycleDays: 30 });
    const recycled = JSON.parse((await cli('pool', 'recycle', '--json')).stdout);
    expect(
      recycled.recycled.map((item: { customer: string; owner: string; days: number }) => [
        item.customer,
        item.owner,
        item.days,
      ]),
    ).toEqual([
      ['K001', 'rep1', 30],
      ['K002', 'rep1', 30],
      ['K003', 'rep1', 30],
    ]);
    const human = await cli('pool', 'recycle', '--dry-run');
    expect(human.stdout).toContain('将回收 0 个客户');
    const bad = await cli('pool', 'settings', '--set', 'warnDaysBefore=many', '--json');
    expect(bad.code).toBe(1);
  });
});
