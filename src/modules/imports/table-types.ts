import { AppError } from '../../shared/app-error.js';

/** One cell as read from a file: CSV/TSV cells are strings; xlsx cells keep their type. Empty is null. */
export type CellValue = string | number | boolean | Date | null;

export interface TableRow {
  /** 1-based row number as the spreadsheet shows it (CSV/TSV: the line the record starts on). */
  row: number;
  cells: CellValue[];
}

export interface TableInfo {
  format: 'xlsx' | 'csv' | 'tsv';
  /** null for xlsx. `utf-16le` only for a file with a UTF-16LE byte-order mark (Excel's "Unicode text"). */
  encoding: 'utf-8' | 'gb18030' | 'utf-16le' | null;
  /** The xlsx sheet read; null for text files. */
  sheet: string | null;
  /** Row number of the header. */
  headerRow: number;
  /** Header cells as trimmed strings ('' for an empty cell), without empty trailing columns. */
  header: string[];
}

/** Why a file was refused, in `AppError.details.reason`, so callers and tests need not parse messages. */
export type TableErrorReason =
  | 'not_found'
  | 'not_a_file'
  | 'unreadable'
  | 'empty'
  | 'too_large'
  | 'xls'
  | 'binary'
  | 'html'
  | 'not_xlsx'
  | 'zip_bomb'
  | 'damaged'
  | 'sheet_not_found'
  | 'no_header'
  | 'record_too_long'
  | 'bad_quotes';

export function tableError(
  reason: TableErrorReason,
  text: { zh: string; en: string },
  details: Record<string, unknown> = {},
): AppError {
  return new AppError('IMPORT_FAILED', text, { reason, ...details });
}

/**
 * Fills holes with null and drops empty trailing cells; undefined for a row with nothing in it
 * (blank or whitespace-only cells count as nothing).
 */
export function trimRow(cells: CellValue[]): CellValue[] | undefined {
  let last = -1;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === undefined || cell === null) cells[i] = null;
    else if (typeof cell !== 'string' || cell.trim() !== '') last = i;
  }
  if (last < 0) return undefined;
  cells.length = last + 1;
  return cells;
}
