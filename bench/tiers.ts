/**
 * `npx tsx bench/tiers.ts [--engine pglite|postgres] [--customers N] [--transactions N] [--seed N]
 *   [--no-backtest] [--no-stream] [--no-explain] [--keep] [--out FILE] [--report-only]`
 * (`npm run bench:tiers -- …`)
 *
 * The tier review at scale: generates customers and transactions with set-based SQL, then measures
 * runReview() for every preset (first review, next month's review; applied and dry-run) next to one
 * plain SQL aggregate pass over the same transactions, with wall time and memory. Each engine runs
 * in a child process of its own (so its maxRSS is its own). At 1,000,000 customers and 10,000,000
 * transactions the section "## Tier review (…)" of docs/benchmarks.md is rewritten (only that
 * section; a "### Findings" part written by hand inside it is kept); other sizes go to
 * .bench-data/tiers/benchmarks-partial.md unless --out is given.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { openDatabase } from '../src/db/connect.js';
import type { Database, Queryable } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { presets } from '../src/domain/tiers/presets.js';
import { runBacktest } from '../src/modules/tiers/backtest.js';
import { compileEvaluation, windowRange } from '../src/modules/tiers/evaluation-sql.js';
import { applyChanges, type ReviewResult, runReview } from '../src/modules/tiers/reviews.js';
import { createScheme, customFieldKinds, getScheme } from '../src/modules/tiers/schemes.js';
import type { AppContext } from '../src/shared/context.js';
import { benchContext } from './context.js';
import {
  DEFAULT_SERVER_URL,
  type EngineName,
  engineVersion,
  openTarget,
  pgliteVersion,
  preparePglite,
  probeServer,
} from './engines.js';
import { instrument, statementLabel } from './instrument.js';
import { ensureBenchUsers } from './users.js';

// ---------------------------------------------------------------------------------------------
// Fixed calendar of the generated data and of the reviews.

/** Customers are created between these days (Asia/Shanghai), transactions follow until DATA_END. */
const CREATED_FROM = '2023-11-01';
const CREATED_TO = '2026-08-31';
const DATA_END = '2026-10-31';
/** The first review (every customer gets a first tier) and the next month's review. */
const FIRST_AS_OF = '2026-09-30';
const STEADY_AS_OF = '2026-10-31';
/** The clock the reviews see (reviews may not be dated after "today"). */
const NOW = new Date('2026-11-20T10:00:00+08:00');
const BACKTEST = { scheme: 'monthly-spend', from: '2025-11-01', to: '2026-10-31', every: 'month' as const };
/** What the API asks for by default (POST /api/tier-schemes/:id/reviews). */
const CHANGE_LIMIT = 1000;
const CUSTOMERS_PER_BATCH = 100_000;
/** "Memory bounded": a review's JS heap may not grow by more than this during the call. */
const HEAP_GROWTH_BOUND = 64 * 1024 * 1024;
const FULL = { customers: 1_000_000, transactions: 10_000_000 };
/** On the server a call's statements are cancelled after this (statement_timeout); BENCH_CALL_LIMIT_S overrides. */
const CALL_LIMIT_S = Number(process.env.BENCH_CALL_LIMIT_S ?? 1200);
/** The parent kills a child that has printed nothing for this long (PGlite cannot be interrupted). */
const SILENCE_LIMIT_MS = Number(process.env.BENCH_SILENCE_LIMIT_S ?? 3600) * 1000;
const SECTION_PREFIX = '## Tier review';

const PRESET_IDS = presets.map((preset) => preset.id as string);
const ROOT = path.resolve('.bench-data', 'tiers');
const RESULTS_DIR = path.join(ROOT, 'results');
const PLANS_DIR = path.join(ROOT, 'plans');

// ---------------------------------------------------------------------------------------------
// Result types (the child prints them as JSON; the parent writes the markdown).

interface MemSample {
  /** process.resourceUsage().maxRSS before and after the call, bytes. */
  maxRssBefore: number;
  maxRssAfter: number;
  /** Resident set of this process: before the call and the peak sampled every 20 ms by a thread. */
  rssBefore: number;
  rssPeak: number;
  /** JS heap in use: before (after a full GC), sampled peak, after. */
  heapBefore: number;
  heapPeak: number;
  heapAfter: number;
  /** Memory outside the JS heap that V8 knows of (Buffers, ArrayBuffers), sampled peak. */
  externalPeak: number;
  /** Server only: private (RssAnon) and total resident memory of the connection's backend, peak. */
  backendAnonPeak?: number;
  backendRssPeak?: number;
  /** Server only: parallel worker processes seen during the call (their memory is not included). */
  parallelWorkers?: number;
}

interface StatementTime {
  label: string;
  ms: number;
  count: number;
}

interface Measure {
  kind: 'pass' | 'pass-window' | 'review' | 'stream' | 'backtest' | 'maintenance';
  label: string;
  preset?: string;
  phase?: 'first' | 'steady';
  dryRun?: boolean;
  asOf?: string;
  ms: number;
  /** The call failed (e.g. cancelled at the time limit): its message. */
  error?: string;
  /** Not the application as it is: what the measurement changed. */
  whatIf?: string;
  /** Review: changes written (or that would be); pass: groups; backtest: periods. */
  rows?: number;
  counts?: Record<string, number>;
  statements?: StatementTime[];
  mem: MemSample;
  load: [number, number];
}

interface PlanNode {
  node: string;
  inclusiveMs: number;
  exclusiveMs: number;
  rows: number;
  loops: number;
  detail: string;
}

interface TriggerTime {
  name: string;
  relation: string;
  ms: number;
  calls: number;
}

interface PlanSummary {
  preset: string;
  asOf: string;
  /** What was explained, when not the compiled evaluation. */
  statement?: string;
  executionMs: number;
  planningMs: number;
  reviewEvalMs?: number;
  top: PlanNode[];
  triggers?: TriggerTime[];
  file: string;
}

interface LoadStep {
  label: string;
  ms: number;
}

interface DataStats {
  customers: number;
  transactions: number;
  withoutPurchases: number;
  oneToThree: number;
  medianOrders: number;
  p90Orders: number;
  p99Orders: number;
  maxOrders: number;
  top10Share: number;
  amountMedian: string;
  amountP90: string;
  amountP99: string;
  firstDay: string;
  lastDay: string;
  databaseBytes: number;
  transactionsBytes: number;
}

interface EngineRun {
  engine: EngineName;
  /** The application code measured: commit, and whether src/ had uncommitted changes. */
  code?: string;
  customers: number;
  transactions: number;
  seed: number;
  startedAt: string;
  durationMs: number;
  version: string;
  settings: Record<string, string>;
  load: LoadStep[];
  loadMaxRss: number;
  stats: DataStats;
  measures: Measure[];
  plans: PlanSummary[];
  passPlan?: PlanSummary;
  loadavg: [number, number];
  skipped?: string;
  /** The child did not finish: why (its measures until then are kept). */
  incomplete?: string;
}

export interface ChildJob {
  engine: EngineName;
  customers: number;
  transactions: number;
  seed: number;
  backtest: boolean;
  stream: boolean;
  explain: boolean;
  keep: boolean;
  serverUrl: string;
}

// ---------------------------------------------------------------------------------------------
// Arguments

function parseCli() {
  return parseArgs({
    options: {
      engine: { type: 'string' },
      customers: { type: 'string', default: String(FULL.customers) },
      transactions: { type: 'string', default: String(FULL.transactions) },
      seed: { type: 'string', default: '1' },
      'no-backtest': { type: 'boolean', default: false },
      'no-stream': { type: 'boolean', default: false },
      'no-explain': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      out: { type: 'string' },
      'report-only': { type: 'boolean', default: false },
      child: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
}
type Args = ReturnType<typeof parseCli>;

const started = performance.now();
function log(line: string) {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(5);
  console.log(`[${elapsed}s] ${line}`);
}

const fmtInt = (value: number) => Math.round(value).toLocaleString('en-US');
const fmtMb = (bytes: number) => `${fmtInt(bytes / 1024 / 1024)} MB`;
const fmtS = (ms: number) => (ms >= 100_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(1)} s`);
const fmtX = (ratio: number) => `${ratio.toFixed(ratio >= 10 ? 0 : 1)}×`;
const ENGINE_NAMES = { pglite: 'PGlite', postgres: 'PostgreSQL server' } as const;

// ---------------------------------------------------------------------------------------------
// Data generation (set-based SQL, deterministic from the seed)

/** SQL for a uniform number in (0, 1) from a bigint key and a salt: a seeded hash, no state. */
function uniform(seed: number, key: string, salt: number): string {
  return `(((hashint8extended((${key})::bigint, ${seed * 1000 + salt}) & 2147483647)::float8 + 0.5) / 2147483648.0)`;
}

/** SQL for a standard normal number (Box–Muller of two uniforms). */
function normal(seed: number, key: string, salt: number): string {
  return `(sqrt(-2 * ln(${uniform(seed, key, salt)})) * cos(2 * pi() * ${uniform(seed, key, salt + 1)}))`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** A multiplier that permutes 0 … n-1 (so heavy buyers are spread over the customer ids). */
function permutationMultiplier(n: number): number {
  let m = 999_983;
  while (gcd(m, n) !== 1) m += 2;
  return m;
}

/**
 * Transactions per customer: customers ranked by a permutation of their id; rank r gets
 * floor(T·F((r+1)/N)) − floor(T·F(r/N)) transactions, so the total is exactly T. F mixes an
 * exponential (most of the volume over the first ~40 % of customers) with √x (a long tail of heavy
 * buyers at the top): about half the customers buy three times or less, the top 10 % make ~40 %
 * of the transactions, the heaviest ~1,000 times over three years.
 */
function transactionCountSql(n: number, t: number): string {
  const m = permutationMultiplier(n);
  const f = (x: string) => `(0.9 * (1 - exp(-6 * ${x})) / (1 - exp(-6.0)) + 0.1 * sqrt(${x}))`;
  const r = `(((c.id - 1) * ${m}) % ${n})::float8`;
  return `(floor(${t}::float8 * least(1.0, ${f(`(${r} + 1) / ${n}`)})) - floor(${t}::float8 * ${f(`${r} / ${n}`)}))::int`;
}

const PROVINCES = ['广东', '浙江', '江苏', '山东', '上海', '北京', '四川', '福建', '湖北', '河南'];
const CITIES = ['广州', '杭州', '苏州', '青岛', '上海', '北京', '成都', '厦门', '武汉', '郑州'];
const INDUSTRIES = ['零售', '餐饮', '制造', '教育', '医疗', '物流', '互联网', '服务'];
const CATEGORIES = [
  '服装鞋包',
  '食品饮料',
  '家居日用',
  '数码电器',
  '美妆个护',
  '母婴用品',
  '办公用品',
  '汽车用品',
];
const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]`;

function customersSql(seed: number, from: number, to: number, owners: readonly number[]): string {
  const u = (salt: number) => uniform(seed, 'i', salt);
  const span = Math.round((Date.parse(CREATED_TO) - Date.parse(CREATED_FROM)) / 86_400_000) + 1;
  // 90 % of the customers have an owner (a sales rep), as in the import bench's data.
  const owner =
    owners.length === 0
      ? 'NULL'
      : `CASE WHEN ${u(7)} < 0.9 THEN (ARRAY[${owners.join(', ')}]::bigint[])[1 + floor(${u(8)} * ${owners.length})::int] END`;
  return `INSERT INTO customers (id, code, name, type, stage, status, province, city, industry, source, phone,
      search_text, search_grams, tags, owner_id, created_at, updated_at)
    SELECT i, 'TB' || lpad(i::text, 8, '0'), '客户' || i,
      CASE WHEN ${u(1)} < 0.2 THEN 'enterprise' ELSE 'individual' END,
      (${sqlArray(['potential', 'intent', 'closed', 'churned'])})[1 + floor(${u(2)} * 4)::int],
      'active',
      (${sqlArray(PROVINCES)})[1 + floor(${u(3)} * ${PROVINCES.length})::int],
      (${sqlArray(CITIES)})[1 + floor(${u(3)} * ${CITIES.length})::int],
      (${sqlArray(INDUSTRIES)})[1 + floor(${u(4)} * ${INDUSTRIES.length})::int],
      'bench',
      'v1:' || md5(i::text) || md5((i + 7)::text),
      'kehu' || i || ' kh tb' || lpad(i::text, 8, '0'),
      ARRAY['kh', 'k', 'h'],
      '{}',
      ${owner},
      created, created
    FROM generate_series(${from}, ${to}) AS i,
      LATERAL (SELECT ((DATE '${CREATED_FROM}' + floor(${u(5)} * ${span})::int) + time '08:00'
                + floor(${u(6)} * 43200) * interval '1 second') AT TIME ZONE 'Asia/Shanghai' AS created) AS x`;
}

function transactionsSql(seed: number, n: number, t: number, from: number, to: number): string {
  const key = 'c.id * 65536 + j';
  const ut = (salt: number) => uniform(seed, key, salt);
  return `INSERT INTO transactions (customer_id, occurred_on, product, category, quantity, amount, created_at)
    SELECT c.id, d.day, d.category || ' ' || (1 + floor(${ut(14)} * 40)::int), d.category,
      1 + floor(-ln(${ut(13)}) * 0.7)::int,
      round(least(greatest(exp(ln(90.0) + CASE WHEN c.type = 'enterprise' THEN 1.6 ELSE 0 END
        + 0.7 * ${normal(seed, 'c.id', 20)} + 0.9 * ${normal(seed, key, 11)}), 1), 500000)::numeric, 2),
      (d.day + time '12:00') AT TIME ZONE 'Asia/Shanghai'
    FROM customers c
    CROSS JOIN LATERAL generate_series(1, ${transactionCountSql(n, t)}) AS j
    CROSS JOIN LATERAL (
      SELECT d0 + floor(${ut(10)} * (DATE '${DATA_END}' - d0 + 1))::int AS day,
        (${sqlArray(CATEGORIES)})[1 + floor(${ut(15)} * ${CATEGORIES.length})::int] AS category
      FROM (SELECT (c.created_at AT TIME ZONE 'Asia/Shanghai')::date AS d0) AS created
    ) AS d
    WHERE c.id BETWEEN ${from} AND ${to}`;
}

function summarySql(from: number, to: number): string {
  return `UPDATE customers c SET total_spent = s.total, order_count = s.orders,
      first_purchase_on = s.first_on, last_purchase_on = s.last_on
    FROM (
      SELECT customer_id, sum(amount) AS total, count(*)::int AS orders,
        min(occurred_on) AS first_on, max(occurred_on) AS last_on
      FROM transactions WHERE customer_id BETWEEN ${from} AND ${to} GROUP BY customer_id
    ) s
    WHERE c.id = s.customer_id`;
}

export async function loadData(db: Database, job: ChildJob): Promise<LoadStep[]> {
  const steps: LoadStep[] = [];
  const timed = async (label: string, work: () => Promise<void>) => {
    const t0 = performance.now();
    await work();
    const ms = performance.now() - t0;
    steps.push({ label, ms });
    log(`  ${job.engine}: ${label}: ${fmtS(ms)}`);
  };
  const n = job.customers;
  const batches: [number, number][] = [];
  for (let from = 1; from <= n; from += CUSTOMERS_PER_BATCH)
    batches.push([from, Math.min(n, from + CUSTOMERS_PER_BATCH - 1)]);
  const owners = [...(await ensureBenchUsers(db)).values()].sort((a, b) => a - b);
  await timed(`customers (${fmtInt(n)}, ${batches.length} statements)`, async () => {
    for (const [from, to] of batches) await db.query(customersSql(job.seed, from, to, owners));
    await db.query(`SELECT setval(pg_get_serial_sequence('customers', 'id'), ${n})`);
  });
  await timed(`transactions (${fmtInt(job.transactions)}, ${batches.length} statements)`, async () => {
    for (const [from, to] of batches) {
      await db.query(transactionsSql(job.seed, n, job.transactions, from, to));
      if (to % 500_000 === 0 || to === n) log(`    transactions of customers up to ${fmtInt(to)}`);
    }
  });
  await timed('purchase summary (UPDATE customers from transactions)', async () => {
    for (const [from, to] of batches) await db.query(summarySql(from, to));
  });
  await timed('VACUUM (ANALYZE) customers, transactions', async () => {
    await db.exec('VACUUM (ANALYZE) customers, transactions');
  });
  return steps;
}

async function dataStats(db: Database): Promise<DataStats> {
  const one = async <Row>(sql: string): Promise<Row> => (await db.query<Row>(sql)).rows[0] as Row;
  const c = await one<{
    customers: number;
    without: number;
    rare: number;
    median: number;
    p90: number;
    p99: number;
    max: number;
    orders: number;
    first_day: string;
    last_day: string;
  }>(
    `SELECT count(*)::int AS customers, count(*) FILTER (WHERE order_count = 0)::int AS without,
       count(*) FILTER (WHERE order_count BETWEEN 1 AND 3)::int AS rare,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY order_count) AS median,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY order_count) AS p90,
       percentile_disc(0.99) WITHIN GROUP (ORDER BY order_count) AS p99,
       max(order_count) AS max, sum(order_count)::bigint AS orders,
       min(first_purchase_on) AS first_day, max(last_purchase_on) AS last_day
     FROM customers`,
  );
  const top = await one<{ orders: number }>(
    `SELECT coalesce(sum(order_count), 0)::bigint AS orders FROM (
       SELECT order_count FROM customers ORDER BY order_count DESC LIMIT ${Math.max(1, Math.floor(c.customers / 10))}) t`,
  );
  const amounts = await one<{ p: string[] | string }>(
    `SELECT percentile_disc(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY amount)::text[] AS p
     FROM transactions TABLESAMPLE SYSTEM (2) REPEATABLE (1)`,
  );
  const p = Array.isArray(amounts.p) ? amounts.p : String(amounts.p).replace(/[{}]/g, '').split(',');
  const sizes = await one<{ db: number; tx: number }>(
    `SELECT (SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')) AS db,
            pg_total_relation_size('transactions')::bigint AS tx`,
  );
  return {
    customers: c.customers,
    transactions: Number(c.orders),
    withoutPurchases: c.without,
    oneToThree: c.rare,
    medianOrders: c.median,
    p90Orders: c.p90,
    p99Orders: c.p99,
    maxOrders: c.max,
    top10Share: Number(top.orders) / Math.max(1, Number(c.orders)),
    amountMedian: p[0] ?? '?',
    amountP90: p[1] ?? '?',
    amountP99: p[2] ?? '?',
    firstDay: c.first_day,
    lastDay: c.last_day,
    databaseBytes: Number(sizes.db),
    transactionsBytes: Number(sizes.tx),
  };
}

// ---------------------------------------------------------------------------------------------
// Memory and time of one call

/**
 * Samples this process's RSS (and on the server the backend's memory) from a thread of its own:
 * PGlite runs a statement synchronously on the main thread, where no timer fires until it ends.
 */
class Sampler {
  private readonly shared = new BigInt64Array(new SharedArrayBuffer(8 * 4));
  private readonly worker: Worker;
  constructor() {
    this.worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const fs = require('node:fs');
       const peak = new BigInt64Array(workerData);
       let backend = 0;
       parentPort.on('message', (pid) => { backend = pid; });
       function status(pid) {
         try {
           const text = fs.readFileSync('/proc/' + pid + '/status', 'utf8');
           const kb = (name) => Number((new RegExp(name + ':\\\\s+(\\\\d+)').exec(text) || [0, 0])[1]) * 1024;
           return { rss: kb('VmRSS'), anon: kb('RssAnon') };
         } catch { return { rss: 0, anon: 0 }; }
       }
       const raise = (i, v) => { const b = BigInt(Math.round(v)); if (b > Atomics.load(peak, i)) Atomics.store(peak, i, b); };
       let tick = 0;
       setInterval(() => {
         raise(0, process.memoryUsage.rss());
         if (backend > 0) {
           const s = status(backend);
           raise(1, s.anon);
           raise(2, s.rss);
           if (tick++ % 5 === 0) {
             let workers = 0;
             for (const dir of fs.readdirSync('/proc')) {
               if (!/^\\d+$/.test(dir)) continue;
               try {
                 if (fs.readFileSync('/proc/' + dir + '/cmdline', 'utf8').includes('parallel worker for PID ' + backend)) workers++;
               } catch {}
             }
             raise(3, workers);
           }
         }
       }, 20);`,
      { eval: true, workerData: this.shared.buffer },
    );
    this.worker.unref();
  }
  setBackend(pid: number) {
    this.worker.postMessage(pid);
  }
  reset() {
    for (let i = 0; i < 4; i++) Atomics.store(this.shared, i, 0n);
  }
  peaks() {
    return {
      rss: Number(Atomics.load(this.shared, 0)),
      backendAnon: Number(Atomics.load(this.shared, 1)),
      backendRss: Number(Atomics.load(this.shared, 2)),
      workers: Number(Atomics.load(this.shared, 3)),
    };
  }
  async stop() {
    await this.worker.terminate();
  }
}

const gc = (globalThis as { gc?: () => void }).gc;

async function measured<T>(
  sampler: Sampler,
  backendPid: number | null,
  work: () => Promise<T>,
): Promise<{ value: T | undefined; error?: string; ms: number; mem: MemSample; load: [number, number] }> {
  gc?.();
  const before = process.memoryUsage();
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  if (backendPid !== null) sampler.setBackend(backendPid);
  sampler.reset();
  let heapPeak = before.heapUsed;
  let externalPeak = before.external + before.arrayBuffers;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    heapPeak = Math.max(heapPeak, now.heapUsed);
    externalPeak = Math.max(externalPeak, now.external + now.arrayBuffers);
  }, 20);
  const load0 = os.loadavg()[0] ?? 0;
  const t0 = performance.now();
  let value: T | undefined;
  let error: string | undefined;
  try {
    value = await work();
  } catch (caught) {
    error = (caught as Error).message || String(caught);
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - t0;
  const after = process.memoryUsage();
  heapPeak = Math.max(heapPeak, after.heapUsed);
  externalPeak = Math.max(externalPeak, after.external + after.arrayBuffers);
  const peaks = sampler.peaks();
  const mem: MemSample = {
    maxRssBefore,
    maxRssAfter: process.resourceUsage().maxRSS * 1024,
    rssBefore: before.rss,
    rssPeak: Math.max(peaks.rss, before.rss, after.rss),
    heapBefore: before.heapUsed,
    heapPeak,
    heapAfter: after.heapUsed,
    externalPeak,
  };
  if (backendPid !== null) {
    mem.backendAnonPeak = peaks.backendAnon;
    mem.backendRssPeak = peaks.backendRss;
    mem.parallelWorkers = peaks.workers;
  }
  return { value, error, ms, mem, load: [load0, os.loadavg()[0] ?? 0] };
}

function statementName(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  if (/^CREATE TEMP TABLE (tier_review_changes|backtest_changes)/.test(flat))
    return 'evaluate (compiled SQL)';
  if (flat.includes('INSERT INTO tier_history')) return 'history + notices';
  if (/INSERT INTO (tier_assignments|backtest_state|backtest_compare)/.test(flat))
    return 'assignments upsert';
  if (flat.startsWith('SELECT tier, count(*)')) return 'tier counts';
  if (flat.startsWith('SELECT customer_id, code, cur_tier')) return 'change list';
  if (flat.includes('audit')) return 'audit';
  if (flat.includes('cad AS (')) return 'follow-up plans';
  if (flat === 'ANALYZE tier_assignments') return 'ANALYZE tier_assignments (what-if)';
  return statementLabel(sql);
}

function breakdown(entries: readonly { sql: string; start: number; end: number }[]): StatementTime[] {
  const byName = new Map<string, StatementTime>();
  for (const entry of entries) {
    const label = statementName(entry.sql);
    const item = byName.get(label) ?? { label, ms: 0, count: 0 };
    item.ms += entry.end - entry.start;
    item.count += 1;
    byName.set(label, item);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms);
}

// ---------------------------------------------------------------------------------------------
// EXPLAIN (ANALYZE, BUFFERS)

interface RawPlan {
  'Node Type': string;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Relation Name'?: string;
  'Index Name'?: string;
  Strategy?: string;
  'Sort Method'?: string;
  'Sort Space Used'?: number;
  'Sort Space Type'?: string;
  'Peak Memory Usage'?: number;
  'Disk Usage'?: number;
  'HashAgg Batches'?: number;
  'Workers Launched'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Temp Read Blocks'?: number;
  'Temp Written Blocks'?: number;
  'Parent Relationship'?: string;
  Plans?: RawPlan[];
}

/**
 * Every node with its own time: inclusive time minus its children's. Inside a Gather the times are
 * per worker (the workers run side by side), so loops are not multiplied there; a CTE's plan is
 * charged to the CTE Scan that pulls its rows, not twice. Buffers are the node's own as well.
 */
function planNodes(root: RawPlan): { plan: RawPlan; depth: number; node: PlanNode }[] {
  const out: { plan: RawPlan; depth: number; node: PlanNode }[] = [];
  const cteTime = new Map<string, number>();
  const time = (plan: RawPlan, parallel: boolean) =>
    (plan['Actual Total Time'] ?? 0) * (parallel ? 1 : (plan['Actual Loops'] ?? 1));
  const reads = (plan: RawPlan) => plan['Shared Read Blocks'] ?? 0;
  const temps = (plan: RawPlan) => (plan['Temp Read Blocks'] ?? 0) + (plan['Temp Written Blocks'] ?? 0);
  const collect = (plan: RawPlan, parallel: boolean) => {
    const inner = parallel || plan['Workers Launched'] !== undefined;
    for (const child of plan.Plans ?? []) {
      const name = (child as { 'Subplan Name'?: string })['Subplan Name'];
      if (name?.startsWith('CTE ')) cteTime.set(name.slice(4), time(child, inner));
      collect(child, inner);
    }
  };
  collect(root, false);
  const walk = (plan: RawPlan, parallel: boolean, depth: number) => {
    const inclusive = time(plan, parallel);
    const inner = parallel || plan['Workers Launched'] !== undefined;
    const children = (plan.Plans ?? []).filter(
      (child) => !(child as { 'Subplan Name'?: string })['Subplan Name']?.startsWith('CTE '),
    );
    let own = inclusive - children.reduce((sum, child) => sum + time(child, inner), 0);
    const cte = (plan as { 'CTE Name'?: string })['CTE Name'];
    if (plan['Node Type'] === 'CTE Scan' && cte) own -= cteTime.get(cte) ?? 0;
    const ownRead = reads(plan) - children.reduce((sum, child) => sum + reads(child), 0);
    const ownTemp = temps(plan) - children.reduce((sum, child) => sum + temps(child), 0);
    const parts: string[] = [];
    if (plan['Relation Name']) parts.push(`on ${plan['Relation Name']}`);
    if (plan['Index Name']) parts.push(`using ${plan['Index Name']}`);
    if (plan.Strategy) parts.push(plan.Strategy);
    if (plan['Sort Method'])
      parts.push(
        `${plan['Sort Method']} ${fmtInt((plan['Sort Space Used'] ?? 0) / 1024)} MB ${plan['Sort Space Type'] ?? ''}`.trim(),
      );
    if (plan['HashAgg Batches'] !== undefined)
      parts.push(
        `${plan['HashAgg Batches']} batches, ${fmtInt((plan['Peak Memory Usage'] ?? 0) / 1024)} MB memory`,
      );
    if (plan['Workers Launched'] !== undefined) parts.push(`${plan['Workers Launched']} workers`);
    if (ownRead > 0) parts.push(`read ${fmtInt((ownRead * 8) / 1024)} MB`);
    if (ownTemp > 0) parts.push(`temp I/O ${fmtInt((ownTemp * 8) / 1024)} MB`);
    out.push({
      plan,
      depth,
      node: {
        node: plan['Node Type'],
        inclusiveMs: inclusive,
        exclusiveMs: Math.max(0, own),
        rows: (plan['Actual Rows'] ?? 0) * (inner && parallel ? (plan['Actual Loops'] ?? 1) : 1),
        loops: plan['Actual Loops'] ?? 1,
        detail: parts.join(', '),
      },
    });
    for (const child of plan.Plans ?? []) walk(child, inner, depth + 1);
  };
  walk(root, false, 0);
  return out;
}

function summarizePlan(root: RawPlan): PlanNode[] {
  return planNodes(root).map((entry) => entry.node);
}

function renderPlan(root: RawPlan): string {
  return planNodes(root)
    .map(
      ({ plan, depth, node }) =>
        `${'  '.repeat(depth)}-> ${node.node}${node.detail ? ` (${node.detail})` : ''}: actual ${(plan['Actual Total Time'] ?? 0).toFixed(1)} ms × ${node.loops} loops, rows ${fmtInt(plan['Actual Rows'] ?? 0)}; own ≈ ${node.exclusiveMs.toFixed(0)} ms`,
    )
    .join('\n');
}

async function explain(
  db: Queryable,
  sql: string,
  params: readonly unknown[],
  file: string,
): Promise<{ executionMs: number; planningMs: number; top: PlanNode[]; triggers: TriggerTime[] }> {
  const { rows } = await db.query<Record<string, unknown>>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
    params,
  );
  const raw = Object.values(rows[0] ?? {})[0];
  type Explained = {
    Plan: RawPlan;
    'Execution Time': number;
    'Planning Time': number;
    Triggers?: {
      'Trigger Name': string;
      'Constraint Name'?: string;
      Relation: string;
      Time: number;
      Calls: number;
    }[];
  };
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Explained[];
  const top = parsed[0] as Explained;
  const triggers = (top.Triggers ?? []).map((trigger) => ({
    name: trigger['Constraint Name'] ?? trigger['Trigger Name'],
    relation: trigger.Relation,
    ms: trigger.Time,
    calls: trigger.Calls,
  }));
  fs.mkdirSync(PLANS_DIR, { recursive: true });
  fs.writeFileSync(`${file}.json`, JSON.stringify(parsed, null, 2));
  fs.writeFileSync(
    `${file}.txt`,
    `${sql}\n\n-- params: ${JSON.stringify(params)}\n\n${renderPlan(top.Plan)}\n\n${triggers
      .map((t) => `Trigger ${t.name} on ${t.relation}: ${t.ms.toFixed(0)} ms, ${t.calls} calls\n`)
      .join(
        '',
      )}Execution ${top['Execution Time'].toFixed(0)} ms, planning ${top['Planning Time'].toFixed(0)} ms\n`,
  );
  return {
    executionMs: top['Execution Time'],
    planningMs: top['Planning Time'],
    triggers,
    top: summarizePlan(top.Plan)
      .sort((a, b) => b.exclusiveMs - a.exclusiveMs)
      .slice(0, 6),
  };
}

/** The change the what-if measurement makes (not the application as it is). */
const WHAT_IF = 'ANALYZE tier_assignments before the follow-up planning';

/**
 * A connection that runs `ANALYZE tier_assignments` just before the follow-up planning of a review
 * (replanAfterTierChanges() starts with `SELECT EXISTS (SELECT 1 FROM followups …`): the planner
 * then knows how many assignments the review wrote for the scheme in its own transaction.
 */
function analyzeBeforeFollowups(inner: Database): Database {
  const wrap = (target: Queryable): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      if (/^\s*SELECT EXISTS \(SELECT 1 FROM followups/.test(sql))
        await target.query('ANALYZE tier_assignments');
      return target.query<Row>(sql, params);
    },
    exec: (sql: string) => target.exec(sql),
  });
  return {
    kind: inner.kind,
    location: inner.location,
    ...wrap(inner),
    transaction: (work) => inner.transaction((tx) => work(wrap(tx))),
    close: () => inner.close(),
  };
}

class ExplainRollback extends Error {}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of what a review runs, in a transaction that is rolled back: the
 * statement that stores the evaluation (`CREATE TEMP TABLE … AS` the compiled SQL, as runReview
 * does), and with `writes` also applyChanges() with every statement explained (EXPLAIN ANALYZE of
 * an INSERT performs it, so the foreign-key and other triggers are timed too).
 */
async function explainReview(
  db: Database,
  presetId: string,
  asOf: string,
  file: string,
  writes: boolean,
): Promise<PlanSummary[]> {
  const stored = await getScheme(db, presetId);
  const evaluation = compileEvaluation(stored.definition, {
    schemeId: presetId,
    asOf,
    stateTable: 'tier_assignments',
    customKinds: await customFieldKinds(db),
  });
  const plans: PlanSummary[] = [];
  const explained = async (tx: Queryable, sql: string, params: readonly unknown[], statement?: string) => {
    const target = statement ? `${file}-${statement.replace(/\W+/g, '-')}` : file;
    const plan = await explain(tx, sql, params, target);
    plans.push({
      preset: presetId,
      asOf,
      statement,
      ...plan,
      file: path.relative(process.cwd(), `${target}.txt`),
    });
  };
  try {
    await db.transaction(async (tx) => {
      await explained(
        tx,
        `CREATE TEMP TABLE tier_review_changes ON COMMIT DROP AS ${evaluation.sql}`,
        evaluation.params,
      );
      if (writes) {
        const review = await tx.query<{ id: number }>(
          `INSERT INTO tier_reviews (scheme_id, scheme_version, as_of, trigger, actor)
           VALUES ($1, $2, $3, 'manual', 'bench') RETURNING id`,
          [presetId, stored.version, asOf],
        );
        const explaining: Queryable = {
          async query<Row>(sql: string, params: readonly unknown[] = []) {
            await explained(tx, sql, params, statementName(sql));
            return { rows: [] as Row[], rowCount: 0 };
          },
          exec: (sql: string) => tx.exec(sql),
        };
        await applyChanges(explaining, {
          changesTable: 'tier_review_changes',
          stateTable: 'tier_assignments',
          scheme: stored.definition,
          schemeId: presetId,
          version: stored.version,
          asOf,
          reviewId: review.rows[0]?.id ?? null,
          actor: 'bench',
          history: true,
        });
      }
      throw new ExplainRollback();
    });
  } catch (error) {
    if (!(error instanceof ExplainRollback)) throw error;
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------
// The child: one engine

const PASS_SQL =
  'SELECT count(*) AS groups, sum(s) AS total FROM (SELECT customer_id, sum(amount) s, count(*) n FROM transactions GROUP BY customer_id) t';
const passWindowSql = (from: string | null, to: string) =>
  `SELECT count(*) AS groups, sum(s) AS total FROM (SELECT customer_id, sum(amount) s, count(*) n FROM transactions
   WHERE occurred_on <= DATE '${to}'${from ? ` AND occurred_on >= DATE '${from}'` : ''} GROUP BY customer_id) t`;

/** The widest date window a preset's metrics read at `asOf` (null `from`: lifetime). */
function presetWindow(presetId: string, asOf: string): { from: string | null; to: string; label: string } {
  const preset = presets.find((p) => p.id === presetId);
  let from: string | null | undefined;
  let to = asOf;
  for (const metric of Object.values(preset?.metrics ?? {})) {
    const window = (metric as { window?: Parameters<typeof windowRange>[0] }).window;
    if (!window) continue;
    const range = windowRange(window, asOf);
    if (range.from === null) from = null;
    else if (from !== null && (from === undefined || range.from < from)) from = range.from;
    if (range.to < to) to = range.to;
  }
  const f = from ?? null;
  const label = f === null ? `lifetime to ${to}` : `${f} … ${to}`;
  return { from: f, to, label };
}

/** BENCH_CODE (e.g. a commit for a run from an exported snapshot), or the checkout's commit. */
function codeVersion(): string {
  if (process.env.BENCH_CODE) return process.env.BENCH_CODE;
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim();
    return dirty ? `${commit} with uncommitted changes in src/` : commit;
  } catch {
    return 'unknown';
  }
}

async function runChild(job: ChildJob): Promise<void> {
  const runStarted = new Date();
  const code = codeVersion();
  const loadBefore = os.loadavg()[0] ?? 0;
  let cleanup: () => Promise<void>;
  let db: Database;
  let backendPid: number | null = null;
  let schema: string | null = null;
  if (job.engine === 'postgres') {
    schema = `bench_tiers_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: job.serverUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const dropSchema = schema;
    cleanup = async () => {
      const client = new pg.Client({ connectionString: job.serverUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${dropSchema} CASCADE`);
      } finally {
        await client.end();
      }
    };
    // One connection: every statement of a call runs on the backend whose memory is sampled.
    db = await openDatabase({ kind: 'postgres', url: job.serverUrl, schema, poolSize: 1 });
    log(`postgres: fresh schema ${schema}`);
  } else {
    const prepared = preparePglite(ROOT);
    cleanup = prepared.cleanup;
    db = await openTarget(prepared.target, 'bench-tiers');
    log(`pglite: fresh data folder ${db.location}`);
  }
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    log(`${job.engine}: interrupted, cleaning up`);
    void db
      .close()
      .catch(() => {})
      .then(() => (job.keep ? undefined : cleanup()))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const sampler = new Sampler();
  try {
    await migrate(db);
    const version = await engineVersion(db);
    const settings: Record<string, string> = {};
    for (const name of ['shared_buffers', 'work_mem', 'temp_buffers', 'max_parallel_workers_per_gather']) {
      const { rows } = await db.query<Record<string, string>>(`SHOW ${name}`);
      settings[name] = Object.values(rows[0] ?? {})[0] ?? '?';
    }
    log(`${job.engine}: ${version}; ${JSON.stringify(settings)}`);

    log(
      `${job.engine}: generating ${fmtInt(job.customers)} customers and ${fmtInt(job.transactions)} transactions…`,
    );
    const load = await loadData(db, job);
    const loadMaxRss = process.resourceUsage().maxRSS * 1024;
    const stats = await dataStats(db);
    log(
      `${job.engine}: ${fmtInt(stats.transactions)} transactions; customers without purchases ${fmtInt(stats.withoutPurchases)}, ` +
        `median ${stats.medianOrders}, p99 ${stats.p99Orders}, max ${stats.maxOrders}; top 10 % ${(stats.top10Share * 100).toFixed(0)} %; ` +
        `amount median ${stats.amountMedian}, p99 ${stats.amountP99}; ${fmtMb(stats.databaseBytes)}`,
    );
    if (stats.transactions !== job.transactions)
      throw new Error(`generated ${stats.transactions} transactions instead of ${job.transactions}`);
    const header: Omit<EngineRun, 'measures' | 'plans' | 'durationMs'> = {
      engine: job.engine,
      code,
      customers: job.customers,
      transactions: job.transactions,
      seed: job.seed,
      startedAt: runStarted.toISOString(),
      version,
      settings,
      load,
      loadMaxRss,
      stats,
      loadavg: [loadBefore, loadBefore],
    };
    console.log(`LOADED ${JSON.stringify(header)}`);

    const spy = instrument(db);
    const ctx: AppContext = { ...benchContext(spy.db), now: () => NOW };
    const measures: Measure[] = [];
    const refreshPid = async () => {
      if (job.engine !== 'postgres') return;
      // One connection (pool of 1): the limit holds for the call that follows at once.
      await db.query(`SET statement_timeout = '${CALL_LIMIT_S}s'`);
      const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      backendPid = rows[0]?.pid ?? null;
    };
    const record = async <T>(
      base: Omit<Measure, 'ms' | 'mem' | 'load' | 'statements'>,
      work: () => Promise<T>,
      describe: (value: T) => Partial<Measure>,
    ): Promise<T | undefined> => {
      await refreshPid();
      spy.reset();
      const result = await measured(sampler, backendPid, work);
      const entry: Measure = {
        ...base,
        ms: result.ms,
        mem: result.mem,
        load: result.load,
        statements:
          base.kind === 'review' || base.kind === 'backtest' || base.kind === 'stream'
            ? breakdown(spy.log)
            : undefined,
        ...(result.error === undefined ? describe(result.value as T) : { error: result.error }),
      };
      measures.push(entry);
      console.log(`MEASURE ${JSON.stringify(entry)}`);
      if (entry.error) log(`  ${job.engine}: ${entry.label}: FAILED after ${fmtS(entry.ms)}: ${entry.error}`);
      const heap = `heap ${fmtMb(entry.mem.heapBefore)} → peak ${fmtMb(entry.mem.heapPeak)}`;
      const server = entry.mem.backendAnonPeak ? `, backend ${fmtMb(entry.mem.backendAnonPeak)} private` : '';
      const parts = entry.statements
        ?.slice(0, 4)
        .map((s) => `${s.label} ${fmtS(s.ms)}`)
        .join('; ');
      log(
        `  ${job.engine}: ${entry.label}: ${fmtS(entry.ms)}${entry.rows !== undefined ? `, ${fmtInt(entry.rows)} rows` : ''}; ` +
          `RSS peak ${fmtMb(entry.mem.rssPeak)}, ${heap}${server}; load ${entry.load[0].toFixed(1)}→${entry.load[1].toFixed(1)}` +
          (parts ? `\n      ${parts}` : ''),
      );
      return result.value;
    };
    // What autovacuum would do after a million new rows (it is off on the test server); PGlite
    // has no autovacuum and the review runs no ANALYZE, so there the statistics stay as they are.
    const vacuumTierTables = () =>
      record(
        { kind: 'maintenance', label: 'VACUUM (ANALYZE) of the tier tables (autovacuum stand-in)' },
        () => spy.db.exec('VACUUM (ANALYZE) tier_assignments, tier_history, tier_notices'),
        () => ({}),
      );
    const explainFirst = async (presetId: string) => {
      if (!job.explain) return;
      const file = path.join(PLANS_DIR, `${job.engine}-${job.customers}-${presetId}-first`);
      const explained = await explainReview(db, presetId, FIRST_AS_OF, file, presetId === PRESET_IDS[0]);
      const reviewEval = measures
        .filter((m) => m.preset === presetId && m.kind === 'review' && m.phase === 'first')
        .at(-1)
        ?.statements?.find((s) => s.label === 'evaluate (compiled SQL)')?.ms;
      for (const plan of explained) {
        if (!plan.statement) plan.reviewEvalMs = reviewEval;
        plans.push(plan);
        log(
          `  ${job.engine}: EXPLAIN ANALYZE ${presetId} (first), ${plan.statement ?? 'evaluation'}: ` +
            `${fmtS(plan.executionMs)}${(plan.triggers ?? []).map((t) => `; ${t.name} ${fmtS(t.ms)}`).join('')} → ${plan.file}`,
        );
      }
    };
    const pass = (note: string) =>
      record(
        { kind: 'pass', label: `aggregate pass, all transactions${note}` },
        () => spy.db.query<{ groups: number }>(PASS_SQL),
        (r) => ({ rows: Number(r.rows[0]?.groups ?? 0) }),
      );
    const passWindow = (presetId: string, asOf: string) => {
      const window = presetWindow(presetId, asOf);
      return record(
        { kind: 'pass-window', label: `aggregate pass, ${window.label}`, preset: presetId, asOf },
        () => spy.db.query<{ groups: number }>(passWindowSql(window.from, window.to)),
        (r) => ({ rows: Number(r.rows[0]?.groups ?? 0) }),
      );
    };
    const whatIfCtx: AppContext = { ...ctx, db: analyzeBeforeFollowups(spy.db) };
    const review = (presetId: string, phase: 'first' | 'steady', dryRun: boolean, whatIf = false) => {
      const asOf = phase === 'first' ? FIRST_AS_OF : STEADY_AS_OF;
      return record(
        {
          kind: 'review',
          label: `${presetId}: ${phase === 'first' ? 'first' : 'next month'} review${dryRun ? ', dry run' : ''}${whatIf ? ` — what-if: ${WHAT_IF}` : ''}`,
          preset: presetId,
          phase,
          dryRun,
          asOf,
          whatIf: whatIf ? WHAT_IF : undefined,
        },
        () =>
          runReview(whatIf ? whatIfCtx : ctx, {
            schemeId: presetId,
            asOf,
            dryRun,
            changeLimit: CHANGE_LIMIT,
          }),
        (r: ReviewResult | null) => ({ rows: r?.changesTotal ?? 0, counts: r?.counts }),
      );
    };

    // A warm-up pass (not counted): the first read after VACUUM.
    log(`${job.engine}: warm-up pass`);
    await db.query(PASS_SQL);
    const plans: PlanSummary[] = [];
    let passPlan: PlanSummary | undefined;
    if (job.explain) {
      const file = path.join(PLANS_DIR, `${job.engine}-${job.customers}-pass`);
      const plan = await explain(db, PASS_SQL, [], file);
      passPlan = {
        preset: 'aggregate pass',
        asOf: '',
        ...plan,
        file: path.relative(process.cwd(), `${file}.txt`),
      };
      log(`  ${job.engine}: EXPLAIN ANALYZE of the pass: ${fmtS(plan.executionMs)} → ${file}.txt`);
    }

    for (const presetId of PRESET_IDS) {
      await createScheme(ctx, { preset: presetId });
      await pass('');
      await passWindow(presetId, FIRST_AS_OF);
      const firstDry = await review(presetId, 'first', true);
      if (firstDry === undefined) {
        // The review as it is did not finish: the same review with the statistics the follow-up
        // planning needs (see WHAT_IF), so that the rest of this preset can still be measured.
        log(`  ${job.engine}: ${presetId}: the first review did not finish; measuring the what-if instead`);
        await review(presetId, 'first', true, true);
        await explainFirst(presetId);
        if ((await review(presetId, 'first', false, true)) === undefined) continue;
        if (job.engine === 'postgres') await vacuumTierTables();
        await passWindow(presetId, STEADY_AS_OF);
        await review(presetId, 'steady', true);
        await review(presetId, 'steady', false);
        continue;
      }
      if (job.stream && presetId === PRESET_IDS[0]) {
        let streamed = 0;
        await record(
          {
            kind: 'stream',
            label: `${presetId}: first review, dry run, every change streamed (onChanges)`,
            preset: presetId,
            phase: 'first',
            dryRun: true,
            asOf: FIRST_AS_OF,
          },
          () =>
            runReview(ctx, {
              schemeId: presetId,
              asOf: FIRST_AS_OF,
              dryRun: true,
              changeLimit: 0,
              onChanges: (batch) => {
                streamed += batch.length;
              },
            }),
          (r) => ({ rows: streamed, counts: r?.counts }),
        );
      }
      await explainFirst(presetId);
      if ((await review(presetId, 'first', false)) === undefined) continue;
      if (job.engine === 'postgres') await vacuumTierTables();
      await passWindow(presetId, STEADY_AS_OF);
      await review(presetId, 'steady', true);
      await review(presetId, 'steady', false);
    }
    await pass(' (after the reviews)');

    if (job.backtest) {
      await record(
        {
          kind: 'backtest',
          label: `${BACKTEST.scheme}: backtest, ${BACKTEST.from} … ${BACKTEST.to} every ${BACKTEST.every}`,
          preset: BACKTEST.scheme,
        },
        () => runBacktest(ctx, BACKTEST),
        (r) => ({
          rows: r.periods.length,
          counts: r.periods.at(-1)?.counts,
        }),
      );
      await pass(' (after the backtest)');
    }

    const result: EngineRun = {
      engine: job.engine,
      code,
      customers: job.customers,
      transactions: job.transactions,
      seed: job.seed,
      startedAt: runStarted.toISOString(),
      durationMs: performance.now() - started,
      version,
      settings,
      load,
      loadMaxRss,
      stats,
      measures,
      plans,
      passPlan,
      loadavg: [loadBefore, os.loadavg()[0] ?? 0],
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await sampler.stop();
    await db.close();
    if (job.keep) log(`${job.engine}: kept (--keep): ${schema ?? db.location}`);
    else {
      const t0 = performance.now();
      await cleanup();
      log(`${job.engine}: removed the bench database in ${fmtS(performance.now() - t0)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The parent: one child per engine, then the report

/**
 * Runs one engine in a child process. Its measures arrive as they are made, so when the child dies
 * or is killed (PGlite cannot be interrupted inside a statement: after SILENCE_LIMIT_MS without a
 * line it gets SIGKILL) the run is reported as far as it got.
 */
function runEngineChild(job: ChildJob): Promise<EngineRun> {
  return new Promise((resolve, reject) => {
    const childStarted = performance.now();
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'bench/tiers.ts', '--child', JSON.stringify(job)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const forward = () => child.kill('SIGTERM');
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    let buffer = '';
    let result: EngineRun | undefined;
    let header: Omit<EngineRun, 'measures' | 'plans' | 'durationMs'> | undefined;
    const measures: Measure[] = [];
    let lastLine = performance.now();
    let killed: string | undefined;
    const watchdog = setInterval(() => {
      if (performance.now() - lastLine > SILENCE_LIMIT_MS && !killed) {
        killed = `no output for ${fmtInt(SILENCE_LIMIT_MS / 60_000)} min: the child was killed`;
        log(`${job.engine}: ${killed}`);
        child.kill('SIGKILL');
      }
    }, 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      lastLine = performance.now();
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7)) as EngineRun;
        else if (line.startsWith('LOADED ')) header = JSON.parse(line.slice(7));
        else if (line.startsWith('MEASURE ')) measures.push(JSON.parse(line.slice(8)) as Measure);
        else console.log(line);
        newline = buffer.indexOf('\n');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      process.removeListener('SIGINT', forward);
      process.removeListener('SIGTERM', forward);
      if (code === 0 && result) resolve(result);
      else if (header && measures.length > 0) {
        if (job.engine === 'pglite' && !job.keep)
          fs.rmSync(path.join(ROOT, 'pglite'), { recursive: true, force: true });
        resolve({
          ...header,
          measures,
          plans: [],
          durationMs: performance.now() - childStarted,
          loadavg: [header.loadavg[0], os.loadavg()[0] ?? 0],
          incomplete: killed ?? `the child exited with ${signal ?? code} after the last measure shown`,
        });
      } else reject(new Error(`${job.engine} child exited with ${signal ?? code}`));
    });
  });
}

function resultFile(engine: EngineName, customers: number, transactions: number): string {
  return path.join(RESULTS_DIR, `${engine}-${customers}-${transactions}.json`);
}

function readResult(engine: EngineName, customers: number, transactions: number): EngineRun | undefined {
  const file = resultFile(engine, customers, transactions);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as EngineRun) : undefined;
}

interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  pglite: string;
}

function machine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel =
      /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux
  }
  return {
    cpuModel,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    platform: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    pglite: pgliteVersion(),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function passStats(run: EngineRun): { median: number; min: number; max: number; n: number } {
  const times = run.measures.filter((m) => m.kind === 'pass').map((m) => m.ms);
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), n: times.length };
}

function heapGrowth(m: Measure): number {
  return m.mem.heapPeak - m.mem.heapBefore;
}

function reviewOf(
  run: EngineRun,
  preset: string,
  phase: 'first' | 'steady',
  dryRun: boolean,
  whatIf = false,
) {
  return run.measures.find(
    (m) =>
      m.kind === 'review' &&
      m.preset === preset &&
      m.phase === phase &&
      m.dryRun === dryRun &&
      Boolean(m.whatIf) === whatIf,
  );
}

/** Wall time, or "> t (not finished: …)" for a call that failed. */
function wall(m: Measure): string {
  return m.error ? `> ${fmtS(m.ms)} (did not finish: ${m.error.slice(0, 80)})` : fmtS(m.ms);
}

function ratio(m: Measure, base: number): string {
  return `${m.error ? '> ' : ''}${fmtX(m.ms / base)}`;
}

function engineTable(run: EngineRun): string[] {
  const base = passStats(run).median;
  const server = run.engine === 'postgres';
  const header = [
    'call',
    'as of',
    'rows',
    'wall time',
    '× pass',
    'peak RSS (sampled)',
    'maxRSS before → after',
    'JS heap before → peak',
    server ? 'backend private peak' : 'external peak',
    'load',
    'largest statements',
  ];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 || i === 10 ? '---' : '---:')).join('|')}|`,
  ];
  for (const m of run.measures) {
    const x = m.kind === 'maintenance' ? '' : ratio(m, base);
    const statements = (m.statements ?? [])
      .filter((s) => s.ms >= 50)
      .slice(0, 4)
      .map((s) => `${s.label} ${fmtS(s.ms)}`)
      .join('; ');
    lines.push(
      `| ${[
        m.label,
        m.asOf ?? '',
        m.rows !== undefined ? fmtInt(m.rows) : '',
        wall(m),
        x,
        fmtMb(m.mem.rssPeak),
        `${fmtMb(m.mem.maxRssBefore)} → ${fmtMb(m.mem.maxRssAfter)}`,
        `${fmtMb(m.mem.heapBefore)} → ${fmtMb(m.mem.heapPeak)}`,
        server
          ? `${fmtMb(m.mem.backendAnonPeak ?? 0)}${m.mem.parallelWorkers ? ` (+${m.mem.parallelWorkers} workers)` : ''}`
          : fmtMb(m.mem.externalPeak),
        `${m.load[0].toFixed(1)} → ${m.load[1].toFixed(1)}`,
        statements,
      ].join(' | ')} |`,
    );
  }
  return lines;
}

function targetLines(run: EngineRun): string[] {
  const base = passStats(run).median;
  const lines: string[] = [];
  for (const preset of PRESET_IDS) {
    const calls = [
      reviewOf(run, preset, 'first', false),
      reviewOf(run, preset, 'first', true),
      reviewOf(run, preset, 'steady', false),
      reviewOf(run, preset, 'steady', true),
    ].filter((m): m is Measure => m !== undefined);
    if (calls.length === 0) continue;
    const worst = Math.max(...calls.map((m) => m.ms / base));
    const failed = calls.filter((m) => m.error);
    const first = reviewOf(run, preset, 'first', false) ?? reviewOf(run, preset, 'first', true);
    const steady = reviewOf(run, preset, 'steady', false);
    const time = worst <= 2 && failed.length === 0 && calls.length === 4 ? 'MET' : 'MISSED';
    const growth = Math.max(...calls.map(heapGrowth));
    const memory = growth <= HEAP_GROWTH_BOUND ? 'MET' : 'MISSED';
    const rss = Math.max(...calls.map((m) => m.mem.rssPeak));
    const whatIf = reviewOf(run, preset, 'first', false, true) ?? reviewOf(run, preset, 'first', true, true);
    lines.push(
      `- **${preset}** — time **${time}**: first review ${first ? `${ratio(first, base)} (${wall(first)})` : '–'}, ` +
        `next month ${steady ? `${ratio(steady, base)} (${wall(steady)})` : '– (not measured)'}, ` +
        `worst of the ${calls.length} calls ${failed.length ? '> ' : ''}${fmtX(worst)}` +
        (whatIf
          ? ` (with ${WHAT_IF}, not the application as it is: first review ${ratio(whatIf, base)}, ${wall(whatIf)})`
          : '') +
        `; memory **${memory}**: JS heap grew by at most ${fmtMb(growth)} during a call, peak RSS ${fmtMb(rss)}`,
    );
  }
  return lines;
}

function planLines(run: EngineRun): string[] {
  const lines: string[] = [];
  const all = [...(run.passPlan ? [run.passPlan] : []), ...run.plans];
  for (const plan of all) {
    const nodes = plan.top
      .filter((node) => node.exclusiveMs >= 100)
      .slice(0, 4)
      .map(
        (node) =>
          `${node.node}${node.detail ? ` (${node.detail})` : ''} ${fmtS(node.exclusiveMs)} own, ${fmtInt(node.rows)} rows`,
      )
      .join('; ');
    const review = plan.reviewEvalMs !== undefined ? ` (in the review: ${fmtS(plan.reviewEvalMs)})` : '';
    const triggers = (plan.triggers ?? [])
      .filter((t) => t.ms >= 100)
      .map((t) => `trigger ${t.name} ${fmtS(t.ms)} (${fmtInt(t.calls)} calls)`)
      .join('; ');
    const what = plan.statement
      ? `, ${plan.statement}`
      : plan.preset === 'aggregate pass'
        ? ''
        : ', evaluation';
    lines.push(
      `- ${ENGINE_NAMES[run.engine]}, ${plan.preset}${plan.asOf ? ` at ${plan.asOf}` : ''}${what}: execution ${fmtS(plan.executionMs)}${review} — ${nodes}${triggers ? `; ${triggers}` : ''} (\`${plan.file}\`)`,
    );
  }
  return lines;
}

function memoryComparison(runs: EngineRun[]): string[] {
  const lines: string[] = [];
  for (const run of runs) {
    if (!fs.existsSync(RESULTS_DIR)) continue;
    const smaller = fs
      .readdirSync(RESULTS_DIR)
      .filter((file) => file.startsWith(`${run.engine}-`))
      .map((file) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, file), 'utf8')) as EngineRun)
      .filter((other) => other.customers < run.customers)
      .sort((a, b) => b.customers - a.customers)[0];
    if (!smaller) continue;
    for (const preset of PRESET_IDS) {
      const big = reviewOf(run, preset, 'first', false);
      const small = reviewOf(smaller, preset, 'first', false);
      if (!big || !small) continue;
      lines.push(
        `| ${ENGINE_NAMES[run.engine]} | ${preset} | ${fmtMb(small.mem.rssPeak)} / ${fmtMb(heapGrowth(small))} | ` +
          `${fmtMb(big.mem.rssPeak)} / ${fmtMb(heapGrowth(big))} |`,
      );
    }
    if (lines.length > 0 && !lines[0]?.startsWith('| engine')) {
      const header = `| engine | preset | ${fmtInt(smaller.customers)} customers: peak RSS / heap growth | ${fmtInt(run.customers)}: peak RSS / heap growth |`;
      lines.unshift(header, '|---|---|---:|---:|');
    }
  }
  return lines;
}

function section(runs: EngineRun[], info: Machine, heading: string, keptFindings: string | null): string {
  const out: string[] = [heading, ''];
  const first = runs[0] as EngineRun;
  const date = runs.map((run) => run.startedAt.slice(0, 10)).sort()[0];
  out.push(
    `\`npm run bench:tiers\` (\`npx tsx bench/tiers.ts [--engine pglite|postgres] [--customers N] [--transactions N]\`), ` +
      `run ${date}; ${runs.map((run) => `${ENGINE_NAMES[run.engine]} took ${fmtInt(run.durationMs / 60_000)} min`).join(', ')}. ` +
      'Target (issue): a review of 1,000,000 customers with 10,000,000 transactions takes at most 2× one plain SQL ' +
      'aggregate pass over the same transactions in the same run, with bounded memory (batched, never all customers in ' +
      'JavaScript at once).',
    '',
    '### Machine',
    '',
    `- CPU: ${info.cpuModel}, ${info.cores} cores; memory ${info.memoryGiB} GiB; ${info.platform}; Node ${info.node}`,
  );
  for (const run of runs) {
    out.push(
      `- ${ENGINE_NAMES[run.engine]}: ${run.engine === 'pglite' ? `PGlite ${info.pglite} (${run.version})` : run.version}; ` +
        `${Object.entries(run.settings)
          .map(([k, v]) => `${k} ${v}`)
          .join(
            ', ',
          )}; load average (1 min) ${run.loadavg[0].toFixed(1)} before → ${run.loadavg[1].toFixed(1)} after the run`,
    );
  }
  out.push(
    `- Code measured: ${runs.map((run) => `${ENGINE_NAMES[run.engine]} ${run.code ?? 'unknown'}`).join('; ')}`,
    '- The machine was shared: other benchmarks ran at the same time (see the load column; above 2 other work competed for the 2 cores).',
    '',
    '### Method',
    '',
    `- Data (\`bench/tiers.ts\`, seed ${first.seed}), generated in SQL (\`INSERT … SELECT FROM generate_series\`, values from ` +
      '`hashint8extended` of the row key, so the same on both engines), 100,000 customers a statement and their transactions ' +
      `in the next, each its own transaction: customers created ${CREATED_FROM} … ${CREATED_TO} (20 % enterprises, 90 % owned by one of 12 sales reps), every ` +
      `transaction dated between its customer's creation day and ${DATA_END} (so about 3 years). Transactions per customer are ` +
      'skewed (customers ranked by a permutation of their id, an exponential plus a √x tail), amounts log-normal with a ' +
      'per-customer level (enterprises ×5), numeric(16,2); quantity mostly 1–3. Then the purchase summary (total_spent, ' +
      'order_count, first/last purchase) is filled by an UPDATE from the transactions, and `VACUUM (ANALYZE) customers, transactions`.',
    `- Customers are narrower than real ones (no encrypted personal fields or real search material: ~${fmtInt(first.stats.databaseBytes / 1024 / 1024)} MB for both tables with indexes, of which transactions ${fmtMb(first.stats.transactionsBytes)}); the review reads only a few customer columns.`,
    `- Each engine runs in its own child process (\`node --expose-gc\`): a fresh PGlite folder \`.bench-data/tiers/pglite\`, or a fresh schema \`bench_tiers_…\` on the server (one connection, so every statement of a call runs on the backend whose memory is sampled), with the application's migrations; removed afterwards.`,
    '- Aggregate pass: `SELECT count(*), sum(s) FROM (SELECT customer_id, sum(amount) s, count(*) n FROM transactions GROUP BY customer_id) t`, ' +
      'run before each preset\'s reviews and at the end (after one warm-up pass); "× pass" is a call\'s wall time over the ' +
      "median of those passes. The same pass restricted to a preset's date window is shown for comparison.",
    `- Reviews: \`runReview(ctx, { schemeId, asOf, dryRun, changeLimit: ${CHANGE_LIMIT} })\` (the API's default change list) for each preset created with ` +
      `\`createScheme(ctx, { preset })\`, in this order: first review as of ${FIRST_AS_OF} as a dry run, then applied (every customer gets ` +
      `a first tier: a history row, a notice and an assignment each), then the next month's review as of ${STEADY_AS_OF} ` +
      'as a dry run, then applied. A dry run does all the work and rolls it back. On the server the tier tables get ' +
      '`VACUUM (ANALYZE)` after the first review (autovacuum is off on the test server; this is what it would do); PGlite ' +
      'has no autovacuum and the application runs none after a review, so nothing is done there.',
    `- Time limit: on the server every call runs with \`statement_timeout\` ${fmtInt(CALL_LIMIT_S / 60)} min; a call cancelled by it ` +
      'is shown as "> time (did not finish)". When a first review does not finish, the same review is measured again with ' +
      `${WHAT_IF} (a wrapper around the connection runs it just before \`replanAfterTierChanges()\`), labelled "what-if": ` +
      "that is not the application as it is, it shows the effect of the fix suggested below and lets the next month's " +
      'review be measured.',
    `- Backtest: \`runBacktest(ctx, ${JSON.stringify(BACKTEST).replace(/"/g, "'")})\` (12 month ends, everything in temporary tables, rolled back).`,
    '- Memory: "peak RSS" is the process\'s resident set sampled every 20 ms by a separate thread during the call (PGlite runs ' +
      'a statement synchronously on the main thread, so main-thread timers do not fire during it); for PGlite it includes ' +
      'the database engine (WebAssembly memory and its buffers), for the server only the Node side. "maxRSS" is ' +
      '`process.resourceUsage().maxRSS` (the high-water mark of the process so far). "JS heap" is `heapUsed` after a full GC ' +
      'before the call and its peak sampled every 20 ms on the main thread (for PGlite only between statements; the heap only ' +
      'changes when JavaScript runs). On the server, "backend private peak" is the connection\'s backend process\'s `RssAnon` ' +
      '(sorts, hashes; shared buffers excluded; the allocator keeps what it freed, so it stays near its high-water ' +
      'mark from call to call); parallel workers are counted but their memory is not included. ' +
      `Memory counts as bounded when no review call grows the JS heap by more than ${fmtMb(HEAP_GROWTH_BOUND)} ` +
      '(1,000,000 customers as JavaScript objects would take several hundred MB).',
    '- "largest statements" are the statements\' own wall times inside the call (from an instrumented connection).',
    '',
    '### Data loaded',
    '',
    "| engine | customers | transactions | without purchases | 1–3 purchases | median / p90 / p99 / max per customer | top 10 % customers' share | amount median / p90 / p99 | dates | load steps | load total | peak RSS while loading |",
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|',
  );
  for (const run of runs) {
    const s = run.stats;
    out.push(
      `| ${ENGINE_NAMES[run.engine]} | ${fmtInt(s.customers)} | ${fmtInt(s.transactions)} | ${fmtInt(s.withoutPurchases)} | ${fmtInt(s.oneToThree)} | ` +
        `${s.medianOrders} / ${s.p90Orders} / ${s.p99Orders} / ${fmtInt(s.maxOrders)} | ${(s.top10Share * 100).toFixed(0)} % | ` +
        `${s.amountMedian} / ${s.amountP90} / ${s.amountP99} | ${s.firstDay} … ${s.lastDay} | ` +
        `${run.load.map((step) => `${step.label.replace(/ \(.*$/, '')} ${fmtS(step.ms)}`).join('; ')} | ` +
        `${fmtS(run.load.reduce((sum, step) => sum + step.ms, 0))} | ${fmtMb(run.loadMaxRss)} |`,
    );
  }
  out.push('', 'Load time is not a target.', '');
  for (const run of runs) {
    const p = passStats(run);
    out.push(
      `### ${ENGINE_NAMES[run.engine]}`,
      '',
      `Aggregate pass: median ${fmtS(p.median)} of ${p.n} runs (${fmtS(p.min)} … ${fmtS(p.max)}).`,
      '',
      ...(run.incomplete
        ? [`**The run did not finish** (${run.incomplete}); below is what it measured until then.`, '']
        : []),
      ...engineTable(run),
      '',
    );
  }
  out.push(
    '### Tiers after the first review',
    '',
    '| engine | preset | customers per tier | changes next month |',
    '|---|---|---|---:|',
  );
  for (const run of runs) {
    for (const preset of PRESET_IDS) {
      const asIs = reviewOf(run, preset, 'first', false);
      const first = asIs?.counts ? asIs : reviewOf(run, preset, 'first', false, true);
      const steady = reviewOf(run, preset, 'steady', false);
      if (!first?.counts) continue;
      out.push(
        `| ${ENGINE_NAMES[run.engine]} | ${preset} | ${Object.entries(first.counts ?? {})
          .map(([tier, n]) => `${tier} ${fmtInt(n)}`)
          .join(', ')} | ${steady ? fmtInt(steady.rows ?? 0) : '–'} |`,
      );
    }
  }
  out.push('', '### Targets', '');
  for (const run of runs) out.push(`${ENGINE_NAMES[run.engine]}:`, '', ...targetLines(run), '');
  const comparison = memoryComparison(runs);
  if (comparison.length > 0) {
    out.push(
      'Memory of the first review (applied) against the largest smaller run of the same bench (debug run): ' +
        'if it were proportional to the customers, the heap growth would be ten times larger.',
      '',
      ...comparison,
      '',
    );
  }
  const plans = runs.flatMap(planLines);
  if (plans.length > 0) {
    out.push(
      '### Where the time goes (EXPLAIN (ANALYZE, BUFFERS))',
      '',
      "Explained once each in the same run, inside a transaction that is rolled back: the aggregate pass; every preset's " +
        'first-review evaluation exactly as runReview() stores it (`CREATE TEMP TABLE tier_review_changes ON COMMIT DROP AS` ' +
        'the SQL of `compileEvaluation()`; "in the review" is that statement\'s time in the timed first review); for ' +
        `${PRESET_IDS[0]} also the two writes of \`applyChanges()\` (history + notices, assignments upsert) with their ` +
        'triggers. Nodes by their own time (inclusive minus children; inside a Gather per worker, as they run side by side; ' +
        'a CTE charged to its CTE Scan), only those of 0.1 s or more; read = shared buffers read from outside the buffer ' +
        "cache, temp I/O = temporary files read and written, both the node's own. Full plans in the files named " +
        '(`.bench-data/`, not committed).',
      '',
      ...plans,
      '',
    );
  }
  out.push(keptFindings ?? '### Findings\n\n(Not written yet: see the tables and plans above.)\n');
  return `${out.join('\n').trimEnd()}\n`;
}

/** Replaces (or appends) only the tier-review section; keeps its hand-written "### Findings". */
function writeSection(file: string, build: (keptFindings: string | null) => string): void {
  const doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const lines = doc.split('\n');
  const start = lines.findIndex((line) => line.startsWith(SECTION_PREFIX));
  if (start < 0) {
    fs.writeFileSync(file, `${doc.trimEnd()}\n\n${build(null)}`);
    return;
  }
  let end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  if (end < 0) end = lines.length;
  const old = lines.slice(start, end);
  const findingsAt = old.findIndex((line) => line.startsWith('### Findings'));
  let kept: string | null = null;
  if (findingsAt >= 0) {
    let findingsEnd = old.findIndex((line, i) => i > findingsAt && line.startsWith('### '));
    if (findingsEnd < 0) findingsEnd = old.length;
    kept = `${old.slice(findingsAt, findingsEnd).join('\n').trimEnd()}\n`;
    if (kept.includes('(Not written yet')) kept = null;
  }
  const before = lines.slice(0, start).join('\n');
  const after = lines.slice(end).join('\n');
  fs.writeFileSync(file, `${before}${before ? '\n' : ''}${build(kept)}${after ? `\n${after}` : ''}`);
}

async function runParent(args: Args): Promise<void> {
  const customers = Number(args.customers);
  const transactions = Number(args.transactions);
  if (!Number.isInteger(customers) || customers < 1 || !Number.isInteger(transactions) || transactions < 0) {
    console.error('--customers and --transactions must be whole numbers');
    process.exit(2);
  }
  if (args.engine && args.engine !== 'pglite' && args.engine !== 'postgres') {
    console.error(`--engine must be pglite or postgres, not ${args.engine}`);
    process.exit(2);
  }
  const engines: EngineName[] = args.engine ? [args.engine as EngineName] : ['pglite', 'postgres'];
  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  if (!args['report-only']) {
    for (const engine of engines) {
      if (engine === 'postgres') {
        const probe = await probeServer(serverUrl);
        if (!probe.ok) {
          log(`postgres: SKIPPED — the server does not answer (${probe.reason})`);
          continue;
        }
      }
      log(
        `${engine}: child process for ${fmtInt(customers)} customers, ${fmtInt(transactions)} transactions`,
      );
      const result = await runEngineChild({
        engine,
        customers,
        transactions,
        seed: Number(args.seed),
        backtest: !args['no-backtest'],
        stream: !args['no-stream'],
        explain: !args['no-explain'],
        keep: args.keep ?? false,
        serverUrl,
      });
      fs.writeFileSync(resultFile(engine, customers, transactions), JSON.stringify(result, null, 2));
      log(
        `${engine}: done in ${fmtS(result.durationMs)}; results in ${resultFile(engine, customers, transactions)}`,
      );
    }
  }
  // The section holds every engine measured at this size (an engine run alone keeps the other's last results).
  const runs = (['pglite', 'postgres'] as const)
    .map((engine) => readResult(engine, customers, transactions))
    .filter((run): run is EngineRun => run !== undefined);
  if (runs.length === 0) {
    log('no results to report');
    return;
  }
  const full = customers === FULL.customers && transactions === FULL.transactions;
  const out = args.out ?? (full ? 'docs/benchmarks.md' : path.join(ROOT, 'benchmarks-partial.md'));
  const heading = `${SECTION_PREFIX} (${fmtInt(customers)} customers, ${fmtInt(transactions)} transactions)`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  writeSection(out, (kept) => section(runs, machine(), heading, kept));
  log(`Wrote the section "${heading}" of ${out}`);
}

// Run as a script (other scratch code may import the data generation).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseCli();
  if (args.help) {
    console.log(
      'npx tsx bench/tiers.ts [--engine pglite|postgres] [--customers N] [--transactions N] [--seed N] ' +
        '[--no-backtest] [--no-stream] [--no-explain] [--keep] [--out FILE] [--report-only]',
    );
  } else if (args.child) {
    await runChild(JSON.parse(args.child) as ChildJob);
  } else {
    await runParent(args);
  }
}
