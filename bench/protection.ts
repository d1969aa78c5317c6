/**
 * The cost of protection on customer lists and search: data scope (a manager seeing a team of 3 of
 * the 12 sales people) plus decrypting and masking personal fields, against the same page and count
 * queries without either. `npx tsx bench/protection.ts [--customers N] [--engine pglite|postgres]`.
 */
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import type { Actor } from '../src/modules/access/actor.js';
import { CUSTOMER_COLUMNS } from '../src/modules/customers/customer.queries.js';
import { COUNT_CAP, listCustomers } from '../src/modules/customers/list-customers.js';
import { bulkLoadCustomers, countCustomers } from './bulk-load.js';
import { benchContext } from './context.js';
import {
  DEFAULT_SERVER_URL,
  openTarget,
  type PreparedTarget,
  preparePglite,
  preparePostgres,
} from './engines.js';
import { summarize } from './stats.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const customers = Number(option('customers') ?? 1_000_000);
const engines = (option('engine') ? [option('engine')] : ['postgres', 'pglite']) as ('pglite' | 'postgres')[];
const RUNS = 60;

const QUERIES: [string, Record<string, string>][] = [
  ['first page, no filter', {}],
  ['full pinyin', { search: 'zhangwei' }],
  ['surname char', { search: '王' }],
  ['company word', { search: '科技' }],
  ['province + stage', { province: '广东', stage: 'closed' }],
];

async function time<T>(work: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * The same count and page as listCustomers issues, without scope and without decryption: the count
 * capped at COUNT_CAP + 1 matches first, then the page — cut from all the matches when they are at
 * most COUNT_CAP, else a walk of the sort index — one after the other, as listCustomers does.
 */
async function unprotected(db: Database, params: Record<string, string>) {
  const where: string[] = [];
  const values: unknown[] = [];
  if (params.search) {
    const needle = params.search;
    if (Array.from(needle).length < 3) {
      values.push(needle);
      where.push(`c.search_grams @> ARRAY[$${values.length}::text]`);
    } else {
      values.push(`%${needle}%`);
      where.push(`c.search_text LIKE $${values.length}`);
    }
  }
  if (params.province) {
    values.push([params.province]);
    where.push(`c.province = ANY($${values.length}::text[])`);
  }
  if (params.stage) {
    values.push([params.stage]);
    where.push(`c.stage = ANY($${values.length}::text[])`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const { rows } = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM (SELECT 1 FROM customers c ${clause} LIMIT ${COUNT_CAP + 1}) t`,
    values,
  );
  const count = rows[0]?.total ?? 0;
  if (count === 0) return;
  const source =
    count <= COUNT_CAP ? `(SELECT * FROM customers c ${clause} OFFSET 0) c` : `customers c ${clause}`;
  await db.query(
    `SELECT ${CUSTOMER_COLUMNS} FROM ${source} ORDER BY c.created_at DESC, c.id DESC LIMIT 51`,
    values,
  );
}

async function run(engine: 'pglite' | 'postgres'): Promise<string[]> {
  let prepared: PreparedTarget;
  if (engine === 'pglite') prepared = preparePglite(path.join(process.cwd(), '.bench-data', 'protection'));
  else prepared = await preparePostgres(process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL);
  const db = await openTarget(prepared.target);
  const lines: string[] = [];
  try {
    await migrate(db);
    const started = performance.now();
    await bulkLoadCustomers(db, 7, 0, customers, (done, total) => {
      if (done % 100_000 === 0 || done === total)
        process.stderr.write(`  ${engine}: ${done}/${total} customers\n`);
    });
    process.stderr.write(`  loaded in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    await db.exec('ANALYZE');
    // A manager whose team holds 3 of the 12 owners: team scope, and personal.view → masking in lists.
    const { rows: team } = await db.query<{ id: number }>(
      "INSERT INTO teams (name) VALUES ('bench') RETURNING id",
    );
    await db.query("UPDATE users SET team_id = $1 WHERE username IN ('zhangwei', 'wangfang', 'lina')", [
      team[0]?.id,
    ]);
    const { rows: manager } = await db.query<{ id: number }>(
      "INSERT INTO users (username, role, team_id) VALUES ('bench-manager', 'manager', $1) RETURNING id",
      [team[0]?.id],
    );
    const actor: Actor = {
      type: 'user',
      userId: manager[0]?.id ?? null,
      name: 'bench-manager',
      role: 'manager',
      scope: 'team',
    };
    lines.push(
      `| engine | customers | query | unprotected p50 | unprotected p95 | protected p50 | protected p95 | overhead p95 |`,
    );
    lines.push('|---|---:|---|---:|---:|---:|---:|---:|');
    for (const [label, params] of QUERIES) {
      const plain: number[] = [];
      const guarded: number[] = [];
      for (let i = 0; i < RUNS + 5; i++) {
        // Alternate so that caches and background work hit both sides alike.
        const a = await time(() => unprotected(db, params));
        const ctx = { ...benchContext(db), actor };
        const b = await time(() => listCustomers(ctx, { ...params, limit: '50' }));
        if (i >= 5) {
          plain.push(a);
          guarded.push(b);
        }
      }
      const p = summarize(plain);
      const g = summarize(guarded);
      const overhead = ((g.p95 - p.p95) / p.p95) * 100;
      lines.push(
        `| ${engine === 'pglite' ? 'PGlite' : 'PostgreSQL server'} | ${(await countCustomers(db)).toLocaleString('en-US')} | ${label} | ${p.p50.toFixed(1)} | ${p.p95.toFixed(1)} | ${g.p50.toFixed(1)} | ${g.p95.toFixed(1)} | ${overhead >= 0 ? '+' : ''}${overhead.toFixed(0)} % |`,
      );
      process.stderr.write(`${lines.at(-1)}\n`);
    }
  } finally {
    await db.close();
    await prepared.cleanup();
  }
  return lines;
}

const output: string[] = [
  `Protection overhead, ${new Date().toISOString()}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, Node ${process.version}`,
];
for (const engine of engines) {
  try {
    output.push(...(await run(engine)));
  } catch (error) {
    output.push(`${engine}: not measured (${(error as Error).message})`);
  }
}
process.stdout.write(`${output.join('\n')}\n`);
