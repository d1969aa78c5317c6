import fs from 'node:fs';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { CellValue } from './table-types.js';

export interface ErrorReportRow {
  row: number;
  cells: CellValue[];
  errors: string[];
}

export const ERROR_COLUMN = '错误 / Errors';

/**
 * Writes the rows that failed an import as an xlsx: the original header, the original cells and a
 * last column "错误 / Errors" with one line per problem. Dates and numbers keep their type, so the
 * user can correct the rows in the report and import it again. Streamed (exceljs WorkbookWriter),
 * so a long report never sits in memory as a workbook.
 *
 * @example await writeErrorReport('/tmp/errors.xlsx', ['客户名称', '手机'], [{ row: 3, cells: ['张三', 'abc'], errors: ['手机: 号码无效'] }]);
 */
export async function writeErrorReport(
  out: Writable | string,
  header: string[],
  rows: Iterable<ErrorReportRow> | AsyncIterable<ErrorReportRow>,
): Promise<void> {
  const stream = typeof out === 'string' ? fs.createWriteStream(out) : out;
  // An error on the output (a missing folder, a closed socket) must reject, not crash the process.
  let fail: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {});
  stream.on('error', fail);
  const write = async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream,
      useStyles: true,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet('错误 Errors', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [
      ...header.map((name) => ({ width: Math.min(40, Math.max(10, displayWidth(name) + 2)) })),
      { width: 60 },
    ];
    const headerRow = sheet.addRow([...header, ERROR_COLUMN]);
    headerRow.font = { bold: true };
    headerRow.getCell(header.length + 1).font = { bold: true, color: { argb: 'FFC00000' } };
    headerRow.commit();
    for await (const entry of rows) {
      const values: CellValue[] = header.map((_, index) => entry.cells[index] ?? null);
      const row = sheet.addRow([...values, entry.errors.join('\n')]);
      values.forEach((value, index) => {
        if (value instanceof Date) row.getCell(index + 1).numFmt = dateFormat(value);
      });
      const errors = row.getCell(header.length + 1);
      errors.font = { color: { argb: 'FFC00000' } };
      errors.alignment = { wrapText: true, vertical: 'top' };
      row.commit();
    }
    sheet.commit();
    await workbook.commit();
  };
  await Promise.race([write(), failed]);
}

export interface TemplateColumn {
  header: string;
  /** A hint shown as the header cell's note (comment). */
  note?: string;
  /** Values offered in a drop-down list on rows 2–1000. */
  options?: string[];
  width?: number;
  /** Format the column as text, so Excel keeps phone and ID numbers as typed (no 1.38E+10). */
  text?: boolean;
}

/** Rows of the template that get the drop-down lists. */
export const TEMPLATE_ROWS = 1000;
const LIST_SHEET = '下拉选项';
/** Excel limits a list written inline in the validation formula to 255 characters. */
const INLINE_LIST_LIMIT = 250;

/**
 * An xlsx import template: the given (Chinese) headers in a bold, frozen first row, a note per
 * column where given, and a drop-down list on rows 2–1000 of each column with options — inline when
 * short, otherwise from a range on a hidden second sheet (Excel's inline lists hold 255 characters
 * and no commas).
 *
 * @example const xlsx = await buildTemplate([{ header: '客户名称', note: '必填' }, { header: '类型', options: ['个人', '企业'] }], '客户');
 */
export async function buildTemplate(columns: TemplateColumn[], sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(safeSheetName(sheetName), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    header: column.header,
    width: column.width ?? Math.min(40, Math.max(12, displayWidth(column.header) + 4)),
    ...(column.text ? { style: { numFmt: '@' } } : {}),
  }));
  const headerRow = sheet.getRow(1);
  headerRow.font = { bold: true };
  headerRow.alignment = { vertical: 'middle' };
  headerRow.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

  let lists: ExcelJS.Worksheet | undefined;
  let listColumn = 0;
  // exceljs supports range validations but leaves `dataValidations` out of its typings.
  const validations = (
    sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }
  ).dataValidations;
  columns.forEach((column, index) => {
    const letter = sheet.getColumn(index + 1).letter;
    if (column.note) headerRow.getCell(index + 1).note = column.note;
    const options = (column.options ?? []).filter((option) => option !== '');
    if (options.length === 0) return;
    let formula: string;
    const inline = options.join(',');
    if (inline.length <= INLINE_LIST_LIMIT && !options.some((option) => /[,"]/.test(option))) {
      formula = `"${inline}"`;
    } else {
      lists ??= workbook.addWorksheet(LIST_SHEET, { state: 'hidden' });
      const listSheet = lists;
      listColumn++;
      const listLetter = listSheet.getColumn(listColumn).letter;
      listSheet.getCell(`${listLetter}1`).value = column.header;
      options.forEach((option, row) => {
        listSheet.getCell(`${listLetter}${row + 2}`).value = option;
      });
      formula = `'${LIST_SHEET}'!$${listLetter}$2:$${listLetter}$${options.length + 1}`;
    }
    validations.add(`${letter}2:${letter}${TEMPLATE_ROWS}`, {
      type: 'list',
      allowBlank: true,
      formulae: [formula],
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: column.header,
      error: '请从下拉列表中选择 / Please pick a value from the list',
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function safeSheetName(name: string): string {
  const cleaned = name
    .replace(/[:\\/?*[\]]/g, ' ')
    .trim()
    .slice(0, 31);
  return cleaned === '' ? 'Sheet1' : cleaned;
}

/** Column width in Excel's units: CJK and full-width characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
        ? 2
        : 1;
  return width;
}

function dateFormat(value: Date): string {
  return value.getUTCHours() === 0 && value.getUTCMinutes() === 0 && value.getUTCSeconds() === 0
    ? 'yyyy-mm-dd'
    : 'yyyy-mm-dd hh:mm:ss';
}
