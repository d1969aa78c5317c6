/** The two database engines the benchmark runs on: a fresh PGlite folder, or a fresh schema on a server. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/connect.js';
import type { Database, Queryable } from '../src/db/database.js';

export type EngineName = 'pglite' | 'postgres';

/** Where one engine's benchmark database lives; passed to child processes as JSON. */
export type Target =
  | { engine: 'pglite'; dataDir: string }
  | { engine: 'postgres'; url: string; schema: string };

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function openTarget(target: Target, command = 'bench'): Promise<Database> {
  return target.engine === 'pglite'
    ? openDatabase({ kind: 'pglite', dataDir: target.dataDir, command })
    : openDatabase({ kind: 'postgres', url: target.url, schema: target.schema, poolSize: 4 });
}

export interface PreparedTarget {
  target: Target;
  /** Removes the folder or drops the schema. */
  cleanup(): Promise<void>;
}

/** A new, empty PGlite data folder under `root` (any earlier bench folder there is removed first). */
export function preparePglite(root: string): PreparedTarget {
  const dataDir = path.join(root, 'pglite');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  return {
    target: { engine: 'pglite', dataDir },
    async cleanup() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether the server answers; the reason when it does not. */
export async function probeServer(
  url: string,
): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return { ok: true, version: rows[0]?.server_version ?? 'unknown' };
  } catch (error) {
    return { ok: false, reason: (error as Error).message || String(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

/** A new schema `bench_<random>` on the server, dropped again by cleanup(). */
export async function preparePostgres(url: string): Promise<PreparedTarget> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(url, `CREATE SCHEMA ${schema}`);
  return {
    target: { engine: 'postgres', url, schema },
    cleanup: () => adminQuery(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `SELECT version()` of an open database, shortened to "PostgreSQL 17.5". */
export async function engineVersion(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ version: string }>('SELECT version() AS version');
  return /PostgreSQL [\d.]+/.exec(rows[0]?.version ?? '')?.[0] ?? rows[0]?.version ?? 'unknown';
}

export function pgliteVersion(): string {
  try {
    const file = path.join(process.cwd(), 'node_modules', '@electric-sql', 'pglite', 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
