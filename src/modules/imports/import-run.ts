/**
 * What every spreadsheet import shares: the file is opened and its header mapped to fields, then
 * read in batches inside one transaction together with its import record and audit entry. A dry
 * run does the whole work and rolls it back, so its report is exactly what a commit would do.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Queryable } from '../../db/database.js';
import {
  type CustomFieldLabel,
  type FieldTarget,
  headerScorer,
  type ImportKind,
  mapColumns,
  mappingTargets,
  type SavedMapping,
} from '../../domain/imports/column-mapping.js';
import { type CellValue, displayCell, normalizeCell } from '../../domain/imports/normalize-cell.js';
import { AppError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { recordAudit } from '../audit/audit-log.js';
import { openTable, type TableInfo } from './read-table.js';

export type OnDuplicate = 'skip' | 'update';
export const onDuplicateChoices: readonly OnDuplicate[] = ['skip', 'update'];

export interface InvalidCell {
  /** Row number as the spreadsheet shows it (CSV: the line number; the header is its own row). */
  row: number;
  /** The header of the column at fault, as written in the file ('' when no column holds the field). */
  column: string;
  /** API name of the field at fault. */
  field: string;
  value: string;
  message: string;
}

export interface SimilarCustomer {
  code: string;
  name: string;
  owner: string | null;
}

export interface PossibleDuplicate {
  row: number;
  name: string;
  /** Stored customers, or earlier rows of the same file, with the same name once suffixes and punctuation are set aside. */
  similarTo: (SimilarCustomer | { row: number; name: string })[];
}

/** The report `--json` prints, key for key. */
export interface ImportReport {
  rows: number;
  valid: number;
  created: number;
  updated: number;
  skipped: number;
  duplicates: { inFile: number; existing: number };
  possibleDuplicates: PossibleDuplicate[];
  invalid: InvalidCell[];
}

export interface ImportOptions {
  sheet?: string;
  dryRun?: boolean;
  onDuplicate?: OnDuplicate;
  mapping?: SavedMapping;
  /** Write the valid rows even when some are invalid (they are reported, never written). */
  skipInvalid?: boolean;
  batchSize?: number;
  /** The name recorded for the file (an upload's original name); default: the file's base name. */
  fileName?: string;
}

export interface ImportOutcome {
  report: ImportReport;
  importId: number | null;
  dryRun: boolean;
  /** True when the rows were written (not a dry run, and not refused for invalid rows). */
  committed: boolean;
  table: TableInfo;
  columns: { header: string; field: FieldTarget | null }[];
  unknownColumns: string[];
  /** The invalid rows with their original cells, for the downloadable error report (first 50,000). */
  errorRows: { row: number; cells: CellValue[]; errors: string[] }[];
  header: string[];
}

export interface MappedRow {
  row: number;
  /** Field → canonical cell text ('' for empty). */
  values: Record<string, string>;
  /** The cells as read, in file order (error messages show a field's cell as written). */
  cells: CellValue[];
}

/** Reports cap the lists they keep, so a file of a million bad rows cannot exhaust memory. */
export const REPORT_LIMIT = 50_000;

export function emptyReport(): ImportReport {
  return {
    rows: 0,
    valid: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    duplicates: { inFile: 0, existing: 0 },
    possibleDuplicates: [],
    invalid: [],
  };
}

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export interface BatchContext {
  tx: Queryable;
  report: ImportReport;
  importId: number;
  /** Earlier, not undone imports of the very same file (by hash). */
  previousImports: number[];
  columnOf: (field: string) => string;
  invalid: (row: MappedRow, field: string, message: string) => void;
}

interface RunSpec {
  kind: ImportKind;
  custom: CustomFieldLabel[];
  required: string[];
  processBatch: (rows: MappedRow[], context: BatchContext) => Promise<void>;
  finish: (context: BatchContext) => Promise<void>;
}

class Rollback extends Error {}

export async function runImportFile(
  ctx: AppContext,
  file: string,
  options: ImportOptions,
  spec: RunSpec,
): Promise<ImportOutcome> {
  const onDuplicate = options.onDuplicate ?? 'update';
  const scorer = headerScorer(spec.kind, spec.custom);
  const opened = await openTable(file, {
    sheet: options.sheet,
    batchSize: options.batchSize ?? (spec.kind === 'customers' ? 2000 : 5000),
    // A saved mapping's headers count as recognised too.
    headerScore: (cells) =>
      scorer(cells) +
      cells.filter((cell) => cell.trim() !== '' && options.mapping && cell.trim() in options.mapping).length,
  });
  const { info } = opened;
  const targets = new Set(mappingTargets(spec.kind, spec.custom));
  for (const [header, field] of Object.entries(options.mapping ?? {})) {
    if (field !== null && !targets.has(field)) {
      throw new AppError(
        'IMPORT_FAILED',
        {
          zh: `映射文件中“${header}”对应的字段 ${field} 不存在`,
          en: `The mapping sends "${header}" to ${field}, which is not a field`,
        },
        { targets: [...targets] },
      );
    }
  }
  const mapping = mapColumns(spec.kind, info.header, spec.custom, options.mapping);
  const missing = spec.required.filter((field) => !mapping.fields.includes(field));
  if (missing.length > 0) {
    throw new AppError(
      'IMPORT_FAILED',
      {
        zh: `找不到必需的列：${missing.join('、')}（第 ${info.headerRow} 行是表头：${info.header.filter(Boolean).join('，')}）`,
        en: `Required column(s) missing: ${missing.join(', ')} (row ${info.headerRow} is the header: ${info.header.filter(Boolean).join(', ')})`,
      },
      { headerRow: info.headerRow, header: info.header, missing },
    );
  }
  const columnIndex = new Map<string, number>();
  mapping.fields.forEach((field, index) => {
    if (field !== null) columnIndex.set(field, index);
  });
  const mappedFields = mapping.fields.flatMap((field, index) =>
    field === null ? [] : [[index, field] as const],
  );
  const rawCell = (row: MappedRow, field: string) => {
    const index = columnIndex.get(field);
    return index === undefined ? '' : displayCell(row.cells[index] ?? null);
  };
  const columnOf = (field: string) => {
    const index = columnIndex.get(field);
    return index === undefined ? '' : (info.header[index] ?? '');
  };
  const hash = await fileSha256(file);
  const fileName = options.fileName ?? path.basename(file);
  const report = emptyReport();
  const errorRows = new Map<number, { row: number; cells: CellValue[]; errors: string[] }>();
  const dryRun = options.dryRun ?? false;
  let importId: number | null = null;
  let committed = false;

  const work = async (tx: Queryable) => {
    const previous = await tx.query<{ id: number }>(
      'SELECT id FROM imports WHERE kind = $1 AND file_hash = $2 AND undone_at IS NULL',
      [spec.kind, hash],
    );
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO imports (kind, file_name, file_hash, format, encoding, sheet, on_duplicate, actor, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        spec.kind,
        fileName,
        hash,
        info.format,
        info.encoding,
        info.sheet,
        onDuplicate,
        ctx.actor.name,
        ctx.now().toISOString(),
      ],
    );
    importId = (inserted.rows[0] as { id: number }).id;
    const context: BatchContext = {
      tx,
      report,
      importId,
      previousImports: previous.rows.map((row) => row.id),
      columnOf,
      invalid: (row, field, message) => {
        if (report.invalid.length < REPORT_LIMIT) {
          report.invalid.push({
            row: row.row,
            column: columnOf(field.startsWith('custom.') ? field : (field.split('.')[0] ?? field)),
            field,
            value: rawCell(row, field.startsWith('custom.') ? field : (field.split('.')[0] ?? field)),
            message,
          });
        }
        let entry = errorRows.get(row.row);
        if (!entry && errorRows.size < REPORT_LIMIT) {
          entry = { row: row.row, cells: row.cells, errors: [] };
          errorRows.set(row.row, entry);
        }
        entry?.errors.push(`${columnOf(field) || field}: ${message}`);
      },
    };
    for await (const batch of opened.rows()) {
      const mapped = batch.map((tableRow): MappedRow => {
        const values: Record<string, string> = {};
        for (const [index, field] of mappedFields)
          values[field] = normalizeCell(field, tableRow.cells[index] ?? null);
        return { row: tableRow.row, values, cells: tableRow.cells };
      });
      report.rows += mapped.length;
      await spec.processBatch(mapped, context);
    }
    const refused = report.invalid.length > 0 && !options.skipInvalid;
    if (!refused) await spec.finish(context);
    await tx.query(
      `UPDATE imports SET rows = $2, created = $3, updated = $4, skipped = $5, invalid = $6 WHERE id = $1`,
      [importId, report.rows, report.created, report.updated, report.skipped, report.invalid.length],
    );
    if (dryRun || refused) throw new Rollback();
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: `import.${spec.kind}`,
        entityType: 'import',
        entityId: importId,
        details: {
          file: fileName,
          rows: report.rows,
          created: report.created,
          updated: report.updated,
          skipped: report.skipped,
          invalid: report.invalid.length,
        },
      },
      ctx.now(),
    );
    committed = true;
  };

  try {
    await ctx.db.transaction(work);
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    if (!dryRun) {
      // Refused for invalid rows: nothing was written, and the report says so.
      report.created = 0;
      report.updated = 0;
      report.skipped = 0;
      await ctx.db.transaction((tx) =>
        recordAudit(
          tx,
          ctx.actor,
          {
            action: `import.${spec.kind}_rejected`,
            details: { file: fileName, rows: report.rows, invalid: report.invalid.length },
          },
          ctx.now(),
        ),
      );
    }
  }
  return {
    report,
    importId: committed ? importId : null,
    dryRun,
    committed,
    table: info,
    columns: info.header.map((header, index) => ({ header, field: mapping.fields[index] ?? null })),
    unknownColumns: mapping.unknown.map((column) => column.header).filter((header) => header.trim() !== ''),
    errorRows: [...errorRows.values()],
    header: info.header,
  };
}
