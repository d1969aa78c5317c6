import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../shared/app-error.js';
import type { Database } from './database.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Any constant shared by every Clientele process; serialises concurrent start-ups on a server. */
const MIGRATION_LOCK_KEY = 4_242_001;

/** The plain SQL files `NNNN_name.sql`, in version order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: fs.readFileSync(path.join(dir, file), 'utf8'),
    }));
}

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

/**
 * Brings the schema up to the newest migration this build knows, in one transaction.
 * A database that is newer than this build is refused: running old code on it could lose data.
 */
export async function migrate(db: Database, migrations = loadMigrations()): Promise<MigrationReport> {
  const latest = migrations.at(-1)?.version ?? 0;
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    const current = rows[0]?.version ?? 0;
    if (current > latest) {
      throw new AppError(
        'SCHEMA_TOO_NEW',
        {
          zh: `数据库结构版本为 ${current}，比当前程序支持的版本 ${latest} 更新。请升级 Clientele 后再打开此数据库。`,
          en: `The database schema is at version ${current}, newer than this build of Clientele supports (${latest}). Upgrade Clientele before opening this database.`,
        },
        { databaseVersion: current, supportedVersion: latest },
      );
    }
    const applied: string[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(`${String(migration.version).padStart(4, '0')}_${migration.name}`);
    }
    return { from: current, to: Math.max(current, latest), applied };
  });
}
