import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { recordAudit } from '../audit/audit-log.js';

export interface CsvRow {
  /** Spreadsheet row number: the header is row 1, so the first data row is row 2. */
  row: number;
  values: Record<string, string>;
}

/**
 * Streams a UTF-8 CSV file (with or without BOM, LF or CRLF) as header-keyed rows in batches,
 * so a file of any size is read with bounded memory.
 */
export async function* readCsvBatches(
  file: string,
  batchSize: number,
  checkHeader: (header: string[]) => void,
): AsyncGenerator<CsvRow[]> {
  if (!fs.existsSync(file)) {
    throw new AppError('IMPORT_FAILED', { zh: `文件不存在：${file}`, en: `File not found: ${file}` });
  }
  const parser = fs
    .createReadStream(file)
    .pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  let header: string[] | undefined;
  let batch: CsvRow[] = [];
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!header) {
      header = record.record.map((name) => name.trim());
      checkHeader(header);
      continue;
    }
    const values: Record<string, string> = {};
    for (const [index, name] of header.entries()) values[name] = record.record[index] ?? '';
    batch.push({ row: record.info.lines, values });
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (!header)
    throw new AppError('IMPORT_FAILED', { zh: '文件为空，缺少表头', en: 'The file is empty: no header row' });
  if (batch.length > 0) yield batch;
}

export function headerError(problems: string[], expected: string[]): AppError {
  return new AppError(
    'IMPORT_FAILED',
    { zh: `表头有误：${problems.join('；')}`, en: `Bad header: ${problems.join('; ')}` },
    { expected },
  );
}

/** The result of an import, as `--json` prints it. */
export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  invalid: { row: number; field: string; message: string }[];
}

export interface ImportOptions {
  skipInvalid?: boolean;
  batchSize?: number;
}

/** Thrown inside the import transaction to roll it back when invalid rows were found. */
class RollbackImport extends Error {}

/**
 * Runs one import file as one transaction. `read` streams, validates and writes the rows into
 * `report`; if any row is invalid (and `skipInvalid` is off) everything is rolled back and the
 * counts are zero. Otherwise `finish` runs (summaries, statistics) and the import is audited in the
 * same transaction; a refused file is audited on its own, since it changed nothing.
 */
export async function runImport(
  ctx: AppContext,
  kind: 'customers' | 'transactions',
  file: string,
  options: ImportOptions,
  read: (tx: Queryable, report: ImportReport) => Promise<void>,
  finish: (tx: Queryable, report: ImportReport) => Promise<void> = async () => {},
): Promise<ImportReport> {
  const report: ImportReport = { rows: 0, created: 0, updated: 0, invalid: [] };
  const details = () => ({ file: path.basename(file), rows: report.rows, invalid: report.invalid.length });
  try {
    await ctx.db.transaction(async (tx) => {
      await read(tx, report);
      if (report.invalid.length > 0 && !options.skipInvalid) throw new RollbackImport();
      await finish(tx, report);
      await recordAudit(
        tx,
        ctx.actor,
        {
          action: `import.${kind}`,
          details: { ...details(), created: report.created, updated: report.updated },
        },
        ctx.now(),
      );
    });
  } catch (error) {
    if (!(error instanceof RollbackImport)) throw error;
    report.created = 0;
    report.updated = 0;
    await ctx.db.transaction((tx) =>
      recordAudit(tx, ctx.actor, { action: `import.${kind}_rejected`, details: details() }, ctx.now()),
    );
  }
  return report;
}
