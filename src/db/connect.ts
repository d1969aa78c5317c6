import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { acquireDataDirLock } from './data-dir-lock.js';
import {
  type Database,
  OID,
  parseInt8,
  parseTimestamp,
  parseTimestamptz,
  type Queryable,
  type QueryResult,
} from './database.js';

export type ConnectOptions =
  | { kind: 'pglite'; dataDir: string; command: string }
  | { kind: 'pglite-memory' }
  | { kind: 'postgres'; url: string; schema?: string; poolSize?: number };

/**
 * Opens the application's database: embedded PGlite in a data folder (locked for this process),
 * an in-memory PGlite (tests), or a PostgreSQL server through a `pg` pool.
 */
export async function openDatabase(options: ConnectOptions): Promise<Database> {
  if (options.kind === 'postgres') return openPostgres(options.url, options.schema, options.poolSize);
  if (options.kind === 'pglite-memory') return openPglite(undefined, 'memory', () => {});
  const lock = acquireDataDirLock(options.dataDir, options.command);
  try {
    return await openPglite(path.join(lock.dir, 'pgdata'), lock.dir, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

const pgliteParsers = {
  [OID.int8]: parseInt8,
  [OID.date]: (value: string) => value,
  [OID.timestamptz]: parseTimestamptz,
  [OID.timestamp]: parseTimestamp,
};

function pgliteQueryable(target: PGlite | Transaction): Queryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await target.query<Row>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  };
}

async function openPglite(
  dataDir: string | undefined,
  location: string,
  onClose: () => void,
): Promise<Database> {
  const db = new PGlite({ dataDir, extensions: { pg_trgm, btree_gin }, parsers: pgliteParsers });
  await db.waitReady;
  const base = pgliteQueryable(db);
  let closed = false;
  return {
    kind: 'pglite',
    location,
    ...base,
    transaction: (work) => db.transaction((tx) => work(pgliteQueryable(tx))),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        onClose();
      }
    },
  };
}

const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    switch (oid) {
      case OID.int8:
        return parseInt8;
      case OID.date:
        return (value: string) => value;
      case OID.timestamptz:
        return parseTimestamptz;
      case OID.timestamp:
        return parseTimestamp;
      case OID.int8Array:
        return (value: string) =>
          value
            .slice(1, -1)
            .split(',')
            .filter(Boolean)
            .map((item) => (item === 'NULL' ? null : Number(item)));
      case OID.dateArray:
        return (value: string) => value.slice(1, -1).split(',').filter(Boolean);
      default:
        return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
    }
  },
};

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres';
  }
}

function pgQueryable(target: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await target.query(sql, params as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string) {
      await target.query(sql);
    },
  };
}

async function openPostgres(url: string, schema: string | undefined, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: pgTypes,
    // Tests run each suite in its own schema; extensions stay in `public`.
    options: schema ? `-c search_path=${schema},public` : undefined,
  });
  // Fail fast with the server's own message if it cannot be reached.
  const probe = await pool.connect();
  probe.release();
  const base = pgQueryable(pool);
  return {
    kind: 'postgres',
    location: redact(url),
    ...base,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(pgQueryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
