import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../shared/app-error.js';

const LOCK_FILE = 'clientele.lock';

export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  command: string;
  /** Set by `clientele serve` so that a refused CLI can point at the running server. */
  url?: string;
}

export interface DataDirLock {
  readonly dir: string;
  release(): void;
}

/** Folders this process holds; a second open in the same process would corrupt the folder too. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function lockedError(dir: string, owner: LockOwner | undefined): AppError {
  const who = owner ? `pid ${owner.pid} (${owner.command}, ${owner.startedAt})` : 'another process';
  const where = owner?.url ? `; server at ${owner.url}` : '';
  return new AppError(
    'DATA_DIR_LOCKED',
    {
      zh: `数据目录 ${dir} 正被另一个进程使用：${who}${where}。PGlite 只允许一个进程打开一个数据目录，请先停止该进程，或通过其 HTTP 接口操作。`,
      en: `The data folder ${dir} is in use by ${who}${where}. PGlite allows one process per data folder: stop that process first, or work through its HTTP API.`,
    },
    { dir, owner },
  );
}

/**
 * Takes the exclusive lock of a PGlite data folder. PGlite does not protect its folder against a
 * second process, and a second opener corrupts it (docs: shared/product/facts.md), so every open
 * goes through here. A lock left by a dead process on this host is taken over — including one that
 * names this very pid without this process holding it: a predecessor that had the same pid (a
 * container's server is pid 1 after every restart).
 */
export function acquireDataDirLock(dir: string, command: string): DataDirLock {
  const resolved = path.resolve(dir);
  fs.mkdirSync(resolved, { recursive: true });
  // The real path, so that two spellings of one folder (a symlink) are one folder here.
  const key = fs.realpathSync(resolved);
  const file = path.join(resolved, LOCK_FILE);
  if (heldHere.has(key)) throw lockedError(resolved, readOwner(file));
  const owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    command,
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify(owner));
      fs.closeSync(fd);
      heldHere.add(key);
      return makeLock(resolved, key, file, owner);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readOwner(file);
      const stale =
        current !== undefined &&
        current.hostname === owner.hostname &&
        (current.pid === process.pid || !isAlive(current.pid));
      // An unreadable lock may be one being written right now: only a provably dead owner is removed.
      if (!stale) throw lockedError(resolved, current);
      fs.rmSync(file, { force: true });
    }
  }
  throw lockedError(resolved, readOwner(file));
}

function makeLock(dir: string, key: string, file: string, owner: LockOwner): DataDirLock {
  let released = false;
  const releaseSync = () => {
    if (released) return;
    released = true;
    heldHere.delete(key);
    const current = readOwner(file);
    if (current?.pid === owner.pid) fs.rmSync(file, { force: true });
  };
  process.once('exit', releaseSync);
  return {
    dir,
    release() {
      process.removeListener('exit', releaseSync);
      releaseSync();
    },
  };
}

/** The process holding a data folder, if any. */
export function readLockOwner(dir: string): LockOwner | undefined {
  return readOwner(path.join(path.resolve(dir), LOCK_FILE));
}

/** Records the URL of the server holding the folder, so that a refused CLI can send its command there. */
export function writeLockUrl(dir: string, url: string): void {
  const file = path.join(path.resolve(dir), LOCK_FILE);
  const owner = readOwner(file);
  if (owner?.pid !== process.pid) return;
  fs.writeFileSync(file, JSON.stringify({ ...owner, url }));
}

const OPERATOR_FILE = 'operator.secret';

/**
 * The secret with which the CLI, refused the folder because the server holds it, may send its
 * command to that server as the operator. Readable only by the owner (0600), like the data itself.
 */
export function writeOperatorSecret(dir: string, secret: string): void {
  const file = path.join(path.resolve(dir), OPERATOR_FILE);
  fs.writeFileSync(file, secret, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export function readOperatorSecret(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(path.resolve(dir), OPERATOR_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}
