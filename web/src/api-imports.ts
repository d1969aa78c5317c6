import { type Query, request, toSearchParams } from './api';
import type { Customer } from './types';

/** Spreadsheet import, duplicate finder and merges (docs/imports.md, docs/api.md). */

export type ImportKind = 'customers' | 'transactions';
export const IMPORT_KINDS: readonly ImportKind[] = ['customers', 'transactions'];
export type OnDuplicate = 'update' | 'skip';

/** Header text as written in the file → field (`name`, `custom.level`…) or null to leave the column out. */
export type ColumnMapping = Record<string, string | null>;

export interface ImportInvalidCell {
  /** The row as the spreadsheet shows it (for CSV the line; the header is 1). */
  row: number;
  /** The header as written. */
  column: string;
  field: string;
  value: string;
  /** `中文 / English`. */
  message: string;
}

export type SimilarCustomer =
  | { code: string; name: string; owner: string | null }
  | { row: number; name: string };

export interface PossibleDuplicate {
  row: number;
  name: string;
  similarTo: SimilarCustomer[];
}

export interface ImportReport {
  rows: number;
  valid: number;
  created: number;
  updated: number;
  skipped: number;
  duplicates: { inFile: number; existing: number };
  possibleDuplicates: PossibleDuplicate[];
  invalid: ImportInvalidCell[];
}

export interface ImportTable {
  format: string;
  encoding: string | null;
  sheet: string | null;
  headerRow: number;
  header: string[];
}

export interface ImportOutcome {
  report: ImportReport;
  importId: number | null;
  dryRun: boolean;
  committed: boolean;
  table: ImportTable;
  columns: { header: string; field: string | null }[];
  unknownColumns: string[];
  /** Link to the invalid rows as xlsx (valid for an hour), when rows were invalid. */
  errorReport: string | null;
}

export interface ImportOptions {
  dryRun: boolean;
  skipInvalid: boolean;
  onDuplicate: OnDuplicate;
  sheet?: string;
  fileName: string;
  mapping?: ColumnMapping;
}

export interface ImportRecord {
  id: number;
  kind: ImportKind;
  fileName: string;
  fileHash: string;
  format: string;
  encoding: string | null;
  sheet: string | null;
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  invalid: number;
  onDuplicate: string;
  actor: string;
  createdAt: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

export interface UndoImportResult {
  id: number;
  deleted: number;
  restored: number;
}

export type DuplicateLevel = 'duplicate' | 'possible';
export type MatchKind = 'phone' | 'email' | 'same_name' | 'same_pinyin' | 'similar_name';

export interface DuplicateMember {
  id: number;
  code: string;
  name: string;
  type: string;
  owner: string | null;
}

export interface DuplicateMatch {
  kind: MatchKind;
  /** Codes of the customers sharing it. */
  customers: string[];
  /** Of those, the ones sharing it through a contact. */
  viaContact?: string[];
  key?: string;
  distance?: number;
}

export interface DuplicateGroup {
  level: DuplicateLevel;
  members: DuplicateMember[];
  matches: DuplicateMatch[];
}

export interface DuplicateReport {
  groups: DuplicateGroup[];
  total: number;
  counts: Record<DuplicateLevel, number>;
  keysComputed: number;
}

export interface CustomerBrief {
  id: number;
  code: string;
  name: string;
}

export interface MergeInput {
  survivor: number;
  others: number[];
  /** Field → id of the customer whose value the survivor gets. */
  take?: Record<string, number>;
  dryRun?: boolean;
}

export interface MergeResult {
  mergeId: number | null;
  dryRun: boolean;
  survivor: CustomerBrief;
  removed: CustomerBrief[];
  /** Survivor fields that changed, with the code of the customer whose value they took. */
  fields: { field: string; from: string | null }[];
  moved: Record<string, number>;
  setAside: Record<string, number>;
  customer: Customer;
}

export interface MergeRecord {
  id: number;
  survivor: { id: number; code: string };
  removed: CustomerBrief[];
  /** Field → code of the customer whose value the survivor took. */
  taken: Record<string, string>;
  moved: Record<string, number>;
  setAside: Record<string, number>;
  actor: string;
  mergedAt: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

export interface UnmergeResult {
  mergeId: number;
  survivor: CustomerBrief;
  restoredCustomers: CustomerBrief[];
  restoredFields: string[];
  /** Survivor fields changed since the merge: kept as they are. */
  changedSince: string[];
  movedBack: Record<string, number>;
  missing: Record<string, number>;
  restored: Record<string, number>;
  notRestored: Record<string, number>;
}

type Id = number | string;
const enc = (id: Id) => encodeURIComponent(String(id));

export const importsApi = {
  /** The file is the request body; a dry run writes nothing and reports exactly what a commit would do. */
  run: (kind: ImportKind, file: Blob, options: ImportOptions) =>
    request<ImportOutcome>(`/imports/${kind}`, {
      method: 'POST',
      rawBody: file,
      query: {
        dryRun: options.dryRun,
        skipInvalid: options.skipInvalid,
        onDuplicate: options.onDuplicate,
        sheet: options.sheet?.trim() || undefined,
        fileName: options.fileName.slice(0, 255),
        mapping:
          options.mapping && Object.keys(options.mapping).length > 0
            ? JSON.stringify(options.mapping)
            : undefined,
      },
    }),
  list: (signal?: AbortSignal) => request<{ items: ImportRecord[] }>('/imports', { signal }),
  undo: (id: Id) => request<UndoImportResult>(`/imports/${enc(id)}/undo`, { method: 'POST' }),
  /** A plain GET (the session cookie goes along), for a download link. */
  templateUrl: '/api/imports/template',
};

export const duplicatesApi = {
  find: (query: Query, signal?: AbortSignal) => request<DuplicateReport>('/duplicates', { query, signal }),
  merge: (body: MergeInput) => request<MergeResult>('/merges', { method: 'POST', body }),
  listMerges: (query: Query, signal?: AbortSignal) =>
    request<{ items: MergeRecord[]; nextBeforeId: number | null }>('/merges', { query, signal }),
  undoMerge: (id: Id) => request<UnmergeResult>(`/merges/${enc(id)}/undo`, { method: 'POST' }),
};

/** Data quality (GET /api/quality/…): completeness scores 0–100 and customers gone quiet. */
export interface QualitySummary {
  customers: number;
  averageScore: number | null;
  bands: { band: string; min: number; max: number; count: number }[];
  incomplete: number;
  incompleteBelow: number;
  stale: number;
  staleDays: number;
  /** How many customers have each weighted field. */
  fields: { field: string; weight: number; filled: number }[];
}

export interface IncompleteCustomer {
  id: number;
  code: string;
  name: string;
  owner: string | null;
  score: number;
  /** Weighted fields the customer lacks (`phone`, `region`, `wechatOrQq`…). */
  missing: string[];
  updatedAt: string;
}

export interface StaleCustomer {
  id: number;
  code: string;
  name: string;
  owner: string | null;
  updatedAt: string;
  lastPurchaseOn: string | null;
  lastContactedAt: string | null;
  idleDays: number;
}

export const qualityApi = {
  summary: (query: Query, signal?: AbortSignal) =>
    request<QualitySummary>('/quality/summary', { query, signal }),
  incomplete: (query: Query, signal?: AbortSignal) =>
    request<{ items: IncompleteCustomer[]; total: number }>('/quality/incomplete', { query, signal }),
  stale: (query: Query, signal?: AbortSignal) =>
    request<{ items: StaleCustomer[]; total: number; days: number }>('/quality/stale', { query, signal }),
};

export type ExportFormat = 'xlsx' | 'csv';
export type ExportEncoding = 'utf-8' | 'gbk';
export type ExportHeaders = 'zh' | 'en' | 'api';

/**
 * The customer list as a file: every customer matching the list's filters, search and sort
 * (GET /api/customers/export; a plain GET with the session cookie, for a download link).
 */
export function customerExportUrl(
  listQuery: Query,
  options: { format: ExportFormat; encoding: ExportEncoding; headers: ExportHeaders },
): string {
  const { limit: _limit, cursor: _cursor, exactTotal: _exactTotal, ...filters } = listQuery;
  const query: Query = {
    ...filters,
    format: options.format,
    // The encoding is a CSV matter; an xlsx is always Unicode.
    encoding: options.format === 'csv' ? options.encoding : undefined,
    headers: options.headers,
  };
  return `/api/customers/export?${toSearchParams(query).toString()}`;
}
