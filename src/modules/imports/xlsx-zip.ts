import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { AppError } from '../../shared/app-error.js';
import { tableError } from './table-types.js';

/**
 * Limits on what an xlsx may unpack to. An xlsx is a zip, and a zip can declare — or hide — far
 * more data than it holds (a "zip bomb"); exceljs would inflate whatever it is given.
 */
export const ZIP_LIMITS = {
  /** Sum of the declared uncompressed sizes of all entries. */
  maxTotalUncompressed: 1024 ** 3,
  /** Compressed → uncompressed ratio refused for entries larger than `ratioCheckedAbove`. */
  maxRatio: 200,
  ratioCheckedAbove: 1024 * 1024,
  maxEntries: 10_000,
  maxCentralDirectory: 16 * 1024 * 1024,
};

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Where the central directory starts: every entry's data must end before it. */
  centralOffset: number;
}

export function damagedZip(detail?: string) {
  return tableError(
    'damaged',
    {
      zh: 'Excel 文件已损坏，无法读取。请在 Excel 或 WPS 中打开后重新保存为 .xlsx 或 .csv',
      en: 'The Excel file is damaged and cannot be read. Please open it in Excel or WPS and save it again as .xlsx or .csv',
    },
    detail ? { detail } : {},
  );
}

function zipBomb(detail: string) {
  return tableError(
    'zip_bomb',
    {
      zh: 'Excel 文件解压后过大或压缩比异常，已拒绝读取（可能是恶意文件）。请导出为较小的文件或 .csv',
      en: 'The Excel file would unpack to too much data or is compressed suspiciously well; it was refused. Please split it or export it as .csv',
    },
    { detail },
  );
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw damagedZip('unexpected end of file');
  return buffer;
}

/** Reads the end record and the central directory — the zip's own table of contents. */
export async function readZipDirectory(handle: FileHandle, size: number): Promise<ZipDirectory> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_END && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      end = i;
      break;
    }
  }
  if (end < 0) throw damagedZip('no end of central directory record');
  const count = tail.readUInt16LE(end + 10);
  const centralSize = tail.readUInt32LE(end + 12);
  const centralOffset = tail.readUInt32LE(end + 16);
  // ZIP64 marks: only archives with more than 65,535 entries or 4 GB need them — never a sane xlsx.
  if (count === 0xffff || centralSize === 0xffffffff || centralOffset === 0xffffffff) {
    throw zipBomb('zip64 archive');
  }
  if (count > ZIP_LIMITS.maxEntries) throw zipBomb(`${count} entries`);
  if (centralSize > ZIP_LIMITS.maxCentralDirectory) throw zipBomb('central directory too large');
  if (centralOffset + centralSize > size - tailLength + end)
    throw damagedZip('central directory out of range');
  const central = await readAt(handle, centralOffset, centralSize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > central.length || central.readUInt32LE(at) !== SIG_CENTRAL) {
      throw damagedZip('bad central directory entry');
    }
    const flags = central.readUInt16LE(at + 8);
    const nameLength = central.readUInt16LE(at + 28);
    const extraLength = central.readUInt16LE(at + 30);
    const commentLength = central.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      flags,
      method: central.readUInt16LE(at + 10),
      crc32: central.readUInt32LE(at + 16),
      compressedSize: central.readUInt32LE(at + 20),
      uncompressedSize: central.readUInt32LE(at + 24),
      localOffset: central.readUInt32LE(at + 42),
      name: central.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength),
    };
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff) {
      throw zipBomb(`zip64 entry ${entry.name}`);
    }
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { entries, centralOffset };
}

/** Refuses an archive whose declared sizes or compression ratios are out of bounds. */
export function checkZipLimits(directory: ZipDirectory): void {
  let total = 0;
  for (const entry of directory.entries) {
    total += entry.uncompressedSize;
    if (
      entry.uncompressedSize > ZIP_LIMITS.ratioCheckedAbove &&
      entry.uncompressedSize / Math.max(entry.compressedSize, 1) > ZIP_LIMITS.maxRatio
    ) {
      throw zipBomb(
        `${entry.name}: ${entry.compressedSize} bytes declared to unpack to ${entry.uncompressedSize} bytes`,
      );
    }
  }
  if (total > ZIP_LIMITS.maxTotalUncompressed) throw zipBomb(`${total} bytes uncompressed in total`);
}

export interface LocatedEntry extends ZipEntry {
  /** Where the compressed data starts, after the local header. */
  dataStart: number;
}

/** Finds an entry's data through its local header, checking it lies before the central directory. */
export async function locateEntry(
  handle: FileHandle,
  directory: ZipDirectory,
  entry: ZipEntry,
): Promise<LocatedEntry> {
  if (entry.flags & 0x1) {
    throw tableError('xls', {
      zh: '这个 Excel 文件加了密码，无法导入。请取消密码后另存为 .xlsx 或 .csv',
      en: 'This Excel file is password-protected and cannot be imported. Please remove the password and save it as .xlsx or .csv',
    });
  }
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATE) {
    throw damagedZip(`unsupported compression method ${entry.method} in ${entry.name}`);
  }
  if (entry.localOffset + 30 > directory.centralOffset) throw damagedZip(`bad offset of ${entry.name}`);
  const header = await readAt(handle, entry.localOffset, 30);
  if (header.readUInt32LE(0) !== SIG_LOCAL) throw damagedZip(`bad local header of ${entry.name}`);
  const dataStart = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (dataStart + entry.compressedSize > directory.centralOffset) {
    throw damagedZip(`data of ${entry.name} out of range`);
  }
  if (entry.method === METHOD_STORED && entry.compressedSize !== entry.uncompressedSize) {
    throw damagedZip(`stored entry ${entry.name} with two sizes`);
  }
  return { ...entry, dataStart };
}

const inflateRaw = promisify(zlib.inflateRaw);

/** Inflates a small entry into memory (workbook.xml, relationships), never beyond its declared size. */
export async function readEntry(handle: FileHandle, entry: LocatedEntry, limit: number): Promise<Buffer> {
  if (entry.uncompressedSize > limit) throw zipBomb(`${entry.name} larger than ${limit} bytes`);
  const compressed = await readAt(handle, entry.dataStart, entry.compressedSize);
  if (entry.method === METHOD_STORED) return compressed;
  let data: Buffer;
  try {
    data = await inflateRaw(compressed, { maxOutputLength: Math.max(entry.uncompressedSize, 1) });
  } catch (error) {
    if (error instanceof RangeError) throw zipBomb(`${entry.name} unpacks to more than it declares`);
    throw damagedZip(`${entry.name}: ${(error as Error).message}`);
  }
  if (data.length !== entry.uncompressedSize) throw damagedZip(`${entry.name} has the wrong size`);
  return data;
}

/**
 * Inflates an entry without keeping it, to prove it unpacks to exactly its declared size: the
 * declared sizes checked by `checkZipLimits` may lie, and exceljs trusts the compressed stream.
 */
export async function verifyEntrySize(file: string, entry: LocatedEntry): Promise<void> {
  if (entry.method === METHOD_STORED || entry.compressedSize === 0) {
    if (entry.uncompressedSize !== entry.compressedSize) throw damagedZip(`${entry.name} has the wrong size`);
    return;
  }
  let produced = 0;
  const counter = new Writable({
    write(chunk: Buffer, _encoding, done) {
      produced += chunk.length;
      done(
        produced > entry.uncompressedSize ? zipBomb(`${entry.name} unpacks to more than it declares`) : null,
      );
    },
  });
  try {
    await pipeline(
      fs.createReadStream(file, { start: entry.dataStart, end: entry.dataStart + entry.compressedSize - 1 }),
      zlib.createInflateRaw(),
      counter,
    );
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw damagedZip(`${entry.name}: ${(error as Error).message}`);
  }
  if (produced !== entry.uncompressedSize) throw damagedZip(`${entry.name} has the wrong size`);
}

/** A part fed to exceljs: an entry copied from the file, or a small stored part made here. */
export type FeedPart = { as: string; entry: LocatedEntry } | { as: string; data: Buffer };

/**
 * A zip stream made of the given parts only, in the given order and under the given names: each
 * gets a fresh local header (sizes known, no data descriptor) followed by its compressed bytes,
 * copied from the file. So exceljs always sees the workbook, styles and shared strings before the
 * sheet (whatever order the writer used), never reads other sheets, and never sees bytes that were
 * not checked.
 */
export function zipFeed(handle: FileHandle, parts: FeedPart[]): Readable {
  async function* chunks() {
    for (const part of parts) {
      const entry =
        'entry' in part
          ? part.entry
          : {
              method: METHOD_STORED,
              crc32: 0,
              compressedSize: part.data.length,
              uncompressedSize: part.data.length,
            };
      const name = Buffer.from(part.as, 'utf8');
      const header = Buffer.alloc(30);
      header.writeUInt32LE(SIG_LOCAL, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(0x800, 6);
      header.writeUInt16LE(entry.method, 8);
      header.writeUInt32LE(entry.crc32, 14);
      header.writeUInt32LE(entry.compressedSize, 18);
      header.writeUInt32LE(entry.uncompressedSize, 22);
      header.writeUInt16LE(name.length, 26);
      yield Buffer.concat([header, name]);
      if ('data' in part) {
        yield part.data;
      } else if (part.entry.compressedSize > 0) {
        yield* handle.createReadStream({
          start: part.entry.dataStart,
          end: part.entry.dataStart + part.entry.compressedSize - 1,
          autoClose: false,
        });
      }
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(SIG_END, 0);
    yield end;
  }
  return Readable.from(chunks(), { objectMode: false });
}
