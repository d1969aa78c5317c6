import os from 'node:os';
/**
 * Child process of the benchmark: opens the target database, runs ONE import and prints its
 * timing and memory as a `RESULT {json}` line. Running it alone in a process makes the peak RSS
 * the import's own (plus the engine it opened), not the benchmark's.
 */
import { migrate } from '../src/db/migrate.js';
import { importCustomers } from '../src/modules/imports/import-customers.js';
import { importTransactions } from '../src/modules/imports/import-transactions.js';
import { benchContext } from './context.js';
import { openTarget, type Target } from './engines.js';
import { instrument, ownDurations, statementLabel } from './instrument.js';
import { ensureBenchUsers } from './users.js';

export interface ImportJob {
  target: Target;
  kind: 'customers' | 'transactions';
  file: string;
  migrate: boolean;
}

export interface ImportResult {
  kind: ImportJob['kind'];
  rows: number;
  created: number;
  updated: number;
  invalid: number;
  firstInvalid: string | null;
  ms: number;
  /** RSS after the database was opened, before the import. */
  rssBeforeBytes: number;
  /** Highest RSS sampled every 100 ms during the import. */
  rssPeakSampledBytes: number;
  /** process.resourceUsage().maxRSS: the process's peak, opening the database included. */
  maxRssBytes: number;
  /** CPU time of the process during the import (user + system), seconds. */
  cpuSeconds: number;
  /** 1-minute load average of the machine before and after the import: other work slows it. */
  loadBefore: number;
  loadAfter: number;
  /** Milliseconds spent in each kind of statement, largest first. */
  statements: { label: string; count: number; ms: number }[];
}

const job = JSON.parse(process.argv[2] ?? '{}') as ImportJob;
const opened = await openTarget(job.target);
if (job.migrate) {
  await migrate(opened);
  await ensureBenchUsers(opened);
}
const { db, log } = instrument(opened);
const ctx = benchContext(db);

const rssBeforeBytes = process.memoryUsage().rss;
const loadBefore = os.loadavg()[0] ?? 0;
const cpuBefore = process.cpuUsage();
let rssPeakSampledBytes = rssBeforeBytes;
const sampler = setInterval(() => {
  rssPeakSampledBytes = Math.max(rssPeakSampledBytes, process.memoryUsage().rss);
}, 100);
const started = performance.now();
const { report } =
  job.kind === 'customers' ? await importCustomers(ctx, job.file) : await importTransactions(ctx, job.file);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const loadAfter = os.loadavg()[0] ?? 0;
clearInterval(sampler);
rssPeakSampledBytes = Math.max(rssPeakSampledBytes, process.memoryUsage().rss);

const own = ownDurations(log, db.kind === 'pglite');
const byLabel = new Map<string, { label: string; count: number; ms: number }>();
for (const [index, entry] of log.entries()) {
  const label = statementLabel(entry.sql);
  const item = byLabel.get(label) ?? { label, count: 0, ms: 0 };
  item.count++;
  item.ms += own[index] ?? 0;
  byLabel.set(label, item);
}
await opened.close();

const first = report.invalid[0];
const result: ImportResult = {
  kind: job.kind,
  rows: report.rows,
  created: report.created,
  updated: report.updated,
  invalid: report.invalid.length,
  firstInvalid: first ? `row ${first.row} ${first.field}: ${first.message}` : null,
  ms,
  rssBeforeBytes,
  rssPeakSampledBytes,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  loadBefore,
  loadAfter,
  statements: [...byLabel.values()].sort((a, b) => b.ms - a.ms).slice(0, 6),
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
