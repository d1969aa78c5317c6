/** Console tables and the markdown report (docs/benchmarks.md) of a benchmark run. */
import { COUNT_CAP } from '../src/modules/customers/list-customers.js';
import type { ImportResult } from './import-worker.js';
import { EXACT_SAMPLE, type KindResult } from './search.js';

export interface MachineInfo {
  cores: number;
  memoryGiB: number;
  cpuModel: string;
  node: string;
  pglite: string;
  pgliteServerVersion: string;
  server: string;
  platform: string;
}

export interface SearchRun {
  customers: number;
  /** How the customers beyond the imported ones were loaded, and at what speed. */
  loadNote: string;
  kinds: KindResult[];
}

export interface EngineResult {
  engine: 'pglite' | 'postgres';
  skipped?: string;
  imports: ImportResult[];
  searches: SearchRun[];
  durationMs: number;
}

export interface RunResult {
  startedAt: Date;
  durationMs: number;
  quick: boolean;
  seed: number;
  args: string;
  machine: MachineInfo;
  queriesPerKind: number;
  warmup: number;
  engines: EngineResult[];
}

export const TRANSACTION_IMPORT_TARGET = 20_000;
export const SEARCH_P95_TARGET_MS = 50;
/** Kinds the "search p95" target applies to (the list kinds are reported alongside). */
const LIST_KINDS = new Set(['list', 'filtered', 'nextPage']);

const ENGINE_NAMES = { pglite: 'PGlite', postgres: 'PostgreSQL server' } as const;

const fmtInt = (value: number) => Math.round(value).toLocaleString('en-US');
const fmtMs = (value: number) =>
  Number.isFinite(value) ? (value < 10 ? value.toFixed(1) : value.toFixed(0)) : '–';
const fmtMb = (bytes: number) => `${fmtInt(bytes / 1024 / 1024)} MB`;
const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function rate(result: ImportResult): number {
  return (result.rows / result.ms) * 1000;
}

/** Terminal width of a string: CJK characters take two columns. */
function width(text: string): number {
  let total = 0;
  for (const char of text)
    total +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        char,
      )
        ? 2
        : 1;
  return total;
}

function textTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((title, i) => Math.max(width(title), ...rows.map((row) => width(row[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - width(cell));
        return rightAligned[i] ? pad + cell : cell + pad;
      })
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const cellText = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${header.map(cellText).join(' | ')} |`,
    `|${rightAligned.map((right) => (right ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(cellText).join(' | ')} |`),
  ].join('\n');
}

interface Table {
  title: string;
  header: string[];
  rows: string[][];
  right: boolean[];
}

function importTable(result: RunResult): Table {
  const rows: string[][] = [];
  for (const engine of result.engines) {
    for (const item of engine.imports) {
      rows.push([
        ENGINE_NAMES[engine.engine],
        item.kind === 'customers' ? 'customers (importCustomers)' : 'transactions (importTransactions)',
        fmtInt(item.rows),
        `${fmtInt(item.created)}${item.invalid > 0 ? ` (${fmtInt(item.invalid)} invalid!)` : ''}`,
        fmtS(item.ms),
        fmtInt(rate(item)),
        `${item.cpuSeconds.toFixed(1)} s`,
        `${item.loadBefore.toFixed(1)} → ${item.loadAfter.toFixed(1)}`,
        fmtMb(item.rssBeforeBytes),
        fmtMb(item.maxRssBytes),
        item.statements
          .slice(0, 3)
          .map((s) => `${s.label.split(' ').slice(0, 3).join(' ')}… ${fmtS(s.ms)}`)
          .join('; '),
      ]);
    }
  }
  return {
    title: 'CSV import',
    header: [
      'engine',
      'file',
      'rows',
      'created',
      'time',
      'rows/s',
      'CPU',
      'load avg',
      'RSS before',
      'peak RSS',
      'largest statements (time in database)',
    ],
    rows,
    right: [false, false, true, true, true, true, true, true, true, true, false],
  };
}

function searchTable(engine: EngineResult, run: SearchRun): Table {
  return {
    title: `${ENGINE_NAMES[engine.engine]}, ${fmtInt(run.customers)} customers — listCustomers() latency in ms`,
    header: [
      'query kind',
      'example',
      'runs',
      'matches (median)',
      'p50',
      'p95',
      'max',
      'count p50',
      'count p95',
      'page p50',
      'page p95',
      'exact count p50',
      'exact count p95',
      'exact matches (median)',
    ],
    rows: run.kinds.map((kind) => [
      kind.label,
      kind.examples.slice(0, 2).join(', '),
      `${kind.runs}${kind.truncated ? '*' : ''}`,
      `${fmtInt(kind.matchesMedian)}${kind.matchesMedianExact ? '' : '+'}`,
      fmtMs(kind.latency.p50),
      fmtMs(kind.latency.p95),
      fmtMs(kind.latency.max),
      fmtMs(kind.count.p50),
      fmtMs(kind.count.p95),
      fmtMs(kind.page.p50),
      fmtMs(kind.page.p95),
      fmtMs(kind.exactCount.p50),
      fmtMs(kind.exactCount.p95),
      fmtInt(kind.exactMatchesMedian),
    ]),
    right: [false, false, true, true, true, true, true, true, true, true, true, true, true, true],
  };
}

export interface TargetCheck {
  text: string;
  met: boolean | undefined;
}

export function checkTargets(result: RunResult): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const pglite = result.engines.find((engine) => engine.engine === 'pglite' && !engine.skipped);
  const tx = pglite?.imports.find((item) => item.kind === 'transactions');
  checks.push(
    tx
      ? {
          text: `Transaction import on PGlite ≥ ${fmtInt(TRANSACTION_IMPORT_TARGET)} rows/s: ${fmtInt(rate(tx))} rows/s (${fmtInt(tx.rows)} rows)`,
          met: rate(tx) >= TRANSACTION_IMPORT_TARGET,
        }
      : { text: 'Transaction import on PGlite: not measured in this run', met: undefined },
  );
  const server = result.engines.find((engine) => engine.engine === 'postgres' && !engine.skipped);
  const largest = server?.searches.at(-1);
  if (largest) {
    const searchKinds = largest.kinds.filter((kind) => !LIST_KINDS.has(kind.key));
    const worst = searchKinds.reduce((a, b) => (b.latency.p95 > a.latency.p95 ? b : a));
    const missed = searchKinds
      .filter((kind) => kind.latency.p95 >= SEARCH_P95_TARGET_MS)
      .map((kind) => kind.key);
    checks.push({
      text:
        `Search p95 < ${SEARCH_P95_TARGET_MS} ms on the server at ${fmtInt(largest.customers)} customers: ` +
        `worst ${worst.key} ${fmtMs(worst.latency.p95)} ms (its total count, capped at ${fmtInt(COUNT_CAP)}, ` +
        `${fmtMs(worst.count.p95)} ms, its page ${fmtMs(worst.page.p95)} ms)` +
        (missed.length > 0 ? ` (missed by: ${missed.join(', ')})` : ''),
      met: missed.length === 0,
    });
  } else {
    checks.push({ text: 'Search on the server: not measured in this run', met: undefined });
  }
  return checks;
}

function tables(result: RunResult): Table[] {
  const list: Table[] = [];
  if (result.engines.some((engine) => engine.imports.length > 0)) list.push(importTable(result));
  for (const engine of result.engines) for (const run of engine.searches) list.push(searchTable(engine, run));
  return list;
}

const mark = (met: boolean | undefined) => (met === undefined ? '–' : met ? 'MET' : 'MISSED');

export function printReport(result: RunResult, log: (line: string) => void): void {
  for (const table of tables(result)) {
    log('');
    log(table.title);
    log(textTable(table.header, table.rows, table.right));
  }
  log('');
  for (const engine of result.engines)
    if (engine.skipped) log(`${ENGINE_NAMES[engine.engine]}: SKIPPED — ${engine.skipped}`);
  for (const check of checkTargets(result)) log(`[${mark(check.met)}] ${check.text}`);
  log(`Total run time: ${fmtS(result.durationMs)}`);
}

export function markdownReport(result: RunResult, notes: string): string {
  const m = result.machine;
  const scale = result.quick ? ' (quick run: 10x smaller data sets)' : '';
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench${result.args ? ` -- ${result.args}` : ''}\`${scale} on ${result.startedAt.toISOString()}; ` +
      `the run took ${fmtS(result.durationMs)}. Regenerate with \`npm run bench\` (about 15–25 minutes); ` +
      'everything above "Notes" is rewritten by it.',
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpuModel}, ${m.cores} cores; memory ${m.memoryGiB} GiB; ${m.platform}`,
    `- Node ${m.node}; PGlite ${m.pglite} (${m.pgliteServerVersion}); PostgreSQL server ${m.server}`,
    '',
    '## Targets',
    '',
    ...checkTargets(result).map((check) => `- **${mark(check.met)}** — ${check.text}`),
    ...result.engines
      .filter((engine) => engine.skipped)
      .map((engine) => `- ${ENGINE_NAMES[engine.engine]} skipped: ${engine.skipped}`),
    '',
    '## Method',
    '',
    `- Data: generated with a seeded PRNG (seed ${result.seed}, \`bench/data.ts\`): Chinese person names by surname frequency,`,
    '  company names (city + brand + trade + 有限公司…), mobiles and landlines written as people write them',
    '  (`138 0013 8000`, `138-0013-8000`, `+86 …`, `0755-…`), e-mails, 20 provinces and their cities, tags, stages.',
    '  CSV files are streamed to `.bench-data/csv/`. Transactions pick customers with a skew (some buy often).',
    '- Each engine starts empty: a new PGlite folder under `.bench-data/pglite/`, or a new schema `bench_…` on the server',
    "  (dropped afterwards). Both get the application's migrations.",
    '- Import: each import runs alone in a child process (`bench/import-worker.ts`) through `importCustomers()` /',
    '  `importTransactions()` with their default batch sizes. rows/s = data rows / wall time of the call.',
    '  "RSS before" is the process after opening the database; "peak RSS" is `process.resourceUsage().maxRSS`',
    '  of that child (for PGlite it includes the database engine, which runs in the process; for the server it',
    "  is the Node side only). Time in database = statements' own durations. CPU = user + system time of the",
    "  import process; load avg = the machine's 1-minute load before → after (2 cores: above 2, other work",
    '  competed for the CPU).',
    '- Search: in the benchmark process, through `listCustomers()` (the function `GET /api/customers` calls),',
    `  ${result.warmup} warm-up calls then up to ${result.queriesPerKind} timed calls per kind, each a different query drawn from random`,
    '  customers. Latency is the whole call (custom-field lookup, total count, then the page query, whose plan',
    `  the count decides). The count stops at ${fmtInt(COUNT_CAP + 1)} matches, as the API counts by default ("${fmtInt(COUNT_CAP)}+");`,
    '  "count" and "page" are those statements\' own times. "exact count" is what `exactTotal=true` (the web',
    `  app's "Count exactly") costs: the first ${EXACT_SAMPLE} calls of each kind re-run with it, their count statements timed`,
    '  on their own.',
    '- Before each search phase the bench runs `VACUUM (ANALYZE) customers` on the server (what autovacuum does',
    '  after such loads; this test server runs with autovacuum off) and `ANALYZE customers` on PGlite (what the',
    '  imports now do themselves; PGlite has no autovacuum and nothing in the application vacuums it).',
    ...result.engines.flatMap((engine) =>
      engine.searches.map(
        (run) => `- ${ENGINE_NAMES[engine.engine]}, ${fmtInt(run.customers)} customers: ${run.loadNote}`,
      ),
    ),
    '- The EXPLAIN ANALYZE of the slowest call of every kind is written to `.bench-data/plans/`.',
    '',
    '## Results',
  ];
  for (const table of tables(result)) {
    lines.push('', `### ${table.title}`, '', markdownTable(table.header, table.rows, table.right));
  }
  lines.push(
    '',
    '`*` after runs: the kind stopped at its time budget. "count"/"page" p50/p95 are the total-count and page',
    'statements timed on their own (percentiles of each column separately); the count is',
    `\`count(*) FROM (… LIMIT ${COUNT_CAP + 1})\`, so "matches (median)" shows "${fmtInt(COUNT_CAP)}+" when more match. "exact count"`,
    `is the same calls with \`exactTotal=true\` (an exact \`count(*)\`), for up to ${EXACT_SAMPLE} queries per kind; "exact matches"`,
    'is the median of their exact totals.',
    '',
  );
  return `${lines.join('\n')}\n${notes}`;
}
