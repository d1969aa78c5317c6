/**
 * `npx tsx bench/timeline.ts [--events N] [--rounds N] [--calls N] [--background N] [--engine pglite|postgres]
 *   [--out FILE]`
 *
 * The customer timeline at depth: one customer with N events (default 10,000) spread over every
 * source — transactions, communications, feedback, service records, projects with instalments and
 * payments, tier changes, follow-ups — among background customers with histories of their own. Times
 * customerTimeline() (what GET /api/customers/:id/timeline calls, data-scope check included) for a
 * first page, pages deep in the history (random cursors), a two-kind filter and a one-kind filter,
 * on PGlite and on the PostgreSQL server, in alternating rounds (PGlite, server, PGlite, …) so both
 * see the same machine load. As a reference it also times the same UNION ALL without the per-source
 * LIMIT (every event sorted for each page). With the default size the section "## Timeline" of
 * docs/benchmarks.md is rewritten (only that section; a hand-written "### Findings" in it is kept);
 * other sizes go to .bench-data/timeline/benchmarks-partial.md unless --out is given.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { type TimelineKind, timelineKinds } from '../src/domain/timeline/describe.js';
import { createScheme } from '../src/modules/tiers/schemes.js';
import { customerTimeline, timelineSql } from '../src/modules/timeline/timeline.js';
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
import { type Summary, summarize } from './stats.js';

const ROOT = path.join(process.cwd(), '.bench-data', 'timeline');
const SECTION = '## Timeline';
const DEFAULT_EVENTS = 10_000;
const TARGET_P95_MS = 50;
const PAGE = 50;

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: String(DEFAULT_EVENTS) },
    rounds: { type: 'string', default: '5' },
    calls: { type: 'string', default: '40' },
    background: { type: 'string', default: '2000' },
    engine: { type: 'string' },
    out: { type: 'string' },
  },
});

/** How the target customer's events are spread over the sources (shares of N). */
const MIX: Record<TimelineKind, number> = {
  transaction: 0.3,
  communication: 0.25,
  feedback: 0.08,
  service: 0.07,
  project: 0.01,
  instalment: 0.1,
  payment: 0.09,
  tier: 0.05,
  followup: 0.05,
};

const SCENARIOS = [
  'first page',
  'deep page',
  'two kinds',
  'one rare kind',
  'reference: no per-source limit',
] as const;
type Scenario = (typeof SCENARIOS)[number];

interface EngineState {
  engine: EngineName;
  prepared: PreparedTarget;
  db: Database;
  ctx: AppContext;
  customerId: number;
  version: string;
  seedSeconds: number;
  counts: Record<string, number>;
  cursors: string[];
  tierCursors: string[];
  samples: Record<Scenario, number[]>;
  plan: string;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Every event of the target customer and a small history for each background customer, set-based. */
async function seed(
  db: Database,
  ctx: AppContext,
  events: number,
  background: number,
): Promise<{ id: number; counts: Record<string, number> }> {
  await createScheme(ctx, { preset: 'monthly-spend' });
  await db.query(
    `INSERT INTO customers (code, name, created_at)
     SELECT 'BG' || lpad(g::text, 7, '0'), '背景客户' || g, timestamptz '2020-01-01 00:00+08' + g * interval '1 minute'
     FROM generate_series(1, $1::int) g`,
    [background],
  );
  const target = await db.query<{ id: number }>(
    `INSERT INTO customers (code, name, created_at) VALUES ('TL0000001', '时间线大客户', '2020-01-01T00:00:00+08:00') RETURNING id`,
  );
  const id = target.rows[0]?.id as number;
  const n = (kind: TimelineKind) => Math.round(events * MIX[kind]);
  const projects = Math.max(1, n('project'));
  const perProject = Math.max(1, Math.round(n('instalment') / projects));
  const paidPerProject = Math.max(0, Math.min(perProject, Math.round(n('payment') / projects)));
  // Five years of history (2021–2025), and a year ahead for plans and instalments.
  const statements: [string, unknown[]][] = [
    [
      `INSERT INTO transactions (customer_id, occurred_on, amount, product, category)
       SELECT $1, date '2021-01-01' + (g * 1826 / $2), (g % 997) + 0.5, '产品' || (g % 50), '类别' || (g % 7)
       FROM generate_series(1, $2::int) g`,
      [id, n('transaction')],
    ],
    [
      `INSERT INTO communications (customer_id, occurred_at, channel, direction, content, next_step, created_by)
       SELECT $1, timestamptz '2021-01-01 09:00+08' + (g * (1826 * 86400 / $2)) * interval '1 second',
         (ARRAY['phone','email','visit','wechat','meeting','sms','other'])[1 + g % 7],
         CASE WHEN g % 3 = 0 THEN 'inbound' ELSE 'outbound' END, '第 ' || g || ' 次沟通：报价、交期与售后', '跟进 #' || g, 'bench'
       FROM generate_series(1, $2::int) g`,
      [id, n('communication')],
    ],
    [
      `INSERT INTO feedback (customer_id, kind, rating, content, status, received_at, due_at, resolved_at, created_by)
       SELECT $1, k, CASE WHEN k = 'review' THEN 1 + g % 5 END, '反馈 #' || g,
         CASE WHEN g % 4 = 0 THEN 'open' ELSE 'resolved' END, t,
         CASE WHEN k = 'complaint' THEN t + interval '48 hours' END,
         CASE WHEN g % 4 = 0 THEN NULL ELSE t + interval '20 hours' END, 'bench'
       FROM generate_series(1, $2::int) g,
         LATERAL (SELECT (ARRAY['review','suggestion','complaint'])[1 + g % 3] AS k,
                         timestamptz '2021-01-02 10:00+08' + (g * (1826 * 86400 / $2)) * interval '1 second' AS t) x`,
      [id, n('feedback')],
    ],
    [
      `INSERT INTO service_records (customer_id, request, category, status, opened_at, resolved_at, created_by)
       SELECT $1, '服务请求 #' || g, (ARRAY['安装','维修','咨询','退换货'])[1 + g % 4],
         CASE WHEN g % 5 = 0 THEN 'in_progress' ELSE 'resolved' END, t,
         CASE WHEN g % 5 = 0 THEN NULL ELSE t + interval '30 hours' END, 'bench'
       FROM generate_series(1, $2::int) g,
         LATERAL (SELECT timestamptz '2021-01-03 14:00+08' + (g * (1826 * 86400 / $2)) * interval '1 second' AS t) x`,
      [id, n('service')],
    ],
    [
      `INSERT INTO projects (customer_id, name, type, status, contract_amount, starts_on, created_by, created_at)
       SELECT $1, '项目 ' || g, '实施', 'active', 10000 * $3, date '2021-01-01' + (g * 1826 / $2), 'bench',
         timestamptz '2021-01-01 11:00+08' + (g * (1826 * 86400 / $2)) * interval '1 second'
       FROM generate_series(1, $2::int) g`,
      [id, projects, perProject],
    ],
    [
      `INSERT INTO project_instalments (customer_id, project_id, due_on, amount, label)
       SELECT $1, p.id, p.starts_on + k * 30, 10000, '第 ' || k || ' 期'
       FROM projects p, generate_series(1, $2::int) k WHERE p.customer_id = $1`,
      [id, perProject],
    ],
    [
      `INSERT INTO project_payments (customer_id, project_id, received_on, amount, created_by)
       SELECT $1, p.id, p.starts_on + k * 30 + 3, 10000, 'bench'
       FROM projects p, generate_series(1, $2::int) k WHERE p.customer_id = $1`,
      [id, paidPerProject],
    ],
    [
      `INSERT INTO tier_history (customer_id, scheme_id, scheme_version, effective_on, from_tier, to_tier, kind, rule, actor)
       SELECT $1, 'monthly-spend', 1, date '2021-01-31' + (g * 1826 / $2),
         (ARRAY['low','mid','high'])[1 + g % 3], (ARRAY['mid','high','low'])[1 + g % 3], 'review', 'bench', 'bench'
       FROM generate_series(1, $2::int) g`,
      [id, n('tier')],
    ],
    [
      `INSERT INTO followups (customer_id, due_at, method, content, status, completed_at, outcome, created_by)
       SELECT $1, t, (ARRAY['phone','email','visit','wechat'])[1 + g % 4], '回访 #' || g,
         CASE WHEN g = $2 THEN 'planned' WHEN g % 10 = 0 THEN 'skipped' ELSE 'done' END,
         CASE WHEN g = $2 THEN NULL ELSE t + interval '2 hours' END, '结果 #' || g, 'bench'
       FROM generate_series(1, $2::int) g,
         LATERAL (SELECT timestamptz '2021-01-05 10:00+08' + (g * (1900 * 86400 / $2)) * interval '1 second' AS t) x`,
      [id, n('followup')],
    ],
    // Background: ten purchases and five communications per customer.
    [
      `INSERT INTO transactions (customer_id, occurred_on, amount)
       SELECT c.id, date '2021-01-01' + ((c.id * 7 + k * 131) % 1826)::int, 10 + k
       FROM customers c, generate_series(1, 10) k WHERE c.code LIKE 'BG%'`,
      [],
    ],
    [
      `INSERT INTO communications (customer_id, occurred_at, channel, content, created_by)
       SELECT c.id, timestamptz '2021-01-01 09:00+08' + ((c.id * 13 + k * 977) % 1826) * interval '1 day', 'phone', '背景沟通', 'bench'
       FROM customers c, generate_series(1, 5) k WHERE c.code LIKE 'BG%'`,
      [],
    ],
  ];
  for (const [sql, params] of statements) await db.query(sql, params);
  await db.query(
    `UPDATE customers c SET last_contacted_at = (SELECT max(occurred_at) FROM communications m WHERE m.customer_id = c.id)`,
  );
  const counts: Record<string, number> = {};
  for (const [kind, table] of [
    ['transaction', 'transactions'],
    ['communication', 'communications'],
    ['feedback', 'feedback'],
    ['service', 'service_records'],
    ['project', 'projects'],
    ['instalment', 'project_instalments'],
    ['payment', 'project_payments'],
    ['tier', 'tier_history'],
    ['followup', 'followups'],
  ] as const) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} WHERE customer_id = $1`,
      [id],
    );
    counts[kind] = rows[0]?.n ?? 0;
  }
  return { id, counts };
}

async function open(
  engine: EngineName,
  events: number,
  background: number,
  serverUrl: string,
): Promise<EngineState> {
  const prepared = engine === 'pglite' ? preparePglite(ROOT) : await preparePostgres(serverUrl);
  const db = await openTarget(prepared.target, 'bench timeline');
  await migrate(db);
  const ctx = benchContext(db);
  const started = performance.now();
  const { id, counts } = await seed(db, ctx, events, background);
  // What autovacuum does on a server after such a load; PGlite has none (imports ANALYZE themselves).
  await db.exec(engine === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
  const seedSeconds = (performance.now() - started) / 1000;
  const version =
    engine === 'pglite' ? `PGlite ${pgliteVersion()} (${await engineVersion(db)})` : await engineVersion(db);
  // Cursors all through the history: walk it once, a page at a time.
  const cursors: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await customerTimeline(ctx, id, { limit: PAGE, cursor });
    cursor = page.nextCursor ?? undefined;
    if (cursor) cursors.push(cursor);
  } while (cursor);
  const tierCursors: string[] = [];
  cursor = undefined;
  do {
    const page = await customerTimeline(ctx, id, { kinds: 'tier', limit: PAGE, cursor });
    cursor = page.nextCursor ?? undefined;
    if (cursor) tierCursors.push(cursor);
  } while (cursor);
  const { sql, params } = timelineSql(id, timelineKinds, PAGE);
  const explain = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`,
    params,
  );
  const plan = explain.rows.map((row) => row['QUERY PLAN']).join('\n');
  fs.mkdirSync(path.join(ROOT, 'plans'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'plans', `${engine}-first-page.txt`), `${plan}\n`);
  const samples = Object.fromEntries(SCENARIOS.map((scenario) => [scenario, [] as number[]])) as Record<
    Scenario,
    number[]
  >;
  return {
    engine,
    prepared,
    db,
    ctx,
    customerId: id,
    version,
    seedSeconds,
    counts,
    cursors,
    tierCursors,
    samples,
    plan,
  };
}

let seedState = 42;
function random(): number {
  // xorshift: the same cursors on every run.
  seedState ^= seedState << 13;
  seedState ^= seedState >>> 17;
  seedState ^= seedState << 5;
  return (seedState >>> 0) / 4_294_967_296;
}
const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** One round on one engine: every scenario `calls` times (the reference fewer times), after a warm-up. */
async function round(state: EngineState, calls: number): Promise<void> {
  const { ctx, customerId: id, samples } = state;
  for (let i = 0; i < 3; i++) await customerTimeline(ctx, id, { limit: PAGE });
  const naive = timelineSql(id, timelineKinds, 1_000_000);
  for (let i = 0; i < calls; i++) {
    samples['first page'].push(await time(() => customerTimeline(ctx, id, { limit: PAGE })));
    samples['deep page'].push(
      await time(() => customerTimeline(ctx, id, { limit: PAGE, cursor: pick(state.cursors) })),
    );
    samples['two kinds'].push(
      await time(() => customerTimeline(ctx, id, { kinds: 'communication,transaction', limit: PAGE })),
    );
    samples['one rare kind'].push(
      await time(() =>
        customerTimeline(ctx, id, { kinds: 'tier', limit: PAGE, cursor: pick(state.tierCursors) }),
      ),
    );
    if (i % 4 === 0) {
      // The same UNION ALL with every source read whole and sorted, cut to one page at the end.
      samples['reference: no per-source limit'].push(
        await time(() =>
          state.db.query(`${naive.sql.replace(/LIMIT 1000001$/, `LIMIT ${PAGE + 1}`)}`, naive.params),
        ),
      );
    }
  }
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');

function section(
  states: EngineState[],
  loads: { engine: EngineName; round: number; before: number; after: number }[],
  events: number,
  background: number,
  rounds: number,
  calls: number,
  seconds: number,
): string {
  const cpu = os.cpus();
  const lines: string[] = [];
  lines.push(SECTION, '');
  lines.push(
    `Generated by \`npx tsx bench/timeline.ts\` on ${new Date().toISOString()} (${seconds.toFixed(0)} s). ` +
      `One customer with ${events.toLocaleString('en')} events among ${background.toLocaleString('en')} background customers (each with 10 purchases and 5 communications); ` +
      `${rounds} alternating rounds per engine (${states.map((s) => s.engine).join(', ')}), each ${calls} calls per scenario after 3 warm-up pages. ` +
      `Machine: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores, shared with other work (1-minute load average per round below); Node ${process.version}.`,
    '',
  );
  const summaries = states.map((state) => ({
    state,
    rows: SCENARIOS.map((scenario) => [scenario, summarize(state.samples[scenario])] as const),
  }));
  const worst = Math.max(
    ...summaries.flatMap(({ rows }) =>
      rows.filter(([scenario]) => !scenario.startsWith('reference')).map(([, s]) => s.p95),
    ),
  );
  lines.push(
    `**${worst < TARGET_P95_MS ? 'MET' : 'NOT MET'}** — a timeline page p95 < ${TARGET_P95_MS} ms for a customer with ${events.toLocaleString('en')} events: worst p95 ${ms(worst)} ms.`,
    '',
  );
  lines.push(
    '| engine | scenario | calls | p50 ms | p95 ms | max ms |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  );
  for (const { state, rows } of summaries) {
    for (const [scenario, summary] of rows as (readonly [Scenario, Summary])[]) {
      lines.push(
        `| ${state.engine} | ${scenario} | ${summary.n} | ${ms(summary.p50)} | ${ms(summary.p95)} | ${ms(summary.max)} |`,
      );
    }
  }
  lines.push('');
  lines.push(
    '- Scenarios (page size 50, through `customerTimeline()`, the function the API route calls, data-scope check included):',
  );
  lines.push(
    '  first page of every kind; a page at a random depth of the whole history (a cursor from walking it);',
  );
  lines.push(
    '  `kinds=communication,transaction`, first page; `kinds=tier` at a random depth. The reference is the',
  );
  lines.push(
    '  same UNION ALL without the per-source `LIMIT`, so every event is read and sorted for one page.',
  );
  for (const state of states) {
    const spread = Object.entries(state.counts)
      .map(([kind, count]) => `${kind} ${count.toLocaleString('en')}`)
      .join(', ');
    lines.push(
      `- ${state.engine}: ${state.version}; events: ${spread}; seeded in ${state.seedSeconds.toFixed(1)} s.`,
    );
  }
  lines.push(
    `- Load average (1 min) before → after each round: ${loads
      .map((load) => `${load.engine} #${load.round} ${load.before.toFixed(2)} → ${load.after.toFixed(2)}`)
      .join('; ')}.`,
  );
  lines.push(
    '- Plans (EXPLAIN ANALYZE of the first page, `.bench-data/timeline/plans/`): every branch is an index scan',
    '  on (customer_id, time, id) — backward on the ascending indexes — stopped by its `LIMIT 51`; the',
    '  outer sort holds at most 9 × 51 rows.',
  );
  const firstPlan = states[0]?.plan
    .split('\n')
    .filter((line) => /Index Scan|Seq Scan|Merge Append|^Limit/.test(line.trim()));
  if (firstPlan && firstPlan.length > 0) {
    lines.push('', '```', `${states[0]?.engine} first page (excerpt):`, ...firstPlan, '```');
  }
  return `${lines.join('\n')}\n`;
}

/** Replaces (or appends) only the timeline section; keeps its hand-written "### Findings". */
function writeSection(file: string, body: string): void {
  const doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const lines = doc.split('\n');
  const start = lines.findIndex((line) => line === SECTION || line.startsWith(`${SECTION} `));
  if (start < 0) {
    fs.writeFileSync(file, `${doc.trimEnd()}\n\n${body}`);
    return;
  }
  let end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  if (end < 0) end = lines.length;
  const old = lines.slice(start, end);
  const findingsAt = old.findIndex((line) => line.startsWith('### Findings'));
  const kept = findingsAt >= 0 ? `\n${old.slice(findingsAt).join('\n').trimEnd()}\n` : '';
  const before = lines.slice(0, start).join('\n');
  const after = lines.slice(end).join('\n');
  fs.writeFileSync(file, `${before}${before ? '\n' : ''}${body}${kept}${after ? `\n${after}` : ''}`);
}

async function main(): Promise<void> {
  const events = Number(args.events);
  const rounds = Number(args.rounds);
  const calls = Number(args.calls);
  const background = Number(args.background);
  for (const [name, value] of Object.entries({ events, rounds, calls, background })) {
    if (!Number.isInteger(value) || value < (name === 'background' ? 0 : 1)) {
      console.error(`--${name} must be a whole number`);
      process.exit(2);
    }
  }
  if (args.engine && args.engine !== 'pglite' && args.engine !== 'postgres') {
    console.error(`--engine must be pglite or postgres, not ${args.engine}`);
    process.exit(2);
  }
  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL;
  let engines: EngineName[] = args.engine ? [args.engine as EngineName] : ['pglite', 'postgres'];
  if (engines.includes('postgres')) {
    const probe = await probeServer(serverUrl);
    if (!probe.ok) {
      log(`PostgreSQL server not reachable (${probe.reason}): PGlite only`);
      engines = engines.filter((engine) => engine !== 'postgres');
    }
  }
  fs.mkdirSync(ROOT, { recursive: true });
  const started = performance.now();
  const states: EngineState[] = [];
  try {
    for (const engine of engines) {
      log(`${engine}: seeding ${events} events for one customer and ${background} background customers…`);
      const state = await open(engine, events, background, serverUrl);
      states.push(state);
      log(
        `${engine}: ${state.version}, seeded in ${state.seedSeconds.toFixed(1)} s, ${state.cursors.length + 1} pages`,
      );
    }
    const loads: { engine: EngineName; round: number; before: number; after: number }[] = [];
    for (let r = 1; r <= rounds; r++) {
      for (const state of states) {
        const before = os.loadavg()[0] ?? 0;
        await round(state, calls);
        const after = os.loadavg()[0] ?? 0;
        loads.push({ engine: state.engine, round: r, before, after });
        const first = summarize(state.samples['first page']);
        log(
          `round ${r} ${state.engine}: first page p50 ${ms(first.p50)} ms p95 ${ms(first.p95)} ms (load ${before.toFixed(2)})`,
        );
      }
    }
    const body = section(
      states,
      loads,
      events,
      background,
      rounds,
      calls,
      (performance.now() - started) / 1000,
    );
    const out =
      args.out ??
      (events === DEFAULT_EVENTS ? 'docs/benchmarks.md' : path.join(ROOT, 'benchmarks-partial.md'));
    writeSection(out, body);
    log(body);
    log(`written to ${out}`);
  } finally {
    for (const state of states) {
      await state.db.close();
      await state.prepared.cleanup();
    }
  }
}

await main();
