import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { openDatabase } from '../src/db/connect.js';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { createFieldKeyring } from '../src/domain/security/field-crypto.js';
import type { Role } from '../src/domain/security/roles.js';
import { buildApp } from '../src/http/app.js';
import { type Actor, userActor } from '../src/modules/access/actor.js';
import { createApiToken } from '../src/modules/access/sessions.js';
import { addUser } from '../src/modules/access/users.js';
import type { AppContext } from '../src/shared/context.js';

/** Use-case tests act as the operator (full rights), as the CLI does. */
export const testOperator: Actor = {
  type: 'cli',
  userId: null,
  name: 'os:test',
  role: 'admin',
  scope: 'all',
};
export const TEST_PASSWORD = 'test password 123';

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
    ctx: {
      db,
      now: options.now ?? (() => new Date()),
      actor: testOperator,
      keyring: createFieldKeyring(randomBytes(32)),
    },
    async close() {
      await db.close();
      await dropSchema();
    },
  };
}

export interface TestApp extends TestContext {
  app: FastifyInstance;
  admin: TestUser;
}

export interface TestUser {
  id: number;
  username: string;
  /** `Authorization: Bearer …` for an API token acting as this user. */
  headers: { authorization: string };
  actor: Actor;
}

/** Adds a user with the test password and an API token acting as them. */
export async function addTestUser(
  ctx: AppContext,
  username: string,
  role: Role,
  team?: string,
): Promise<TestUser> {
  const user = await addUser(ctx, { username, role, team, password: TEST_PASSWORD });
  const actor = userActor(user);
  const { token } = await createApiToken({ ...ctx, actor }, { name: `${username}-test`, role });
  return { id: user.id, username, headers: { authorization: `Bearer ${token}` }, actor };
}

/**
 * A fresh app on a fresh database. `app.inject` sends an admin's API token unless the request
 * brings its own `authorization` or cookie header (`headers: { authorization: '' }` sends none).
 */
export async function createTestApp(
  options: { now?: () => Date; bodyLimit?: number } = {},
): Promise<TestApp> {
  const context = await createTestContext(options);
  const app = await buildApp(context.ctx, { bodyLimit: options.bodyLimit });
  const admin = await addTestUser(context.ctx, 'admin', 'admin');
  const inject = app.inject.bind(app);
  const withAdmin = (request: unknown) => {
    const options: Record<string, unknown> =
      typeof request === 'string' ? { url: request } : { ...(request as Record<string, unknown>) };
    const headers = { ...((options.headers as Record<string, string> | undefined) ?? {}) };
    if (headers.authorization === undefined && headers.cookie === undefined)
      headers.authorization = admin.headers.authorization;
    if (headers.authorization === '') delete headers.authorization;
    return { ...options, headers };
  };
  app.inject = ((request?: unknown) => inject(withAdmin(request ?? {}) as never)) as typeof app.inject;
  return {
    ...context,
    app,
    admin,
    async close() {
      await app.close();
      await context.close();
    },
  };
}
