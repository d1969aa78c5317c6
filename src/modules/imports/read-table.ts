import fs from 'node:fs/promises';
import path from 'node:path';
import type { AppError } from '../../shared/app-error.js';
import { type DetectedFormat, detectFormat } from './detect-format.js';
import { readDelimitedRows } from './read-delimited.js';
import { planXlsx, readXlsxRows, type XlsxPlan } from './read-xlsx.js';
import { type CellValue, type TableInfo, type TableRow, tableError } from './table-types.js';

export type { CellValue, TableErrorReason, TableInfo, TableRow } from './table-types.js';

export interface OpenTableOptions {
  /** xlsx: a sheet by name (default: the first visible sheet). */
  sheet?: string;
  /** Rows per yielded batch (default 1000). */
  batchSize?: number;
  /**
   * How many header names a candidate row contains that the caller recognises; the header is the
   * best-scoring row among the first 30 non-empty rows (earliest on ties); a score of 0 everywhere
   * means no header → error.
   */
  headerScore: (cells: string[]) => number;
  /** Largest file accepted, in bytes on disk (default 200 MB). */
  maxBytes?: number;
}

export interface OpenedTable {
  info: TableInfo;
  /**
   * Streams the data rows after the header in batches, empty rows skipped. Each call reads the
   * file again from the start, so a caller may make a checking pass and then a writing pass.
   */
  rows(): AsyncGenerator<TableRow[]>;
}

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;
/** How many non-empty rows at the top are candidates for the header (title rows come first). */
export const HEADER_SEARCH_ROWS = 30;

/**
 * Opens a spreadsheet file — xlsx, CSV or tab-separated text in UTF-8, GB18030/GBK or UTF-16LE —
 * detects the format and encoding from its content, finds the header; then `rows()` streams batches
 * of data rows (empty rows skipped) after the header. Every refusal is an `AppError('IMPORT_FAILED')`
 * whose `details.reason` says why.
 *
 * @example
 * const known = new Set(['客户名称', '手机']);
 * const table = await openTable(file, { headerScore: (cells) => cells.filter((c) => known.has(c)).length });
 * for await (const batch of table.rows()) for (const { row, cells } of batch) …
 */
export async function openTable(file: string, options: OpenTableOptions): Promise<OpenedTable> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000));
  const stat = await statFile(file, maxBytes);
  const detected = await inspect(file, stat.size);
  let plan: XlsxPlan | undefined;
  if (detected.kind === 'zip') plan = await planXlsx(file, stat.size, options.sheet);
  const readRows = (): AsyncGenerator<TableRow> =>
    plan ? readXlsxRows(file, plan) : readText(file, detected as Extract<DetectedFormat, { kind: 'text' }>);

  const candidates: TableRow[] = [];
  for await (const row of readRows()) {
    candidates.push(row);
    if (candidates.length >= HEADER_SEARCH_ROWS) break;
  }
  if (candidates.length === 0) {
    throw tableError(
      'empty',
      plan
        ? { zh: `工作表“${plan.sheet}”是空的`, en: `Sheet "${plan.sheet}" is empty` }
        : { zh: '文件是空的，没有任何数据', en: 'The file is empty: it has no data' },
      plan ? { sheet: plan.sheet } : {},
    );
  }
  let best: { row: TableRow; header: string[]; score: number } | undefined;
  for (const row of candidates) {
    const header = row.cells.map(headerText);
    const score = options.headerScore(header);
    if (score > 0 && (!best || score > best.score)) best = { row, header, score };
  }
  if (!best) throw noHeader(plan, candidates);
  while (best.header.length > 0 && best.header[best.header.length - 1] === '') best.header.pop();

  const info: TableInfo = {
    format: plan ? 'xlsx' : (detected as Extract<DetectedFormat, { kind: 'text' }>).format,
    encoding: plan ? null : (detected as Extract<DetectedFormat, { kind: 'text' }>).encoding,
    sheet: plan ? plan.sheet : null,
    headerRow: best.row.row,
    header: best.header,
  };
  const headerRow = best.row.row;
  return {
    info,
    async *rows() {
      await checkUnchanged(file, stat);
      let batch: TableRow[] = [];
      for await (const row of readRows()) {
        if (row.row <= headerRow) continue;
        batch.push(row);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
  };
}

function readText(file: string, detected: Extract<DetectedFormat, { kind: 'text' }>) {
  return readDelimitedRows(file, detected.encoding, detected.delimiter);
}

/** A header cell as text: trimmed, '' when empty; dates as YYYY-MM-DD. */
function headerText(cell: CellValue): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

function noHeader(plan: XlsxPlan | undefined, candidates: TableRow[]): AppError {
  const where = plan
    ? { zh: `工作表“${plan.sheet}”`, en: `sheet "${plan.sheet}"` }
    : { zh: '文件', en: 'the file' };
  return tableError(
    'no_header',
    {
      zh: `在${where.zh}的前 ${HEADER_SEARCH_ROWS} 行中找不到表头：没有一行包含可识别的列名`,
      en: `No header found in the first ${HEADER_SEARCH_ROWS} rows of ${where.en}: no row holds a recognised column name`,
    },
    {
      ...(plan ? { sheet: plan.sheet } : {}),
      firstRows: candidates.slice(0, 3).map((row) => ({
        row: row.row,
        cells: row.cells.slice(0, 20).map((cell) => headerText(cell).slice(0, 50)),
      })),
    },
  );
}

async function statFile(file: string, maxBytes: number) {
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw tableError('not_found', { zh: `文件不存在：${file}`, en: `File not found: ${file}` });
    }
    throw unreadable(file, error);
  }
  if (!stat.isFile()) {
    throw tableError('not_a_file', { zh: `不是文件：${file}`, en: `Not a file: ${file}` });
  }
  if (stat.size === 0) {
    throw tableError('empty', { zh: '文件是空的（0 字节）', en: 'The file is empty (0 bytes)' });
  }
  if (stat.size > maxBytes) {
    const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
    throw tableError(
      'too_large',
      {
        zh: `文件太大（${mb(stat.size)}），最大 ${mb(maxBytes)}。请拆分后分批导入`,
        en: `The file is too large (${mb(stat.size)}); the limit is ${mb(maxBytes)}. Please split it`,
      },
      { size: stat.size, maxBytes },
    );
  }
  return stat;
}

async function inspect(file: string, size: number): Promise<DetectedFormat> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    return await detectFormat(handle, size);
  } finally {
    await handle.close();
  }
}

/** rows() reads the file again: refuse if it was replaced since it was checked. */
async function checkUnchanged(file: string, before: { size: number; mtimeMs: number }) {
  const now = await fs.stat(file).catch(() => undefined);
  if (!now || now.size !== before.size || now.mtimeMs !== before.mtimeMs) {
    throw tableError('unreadable', {
      zh: `文件在读取过程中被修改或删除：${path.basename(file)}`,
      en: `The file was changed or removed while being read: ${path.basename(file)}`,
    });
  }
}

function unreadable(file: string, error: unknown): AppError {
  return tableError('unreadable', {
    zh: `无法读取文件 ${file}：${(error as Error).message}`,
    en: `Cannot read the file ${file}: ${(error as Error).message}`,
  });
}
