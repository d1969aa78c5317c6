import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../shared/app-error.js';
import { openDatabase } from './connect.js';
import { acquireDataDirLock, writeLockUrl } from './data-dir-lock.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-lock-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

let folders = 0;
const newFolder = () => path.join(root, `data-${++folders}`);
const lockFile = (dir: string) => path.join(dir, 'clientele.lock');

function lockError(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the folder to be refused');
}

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid as number;
}

function writeLock(dir: string, owner: Record<string, unknown>) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(lockFile(dir), JSON.stringify(owner));
}

describe('acquireDataDirLock', () => {
  it('writes a lock file naming this process and removes it on release', () => {
    const dir = newFolder();
    const lock = acquireDataDirLock(dir, 'test');
    const owner = JSON.parse(fs.readFileSync(lockFile(dir), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, hostname: os.hostname(), command: 'test' });
    lock.release();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
    acquireDataDirLock(dir, 'again').release();
  });

  it('refuses the same folder reached through a symlink in this process', () => {
    const dir = newFolder();
    const alias = `${dir}-alias`;
    const lock = acquireDataDirLock(dir, 'first');
    try {
      fs.symlinkSync(dir, alias);
      expect(lockError(() => acquireDataDirLock(alias, 'second')).code).toBe('DATA_DIR_LOCKED');
    } finally {
      lock.release();
    }
  });

  it('refuses a second lock of the same folder in this process, naming the folder', () => {
    const dir = newFolder();
    const lock = acquireDataDirLock(dir, 'first');
    try {
      const error = lockError(() => acquireDataDirLock(path.join(dir, '.', ''), 'second'));
      expect(error.code).toBe('DATA_DIR_LOCKED');
      expect(error.message).toContain(path.resolve(dir));
      expect(error.message).toContain(`pid ${process.pid}`);
    } finally {
      lock.release();
    }
  });

  it('records the server address for a refused second user to see', () => {
    const dir = newFolder();
    const lock = acquireDataDirLock(dir, 'serve');
    writeLockUrl(dir, 'http://127.0.0.1:3000');
    try {
      writeLockCopyAs(dir, 'other-host.example');
      const error = lockError(() => acquireDataDirLock(dir, 'cli'));
      expect(error.message).toContain('http://127.0.0.1:3000');
    } finally {
      lock.release();
    }
  });

  it('takes over a stale lock whose process is dead', () => {
    const dir = newFolder();
    const pid = deadPid();
    writeLock(dir, { pid, hostname: os.hostname(), startedAt: '2024-01-01T00:00:00Z', command: 'serve' });
    const lock = acquireDataDirLock(dir, 'takeover');
    expect(JSON.parse(fs.readFileSync(lockFile(dir), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a stale lock left by an earlier process that had this pid', () => {
    // In a container the server is often pid 1 after every restart: a lock naming our own pid
    // that this process does not hold was left by a dead predecessor.
    const dir = newFolder();
    writeLock(dir, {
      pid: process.pid,
      hostname: os.hostname(),
      startedAt: '2024-01-01T00:00:00Z',
      command: 'serve',
    });
    const lock = acquireDataDirLock(dir, 'restarted');
    lock.release();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  it('refuses a lock held by a live process on this host', () => {
    const dir = newFolder();
    writeLock(dir, {
      pid: process.ppid,
      hostname: os.hostname(),
      startedAt: '2024-01-01T00:00:00Z',
      command: 'serve',
    });
    const error = lockError(() => acquireDataDirLock(dir, 'cli'));
    expect(error.code).toBe('DATA_DIR_LOCKED');
    expect(error.message).toContain(`pid ${process.ppid} (serve`);
    expect(fs.existsSync(lockFile(dir))).toBe(true);
  });

  it('refuses a lock from another host, whose process it cannot check', () => {
    const dir = newFolder();
    writeLock(dir, {
      pid: deadPid(),
      hostname: 'other-host.example',
      startedAt: '2024-01-01T00:00:00Z',
      command: 'serve',
    });
    expect(lockError(() => acquireDataDirLock(dir, 'cli')).code).toBe('DATA_DIR_LOCKED');
  });

  it('refuses an unreadable lock file rather than guess', () => {
    const dir = newFolder();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(lockFile(dir), '{"pid": 12');
    const error = lockError(() => acquireDataDirLock(dir, 'cli'));
    expect(error.code).toBe('DATA_DIR_LOCKED');
    expect(error.message).toContain(dir);
  });

  it("does not remove another process's lock on release", () => {
    const dir = newFolder();
    const lock = acquireDataDirLock(dir, 'mine');
    writeLockCopyAs(dir, 'other-host.example');
    lock.release();
    expect(fs.existsSync(lockFile(dir))).toBe(true);
  });
});

/** Rewrites the lock file as if another host's process had taken the folder. */
function writeLockCopyAs(dir: string, hostname: string) {
  const owner = JSON.parse(fs.readFileSync(lockFile(dir), 'utf8'));
  fs.writeFileSync(lockFile(dir), JSON.stringify({ ...owner, hostname, pid: owner.pid + 1 }));
}

describe('opening a PGlite data folder', () => {
  it('refuses a second open of the same folder with DATA_DIR_LOCKED naming the folder', async () => {
    const dir = newFolder();
    const first = await openDatabase({ kind: 'pglite', dataDir: dir, command: 'first' });
    try {
      await first.query('CREATE TABLE kept (x integer)');
      await first.query('INSERT INTO kept VALUES (42)');
      const error = await openDatabase({ kind: 'pglite', dataDir: dir, command: 'second' }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('DATA_DIR_LOCKED');
      expect((error as AppError).message).toContain(path.resolve(dir));
      const { rows } = await first.query<{ x: number }>('SELECT x FROM kept');
      expect(rows).toEqual([{ x: 42 }]);
    } finally {
      await first.close();
    }
    expect(fs.existsSync(lockFile(dir))).toBe(false);
    const again = await openDatabase({ kind: 'pglite', dataDir: dir, command: 'again' });
    try {
      expect((await again.query<{ x: number }>('SELECT x FROM kept')).rows).toEqual([{ x: 42 }]);
    } finally {
      await again.close();
    }
  });

  it('refuses a second process while this one holds the folder', async () => {
    const dir = newFolder();
    const held = await openDatabase({ kind: 'pglite', dataDir: dir, command: 'test holder' });
    try {
      const result = await runNode(openScript(dir, 'second process'));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(path.resolve(dir));
      expect(result.stderr).toContain('DATA_DIR_LOCKED');
      expect(result.stderr).toContain(`pid ${process.pid}`);
    } finally {
      await held.close();
    }
  });

  it('refuses this process while a second one holds the folder, and takes over after it died', async () => {
    const dir = newFolder();
    const child = spawn(process.execPath, ['--import', 'tsx', writeScript(holdScript(dir))], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk) => {
        out += String(chunk);
        if (out.includes('holding')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    const error = lockError(() => acquireDataDirLock(dir, 'test'));
    expect(error.code).toBe('DATA_DIR_LOCKED');
    expect(error.message).toContain(`pid ${child.pid}`);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const lock = acquireDataDirLock(dir, 'after crash');
    lock.release();
  });
});

const connectUrl = pathToFileURL(path.resolve('src/db/connect.ts')).href;

function openScript(dir: string, command: string): string {
  return `import { openDatabase } from ${JSON.stringify(connectUrl)};
const db = await openDatabase({ kind: 'pglite', dataDir: ${JSON.stringify(dir)}, command: ${JSON.stringify(command)} });
await db.close();
`;
}

function holdScript(dir: string): string {
  return `import { openDatabase } from ${JSON.stringify(connectUrl)};
await openDatabase({ kind: 'pglite', dataDir: ${JSON.stringify(dir)}, command: 'holder' });
console.log('holding');
setInterval(() => {}, 1000);
`;
}

let scripts = 0;
function writeScript(source: string): string {
  const file = path.join(root, `script-${++scripts}.mjs`);
  fs.writeFileSync(file, source);
  return file;
}

function runNode(source: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writeScript(source)], {
      cwd: process.cwd(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}
