import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/test-context.js';
import { AppError } from '../shared/app-error.js';
import { loadMigrations, type Migration, migrate } from './migrate.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function schemaVersion(): Promise<number> {
  const { rows } = await t.db.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
  return rows[0]?.v ?? 0;
}

async function tableExists(name: string): Promise<boolean> {
  const { rows } = await t.db.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [
    name,
  ]);
  return rows[0]?.found !== null;
}

describe('migrate', () => {
  const known = loadMigrations();

  it('knows the migrations in version order', () => {
    expect(known.length).toBeGreaterThan(0);
    expect(known[0]).toMatchObject({ version: 1, name: 'init' });
    const versions = known.map((migration) => migration.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('does nothing the second time and keeps the data', async () => {
    const latest = known.at(-1)?.version as number;
    await t.db.query(`INSERT INTO settings (key, value) VALUES ('probe', '{"kept": true}')`);
    const report = await migrate(t.db);
    expect(report).toEqual({ from: latest, to: latest, applied: [] });
    const { rows } = await t.db.query<{ value: { kept: boolean } }>(
      `SELECT value FROM settings WHERE key = 'probe'`,
    );
    expect(rows[0]?.value).toEqual({ kept: true });
    expect(await schemaVersion()).toBe(latest);
  });

  it('applies only the migrations that are new', async () => {
    const next: Migration = {
      version: 9001,
      name: 'add_probe_table',
      sql: 'CREATE TABLE probe_added (id integer PRIMARY KEY); CREATE INDEX probe_added_idx ON probe_added (id);',
    };
    const report = await migrate(t.db, [...known, next]);
    expect(report.applied).toEqual(['9001_add_probe_table']);
    expect(report.to).toBe(9001);
    expect(await tableExists('probe_added')).toBe(true);
    expect((await migrate(t.db, [...known, next])).applied).toEqual([]);
  });

  it('rolls a failing migration back completely', async () => {
    const broken: Migration = {
      version: 9002,
      name: 'broken',
      sql: 'CREATE TABLE half_done (id integer); SELECT no_such_function();',
    };
    const next: Migration = { version: 9001, name: 'add_probe_table', sql: '' };
    await expect(migrate(t.db, [...known, next, broken])).rejects.toThrow(/no_such_function/);
    expect(await tableExists('half_done')).toBe(false);
    expect(await schemaVersion()).toBe(9001);
  });

  it('refuses a database newer than this build with SCHEMA_TOO_NEW and changes nothing', async () => {
    // The database is at 9001 now, the build knows only up to the last shipped migration.
    const latest = known.at(-1)?.version as number;
    const error = await migrate(t.db).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('SCHEMA_TOO_NEW');
    expect((error as AppError).message).toContain('9001');
    expect((error as AppError).message).toMatch(/数据库结构版本/);
    expect((error as AppError).details).toEqual({ databaseVersion: 9001, supportedVersion: latest });
    expect(await schemaVersion()).toBe(9001);
    expect(await tableExists('probe_added')).toBe(true);
  });

  it('refuses a database whose schema_migrations names an unknown future version', async () => {
    await t.db.query(`INSERT INTO schema_migrations (version, name) VALUES (99999, 'from_the_future')`);
    await expect(migrate(t.db)).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW' });
  });
});
