import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { CustomFieldDefinition } from '../../domain/custom-fields/custom-field-values.js';
import { type CustomerEnumName, customerEnums } from '../../domain/customers/enums.js';
import { formatPhone } from '../../domain/customers/normalize-phone.js';
import { CUSTOMER_COLUMNS as COLUMN_SYNONYMS } from '../../domain/imports/column-mapping.js';
import { validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { recordAudit } from '../audit/audit-log.js';
import { CUSTOMER_COLUMNS } from '../customers/customer.queries.js';
import { type Customer, customerFieldNames } from '../customers/customer.schemas.js';
import {
  addAccessConditions,
  asList,
  customerFilterConditions,
  KNOWN_PARAMS,
  keysetCondition,
  type ListParams,
  parseSort,
  type SortSpec,
  Sql,
} from '../customers/list-customers.js';
import { disclosureFor, presentPersonal } from '../customers/personal-data.js';
import type { ConsentPurpose } from '../privacy/consents.js';

export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];
export const exportEncodings = ['utf-8', 'gbk'] as const;
export type ExportEncoding = (typeof exportEncodings)[number];
/** Header row: API names (`phone`, `custom.level`), or Chinese / English labels — all read back by import. */
export const exportHeaders = ['api', 'zh', 'en'] as const;
export type ExportHeaders = (typeof exportHeaders)[number];

export interface ExportOptions {
  format?: ExportFormat;
  /** CSV only; default utf-8. */
  encoding?: ExportEncoding;
  /** UTF-8 CSV only: byte-order mark so that Excel reads Chinese correctly (default true). */
  bom?: boolean;
  headers?: ExportHeaders;
  /** Only customers with an active consent for this purpose (the list's `consent`). */
  purpose?: ConsentPurpose;
  /** The customer list's query parameters: filters, search, sort (see docs/api.md). */
  filter?: ListParams;
  pageSize?: number;
}

/** Parameters of the list that choose a page rather than customers: an export holds every match. */
const PAGE_PARAMS = ['limit', 'cursor', 'exactTotal'];

type Kind = 'text' | 'number' | 'boolean' | 'enum' | 'list' | 'phone';

interface Column {
  /** The API name: the header in `api` mode. */
  name: string;
  zh: string;
  en: string;
  kind: Kind;
  enumName?: CustomerEnumName;
  value: (customer: Customer) => unknown;
}

const NUMBER_FIELDS = new Set(['birthYear']);

/** "firstContactOn" → "First contact on": import reads it back (headers compare without case or spaces). */
function englishLabel(name: string): string {
  const special: Record<string, string> = { vip: 'VIP', qq: 'QQ', id: 'ID', email: 'E-mail' };
  if (special[name]) return special[name];
  const words = name.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Computed columns (read by people, skipped by import), with the labels import knows them by. */
const COMPUTED: { name: keyof Customer; zh: string; kind: Kind }[] = [
  { name: 'id', zh: 'ID', kind: 'number' },
  { name: 'totalSpent', zh: '累计消费', kind: 'number' },
  { name: 'orderCount', zh: '订单数', kind: 'number' },
  { name: 'averageOrderValue', zh: '客单价', kind: 'number' },
  { name: 'firstPurchaseOn', zh: '首次购买', kind: 'text' },
  { name: 'lastPurchaseOn', zh: '最近购买', kind: 'text' },
  { name: 'createdAt', zh: '创建时间', kind: 'text' },
  { name: 'updatedAt', zh: '更新时间', kind: 'text' },
];

function exportColumns(defs: readonly CustomFieldDefinition[], headers: ExportHeaders): Column[] {
  const standard = customerFieldNames.map((field): Column => {
    // The owner by username: what a person reads in a spreadsheet and what import accepts.
    const name = field === 'ownerId' ? 'owner' : field;
    const kind: Kind =
      field === 'vip'
        ? 'boolean'
        : field === 'tags'
          ? 'list'
          : field === 'phone'
            ? 'phone'
            : NUMBER_FIELDS.has(field)
              ? 'number'
              : field in customerEnums
                ? 'enum'
                : 'text';
    return {
      name,
      zh: COLUMN_SYNONYMS[name]?.[0] ?? name,
      en: englishLabel(name),
      kind,
      ...(kind === 'enum' ? { enumName: field as CustomerEnumName } : {}),
      value: (customer) => customer[name as keyof Customer],
    };
  });
  const custom = defs.map(
    (def): Column => ({
      name: `custom.${def.key}`,
      zh: def.labelZh,
      en: def.labelEn,
      kind: def.type === 'number' ? 'number' : def.type === 'boolean' ? 'boolean' : 'text',
      value: (customer) => customer.custom[def.key],
    }),
  );
  const computed = COMPUTED.map(
    ({ name, zh, kind }): Column => ({
      name,
      zh,
      en: englishLabel(name),
      kind,
      value: (customer) => customer[name],
    }),
  );
  // `version` is for API clients; a sheet for people leaves it out.
  const version: Column[] =
    headers === 'api'
      ? [{ name: 'version', zh: 'version', en: 'version', kind: 'number', value: (c) => c.version }]
      : [];
  return [...standard, ...custom, ...computed, ...version];
}

function header(column: Column, headers: ExportHeaders): string {
  return headers === 'zh' ? column.zh : headers === 'en' ? column.en : column.name;
}

/**
 * A phone as a spreadsheet should hold it: Chinese numbers as dialled at home (`138 0013 8000`),
 * others with the international prefix 00 — never a leading `+`, which Excel would read as a
 * formula or a number. Import reads both forms back. Masked values stay as they are.
 */
function spreadsheetPhone(value: string): string {
  if (!value.startsWith('+')) return value;
  const formatted = formatPhone(value);
  return formatted.startsWith('+') ? `00${formatted.slice(1)}` : formatted;
}

/** The value of one cell as text or a number, in the header language for enumerations and yes/no. */
function cellValue(column: Column, raw: unknown, headers: ExportHeaders): string | number | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (column.kind === 'number') {
    const number = Number(raw);
    return Number.isFinite(number) ? number : String(raw);
  }
  if (column.kind === 'boolean' && typeof raw === 'boolean') {
    if (headers === 'zh') return raw ? '是' : '否';
    if (headers === 'en') return raw ? 'Yes' : 'No';
    return String(raw);
  }
  if (column.kind === 'enum' && column.enumName && headers !== 'api') {
    const option = customerEnums[column.enumName].find((candidate) => candidate.value === raw);
    if (option) return headers === 'zh' ? option.zh : option.en;
  }
  if (column.kind === 'phone' && typeof raw === 'string') return spreadsheetPhone(raw);
  if (Array.isArray(raw)) return raw.join(',');
  if (typeof raw === 'object') return JSON.stringify(raw);
  return String(raw);
}

/**
 * Text a spreadsheet program would run as a formula (`=`, `+`, `-`, `@`, or any of them after a
 * tab or carriage return) gets a leading `'` in CSV — CSV has no cell types. Numbers are written
 * as numbers, so -5 in a number column stays -5.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

interface Sheet {
  row(values: (string | number | null)[]): Promise<void>;
  end(): Promise<void>;
}

function csvSheet(out: Writable, options: ExportOptions, columns: Column[]): Sheet {
  const encoding = options.encoding ?? 'utf-8';
  const csv = stringify({ bom: encoding === 'utf-8' && (options.bom ?? true) });
  // The caller owns `out` (it may be stdout, which must not be ended).
  // iconv-lite's encoder takes text: the stringifier hands it strings, not UTF-8 bytes.
  const sink = encoding === 'gbk' ? csv.setEncoding('utf8').pipe(iconv.encodeStream('gbk')) : csv;
  sink.pipe(out, { end: false });
  return {
    async row(values) {
      const cells = values.map((value, i) =>
        value === null
          ? ''
          : typeof value === 'number' || columns[i]?.kind === 'number'
            ? String(value)
            : neutraliseFormula(value),
      );
      if (!csv.write(cells)) await once(csv, 'drain');
    },
    async end() {
      csv.end();
      await finished(sink);
    },
  };
}

function xlsxSheet(out: Writable, columns: Column[], headerRow: string[]): Sheet {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('客户 Customers', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    width: column.kind === 'phone' ? 16 : column.name === 'name' ? 28 : 14,
    style: column.name === 'totalSpent' || column.name === 'averageOrderValue' ? { numFmt: '0.00' } : {},
  }));
  const top = sheet.addRow(headerRow);
  top.font = { bold: true };
  top.commit();
  return {
    async row(values) {
      // Strings stay strings: exceljs writes a formula only for { formula } values, so `=1+1` is text.
      sheet.addRow(values).commit();
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}

export interface PreparedExport {
  /** Streams the customers into `out` (not ended when it is a CSV: it may be stdout); returns how many. */
  write(out: Writable): Promise<number>;
  format: ExportFormat;
  fileName: string;
  contentType: string;
}

/**
 * Checks the options and the list parameters (400 naming the parameter, before anything is
 * written) and returns the export, ready to stream. The same filters as the customer list, the
 * same data scope and consent rules; personal fields in full only with `personal.view`.
 */
export async function prepareCustomerExport(
  ctx: AppContext,
  options: ExportOptions = {},
): Promise<PreparedExport> {
  const format = options.format ?? 'csv';
  const headers = options.headers ?? 'api';
  const encoding = options.encoding ?? 'utf-8';
  const params: ListParams = { ...(options.filter ?? {}) };
  if (options.purpose) params.consent = options.purpose;
  const known = new Set([...KNOWN_PARAMS, 'format', 'encoding', 'headers']);
  const { sql, defs, issues } = await customerFilterConditions(ctx, params, known);
  if (!(exportFormats as readonly string[]).includes(format))
    issues.push({ field: 'format', message: '须为 csv 或 xlsx / Must be csv or xlsx' });
  if (!(exportEncodings as readonly string[]).includes(encoding))
    issues.push({ field: 'encoding', message: '须为 utf-8 或 gbk / Must be utf-8 or gbk' });
  if (!(exportHeaders as readonly string[]).includes(headers))
    issues.push({ field: 'headers', message: '须为 api、zh 或 en / Must be api, zh or en' });
  const sortText = asList(params.sort)[0];
  // Without a sort, customers come in the order they were created (by id).
  const sort: SortSpec | undefined = sortText ? parseSort(sortText, defs, issues) : undefined;
  if (issues.length > 0) throw validationError(issues);
  await addAccessConditions(ctx, params, sql);
  const columns = exportColumns(Array.from(defs.values()), headers);
  const pageSize = options.pageSize ?? 1000;
  const order = sort
    ? `${sort.expression} ${sort.descending ? 'DESC' : 'ASC'}${sort.notNull ? '' : ' NULLS LAST'}, c.id ${sort.descending ? 'DESC' : 'ASC'}`
    : 'c.id ASC';
  const filter = Object.fromEntries(
    Object.entries(params).filter(([name, value]) => value !== undefined && !PAGE_PARAMS.includes(name)),
  );

  return {
    format,
    fileName: `customers.${format}`,
    contentType:
      format === 'xlsx'
        ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        : `text/csv; charset=${encoding === 'gbk' ? 'GBK' : 'utf-8'}`,
    async write(out) {
      const headerRow = columns.map((column) => header(column, headers));
      const sheet = format === 'xlsx' ? xlsxSheet(out, columns, headerRow) : csvSheet(out, options, columns);
      if (format === 'csv') await sheet.row(headerRow);
      // Personal fields in full only for actors allowed to view them; the export itself is audited.
      const disclosure = disclosureFor(ctx);
      let count = 0;
      let after: { value: unknown; id: number } | undefined;
      for (;;) {
        const bound = new Sql();
        bound.params.push(...sql.params);
        bound.where.push(...sql.where);
        if (after) {
          bound.where.push(
            sort ? keysetCondition(bound, sort, after.value, after.id) : `c.id > ${bound.param(after.id)}`,
          );
        }
        const { rows } = await ctx.db.query<Customer & { _sortValue: unknown }>(
          `SELECT ${CUSTOMER_COLUMNS}, ${sort ? `(${sort.expression})::text` : 'NULL'} AS "_sortValue"
           FROM customers c ${bound.where.length > 0 ? `WHERE ${bound.where.join(' AND ')}` : ''}
           ORDER BY ${order} LIMIT ${pageSize}`,
          bound.params,
        );
        for (const { _sortValue, ...stored } of rows) {
          const customer = presentPersonal(ctx, stored as Customer, disclosure);
          await sheet.row(columns.map((column) => cellValue(column, column.value(customer), headers)));
        }
        count += rows.length;
        const last = rows.at(-1);
        if (!last || rows.length < pageSize) break;
        after = { value: last._sortValue, id: last.id };
      }
      await sheet.end();
      await ctx.db.transaction((tx) =>
        recordAudit(
          tx,
          ctx.actor,
          {
            action: 'customers.export',
            details: {
              count,
              format,
              encoding: format === 'csv' ? encoding : null,
              headers,
              personal: disclosure,
              purpose: options.purpose ?? (ctx.actor.role === 'marketing' ? 'marketing' : null),
              filter,
            },
          },
          ctx.now(),
        ),
      );
      return count;
    },
  };
}

/**
 * Streams the customers matching the list parameters in `options.filter` (all by default) as CSV
 * (UTF-8 with BOM, or GBK) or xlsx, with headers that `import customers` reads back. Keyset pages
 * of `pageSize`: memory stays flat for any number of customers.
 */
export async function exportCustomers(
  ctx: AppContext,
  out: Writable,
  options: ExportOptions = {},
): Promise<number> {
  return (await prepareCustomerExport(ctx, options)).write(out);
}

/** The CSV export as before: every customer (in scope), UTF-8 with BOM, API-name headers. */
export function exportCustomersCsv(
  ctx: AppContext,
  out: Writable,
  options: ExportOptions = {},
): Promise<number> {
  return exportCustomers(ctx, out, { ...options, format: 'csv' });
}
