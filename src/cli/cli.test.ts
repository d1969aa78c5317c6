import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../db/connect.js';
import { totalLine } from './output.js';

const run = promisify(execFile);
// Each step starts a real process (Node + tsx + PGlite, 1–3 s); a loaded 2-core machine needs room.
vi.setConfig({ testTimeout: 240_000 });
const entry = path.resolve(import.meta.dirname, 'entry.ts');
// The CLI under test always uses its own PGlite folder, whatever the suite runs on.
const { DATABASE_URL: _server, ...env } = process.env;
let dir: string;
let data: string;

/** Runs the real CLI in its own process, as a user would. */
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return cliWithInput(undefined, ...args);
}

/** Runs the CLI with `input` on its standard input (closed at once when there is none). */
async function cliWithInput(
  input: string | undefined,
  ...args: string[]
): Promise<{ stdout: string; stderr: string; code: number }> {
  const pending = run(process.execPath, ['--import', 'tsx', entry, '--data', data, ...args], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  pending.child.stdin?.end(input ?? '');
  try {
    const { stdout, stderr } = await pending;
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-cli-'));
  data = path.join(dir, 'data');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('clientele CLI', () => {
  it('adds teams and users (password from standard input), lists them, transfers a customer, verifies the audit chain', async () => {
    expect((await cli('teams', 'add', '华东区')).code).toBe(0);
    expect((await cli('teams', 'add', '杭州组', '--parent', '华东区')).code).toBe(0);
    const added = await cliWithInput(
      'a long enough password\n',
      'users',
      'add',
      'wang',
      '--role',
      'sales',
      '--team',
      '杭州组',
      '--password-stdin',
    );
    expect(added.code).toBe(0);
    const refused = await cli('users', 'add', 'li', '--role', 'sales');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--password-stdin');
    const users = JSON.parse((await cli('users', 'list', '--json')).stdout);
    expect(users).toEqual([expect.objectContaining({ username: 'wang', role: 'sales', team: '杭州组' })]);

    const customer = JSON.parse((await cli('--json', 'customers', 'add', '--name', '转移测试')).stdout);
    const moved = await cli('--json', 'customers', 'transfer', customer.code, '--to', 'wang');
    expect(JSON.parse(moved.stdout)).toMatchObject({ owner: 'wang' });
    expect((await cli('customers', 'transfer', customer.code, '--to', 'nobody')).code).not.toBe(0);

    const verified = await cli('audit', 'verify', '--json');
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    expect(verified.stdout).toBeDefined();
  });

  it('records the operating-system user as the actor of CLI changes', async () => {
    const { stdout } = await cli('--json', 'customers', 'add', '--name', '审计人');
    const id = JSON.parse(stdout).id as number;
    // The CLI has exited and released the folder: read its audit trail directly.
    const db = await openDatabase({ kind: 'pglite', dataDir: data, command: 'test' });
    try {
      const { rows } = await db.query<{ actor: string; actor_type: string }>(
        "SELECT actor, actor_type FROM audit_log WHERE action = 'customer.create' AND customer_id = $1",
        [id],
      );
      expect(rows).toEqual([{ actor: `os:${os.userInfo().username}`, actor_type: 'cli' }]);
    } finally {
      await db.close();
    }
  });

  it('rotates the encryption key and still finds customers by phone', async () => {
    await cli('customers', 'add', '--name', '轮换', '--phone', '13511112222');
    const keyFile = `${data}.key`;
    const before = fs.readFileSync(keyFile, 'utf8');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const rotated = await cli('--json', 'keys', 'rotate');
    expect(rotated.code).toBe(0);
    expect(fs.readFileSync(keyFile, 'utf8')).not.toBe(before);
    const found = JSON.parse((await cli('--json', 'customers', 'list', '--search', '135 1111 2222')).stdout);
    expect(found.total).toBe(1);
  });

  it('adds, lists, shows and exports customers', async () => {
    const added = await cli(
      '--json',
      'customers',
      'add',
      '--name',
      '张三',
      '--type',
      '个人',
      '--phone',
      '138-0013-8000',
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: '张三', phone: '+8613800138000' });
    const code = JSON.parse(added.stdout).code as string;

    const listed = await cli('--json', 'customers', 'list', '--search', 'zs');
    expect(JSON.parse(listed.stdout)).toMatchObject({ total: 1, totalIsExact: true, items: [{ code }] });
    const counted = await cli('customers', 'list', '--search', 'zs', '--exact-total');
    expect(counted.code).toBe(0);
    expect(counted.stdout).toContain('共 1 个客户 / 1 customers');

    const shown = await cli('customers', 'show', code);
    expect(shown.stdout).toContain('张三');

    const exported = await cli('export', 'customers', '--format', 'csv');
    expect(exported.stdout.startsWith('\ufeffcode,name,')).toBe(true);
    expect(exported.stdout).toContain(`${code},张三,individual`);
  });

  it('imports CSV with the documented JSON report, and fails without writing on an invalid row', async () => {
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, 'code,name,type,city\r\nG1,甲公司,企业,上海市\r\nG2,乙,个人,北京市\r\n');
    const first = await cli('import', 'customers', good, '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      rows: 2,
      valid: 2,
      created: 2,
      updated: 0,
      skipped: 0,
      duplicates: { inFile: 0, existing: 0 },
      possibleDuplicates: [],
      invalid: [],
    });
    const dry = await cli('import', 'customers', good, '--dry-run', '--on-duplicate', 'skip', '--json');
    expect(JSON.parse(dry.stdout)).toMatchObject({
      created: 0,
      updated: 0,
      skipped: 2,
      duplicates: { inFile: 0, existing: 2 },
    });
    const again = await cli('import', 'customers', good, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 2, created: 0, updated: 2, invalid: [] });

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'customer_code,date,amount\nG1,2024-01-01,100\nG2,not-a-date,5\n');
    const failed = await cli('import', 'transactions', bad, '--json');
    expect(failed.code).not.toBe(0);
    expect(JSON.parse(failed.stdout)).toEqual({
      rows: 2,
      valid: 1,
      created: 0,
      updated: 0,
      skipped: 0,
      duplicates: { inFile: 0, existing: 0 },
      possibleDuplicates: [],
      invalid: [
        { row: 3, column: 'date', field: 'date', value: 'not-a-date', message: expect.stringMatching(/\/ /) },
      ],
    });
    const skipped = await cli('import', 'transactions', bad, '--json', '--skip-invalid');
    expect(skipped.code).toBe(0);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ rows: 2, created: 1 });
  });

  it('reports a bad value in both languages and exits non-zero', async () => {
    const result = await cli('customers', 'add', '--name', '某人', '--phone', '12');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('VALIDATION_FAILED');
    expect(result.stderr).toMatch(/电话号码无效.*Invalid phone number/);
  });

  it('refuses a data folder that a running server holds, naming the folder', async () => {
    const server: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', entry, '--data', data, 'serve', '--port', '0'],
      { env: { ...env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        server.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /running at (http:\/\/\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
      });
      const response = await fetch(`${url}/api/health`);
      expect(response.status).toBe(200);
      const refused = await cli('customers', 'list');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('DATA_DIR_LOCKED');
      expect(refused.stderr).toContain(data);
      expect(refused.stderr).toContain(url);
      // `demo` is sent to the running server as the operator, with the folder's secret.
      expect(fs.statSync(path.join(data, 'operator.secret')).mode & 0o777).toBe(0o600);
      // Run alone the folder is empty and the demo loads; after the other tests it holds customers
      // and the server refuses with DUPLICATE. Either way the server itself answered, not a 401.
      const forwarded = await cli('--json', 'demo', '--customers', '20');
      expect(forwarded.stderr).not.toContain('UNAUTHENTICATED');
      if (forwarded.code === 0) expect(JSON.parse(forwarded.stdout)).toMatchObject({ customers: 20 });
      else expect(forwarded.stderr).toContain('DUPLICATE');
      const spoofed = await fetch(`${url}/api/customers`, { headers: { 'x-clientele-operator': 'guess' } });
      expect(spoofed.status).toBe(401);
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    // The server released its lock on the way out: the folder opens again.
    expect((await cli('--json', 'customers', 'list')).code).toBe(0);
  });
});

describe('totalLine', () => {
  it('marks a total that stopped at the cap with +', () => {
    expect(totalLine(5000, false)).toBe('共 5000+ 个客户 / 5000+ customers');
    expect(totalLine(5000, true)).toBe('共 5000 个客户 / 5000 customers');
    expect(totalLine(0, true)).toBe('共 0 个客户 / 0 customers');
  });
});
