/**
 * `npx tsx bench/followups.ts [--customers N] [--owner-customers N] [--rounds N] [--calls N]
 *   [--engine pglite|postgres] [--due-limit N] [--out FILE]`
 *
 * Follow-ups at scale: N customers (default 100,000) owned by 20 reps — one of them, the measured
 * owner, with 5,000 — plus a pool of N/20 customers without owner; every owned customer has an A/B/C
 * tier, an open cadence plan (due from 30 days ago to 120 days ahead) and two done follow-ups; the
 * owner has recycling warnings on 2 % of their customers. Times, as the API calls them:
 * dueFollowups() for the owner (the reminders: overdue, today, next 7 days, recycle warnings; the
 * target is p95 < 50 ms), the owner's calendar feed and a pool page; then once each, the set-based
 * jobs over all N customers: planning every cadence plan afresh, planning again (nothing to do),
 * and a recycling dry run. PGlite and the PostgreSQL server run in alternating rounds, so both see
 * the same machine load. With the default sizes the section "## Follow-ups" of docs/benchmarks.md
 * is rewritten (only that section; a hand-written "### Findings" in it is kept); other sizes go to
 * .bench-data/followups/benchmarks-partial.md unless --out is given.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { userActor } from '../src/modules/access/actor.js';
import { calendarFeed, createCalendarToken } from '../src/modules/followups/calendar-feed.js';
import { dueFollowups } from '../src/modules/followups/due-followups.js';
import { planFollowups } from '../src/modules/followups/plan-followups.js';
import { listPool } from '../src/modules/pool/list-pool.js';
import { updatePoolSettings } from '../src/modules/pool/pool-settings.js';
import { recycleCustomers } from '../src/modules/pool/recycle-customers.js';
import { createScheme } from '../src/modules/tiers/schemes.js';
import type { AppContext } from '../src/shared/context.js';
import { benchContext } from './context.js';
import {
  DEFAULT_SERVER_URL,
  type EngineName,
  engineVersion,
  openTarget,
  type PreparedTarget,
  pgliteVersion,
  preparePglite,
  preparePostgres,
  probeServer,
} from './engines.js';
import { summarize } from './stats.js';

const ROOT = path.join(process.cwd(), '.bench-data', 'followups');
const SECTION = '## Follow-ups';
const DEFAULTS = { customers: 100_000, ownerCustomers: 5_000 };
const TARGET_P95_MS = 50;
const REPS = 20;

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: String(DEFAULTS.customers) },
    'owner-customers': { type: 'string', default: String(DEFAULTS.ownerCustomers) },
    rounds: { type: 'string', default: '5' },
    calls: { type: 'string', default: '30' },
    engine: { type: 'string' },
    'due-limit': { type: 'string' },
    out: { type: 'string' },
  },
});

const SCENARIOS = ['due list of the owner', 'calendar feed of the owner', 'pool page (50)'] as const;
type Scenario = (typeof SCENARIOS)[number];
const JOBS = ['plan all cadence follow-ups', 'plan again (nothing to do)', 'recycling dry run'] as const;
type Job = (typeof JOBS)[number];

interface EngineState {
  engine: EngineName;
  prepared: PreparedTarget;
  db: Database;
  base: AppContext;
  owner: { id: number; username: string };
  token: string;
  version: string;
  seedSeconds: number;
  counts: Record<string, number>;
  samples: Record<Scenario, number[]>;
  jobs: Partial<Record<Job, { ms: number; detail: string }>>;
  dueCounts: string;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
/** The due list as the API asks for it: its default `limit` unless --due-limit is given. */
const dueOptions = args['due-limit'] ? { limit: Number(args['due-limit']) } : {};
/** Today 09:00 China time, the due time the planner uses. */
const NOW = new Date();

async function seed(db: Database, base: AppContext, customers: number, ownerCustomers: number) {
  await createScheme(base, { preset: 'abc' });
  await db.query(
    `INSERT INTO users (username, role) SELECT 'rep' || lpad(g::text, 2, '0'), 'sales' FROM generate_series(1, $1::int) g`,
    [REPS],
  );
  const { rows } = await db.query<{ id: number; username: string }>(
    `SELECT id, username FROM users ORDER BY id`,
  );
  const owner = rows[0] as { id: number; username: string };
  const poolSize = Math.round(customers / 20);
  // Customer g: the owner's for g ≤ ownerCustomers, then the other reps' in turn; the pool after N.
  await db.query(
    `INSERT INTO customers (code, name, city, industry, owner_id, created_at, last_contacted_at, search_text)
     SELECT 'FU' || lpad(g::text, 7, '0'), '跟进客户' || g, (ARRAY['杭州','上海','北京','深圳'])[1 + g % 4],
       (ARRAY['制造','零售','物流'])[1 + g % 3],
       CASE WHEN g > $1 THEN NULL WHEN g <= $2 THEN $3::bigint ELSE $3::bigint + 1 + (g % ($4::int - 1)) END,
       timestamptz '2024-01-01 09:00+08' + (g % 600) * interval '1 day',
       CASE WHEN g % 5 = 0 THEN NULL ELSE $5::timestamptz - ((g * 7) % 200) * interval '1 day' END,
       'genjinkehu' || g
     FROM generate_series(1, $1::int + $6::int) g`,
    [customers, ownerCustomers, owner.id, REPS, NOW.toISOString(), poolSize],
  );
  await db.query(
    `INSERT INTO tier_assignments (customer_id, scheme_id, tier, since, scheme_version, changed_on)
     SELECT id, 'abc', CASE WHEN id % 10 = 0 THEN 'A' WHEN id % 10 < 3 THEN 'B' ELSE 'C' END, '2025-12-31', 1, '2025-12-31'
     FROM customers WHERE owner_id IS NOT NULL`,
  );
  // One open cadence plan per owned customer, due between 30 days ago and 120 days ahead.
  await db.query(
    `INSERT INTO followups (customer_id, due_at, method, content, owner_id, source, scheme_id, tier, created_by)
     SELECT c.id, date_trunc('day', $1::timestamptz) + interval '1 hour' + ((c.id * 37) % 150 - 30) * interval '1 day'
         + ((c.id % 9) * interval '1 hour'),
       (ARRAY['visit','phone','email'])[1 + c.id % 3], '定期回访', c.owner_id, 'cadence', 'abc', a.tier, 'bench'
     FROM customers c JOIN tier_assignments a ON a.customer_id = c.id AND a.scheme_id = 'abc'`,
    [NOW.toISOString()],
  );
  // Two done follow-ups in the past per owned customer.
  await db.query(
    `INSERT INTO followups (customer_id, due_at, method, owner_id, status, outcome, completed_at, created_by)
     SELECT c.id, t, 'phone', c.owner_id, 'done', '已联系', t + interval '2 hours', 'bench'
     FROM customers c, generate_series(1, 2) k,
       LATERAL (SELECT $1::timestamptz - (100 + k * 90 + c.id % 30) * interval '1 day' AS t) x
     WHERE c.owner_id IS NOT NULL`,
    [NOW.toISOString()],
  );
  // Recycling warnings on 2 % of the owner's customers, a day ago.
  await db.query(
    `INSERT INTO pool_events (customer_id, kind, user_id, reason, actor, at)
     SELECT id, 'warn', owner_id, '将回收 / Returns to the pool soon', 'bench', $2::timestamptz - interval '1 day'
     FROM customers WHERE owner_id = $1 AND id % 50 = 0`,
    [owner.id, NOW.toISOString()],
  );
  const counts: Record<string, number> = {};
  for (const table of ['customers', 'followups', 'tier_assignments', 'pool_events']) {
    const result = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = result.rows[0]?.n ?? 0;
  }
  return { owner, counts };
}

async function open(engine: EngineName, customers: number, ownerCustomers: number, serverUrl: string) {
  const prepared = engine === 'pglite' ? preparePglite(ROOT) : await preparePostgres(serverUrl);
  const db = await openTarget(prepared.target, 'bench followups');
  await migrate(db);
  const base = { ...benchContext(db), now: () => NOW };
  const started = performance.now();
  const { owner, counts } = await seed(db, base, customers, ownerCustomers);
  await db.exec(engine === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
  const seedSeconds = (performance.now() - started) / 1000;
  const ownerCtx = { ...base, actor: userActor({ ...owner, role: 'sales' }) };
  const { token } = await createCalendarToken(ownerCtx);
  const due = await dueFollowups({ ...ownerCtx });
  const version =
    engine === 'pglite' ? `PGlite ${pgliteVersion()} (${await engineVersion(db)})` : await engineVersion(db);
  const state: EngineState = {
    engine,
    prepared,
    db,
    base,
    owner,
    token,
    version,
    seedSeconds,
    counts,
    samples: { 'due list of the owner': [], 'calendar feed of the owner': [], 'pool page (50)': [] },
    jobs: {},
    dueCounts: `overdue ${due.counts.overdue}, today ${due.counts.today}, next 7 days ${due.counts.upcoming}, recycle warnings ${due.recycleWarnings.length}`,
  };
  return state;
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** One round: each scenario `calls` times after a warm-up; every call gets a fresh request context. */
async function round(state: EngineState, calls: number): Promise<void> {
  const ownerCtx = () => ({ ...state.base, actor: userActor({ ...state.owner, role: 'sales' }) });
  for (let i = 0; i < 3; i++) await dueFollowups(ownerCtx());
  for (let i = 0; i < calls; i++) {
    state.samples['due list of the owner'].push(await time(() => dueFollowups(ownerCtx(), dueOptions)));
    if (i % 3 === 0) {
      state.samples['calendar feed of the owner'].push(
        await time(() => calendarFeed(state.base, state.token)),
      );
    }
    state.samples['pool page (50)'].push(await time(() => listPool(ownerCtx(), { limit: 50 })));
  }
}

/** The set-based jobs over every customer, once. */
async function jobs(state: EngineState): Promise<void> {
  const { db, base } = state;
  await db.query(`DELETE FROM followups WHERE status = 'planned' AND source = 'cadence'`);
  let result = await (async () => {
    const started = performance.now();
    const planned = await planFollowups(base, 'abc', { report: false });
    return { ms: performance.now() - started, planned };
  })();
  state.jobs['plan all cadence follow-ups'] = {
    ms: result.ms,
    detail: `${result.planned.createdCount.toLocaleString('en')} plans made`,
  };
  result = await (async () => {
    const started = performance.now();
    const planned = await planFollowups(base, 'abc', { report: false });
    return { ms: performance.now() - started, planned };
  })();
  state.jobs['plan again (nothing to do)'] = {
    ms: result.ms,
    detail: `${result.planned.createdCount} made, ${result.planned.redated} re-dated`,
  };
  await updatePoolSettings(base, { scheme: 'abc' });
  const started = performance.now();
  const recycle = await recycleCustomers(base, { dryRun: true });
  state.jobs['recycling dry run'] = {
    ms: performance.now() - started,
    detail: `${recycle.recycled.length.toLocaleString('en')} would be recycled, ${recycle.warnings.length.toLocaleString('en')} warned`,
  };
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');

function section(
  states: EngineState[],
  loads: string[],
  options: { customers: number; ownerCustomers: number; rounds: number; calls: number; seconds: number },
): string {
  const cpu = os.cpus();
  const lines: string[] = [SECTION, ''];
  lines.push(
    `Generated by \`npx tsx bench/followups.ts\` on ${new Date().toISOString()} (${options.seconds.toFixed(0)} s). ` +
      `${options.customers.toLocaleString('en')} owned customers across ${REPS} reps — the measured owner has ${options.ownerCustomers.toLocaleString('en')} — ` +
      `and ${Math.round(options.customers / 20).toLocaleString('en')} in the pool; each owned customer has an A/B/C tier, an open cadence plan and two done follow-ups. ` +
      `${options.rounds} alternating rounds per engine (${states.map((s) => s.engine).join(', ')}), each ${options.calls} calls of the due list and the pool page ` +
      `and ${Math.ceil(options.calls / 3)} of the calendar feed, after 3 warm-up calls. Machine: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores, ` +
      `shared with other work (1-minute load average per round below); Node ${process.version}.`,
    '',
  );
  const worst = Math.max(...states.map((state) => summarize(state.samples['due list of the owner']).p95));
  lines.push(
    `**${worst < TARGET_P95_MS ? 'MET' : 'NOT MET'}** — the due list of an owner with ${options.ownerCustomers.toLocaleString('en')} customers p95 < ${TARGET_P95_MS} ms: worst p95 ${ms(worst)} ms.`,
    '',
    '| engine | scenario | calls | p50 ms | p95 ms | max ms |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  );
  for (const state of states) {
    for (const scenario of SCENARIOS) {
      const s = summarize(state.samples[scenario]);
      lines.push(`| ${state.engine} | ${scenario} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} |`);
    }
  }
  lines.push('', '| engine | job over every customer (once) | ms | result |', '| --- | --- | ---: | --- |');
  for (const state of states) {
    for (const job of JOBS) {
      const result = state.jobs[job];
      if (result) lines.push(`| ${state.engine} | ${job} | ${result.ms.toFixed(0)} | ${result.detail} |`);
    }
  }
  lines.push(
    '',
    '- The due list is `dueFollowups()` as `GET /api/followups/due` calls it (a fresh request context each',
    '  call): one index range on `followups (owner_id, status, due_at)` for the plans due before the end of',
    '  the next 7 days, grouped and cut to 100 per group in SQL (the default `limit`), plus the recycling warnings from',
    '  `pool_events (user_id, kind, at)`. The calendar feed is every open plan of the owner from 30 days',
    '  back, as iCalendar text; the pool page is the first 50 of the pool with its total (capped at 5,000).',
  );
  for (const state of states) {
    const counts = Object.entries(state.counts)
      .map(([table, n]) => `${table} ${n.toLocaleString('en')}`)
      .join(', ');
    lines.push(
      `- ${state.engine}: ${state.version}; ${counts}; seeded in ${state.seedSeconds.toFixed(1)} s; the owner's reminders: ${state.dueCounts}.`,
    );
  }
  lines.push(`- Load average (1 min) before → after each round: ${loads.join('; ')}.`);
  return `${lines.join('\n')}\n`;
}

/** Replaces the section in docs/benchmarks.md (appending it the first time), keeping its ### Findings. */
function writeSection(file: string, text: string): void {
  const doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = doc.indexOf(`\n${SECTION}\n`);
  if (start < 0) {
    fs.writeFileSync(file, `${doc.trimEnd()}\n\n${text}`);
    return;
  }
  const next = doc.indexOf('\n## ', start + 1);
  const old = doc.slice(start + 1, next < 0 ? doc.length : next + 1);
  const findings = old.indexOf('\n### Findings');
  const kept = findings < 0 ? '' : `\n${old.slice(findings + 1).trimEnd()}\n`;
  const replaced = `${text}${kept}`;
  fs.writeFileSync(
    file,
    `${doc.slice(0, start + 1)}${replaced}${next < 0 ? '' : `\n${doc.slice(next + 1)}`}`,
  );
}

async function main(): Promise<void> {
  const customers = Number(args.customers);
  const ownerCustomers = Number(args['owner-customers']);
  const rounds = Number(args.rounds);
  const calls = Number(args.calls);
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_SERVER_URL;
  const engines: EngineName[] = args.engine ? [args.engine as EngineName] : ['pglite', 'postgres'];
  if (engines.includes('postgres')) {
    const probe = await probeServer(serverUrl);
    if (!probe.ok) {
      log(`PostgreSQL server not reachable (${probe.reason}): PGlite only`);
      engines.splice(engines.indexOf('postgres'), 1);
    }
  }
  const started = performance.now();
  const states: EngineState[] = [];
  try {
    for (const engine of engines) {
      log(`${engine}: seeding ${customers.toLocaleString('en')} customers …`);
      states.push(await open(engine, customers, ownerCustomers, serverUrl));
    }
    const loads: string[] = [];
    for (let r = 1; r <= rounds; r++) {
      for (const state of states) {
        const before = os.loadavg()[0] ?? 0;
        await round(state, calls);
        loads.push(`${state.engine} #${r} ${before.toFixed(2)} → ${(os.loadavg()[0] ?? 0).toFixed(2)}`);
        const s = summarize(state.samples['due list of the owner']);
        log(`${state.engine} round ${r}: due list p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms`);
      }
    }
    for (const state of states) {
      await jobs(state);
      log(`${state.engine} jobs: ${JSON.stringify(state.jobs)}`);
    }
    const text = section(states, loads, {
      customers,
      ownerCustomers,
      rounds,
      calls,
      seconds: (performance.now() - started) / 1000,
    });
    const full = customers === DEFAULTS.customers && ownerCustomers === DEFAULTS.ownerCustomers;
    const out =
      args.out ?? (full ? path.join('docs', 'benchmarks.md') : path.join(ROOT, 'benchmarks-partial.md'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (out.endsWith(path.join('docs', 'benchmarks.md'))) writeSection(out, text);
    else fs.writeFileSync(out, text);
    log(text);
    log(`written to ${out}`);
  } finally {
    for (const state of states) {
      await state.db.close();
      await state.prepared.cleanup();
    }
  }
}

await main();
