/**
 * Search and list latency through listCustomers() — the function the HTTP route calls — with the
 * kinds of queries people type. Every call's SQL is recorded, so the page query and the total
 * count (capped at COUNT_CAP, as the API counts by default) are also timed on their own, and the
 * slowest call of each kind is EXPLAIN ANALYZEd. The exact count (`exactTotal=true`) is timed
 * separately for some of each kind's queries.
 */
import { pinyin } from 'pinyin-pro';
import type { Database } from '../src/db/database.js';
import { type ListParams, listCustomers } from '../src/modules/customers/list-customers.js';
import { benchContext } from './context.js';
import { type GeneratedCustomer, generateCustomer } from './data.js';
import { type Instrumented, ownDurations, type StatementTiming } from './instrument.js';
import { Rng } from './rng.js';
import { type Summary, summarize } from './stats.js';

export interface KindResult {
  key: string;
  label: string;
  /** A few of the queries, as typed. */
  examples: string[];
  runs: number;
  /** Median of the page's total (capped at COUNT_CAP, as the API answers by default). */
  matchesMedian: number;
  /** Whether that median total is exact (false: COUNT_CAP or more match). */
  matchesMedianExact: boolean;
  latency: Summary;
  /** The capped count statement's own time. */
  count: Summary;
  page: Summary;
  /** Set when the kind hit its time budget before all its queries ran. */
  truncated: boolean;
  /**
   * What `exactTotal=true` costs: the count statements of up to EXACT_SAMPLE of the kind's queries,
   * re-run through listCustomers() with exactTotal and timed on their own.
   */
  exactCount: Summary;
  /** Median exact number of matches of those queries. */
  exactMatchesMedian: number;
}

/** How many of a kind's queries are re-run with the exact count. */
export const EXACT_SAMPLE = 20;

interface SearchKind {
  key: string;
  label: string;
  /** The typed text for one customer, or undefined when this customer has nothing to search by. */
  text(customer: GeneratedCustomer, rng: Rng): string | undefined;
}

const PROVINCES = ['广东', '浙江', '江苏', '山东', '北京', '上海', '河南', '四川', '湖北', '福建'];
const STAGES = ['潜在', '意向', '成交', '流失'];

function syllables(name: string): string[] {
  return pinyin(name, { toneType: 'none', type: 'array', surname: 'head', v: true });
}

const SEARCH_KINDS: SearchKind[] = [
  { key: 'name', label: 'full name (张伟)', text: (c) => c.person },
  { key: 'surname', label: 'surname char (张)', text: (c) => Array.from(c.person)[0] },
  {
    key: 'initials',
    label: '2-letter initials (zw)',
    text: (c) =>
      syllables(c.person)
        .slice(0, 2)
        .map((s) => s[0])
        .join(''),
  },
  { key: 'pinyin', label: 'full pinyin (zhangwei)', text: (c) => syllables(c.person).join('') },
  {
    key: 'phonePart',
    label: 'phone fragment (4–5 digits)',
    text: (c, rng) => {
      const digits = c.phoneDigits;
      if (!digits) return undefined;
      if (rng.chance(0.5)) return digits.slice(-4);
      const start = rng.int(3, digits.length - 5);
      return digits.slice(start, start + 5);
    },
  },
  {
    key: 'phoneFull',
    label: 'full mobile (138 0013 8000)',
    text: (c) => {
      const d = c.phoneDigits;
      return d?.length === 11 && d.startsWith('1')
        ? `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`
        : undefined;
    },
  },
  {
    key: 'emailPart',
    label: 'e-mail user part',
    text: (c) => {
      const email = c.fields.email as string | null;
      return email && !email.endsWith('@qq.com') ? email.slice(0, email.indexOf('@')) : undefined;
    },
  },
  {
    key: 'emailFull',
    label: 'whole e-mail address',
    text: (c) => (c.fields.email as string | null) ?? undefined,
  },
  { key: 'company', label: 'company word (鑫源)', text: (c) => c.brand ?? undefined },
];

export interface SearchOptions {
  seed: number;
  /** Customers in the table: queries are drawn from customers 0 … population-1. */
  population: number;
  queriesPerKind: number;
  warmup: number;
  /** A kind stops early (and says so) once it has run this long. */
  kindBudgetMs: number;
  log: (line: string) => void;
  /** Receives EXPLAIN ANALYZE output of the slowest call of each kind. */
  explain: (kind: string, text: string) => void;
}

interface Call {
  params: ListParams;
  ms: number;
  total: number;
  totalIsExact: boolean;
  countMs: number;
  pageMs: number;
  statements: StatementTiming[];
}

async function timedCall(inst: Instrumented, params: ListParams) {
  inst.reset();
  const started = performance.now();
  const result = await listCustomers(benchContext(inst.db), params);
  const ms = performance.now() - started;
  const statements = [...inst.log];
  const own = ownDurations(statements, inst.db.kind === 'pglite');
  let countMs = 0;
  let pageMs = 0;
  for (const [index, entry] of statements.entries()) {
    if (entry.sql.startsWith('SELECT count(*)')) countMs += own[index] ?? 0;
    else if (entry.sql.startsWith('SELECT c.id')) pageMs += own[index] ?? 0;
  }
  return {
    result,
    call: {
      params,
      ms,
      total: result.total,
      totalIsExact: result.totalIsExact,
      countMs,
      pageMs,
      statements,
    } satisfies Call,
  };
}

function summarizeCalls(
  key: string,
  label: string,
  examples: string[],
  calls: Call[],
  truncated: boolean,
): KindResult {
  const median = [...calls].sort((a, b) => a.total - b.total)[Math.floor((calls.length - 1) / 2)];
  return {
    key,
    label,
    examples,
    runs: calls.length,
    matchesMedian: median?.total ?? 0,
    matchesMedianExact: median?.totalIsExact ?? true,
    latency: summarize(calls.map((call) => call.ms)),
    count: summarize(calls.map((call) => call.countMs)),
    page: summarize(calls.map((call) => call.pageMs)),
    truncated,
    exactCount: summarize([]),
    exactMatchesMedian: 0,
  };
}

/**
 * Re-runs up to EXACT_SAMPLE of the kind's calls with `exactTotal=true` (what "Count exactly" in the
 * web app asks for) and times their count statements on their own.
 */
async function timeExactCounts(inst: Instrumented, calls: Call[], result: KindResult): Promise<void> {
  const times: number[] = [];
  const totals: number[] = [];
  for (const call of calls.slice(0, EXACT_SAMPLE)) {
    const exact = await timedCall(inst, { ...call.params, exactTotal: 'true' });
    times.push(exact.call.countMs);
    totals.push(exact.call.total);
  }
  totals.sort((a, b) => a - b);
  result.exactCount = summarize(times);
  result.exactMatchesMedian = totals[Math.floor((totals.length - 1) / 2)] ?? 0;
}

async function explainSlowest(db: Database, calls: Call[], kind: string, options: SearchOptions) {
  const slowest = calls.reduce<Call | undefined>(
    (worst, call) => (!worst || call.ms > worst.ms ? call : worst),
    undefined,
  );
  if (!slowest) return;
  const parts = [
    `### ${kind}: ${JSON.stringify(slowest.params)} — ${slowest.ms.toFixed(1)} ms, total ${slowest.total}`,
  ];
  for (const statement of slowest.statements) {
    if (!/^SELECT (count\(\*\)|c\.id)/.test(statement.sql)) continue;
    const { rows } = await db.query<Record<string, string>>(
      `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`,
      statement.params,
    );
    const sql = statement.sql.replace(
      /^SELECT c\.id AS "id",[\s\S]*?AS "_sortValue"/,
      'SELECT c.id, …, _sortValue',
    );
    parts.push(`${sql.replace(/\s+/g, ' ')}\n-- params ${JSON.stringify(statement.params)}`);
    parts.push(rows.map((row) => Object.values(row)[0]).join('\n'));
  }
  options.explain(kind, parts.join('\n\n'));
}

/** Runs `make(i)` for warm-up then timed calls, within the kind's time budget. */
async function runKind(
  inst: Instrumented,
  options: SearchOptions,
  make: (i: number, previous: Awaited<ReturnType<typeof listCustomers>> | undefined) => ListParams,
) {
  const calls: Call[] = [];
  let previous: Awaited<ReturnType<typeof listCustomers>> | undefined;
  const started = performance.now();
  let truncated = false;
  for (let i = 0; i < options.warmup + options.queriesPerKind; i++) {
    const { result, call } = await timedCall(inst, make(i, previous));
    previous = result;
    if (i >= options.warmup) calls.push(call);
    if (
      performance.now() - started > options.kindBudgetMs &&
      i < options.warmup + options.queriesPerKind - 1
    ) {
      truncated = true;
      break;
    }
  }
  return { calls, truncated };
}

export async function runSearchBench(inst: Instrumented, options: SearchOptions): Promise<KindResult[]> {
  const results: KindResult[] = [];
  const total = options.warmup + options.queriesPerKind;
  for (const kind of SEARCH_KINDS) {
    const rng = new Rng(options.seed * 101 + kind.key.length * 7 + kind.key.charCodeAt(0));
    const texts: string[] = [];
    while (texts.length < total) {
      const customer = generateCustomer(options.seed, rng.int(0, options.population - 1));
      const text = kind.text(customer, rng);
      if (text) texts.push(text);
    }
    const { calls, truncated } = await runKind(inst, options, (i) => ({ search: texts[i] as string }));
    const result = summarizeCalls(
      kind.key,
      kind.label,
      texts.slice(options.warmup, options.warmup + 3),
      calls,
      truncated,
    );
    await timeExactCounts(inst, calls, result);
    results.push(result);
    logKind(options, result);
    await explainSlowest(inst.db, calls, kind.key, options);
  }

  const listKinds: {
    key: string;
    label: string;
    examples: string[];
    make: (i: number, previous: Awaited<ReturnType<typeof listCustomers>> | undefined) => ListParams;
  }[] = [
    { key: 'list', label: 'first page, no filter', examples: ['(none)'], make: () => ({}) },
    {
      key: 'filtered',
      label: 'first page, province + stage',
      examples: ['province=广东&stage=成交'],
      make: (i) => ({
        province: PROVINCES[i % PROVINCES.length],
        stage: STAGES[(i * 7 + 1) % STAGES.length],
      }),
    },
    {
      key: 'nextPage',
      label: 'next page by cursor (pages 2…)',
      examples: ['cursor of the previous page'],
      make: (_i, previous) => (previous?.nextCursor ? { cursor: previous.nextCursor } : {}),
    },
  ];
  for (const kind of listKinds) {
    const { calls, truncated } = await runKind(inst, options, kind.make);
    const result = summarizeCalls(kind.key, kind.label, kind.examples, calls, truncated);
    await timeExactCounts(inst, calls, result);
    results.push(result);
    logKind(options, result);
    await explainSlowest(inst.db, calls, kind.key, options);
  }
  return results;
}

function logKind(options: SearchOptions, result: KindResult) {
  options.log(
    `    ${result.key.padEnd(10)} p50 ${result.latency.p50.toFixed(1).padStart(7)} ms  p95 ${result.latency.p95
      .toFixed(1)
      .padStart(
        7,
      )} ms  (count p95 ${result.count.p95.toFixed(1)} ms, page p95 ${result.page.p95.toFixed(1)} ms; ` +
      `${result.runs} runs, median ${result.matchesMedian}${result.matchesMedianExact ? '' : '+'} matches` +
      `${result.truncated ? ', TIME BUDGET HIT' : ''}; exact count p95 ${result.exactCount.p95.toFixed(1)} ms, ` +
      `median ${result.exactMatchesMedian} exact matches)`,
  );
}
