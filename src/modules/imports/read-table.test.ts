import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/app-error.js';
import { type OpenTableOptions, openTable, type TableRow } from './read-table.js';
import { buildTemplate, ERROR_COLUMN, writeErrorReport } from './xlsx-writers.js';
import { checkZipLimits, locateEntry, readEntry, readZipDirectory } from './xlsx-zip.js';

const KNOWN = new Set(['客户名称', '手机', '日期', '备注', '金额', '类型']);
const headerScore = (cells: string[]) => cells.filter((cell) => KNOWN.has(cell)).length;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-table-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, content);
  return target;
}

async function readAll(target: string, options: Partial<OpenTableOptions> = {}) {
  const table = await openTable(target, { headerScore, ...options });
  const rows: TableRow[] = [];
  const batches: number[] = [];
  for await (const batch of table.rows()) {
    batches.push(batch.length);
    rows.push(...batch);
  }
  return { info: table.info, rows, batches };
}

/** The AppError an open or a read fails with, checked to be IMPORT_FAILED with a bilingual message. */
async function failure(target: string, options: Partial<OpenTableOptions> = {}): Promise<AppError> {
  try {
    await readAll(target, options);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('IMPORT_FAILED');
    expect(appError.message).toContain(' / ');
    return appError;
  }
  throw new Error(`${target} was read without error`);
}

const reason = (error: AppError) => (error.details as { reason?: string }).reason;

interface ZipPart {
  name: string;
  data: Buffer;
  /** Uncompressed size written into the headers, when it should lie. */
  declaredSize?: number;
}

/** A zip written by hand, so tests can make it lie about its sizes. */
function buildZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const compressed = zlib.deflateRawSync(part.data);
    const name = Buffer.from(part.name, 'utf8');
    const size = part.declaredSize ?? part.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}

/** The entries of a zip, read with the module's own zip reader. */
async function unzip(target: string): Promise<Map<string, Buffer>> {
  const handle = await fs.promises.open(target, 'r');
  try {
    const directory = await readZipDirectory(handle, (await handle.stat()).size);
    const entries = new Map<string, Buffer>();
    for (const entry of directory.entries) {
      entries.set(entry.name, await readEntry(handle, await locateEntry(handle, directory, entry), 1 << 26));
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** A customer list as people make them: a title, a blank row, then the header. */
async function customerWorkbook(target: string) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户名单');
  sheet.getCell('A1').value = '2024年客户名单';
  sheet.getRow(3).values = ['客户名称', '手机', '日期', '备注', '金额'];
  sheet.getRow(4).values = [
    '张三',
    13800138000,
    new Date(Date.UTC(2024, 0, 2)),
    { richText: [{ text: '重要' }, { font: { bold: true }, text: '客户' }] },
    { formula: 'B4/1000000', result: 13800.138 },
  ];
  sheet.getRow(5).values = [
    { text: '上海某某贸易有限公司', hyperlink: 'https://example.com' },
    '010-65529988',
    { formula: 'DATE(2024,3,5)', result: 45356 },
    { formula: 'A4&"的备注"', result: '张三的备注' },
    true,
  ];
  sheet.getCell('C5').numFmt = 'yyyy-mm-dd';
  // Row 6 is left empty; row 7 has only blanks; row 8 is data again; the tail is empty formatting.
  sheet.getRow(7).values = ['', ' '];
  sheet.getRow(8).values = ['ＡＢＣ全角公司', null, null, 'a & <b> "c"'];
  sheet.getRow(12).getCell(1).numFmt = '@';
  workbook.addWorksheet('统计').addRow(['类型', '金额']);
  await workbook.xlsx.writeFile(target);
}

describe('openTable: text files', () => {
  it('reads a GBK CSV with a title row, CRLF, multi-line quoted cells and full-width text', async () => {
    const text = [
      '2024年客户名单,,',
      '',
      '客户名称,手机,备注,,',
      '张三,13800138000,"第一行',
      '第二行，全角逗号',
      '第三行"',
      ',,',
      '"李四,王五",139 0013 8000,"他说""好"""',
      'ＡＢＣ公司,,１２３',
      ',,',
      '',
    ].join('\r\n');
    const { info, rows } = await readAll(file('gbk.csv', iconv.encode(text, 'gbk')));
    expect(info).toEqual({
      format: 'csv',
      encoding: 'gb18030',
      sheet: null,
      headerRow: 3,
      header: ['客户名称', '手机', '备注'],
    });
    expect(rows).toEqual([
      { row: 4, cells: ['张三', '13800138000', '第一行\r\n第二行，全角逗号\r\n第三行'] },
      { row: 8, cells: ['李四,王五', '139 0013 8000', '他说"好"'] },
      { row: 9, cells: ['ＡＢＣ公司', null, '１２３'] },
    ]);
  });

  it('reads UTF-8 with a BOM and LF line ends', async () => {
    const { info, rows } = await readAll(file('bom.csv', '\ufeff客户名称,手机\n张三,138\n李四,139\n'));
    expect(info.encoding).toBe('utf-8');
    expect(info.header).toEqual(['客户名称', '手机']);
    expect(rows.map((row) => row.row)).toEqual([2, 3]);
  });

  it('reads UTF-8 without a BOM, counting lines of multi-line cells with lone LF in a CRLF file', async () => {
    const { info, rows } = await readAll(file('lf-in-cell.csv', '客户名称,备注\r\n甲,"a\nb\nc"\r\n乙,x\r\n'));
    expect(info.encoding).toBe('utf-8');
    expect(rows).toEqual([
      { row: 2, cells: ['甲', 'a\nb\nc'] },
      { row: 5, cells: ['乙', 'x'] },
    ]);
  });

  it('sniffs tabs, even when cells hold commas', async () => {
    const { info, rows } = await readAll(
      file('list.txt', '客户名称\t手机\t备注\n王五\t138\t北京市, 朝阳区\n"赵\t六"\t139\t"a\nb"\n'),
    );
    expect(info.format).toBe('tsv');
    expect(rows).toEqual([
      { row: 2, cells: ['王五', '138', '北京市, 朝阳区'] },
      { row: 3, cells: ['赵\t六', '139', 'a\nb'] },
    ]);
  });

  it('reads the UTF-16LE tab-separated text Excel saves as "Unicode text"', async () => {
    const text = '客户名称\t手机\r\n张三\t13800138000\r\n';
    const { info, rows } = await readAll(
      file('unicode.txt', iconv.encode(text, 'utf-16le', { addBOM: true })),
    );
    expect(info).toMatchObject({ format: 'tsv', encoding: 'utf-16le', header: ['客户名称', '手机'] });
    expect(rows).toEqual([{ row: 2, cells: ['张三', '13800138000'] }]);
  });

  it('tells a CSV by its content whatever its name', async () => {
    const { info } = await readAll(file('customers.xlsx', '客户名称,手机\n张三,138\n'));
    expect(info.format).toBe('csv');
  });

  it('prefers the best-scoring row and the earliest one on ties', async () => {
    const text = '备注\n客户名称,手机\n客户名称,手机\n张三,138\n';
    const { info, rows } = await readAll(file('ties.csv', text));
    expect(info.headerRow).toBe(2);
    expect(rows.map((row) => row.cells[0])).toEqual(['客户名称', '张三']);
  });

  it('yields batches of the requested size, and rows() may be read twice', async () => {
    const lines = ['客户名称', ...Array.from({ length: 5 }, (_, i) => `客户${i}`)];
    const target = file('batches.csv', lines.join('\n'));
    const table = await openTable(target, { headerScore, batchSize: 2 });
    const sizes = async () => {
      const seen: number[] = [];
      for await (const batch of table.rows()) seen.push(batch.length);
      return seen;
    };
    expect(await sizes()).toEqual([2, 2, 1]);
    expect(await sizes()).toEqual([2, 2, 1]);
  });
});

describe('openTable: xlsx', () => {
  it('finds the header under a title row and converts dates, numbers, rich text, links and formulas', async () => {
    const target = path.join(dir, 'customers.xlsx');
    await customerWorkbook(target);
    expect((await unzip(target)).has('xl/sharedStrings.xml')).toBe(true);
    const { info, rows } = await readAll(target);
    expect(info).toEqual({
      format: 'xlsx',
      encoding: null,
      sheet: '客户名单',
      headerRow: 3,
      header: ['客户名称', '手机', '日期', '备注', '金额'],
    });
    expect(rows).toEqual([
      { row: 4, cells: ['张三', 13800138000, new Date(Date.UTC(2024, 0, 2)), '重要客户', 13800.138] },
      {
        row: 5,
        cells: ['上海某某贸易有限公司', '010-65529988', new Date(Date.UTC(2024, 2, 5)), '张三的备注', true],
      },
      { row: 8, cells: ['ＡＢＣ全角公司', null, null, 'a & <b> "c"'] },
    ]);
  });

  it('reads a sheet chosen by name, and by default the first visible sheet', async () => {
    const target = path.join(dir, 'customers.xlsx');
    const { info, rows } = await readAll(target, { sheet: '统计' });
    expect(info).toMatchObject({ sheet: '统计', headerRow: 1, header: ['类型', '金额'] });
    expect(rows).toEqual([]);

    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明', { state: 'hidden' }).addRow(['请勿修改']);
    workbook.addWorksheet('数据').addRow(['客户名称']);
    const hiddenFirst = path.join(dir, 'hidden-first.xlsx');
    await workbook.xlsx.writeFile(hiddenFirst);
    expect((await readAll(hiddenFirst)).info.sheet).toBe('数据');
  });

  it('reads parts whatever order and names the writer used (sheet before styles and shared strings)', async () => {
    const source = path.join(dir, 'customers.xlsx');
    const entries = await unzip(source);
    const order = [
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/sharedStrings.xml',
      'xl/workbook.xml',
    ];
    const parts: ZipPart[] = order.map((name) => {
      let data = entries.get(name) as Buffer;
      // Absolute targets, as some writers use them.
      if (name === 'xl/_rels/workbook.xml.rels') {
        data = Buffer.from(data.toString('utf8').replace(/Target="worksheets\//g, 'Target="/xl/worksheets/'));
      }
      return { name, data };
    });
    const target = file('reordered.xlsx', buildZip(parts));
    const original = await readAll(source);
    const reordered = await readAll(target);
    expect(reordered.info).toEqual(original.info);
    expect(reordered.rows).toEqual(original.rows);
    expect((await readAll(target, { sheet: '统计' })).info.header).toEqual(['类型', '金额']);
  });
});

describe('openTable: 100,000 rows stream with flat memory', () => {
  const ROWS = 100_000;
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;

  /** Largest heap growth seen after the first batch, garbage collected before each look. */
  async function heapGrowth(target: string) {
    const table = await openTable(target, { headerScore, batchSize: 1000 });
    let baseline = 0;
    let growth = 0;
    let count = 0;
    let last: TableRow | undefined;
    let batches = 0;
    for await (const batch of table.rows()) {
      count += batch.length;
      last = batch[batch.length - 1];
      batches++;
      if (batches === 1) {
        gc();
        baseline = process.memoryUsage().heapUsed;
      } else if (batches % 10 === 0) {
        gc();
        growth = Math.max(growth, process.memoryUsage().heapUsed - baseline);
      }
    }
    return { count, last, growth };
  }

  it('a CSV', { timeout: 180_000 }, async () => {
    const target = path.join(dir, 'big.csv');
    const out = fs.createWriteStream(target);
    out.write('客户名称,手机,日期,备注\r\n');
    for (let i = 0; i < ROWS; i++) {
      out.write(`客户${i},${13800000000 + i},2024-01-02,"备注 ${i}\r\n${'长文本'.repeat(30)}"\r\n`);
    }
    await new Promise((resolve) => out.end(resolve));
    const { count, last, growth } = await heapGrowth(target);
    expect(count).toBe(ROWS);
    // Each record spans two lines, after the header on line 1.
    expect(last?.row).toBe(2 + (ROWS - 1) * 2);
    // Holding the rows would take well over 50 MB.
    expect(growth).toBeLessThan(16 * 1024 * 1024);
  });

  it('an xlsx', { timeout: 180_000 }, async () => {
    const target = path.join(dir, 'big.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: target,
      useSharedStrings: true,
      useStyles: true,
    });
    const sheet = workbook.addWorksheet('客户');
    sheet.addRow(['客户名称', '手机', '日期', '备注']).commit();
    const types = ['个人', '企业', '政府'];
    for (let i = 0; i < ROWS; i++) {
      sheet
        .addRow([types[i % 3], 13800000000 + i, new Date(Date.UTC(2024, 0, 1 + (i % 365))), `备注 ${i % 50}`])
        .commit();
    }
    sheet.commit();
    await workbook.commit();
    const { count, last, growth } = await heapGrowth(target);
    expect(count).toBe(ROWS);
    expect(last).toEqual({
      row: ROWS + 1,
      cells: ['个人', 13800000000 + ROWS - 1, new Date(Date.UTC(2024, 0, 1 + ((ROWS - 1) % 365))), '备注 49'],
    });
    expect(growth).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('openTable refuses bad input with a clear error', () => {
  it('a file that does not exist', async () => {
    const error = await failure(path.join(dir, 'missing.csv'));
    expect(reason(error)).toBe('not_found');
    expect(error.message).toContain('文件不存在');
  });

  it('a folder', async () => {
    expect(reason(await failure(dir))).toBe('not_a_file');
  });

  it('an empty file, and one with nothing but blank lines', async () => {
    expect(reason(await failure(file('empty.csv', '')))).toBe('empty');
    expect(reason(await failure(file('blank.csv', '\ufeff\r\n,,\r\n\r\n')))).toBe('empty');
  });

  it('a file larger than maxBytes', async () => {
    const error = await failure(file('large.csv', '客户名称\n张三\n'), { maxBytes: 10 });
    expect(reason(error)).toBe('too_large');
  });

  it('an old .xls file', async () => {
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), crypto.randomBytes(4096)]);
    const error = await failure(file('old.xls', xls));
    expect(reason(error)).toBe('xls');
    expect(error.message).toContain('.xlsx');
    expect(error.message).toContain('save it as .xlsx or .csv');
  });

  it('random bytes, with and without NUL bytes', async () => {
    expect(reason(await failure(file('random.bin', crypto.randomBytes(65536))))).toBe('binary');
    const noNul = Buffer.from(crypto.randomBytes(65536).map((byte) => byte || 1));
    expect(reason(await failure(file('random.csv', noNul)))).toBe('binary');
  });

  it('a web page or XML table saved as .xls, as many systems export', async () => {
    const html =
      '<html><head><meta charset="utf-8"></head><body><table><tr><td>客户名称</td></tr></table></body></html>';
    expect(reason(await failure(file('export.xls', html)))).toBe('html');
    const xml =
      '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>';
    expect(reason(await failure(file('export2003.xls', iconv.encode(xml, 'gbk'))))).toBe('html');
  });

  it('a zip that is not an xlsx', async () => {
    const zip = buildZip([{ name: 'readme.txt', data: Buffer.from('hello') }]);
    expect(reason(await failure(file('archive.xlsx', zip)))).toBe('not_xlsx');
  });

  it('a damaged xlsx: garbage after the zip signature, a cut file, a broken sheet', async () => {
    const garbage = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), crypto.randomBytes(4096)]);
    expect(reason(await failure(file('garbage.xlsx', garbage)))).toBe('damaged');
    const whole = fs.readFileSync(path.join(dir, 'customers.xlsx'));
    expect(reason(await failure(file('cut.xlsx', whole.subarray(0, whole.length / 2))))).toBe('damaged');
    const entries = await unzip(path.join(dir, 'customers.xlsx'));
    const parts: ZipPart[] = [...entries].map(([name, data]) => ({
      name,
      data:
        name === 'xl/worksheets/sheet1.xml'
          ? Buffer.from(data.toString('utf8').replace('</c>', '</x>'))
          : data,
    }));
    expect(reason(await failure(file('broken-sheet.xlsx', buildZip(parts))))).toBe('damaged');
  });

  it('a zip bomb disguised as xlsx: an entry compressed far beyond any real sheet', async () => {
    const zip = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 * 1024) }]);
    expect(zip.length).toBeLessThan(100_000);
    const error = await failure(file('bomb.xlsx', zip));
    expect(reason(error)).toBe('zip_bomb');
  });

  it('a zip bomb whose headers understate the size: caught while verifying, before exceljs', async () => {
    const entries = await unzip(path.join(dir, 'customers.xlsx'));
    const parts: ZipPart[] = [...entries].map(([name, data]) =>
      name === 'xl/worksheets/sheet1.xml'
        ? {
            name,
            data: Buffer.concat([data, Buffer.alloc(8 * 1024 * 1024, 0x20)]),
            declaredSize: data.length,
          }
        : { name, data },
    );
    const error = await failure(file('liar.xlsx', buildZip(parts)));
    expect(reason(error)).toBe('zip_bomb');
  });

  it('an archive declaring more than 1 GB in total', () => {
    const entry = { flags: 0, method: 8, crc32: 0, localOffset: 0, compressedSize: 5_000_000 };
    expect(() =>
      checkZipLimits({
        centralOffset: 0,
        entries: [
          { ...entry, name: 'xl/worksheets/sheet1.xml', uncompressedSize: 600_000_000 },
          { ...entry, name: 'xl/worksheets/sheet2.xml', uncompressedSize: 600_000_000 },
        ],
      }),
    ).toThrow(/解压后过大/);
  });

  it('a sheet name that does not exist, listing the sheets', async () => {
    const error = await failure(path.join(dir, 'customers.xlsx'), { sheet: '2023' });
    expect(reason(error)).toBe('sheet_not_found');
    expect(error.message).toContain('客户名单、统计');
    expect(error.details).toMatchObject({ sheets: ['客户名单', '统计'] });
  });

  it('a sheet or a file without a recognisable header', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRows([
      ['name', 'phone'],
      ['张三', '138'],
    ]);
    const target = path.join(dir, 'english.xlsx');
    await workbook.xlsx.writeFile(target);
    const error = await failure(target);
    expect(reason(error)).toBe('no_header');
    expect(error.details).toMatchObject({
      sheet: 'Sheet1',
      firstRows: [
        { row: 1, cells: ['name', 'phone'] },
        { row: 2, cells: ['张三', '138'] },
      ],
    });
    expect(reason(await failure(file('no-header.csv', 'a,b\n1,2\n')))).toBe('no_header');
  });

  it('an empty sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('空');
    const target = path.join(dir, 'empty-sheet.xlsx');
    await workbook.xlsx.writeFile(target);
    expect(reason(await failure(target))).toBe('empty');
  });

  it('a quote never closed', async () => {
    const error = await failure(file('quote.csv', '客户名称,备注\n张三,"没有结束\n李四,x\n'));
    expect(reason(error)).toBe('bad_quotes');
    expect(error.details).toMatchObject({ row: 2 });
  });
});

describe('xlsx writers', () => {
  it('writes an error report with the original header and an errors column, readable again', async () => {
    const target = path.join(dir, 'errors.xlsx');
    await writeErrorReport(
      target,
      ['客户名称', '手机', '日期'],
      [
        {
          row: 4,
          cells: ['张三', 'abc', new Date(Date.UTC(2024, 0, 2))],
          errors: ['手机: 号码无效', '类型: 未知'],
        },
        { row: 9, cells: ['李四'], errors: ['日期: 缺少'] },
      ],
    );
    const { info, rows } = await readAll(target);
    expect(info.header).toEqual(['客户名称', '手机', '日期', ERROR_COLUMN]);
    expect(rows).toEqual([
      { row: 2, cells: ['张三', 'abc', new Date(Date.UTC(2024, 0, 2)), '手机: 号码无效\n类型: 未知'] },
      { row: 3, cells: ['李四', null, null, '日期: 缺少'] },
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(target);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('rejects instead of crashing when the report cannot be written', async () => {
    await expect(
      writeErrorReport(path.join(dir, 'no-such-dir', 'errors.xlsx'), ['客户名称'], []),
    ).rejects.toThrow(/ENOENT/);
  });

  it('builds a template with bold frozen headers, notes and drop-down lists', async () => {
    const owners = Array.from({ length: 80 }, (_, i) => `sales${String(i).padStart(3, '0')}`);
    const buffer = await buildTemplate(
      [
        { header: '客户名称', note: '必填 / Required', width: 24 },
        { header: '类型', options: ['个人', '企业'] },
        { header: '负责人', options: owners },
        { header: '手机', text: true },
        { header: '地区', options: ['北京, 朝阳'] },
      ],
      '客户 Customers',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    const [sheet, lists] = workbook.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
    expect(sheet.name).toBe('客户 Customers');
    expect(sheet.getRow(1).values).toEqual([undefined, '客户名称', '类型', '负责人', '手机', '地区']);
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getCell('A1').note).toBe('必填 / Required');
    expect(sheet.getColumn(1).width).toBe(24);
    expect(sheet.getColumn(4).numFmt).toBe('@');
    expect(sheet.getCell('B2').dataValidation).toMatchObject({ type: 'list', formulae: ['"个人,企业"'] });
    expect(sheet.getCell('B1000').dataValidation).toMatchObject({ type: 'list' });
    expect(sheet.getCell('B1001').dataValidation).toBeUndefined();
    expect(sheet.getCell('C500').dataValidation?.formulae).toEqual(["'下拉选项'!$A$2:$A$81"]);
    expect(sheet.getCell('E2').dataValidation?.formulae).toEqual(["'下拉选项'!$B$2:$B$2"]);
    expect(lists.state).toBe('hidden');
    expect(lists.getCell('A81').value).toBe('sales079');
    expect(lists.getCell('B2').value).toBe('北京, 朝阳');
    // The template itself opens as an (empty) table with its headers.
    const target = file('template.xlsx', buffer);
    const table = await openTable(target, { headerScore });
    expect(table.info).toMatchObject({ sheet: '客户 Customers', headerRow: 1 });
  });
});
