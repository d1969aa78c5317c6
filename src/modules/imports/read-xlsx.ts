import type { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path/posix';
import ExcelJS from 'exceljs';
import { AppError } from '../../shared/app-error.js';
import { notWorkbook } from './detect-format.js';
import { type CellValue, type TableRow, tableError, trimRow } from './table-types.js';
import {
  checkZipLimits,
  damagedZip,
  type FeedPart,
  locateEntry,
  readEntry,
  readZipDirectory,
  verifyEntrySize,
  type ZipDirectory,
  type ZipEntry,
  zipFeed,
} from './xlsx-zip.js';

/** Largest workbook.xml / relationships part read into memory. */
const MAX_SMALL_PART = 16 * 1024 * 1024;
/** exceljs keeps every shared string in memory while it reads a sheet. */
const MAX_SHARED_STRINGS = 256 * 1024 * 1024;
const MAX_STYLES = 64 * 1024 * 1024;
const EMPTY_SHARED_STRINGS = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
);

export interface XlsxPlan {
  sheet: string;
  sheetNames: string[];
  date1904: boolean;
  parts: FeedPart[];
}

interface SheetEntry {
  name: string;
  hidden: boolean;
  relId: string;
}

/**
 * Reads the zip's table of contents and the workbook's sheet list, picks the sheet and checks
 * every part exceljs will inflate, so that a bad file is refused before any row is read.
 */
export async function planXlsx(file: string, size: number, sheetName: string | undefined): Promise<XlsxPlan> {
  const handle = await fs.open(file, 'r');
  try {
    const directory = await readZipDirectory(handle, size);
    checkZipLimits(directory);
    const find = (name: string) => findEntry(directory, name);
    const read = async (entry: ZipEntry) =>
      (await readEntry(handle, await locateEntry(handle, directory, entry), MAX_SMALL_PART)).toString('utf8');

    const rootRels = find('_rels/.rels');
    const officeDocument = rootRels
      ? relationships(await read(rootRels), '').find((rel) => rel.type.endsWith('/officeDocument'))?.target
      : undefined;
    const workbookEntry = find(officeDocument ?? 'xl/workbook.xml') ?? find('xl/workbook.xml');
    if (!workbookEntry) throw notWorkbook();
    const workbookDir = path.dirname(workbookEntry.name);
    const workbookXml = await read(workbookEntry);
    const relsEntry = find(`${workbookDir}/_rels/${path.basename(workbookEntry.name)}.rels`);
    if (!relsEntry) throw damagedZip('no workbook relationships');
    const rels = relationships(await read(relsEntry), workbookDir);

    const sheets: SheetEntry[] = tags(workbookXml, 'sheet').map((attributes) => ({
      name: attributes.name ?? '',
      hidden: attributes.state === 'hidden' || attributes.state === 'veryHidden',
      relId: Object.entries(attributes).find(([key]) => key.endsWith(':id'))?.[1] ?? '',
    }));
    if (sheets.length === 0) throw damagedZip('no sheets');
    const sheetNames = sheets.map((sheet) => sheet.name);
    const sheet =
      sheetName === undefined ? (sheets.find((s) => !s.hidden) ?? sheets[0]) : pickSheet(sheets, sheetName);
    if (!sheet) throw damagedZip('no sheets');
    const sheetRel = rels.find((rel) => rel.id === sheet.relId);
    const sheetEntry = sheetRel && find(sheetRel.target);
    if (!sheetRel?.type.endsWith('/worksheet') || !sheetEntry) {
      throw tableError(
        'sheet_not_found',
        {
          zh: `“${sheet.name}”不是可以读取的数据表（可能是图表页）。可用的工作表：${sheetNames.join('、')}`,
          en: `"${sheet.name}" is not a sheet with data (perhaps a chart sheet). Sheets: ${sheetNames.join(', ')}`,
        },
        { sheet: sheet.name, sheets: sheetNames },
      );
    }
    const partOf = (type: string, fallback: string) =>
      find(rels.find((rel) => rel.type.endsWith(type))?.target ?? fallback) ?? find(fallback);
    const styles = partOf('/styles', `${workbookDir}/styles.xml`);
    const sharedStrings = partOf('/sharedStrings', `${workbookDir}/sharedStrings.xml`);
    if (styles && styles.uncompressedSize > MAX_STYLES) throw damagedZip('styles part too large');
    if (sharedStrings && sharedStrings.uncompressedSize > MAX_SHARED_STRINGS) {
      throw tableError('too_large', {
        zh: '工作簿中的文字太多，无法一次导入。请拆分成几个文件，或另存为 .csv 后导入',
        en: 'The workbook holds too much text to import at once. Please split it, or save it as .csv and import that',
      });
    }

    // exceljs reads the fixed paths below; the parts are fed under them whatever they are called.
    const parts: { entry: ZipEntry; as: string }[] = [
      { entry: workbookEntry, as: 'xl/workbook.xml' },
      { entry: relsEntry, as: 'xl/_rels/workbook.xml.rels' },
      ...(styles ? [{ entry: styles, as: 'xl/styles.xml' }] : []),
      ...(sharedStrings ? [{ entry: sharedStrings, as: 'xl/sharedStrings.xml' }] : []),
      { entry: sheetEntry, as: 'xl/worksheets/sheet1.xml' },
    ];
    const located: FeedPart[] = [];
    for (const part of parts) {
      const entry = await locateEntry(handle, directory, part.entry);
      await verifyEntrySize(file, entry);
      located.push({ entry, as: part.as });
    }
    // Without a shared-string table exceljs copies the sheet to a temporary file before reading it.
    if (!sharedStrings)
      located.splice(located.length - 1, 0, { data: EMPTY_SHARED_STRINGS, as: 'xl/sharedStrings.xml' });
    const workbookPr = tags(workbookXml, 'workbookPr')[0];
    const date1904 = workbookPr?.date1904 === '1' || workbookPr?.date1904 === 'true';
    return { sheet: sheet.name, sheetNames, date1904, parts: located };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw damagedZip((error as Error).message);
  } finally {
    await handle.close();
  }
}

function pickSheet(sheets: SheetEntry[], name: string): SheetEntry {
  const wanted = name.trim().toLowerCase();
  const sheet =
    sheets.find((s) => s.name === name) ?? sheets.find((s) => s.name.trim().toLowerCase() === wanted);
  if (sheet) return sheet;
  const names = sheets.map((s) => s.name);
  throw tableError(
    'sheet_not_found',
    {
      zh: `找不到工作表“${name}”。文件中的工作表：${names.join('、')}`,
      en: `No sheet named "${name}". The file has: ${names.join(', ')}`,
    },
    { sheet: name, sheets: names },
  );
}

function findEntry(directory: ZipDirectory, name: string): ZipEntry | undefined {
  const wanted = name.replace(/^\/+/, '');
  return (
    directory.entries.find((entry) => entry.name === wanted) ??
    directory.entries.find((entry) => entry.name.toLowerCase() === wanted.toLowerCase())
  );
}

/** Relationships of a part, with targets resolved to zip paths. */
function relationships(xml: string, baseDir: string): { id: string; type: string; target: string }[] {
  return tags(xml, 'Relationship').map((attributes) => {
    const target = attributes.Target ?? '';
    return {
      id: attributes.Id ?? '',
      type: attributes.Type ?? '',
      target: target.startsWith('/') ? target.slice(1) : path.normalize(path.join(baseDir, target)),
    };
  });
}

/** Attributes of every element with this local name. Enough for the small, regular parts read here. */
function tags(xml: string, localName: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  const element = new RegExp(`<(?:[\\w.-]+:)?${localName}(\\s[^>]*)?/?>`, 'g');
  for (const match of xml.matchAll(element)) {
    const attributes: Record<string, string> = {};
    for (const attribute of (match[1] ?? '').matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attributes[attribute[1] as string] = decodeXml(attribute[2] ?? attribute[3] ?? '');
    }
    found.push(attributes);
  }
  return found;
}

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (entity, name: string) => {
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return (
          String.fromCodePoint(
            name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10),
          ) || entity
        );
    }
  });
}

/** The sheet's non-empty rows, streamed by exceljs, with row numbers as Excel shows them. */
export async function* readXlsxRows(file: string, plan: XlsxPlan): AsyncGenerator<TableRow> {
  const handle = await fs.open(file, 'r').catch((error: Error) => {
    throw damagedZip(error.message);
  });
  const feed = zipFeed(handle, plan.parts);
  // exceljs pipes the feed into its unzipper, and a pipe does not pass errors on: without these, a
  // read error would crash the process (no listener) or leave exceljs waiting for more data.
  let feedError: unknown;
  feed.on('error', (error) => {
    feedError = error;
  });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(feed, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of untilError(reader, feed, () => feedError)) {
      for await (const row of untilError(worksheet, feed, () => feedError)) {
        const cells: CellValue[] = [];
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          cells[column - 1] = cellValue(cell.value, cell.numFmt, plan.date1904);
        });
        const trimmed = trimRow(cells);
        if (trimmed) yield { row: row.number, cells: trimmed };
      }
      break;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw damagedZip((error as Error).message);
  } finally {
    feed.destroy();
    try {
      await handle.close();
    } catch {
      // Closing after a failed read must not hide the failure.
    }
  }
}

/**
 * Iterates `source` but gives up as soon as `emitter` emits (or `earlier` holds) an error. (Not Promise.race against
 * one long-lived promise: every race would leave a reaction on it, a leak of one per row.)
 */
async function* untilError<T>(
  source: AsyncIterable<T>,
  emitter: EventEmitter,
  earlier: () => unknown,
): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  try {
    while (true) {
      if (earlier() !== undefined) throw earlier();
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        emitter.once('error', reject);
        iterator.next().then(
          (result) => {
            emitter.off('error', reject);
            resolve(result);
          },
          (error: unknown) => {
            emitter.off('error', reject);
            reject(error);
          },
        );
      });
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Not awaited: after a failure the source may never settle.
    if (!done) iterator.return?.()?.catch(() => {});
  }
}

function cellValue(value: ExcelJS.CellValue, numFmt: string | undefined, date1904: boolean): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : decodeEscapes(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if ('richText' in value) {
    const text = value.richText.map((run) => run.text ?? '').join('');
    return text === '' ? null : decodeEscapes(text);
  }
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    if (result === undefined) return null;
    if (typeof result === 'number' && isDateFormat(numFmt)) return excelDate(result, date1904);
    if (typeof result === 'object' && result !== null && !(result instanceof Date)) return result.error;
    return cellValue(result, numFmt, date1904);
  }
  if ('text' in value) return cellValue(value.text as ExcelJS.CellValue, numFmt, date1904);
  return null;
}

/** Excel writes characters XML cannot hold (a lone CR, control codes) as `_xHHHH_`, and `_` before one as `_x005F_`. */
function decodeEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** The same test exceljs applies to plain number cells, used here for formula results. */
function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

function excelDate(serial: number, date1904: boolean): Date | null {
  const date = new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
  return Number.isNaN(date.getTime()) ? null : date;
}
