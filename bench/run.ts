/**
 * `npm run bench [-- --quick] [--engine pglite|postgres] [--only import|search] [--seed N] [--keep]`
 *
 * Measures CSV import speed and memory, and search/list latency, on PGlite and on the PostgreSQL
 * server; prints tables and writes docs/benchmarks.md (full runs of both engines only; other runs
 * write .bench-data/benchmarks-partial.md unless --out is given).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { bulkLoadCustomers, countCustomers } from './bulk-load.js';
import { checkGeneratorAgainstValidation, ensureCsvFiles } from './csv-files.js';
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
  type Target,
} from './engines.js';
import type { ImportJob, ImportResult } from './import-worker.js';
import { instrument } from './instrument.js';
import {
  type EngineResult,
  type MachineInfo,
  markdownReport,
  printReport,
  type RunResult,
  type SearchRun,
} from './report.js';
import { runSearchBench } from './search.js';
import { ensureBenchUsers } from './users.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    engine: { type: 'string' },
    only: { type: 'string' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (args.help) {
  console.log(
    'npm run bench -- [--quick] [--engine pglite|postgres] [--only import|search] [--seed N] [--keep] [--out FILE]',
  );
  process.exit(0);
}
if (args.engine && args.engine !== 'pglite' && args.engine !== 'postgres') {
  console.error(`--engine must be pglite or postgres, not ${args.engine}`);
  process.exit(2);
}
if (args.only && args.only !== 'import' && args.only !== 'search') {
  console.error(`--only must be import or search, not ${args.only}`);
  process.exit(2);
}

const ROOT = path.resolve('.bench-data');
const SERVER_URL = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL;
const seed = Number(args.seed);
const scale = args.quick ? 10 : 1;
const sizes = {
  importCustomers: 100_000 / scale,
  importTransactions: 1_000_000 / scale,
  search: [100_000 / scale, 1_000_000 / scale],
};
const queriesPerKind = args.quick ? 20 : 100;
const warmup = args.quick ? 3 : 5;
const kindBudgetMs = args.quick ? 15_000 : 60_000;
const engines: EngineName[] = args.engine ? [args.engine as EngineName] : ['pglite', 'postgres'];
const doImport = args.only !== 'search';
const doSearch = args.only !== 'import';

const started = performance.now();
function log(line: string) {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(5);
  console.log(`[${elapsed}s] ${line}`);
}

function machineInfo(serverVersion: string): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel =
      /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: keep os.cpus()
  }
  return {
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    cpuModel,
    node: process.versions.node,
    pglite: pgliteVersion(),
    pgliteServerVersion: 'PostgreSQL ?',
    server: serverVersion,
    platform: `${os.type()} ${os.release()}`,
  };
}

/** Runs one import in a child process and returns what it printed. */
function runImportChild(job: ImportJob): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/import-worker.ts', JSON.stringify(job)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = output.split('\n').find((text) => text.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`import child exited with ${code}: ${output.slice(-2000)}`));
      else resolve(JSON.parse(line.slice(7)) as ImportResult);
    });
  });
}

function describeImport(result: ImportResult): string {
  const rate = Math.round((result.rows / result.ms) * 1000).toLocaleString('en-US');
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  const invalid = result.invalid > 0 ? `, ${result.invalid} INVALID (first: ${result.firstInvalid})` : '';
  return `${result.rows} rows in ${(result.ms / 1000).toFixed(1)} s = ${rate} rows/s, RSS ${mb(result.rssBeforeBytes)} → peak ${mb(result.maxRssBytes)}${invalid}`;
}

async function searchPhase(
  db: Database,
  engine: EngineName,
  size: number,
  loadNote: string,
  plansDir: string,
): Promise<SearchRun> {
  // The server's autovacuum would vacuum and analyze after such loads (it is off on the test server);
  // PGlite has no autovacuum and the application runs no VACUUM: there, only the ANALYZE the imports do.
  const maintenance = engine === 'postgres' ? 'VACUUM (ANALYZE) customers' : 'ANALYZE customers';
  log(`  ${engine}: ${maintenance}, then search/list at ${size.toLocaleString('en-US')} customers`);
  await db.exec(maintenance);
  const plans: string[] = [];
  const kinds = await runSearchBench(instrument(db), {
    seed,
    population: size,
    queriesPerKind,
    warmup,
    kindBudgetMs,
    log,
    explain: (_kind, text) => plans.push(text),
  });
  fs.writeFileSync(path.join(plansDir, `${engine}-${size}.txt`), `${plans.join('\n\n')}\n`);
  return { customers: size, loadNote, kinds };
}

async function runEngine(engine: EngineName, files: { customers: string; transactions: string } | undefined) {
  const engineStarted = performance.now();
  const result: EngineResult = { engine, imports: [], searches: [], durationMs: 0 };
  let prepared: PreparedTarget;
  if (engine === 'postgres') {
    const probe = await probeServer(SERVER_URL);
    if (!probe.ok) {
      log(`postgres: SKIPPED — the server at ${SERVER_URL} does not answer (${probe.reason})`);
      result.skipped = `the server at ${SERVER_URL.replace(/:[^:@/]*@/, ':***@')} did not answer (${probe.reason})`;
      return result;
    }
    prepared = await preparePostgres(SERVER_URL);
    log(`postgres: fresh schema ${(prepared.target as Extract<Target, { engine: 'postgres' }>).schema}`);
  } else {
    prepared = preparePglite(ROOT);
    log(`pglite: fresh data folder ${(prepared.target as Extract<Target, { engine: 'pglite' }>).dataDir}`);
  }
  const cleanupOnSignal = () => {
    void prepared.cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', cleanupOnSignal);
  try {
    let imported = 0;
    if (doImport && files) {
      log(
        `  ${engine}: importing ${sizes.importCustomers.toLocaleString('en-US')} customers (child process)…`,
      );
      const customers = await runImportChild({
        target: prepared.target,
        kind: 'customers',
        file: files.customers,
        migrate: true,
      });
      log(`  ${engine}: customers: ${describeImport(customers)}`);
      log(
        `  ${engine}: importing ${sizes.importTransactions.toLocaleString('en-US')} transactions (child process)…`,
      );
      const transactions = await runImportChild({
        target: prepared.target,
        kind: 'transactions',
        file: files.transactions,
        migrate: false,
      });
      log(`  ${engine}: transactions: ${describeImport(transactions)}`);
      result.imports.push(customers, transactions);
      imported = customers.created;
    }
    if (doSearch) {
      const db = await openTarget(prepared.target);
      try {
        if (!doImport) {
          await migrate(db);
          await ensureBenchUsers(db);
        }
        const plansDir = path.join(ROOT, 'plans');
        fs.mkdirSync(plansDir, { recursive: true });
        for (const size of sizes.search) {
          const have = await countCustomers(db);
          let note: string;
          if (have < size) {
            log(
              `  ${engine}: bulk-loading customers ${have.toLocaleString('en-US')} → ${size.toLocaleString('en-US')}…`,
            );
            const rate = await bulkLoadCustomers(db, seed, have, size, (done, total) => {
              if (done % 100_000 === 0 || done === total)
                log(`    ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
            });
            const how =
              `${(size - have).toLocaleString('en-US')} more generated customers added with the application's ` +
              'bulkInsertCustomers() (search columns from buildSearchMaterial(), personal fields encrypted, as an ' +
              `import does; 5,000 a statement, ${Math.round(rate).toLocaleString('en-US')} rows/s)`;
            note =
              imported > 0
                ? `the ${imported.toLocaleString('en-US')} imported customers (with their transactions) plus ${how}`
                : how;
          } else {
            note = `the ${have.toLocaleString('en-US')} customers of the CSV import, with their transactions`;
          }
          result.searches.push(await searchPhase(db, engine, size, note, plansDir));
        }
      } finally {
        await db.close();
      }
    }
  } finally {
    process.removeListener('SIGINT', cleanupOnSignal);
    if (args.keep) log(`  ${engine}: kept (--keep): ${JSON.stringify(prepared.target)}`);
    else await prepared.cleanup();
  }
  result.durationMs = performance.now() - engineStarted;
  log(`${engine}: done in ${(result.durationMs / 1000).toFixed(0)} s`);
  return result;
}

async function main() {
  const startedAt = new Date();
  log(
    `Clientele bench${args.quick ? ' (quick)' : ''}: engines ${engines.join(', ')}; ` +
      `${doImport ? `import ${sizes.importCustomers} customers + ${sizes.importTransactions} transactions; ` : ''}` +
      `${doSearch ? `search at ${sizes.search.join(' and ')} customers` : ''}`,
  );
  checkGeneratorAgainstValidation(seed, 500);
  let files: { customers: string; transactions: string } | undefined;
  if (doImport) {
    log('Generating CSV files (reused when present)…');
    files = await ensureCsvFiles(
      path.join(ROOT, 'csv'),
      seed,
      sizes.importCustomers,
      sizes.importTransactions,
      log,
    );
  }

  const probe = await probeServer(SERVER_URL);
  const machine = machineInfo(probe.ok ? probe.version : `not reachable (${probe.reason})`);
  const results: EngineResult[] = [];
  for (const engine of engines) {
    if (engine === 'pglite') {
      const versionDb = await openTarget({ engine: 'pglite', dataDir: path.join(ROOT, 'pglite-version') });
      machine.pgliteServerVersion = await engineVersion(versionDb);
      await versionDb.close();
      fs.rmSync(path.join(ROOT, 'pglite-version'), { recursive: true, force: true });
    }
    results.push(await runEngine(engine, files));
  }

  const run: RunResult = {
    startedAt,
    durationMs: performance.now() - started,
    quick: args.quick ?? false,
    seed,
    args: process.argv.slice(2).join(' '),
    machine,
    queriesPerKind,
    warmup,
    engines: results,
  };
  printReport(run, console.log);

  const complete = !args.quick && !args.engine && !args.only;
  const out = args.out ?? (complete ? 'docs/benchmarks.md' : path.join(ROOT, 'benchmarks-partial.md'));
  const previous = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  const notesAt = previous.indexOf('\n## Notes');
  const notes =
    notesAt >= 0
      ? previous.slice(notesAt + 1)
      : '## Notes\n\n(Findings and changes made from these measurements.)\n';
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, markdownReport(run, notes));
  console.log(`\nWrote ${out}`);
}

await main();
