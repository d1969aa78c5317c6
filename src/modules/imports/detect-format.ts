import type { FileHandle } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { type TableInfo, tableError } from './table-types.js';

/** How much of a text file is looked at to tell its encoding and delimiter. */
export const SAMPLE_BYTES = 1024 * 1024;

export type TextEncoding = Exclude<TableInfo['encoding'], null>;

export type DetectedFormat =
  | { kind: 'zip' }
  | { kind: 'text'; format: 'csv' | 'tsv'; encoding: TextEncoding; delimiter: ',' | '\t' };

const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_EMPTY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE_COMPOUND = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);
const UTF16BE_BOM = Buffer.from([0xfe, 0xff]);

export function xlsError() {
  return tableError('xls', {
    zh: '这是旧版 Excel (.xls) 文件或加了密码的工作簿，无法直接导入。请在 Excel 或 WPS 中“另存为” .xlsx 或 .csv 后再导入',
    en: 'This is an old Excel (.xls) file or a password-protected workbook, which cannot be imported. Please save it as .xlsx or .csv in Excel or WPS and import that',
  });
}

export function binaryError() {
  return tableError('binary', {
    zh: '无法识别的文件：既不是 Excel 工作簿 (.xlsx)，也不是 CSV 或制表符分隔的文本。请另存为 .xlsx 或 .csv 后再导入',
    en: 'Unrecognised file: neither an Excel workbook (.xlsx) nor CSV or tab-separated text. Please save it as .xlsx or .csv and import that',
  });
}

/**
 * Tells the format by content, not by file name: a zip (then it must be an xlsx), an old binary
 * .xls, or text — UTF-8 (with or without BOM), GB18030/GBK as Excel writes on Chinese Windows, or
 * UTF-16LE with a BOM (Excel's "Unicode text") — with comma or tab delimiters.
 */
export async function detectFormat(handle: FileHandle, size: number): Promise<DetectedFormat> {
  const length = Math.min(size, SAMPLE_BYTES);
  const sample = Buffer.alloc(length);
  const { bytesRead } = await handle.read(sample, 0, length, 0);
  const bytes = sample.subarray(0, bytesRead);
  const truncated = bytesRead < size;

  if (startsWith(bytes, ZIP_LOCAL_HEADER)) return { kind: 'zip' };
  if (startsWith(bytes, ZIP_EMPTY)) throw notWorkbook();
  if (startsWith(bytes, OLE_COMPOUND)) throw xlsError();

  let encoding: TextEncoding;
  let text: string;
  if (startsWith(bytes, UTF16LE_BOM)) {
    encoding = 'utf-16le';
    text = iconv.decode(bytes.subarray(0, bytes.length - (bytes.length % 2)), 'utf-16le');
  } else if (startsWith(bytes, UTF16BE_BOM)) {
    throw tableError('binary', {
      zh: '不支持 UTF-16 BE 编码的文本，请另存为 UTF-8 的 CSV 或 .xlsx',
      en: 'UTF-16 BE text is not supported; please save it as UTF-8 CSV or .xlsx',
    });
  } else {
    if (bytes.includes(0)) throw binaryError();
    const utf8 = decodeUtf8(bytes, truncated);
    if (utf8 !== undefined) {
      encoding = 'utf-8';
      text = utf8;
    } else {
      // Leave out the last bytes of a cut sample: they may be half a character.
      text = iconv.decode(truncated ? bytes.subarray(0, Math.max(0, bytes.length - 4)) : bytes, 'gb18030');
      if (count(text, /\ufffd/g) > text.length / 1000) throw binaryError();
      encoding = 'gb18030';
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Text has few control characters besides tab, CR, LF and form feed; binary data has many.
  if (controlCharacters(text) > text.length / 100) throw binaryError();
  // Many systems export "Excel" files that are really web pages or Excel 2003 XML.
  if (/^\s*<(\?xml|!doctype|html|head|body|table|meta|style|(\w+:)?workbook)\b/i.test(text.slice(0, 1024))) {
    throw tableError('html', {
      zh: '这是网页 (HTML) 或 XML 格式的表格（常见于从其他系统导出的 .xls），无法直接导入。请用 Excel 或 WPS 打开后另存为 .xlsx 或 .csv',
      en: 'This is a web page (HTML) or XML table (as some systems export ".xls" files), which cannot be imported. Please open it in Excel or WPS and save it as .xlsx or .csv',
    });
  }
  const delimiter = sniffDelimiter(text);
  return { kind: 'text', format: delimiter === '\t' ? 'tsv' : 'csv', encoding, delimiter };
}

export function notWorkbook() {
  return tableError('not_xlsx', {
    zh: '这是一个压缩文件，但不是 Excel 工作簿 (.xlsx)。请在 Excel 或 WPS 中另存为 .xlsx 或 .csv 后再导入',
    en: 'This is a zip archive but not an Excel workbook (.xlsx). Please save the sheet as .xlsx or .csv in Excel or WPS and import that',
  });
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
}

function controlCharacters(text: string): number {
  let found = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f)
      found++;
  }
  return found;
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** The sample as UTF-8 text, or undefined when it is not valid UTF-8 (a cut last character is fine). */
function decodeUtf8(bytes: Buffer, truncated: boolean): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: truncated });
  } catch {
    return undefined;
  }
}

/**
 * Tab or comma: counts the lines of the first records that contain each outside quoted fields.
 * A quote opens a quoted field only at the start of a field, as csv-parse reads it with
 * `relax_quotes`, so a stray inch mark in a cell does not derail the count.
 */
export function sniffDelimiter(text: string): ',' | '\t' {
  let linesWithTab = 0;
  let linesWithComma = 0;
  let tab = false;
  let comma = false;
  let quoted = false;
  let fieldStart = true;
  let lines = 0;
  const endLine = () => {
    if (tab) linesWithTab++;
    if (comma) linesWithComma++;
    tab = false;
    comma = false;
    lines++;
  };
  for (let i = 0; i < text.length && lines < 50; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (ch === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      continue;
    }
    fieldStart = ch === '\t' || ch === ',' || ch === '\n' || ch === '\r';
    if (ch === '\t') tab = true;
    else if (ch === ',') comma = true;
    else if (ch === '\n') endLine();
  }
  endLine();
  return linesWithTab > 0 && linesWithTab >= linesWithComma ? '\t' : ',';
}
