/**
 * `npx tsx bench/data-quality.ts [--engine pglite|postgres] [--customers N] [--grow-to M] [--seed N] [--only duplicates|quality|export]`
 *
 * Times the duplicate finder (first run: name keys computed; second run: nothing to compute), the
 * data-quality summary and lists, and a CSV / xlsx export (with its peak memory), on a fresh
 * database of N generated customers; with --grow-to, grows it to M customers and times the
 * finder and the quality queries again. Prints a Markdown table.
 */
import os from 'node:os';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { findDuplicateCustomers } from '../src/modules/duplicates/find-duplicates.js';
import { exportCustomers } from '../src/modules/imports/export-customers.js';
import {
  listIncompleteCustomers,
  listStaleCustomers,
  qualitySummary,
} from '../src/modules/quality/data-quality.js';
import { bulkLoadCustomers, countCustomers } from './bulk-load.js';
import { benchContext } from './context.js';
import {
  DEFAULT_SERVER_URL,
  openTarget,
  type PreparedTarget,
  preparePglite,
  preparePostgres,
} from './engines.js';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    customers: { type: 'string', default: '100000' },
    'grow-to': { type: 'string' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});
const only = (part: 'duplicates' | 'quality' | 'export') => !args.only || args.only === part;

const rows: string[][] = [];
const format = (n: number) => n.toLocaleString('en-US');

async function timed<T>(label: string, size: number, work: () => Promise<T>, note: (result: T) => string) {
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  rows.push([label, format(size), `${format(Math.round(ms))} ms`, note(result)]);
  console.error(`${label} @ ${format(size)}: ${Math.round(ms)} ms — ${note(result)}`);
  return result;
}

/** A sink that throws the bytes away, counting them, while the peak RSS is sampled. */
async function exportRun(db: Database, size: number, kind: 'csv' | 'xlsx') {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  await timed(
    `export ${kind}`,
    size,
    () => exportCustomers(benchContext(db), sink, { format: kind }),
    (count) =>
      `${format(count)} customers, ${(bytes / 1e6).toFixed(0)} MB, RSS ${(before / 1e6).toFixed(0)} → peak ${(peak / 1e6).toFixed(0)} MB`,
  );
  clearInterval(sampler);
}

async function measure(db: Database, size: number, withExport: boolean) {
  if (only('duplicates')) await measureDuplicates(db, size);
  if (only('quality')) await measureQuality(db, size);
  if (withExport && only('export')) {
    await exportRun(db, size, 'csv');
    await exportRun(db, size, 'xlsx');
  }
}

async function measureDuplicates(db: Database, size: number) {
  const ctx = benchContext(db);
  await timed(
    'duplicates, first run',
    size,
    () => findDuplicateCustomers(ctx),
    (r) =>
      `${format(r.keysComputed)} name keys computed; ${format(r.counts.duplicate)} duplicate and ${format(r.counts.possible)} possible groups`,
  );
  await timed(
    'duplicates, second run',
    size,
    () => findDuplicateCustomers(ctx),
    (r) => `${format(r.keysComputed)} name keys computed`,
  );
}

async function measureQuality(db: Database, size: number) {
  const ctx = benchContext(db);
  await timed(
    'quality summary',
    size,
    () => qualitySummary(ctx),
    (r) => `average ${r.averageScore}, ${format(r.incomplete)} incomplete, ${format(r.stale)} stale`,
  );
  await timed(
    'incomplete, first page (50, lowest score)',
    size,
    () => listIncompleteCustomers(ctx),
    (r) => `${format(r.total)} below 60`,
  );
  await timed(
    'stale, first page (50, longest idle)',
    size,
    () => listStaleCustomers(ctx, { days: 30 }),
    (r) => `${format(r.total)} idle 30 days`,
  );
}

const prepared: PreparedTarget =
  args.engine === 'pglite'
    ? preparePglite('.bench-data/data-quality')
    : await preparePostgres(DEFAULT_SERVER_URL);
const db = await openTarget(prepared.target, 'bench data-quality');
try {
  await migrate(db);
  const seed = Number(args.seed);
  const first = Number(args.customers);
  const load = async (from: number, to: number) => {
    const started = performance.now();
    const rate = await bulkLoadCustomers(db, seed, from, to, (done, total) =>
      process.stderr.write(`\rloading ${format(done)} / ${format(total)}`),
    );
    process.stderr.write(
      `\n${format(to - from)} customers in ${((performance.now() - started) / 1000).toFixed(0)} s (${format(Math.round(rate))}/s)\n`,
    );
  };
  await load(0, first);
  await db.query('ANALYZE');
  await measure(db, await countCustomers(db), true);
  if (args['grow-to']) {
    await load(first, Number(args['grow-to']));
    await db.query('ANALYZE');
    await measure(db, await countCustomers(db), false);
  }
  console.log(`\n${args.engine}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)}\n`);
  console.log('| measurement | customers | time | result |\n| --- | ---: | ---: | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
} finally {
  await db.close();
  await prepared.cleanup();
}
