import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { openDatabase } from '../src/db/connect.js';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { buildApp } from '../src/http/app.js';
import type { AppContext } from '../src/shared/context.js';

export interface TestContext {
  ctx: AppContext;
  db: Database;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or — when TEST_DATABASE_URL
 * is set — a schema of its own on the PostgreSQL server, dropped again by close().
 */
export async function createTestContext(options: { now?: () => Date } = {}): Promise<TestContext> {
  const url = process.env.TEST_DATABASE_URL;
  let db: Database;
  let dropSchema = async () => {};
  if (url) {
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    db = await openDatabase({ kind: 'postgres', url, schema, poolSize: 4 });
    dropSchema = async () => {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    };
  } else {
    db = await openDatabase({ kind: 'pglite-memory' });
  }
  await migrate(db);
  return {
    db,
    ctx: { db, now: options.now ?? (() => new Date()) },
    async close() {
      await db.close();
      await dropSchema();
    },
  };
}

export interface TestApp extends TestContext {
  app: FastifyInstance;
}

export async function createTestApp(
  options: { now?: () => Date; bodyLimit?: number } = {},
): Promise<TestApp> {
  const context = await createTestContext(options);
  const app = await buildApp(context.ctx, { bodyLimit: options.bodyLimit });
  return {
    ...context,
    app,
    async close() {
      await app.close();
      await context.close();
    },
  };
}
