import fs from 'node:fs';
import { parse } from 'csv-parse';
import { AppError } from '../../shared/app-error.js';

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
export class RollbackImport extends Error {}
