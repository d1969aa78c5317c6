import type { ColumnMapping, ImportKind, ImportOutcome } from './api-imports';
import { FIELD_SPECS } from './customer-fields';

/** Fields a transaction file can feed (src/domain/imports/column-mapping.ts). */
export const TRANSACTION_FIELDS = [
  'customer_code',
  'date',
  'amount',
  'quantity',
  'product',
  'category',
  'cost',
  'channel',
  'external_ref',
  'notes',
] as const;
export type TransactionField = (typeof TRANSACTION_FIELDS)[number];

/** Standard customer fields in form order (the same names the import accepts, `owner` by username). */
export const CUSTOMER_IMPORT_FIELDS: string[] = FIELD_SPECS.map((spec) => spec.name);

/** Columns an import cannot do without. */
export const REQUIRED_FIELDS: Record<ImportKind, readonly string[]> = {
  customers: ['name'],
  transactions: ['customer_code', 'date', 'amount'],
};

export interface MappedColumn {
  index: number;
  header: string;
  /** The field the column feeds; null: not imported; undefined: left to the server (not known yet). */
  field: string | null | undefined;
  /** Nobody recognised the header: it is not imported unless mapped. */
  unknown: boolean;
  /** The user (or a loaded mapping) chose the field. */
  chosen: boolean;
}

/**
 * The columns as shown in the mapping step: the user's choices over what the last dry run
 * recognised. Without a dry run (it failed) only the header is known.
 */
export function mappedColumns(
  header: readonly string[],
  outcome: ImportOutcome | null,
  overrides: ColumnMapping,
): MappedColumn[] {
  const unknown = new Set(outcome?.unknownColumns ?? []);
  return header.map((text, index) => {
    const chosen = text.trim() !== '' && Object.hasOwn(overrides, text);
    const fromServer = outcome?.columns[index];
    const field = chosen ? (overrides[text] ?? null) : fromServer ? fromServer.field : undefined;
    return { index, header: text, field, unknown: !chosen && unknown.has(text), chosen };
  });
}

/**
 * The overrides after column `header` is set to `field`: a field feeds one column, so any other
 * column showing the same field is left out explicitly.
 */
export function chooseField(
  columns: readonly MappedColumn[],
  overrides: ColumnMapping,
  header: string,
  field: string | null,
): ColumnMapping {
  const next: ColumnMapping = { ...overrides, [header]: field };
  if (field !== null) {
    for (const column of columns) {
      if (column.header !== header && column.header.trim() !== '' && column.field === field) {
        next[column.header] = null;
      }
    }
  }
  return next;
}

/** The whole mapping an import used, to save and load next time. */
export function fullMapping(columns: readonly MappedColumn[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const column of columns) {
    if (column.header.trim() === '' || column.field === undefined) continue;
    mapping[column.header] = column.field;
  }
  return mapping;
}

/** A mapping file as saved by "Download mapping" (or the CLI's --save-mapping); null if it is not one. */
export function parseMapping(text: string): ColumnMapping | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const mapping: ColumnMapping = {};
  for (const [header, field] of Object.entries(value)) {
    if (field !== null && typeof field !== 'string') return null;
    mapping[header] = field === '' ? null : field;
  }
  return mapping;
}

export function missingRequired(kind: ImportKind, columns: readonly MappedColumn[]): string[] {
  // Columns the server has not answered for yet may still be recognised: only known gaps count.
  if (columns.some((column) => column.field === undefined)) return [];
  const fields = new Set(columns.map((column) => column.field));
  return REQUIRED_FIELDS[kind].filter((field) => !fields.has(field));
}

/** Distinct rows among the invalid cells. */
export function invalidRowCount(invalid: readonly { row: number }[]): number {
  return new Set(invalid.map((cell) => cell.row)).size;
}

/** Offers the JSON text as a file download. */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
