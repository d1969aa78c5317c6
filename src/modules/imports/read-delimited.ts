import fs from 'node:fs';
import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '../../shared/app-error.js';
import type { TextEncoding } from './detect-format.js';
import { type CellValue, type TableRow, tableError, trimRow } from './table-types.js';

/** Longest record accepted, in characters: a quote never closed would otherwise swallow the file. */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;

const ICONV_NAMES: Record<TextEncoding, string> = {
  'utf-8': 'utf8',
  gb18030: 'gb18030',
  'utf-16le': 'utf-16le',
};

/**
 * Streams a CSV or tab-separated file as non-empty rows: file → decoder (BOM dropped) → csv-parse.
 * Each row carries the line it starts on; csv-parse's own line count is not used because it counts
 * CR and LF twice inside quoted cells, so lines are counted here from the line breaks in the cells.
 */
export async function* readDelimitedRows(
  file: string,
  encoding: TextEncoding,
  delimiter: ',' | '\t',
): AsyncGenerator<TableRow> {
  const source = fs.createReadStream(file);
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
  });
  pipeline(source, iconv.decodeStream(ICONV_NAMES[encoding]), parser, () => {});
  let line = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const start = line;
      let breaks = 0;
      const cells: CellValue[] = record.map((value) => {
        if (value.includes('\n') || value.includes('\r')) breaks += value.match(/\r\n|\r|\n/g)?.length ?? 0;
        return value === '' ? null : value;
      });
      line += 1 + breaks;
      const trimmed = trimRow(cells);
      if (trimmed) yield { row: start, cells: trimmed };
    }
  } catch (error) {
    throw textError(error, line);
  } finally {
    source.destroy();
  }
}

function textError(error: unknown, line: number): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof CsvError) {
    if (error.code === 'CSV_MAX_RECORD_SIZE') {
      return tableError(
        'record_too_long',
        {
          zh: `第 ${line} 行过长（可能有未闭合的引号）`,
          en: `Line ${line} is too long (perhaps a quote is never closed)`,
        },
        { row: line },
      );
    }
    return tableError(
      'bad_quotes',
      {
        zh: `第 ${line} 行的引号不成对，无法读取：${error.message}`,
        en: `Unbalanced quotes on line ${line}: ${error.message}`,
      },
      { row: line, detail: error.code },
    );
  }
  return tableError(
    'unreadable',
    {
      zh: `读取文件失败：${(error as Error).message}`,
      en: `Could not read the file: ${(error as Error).message}`,
    },
    { row: line },
  );
}
