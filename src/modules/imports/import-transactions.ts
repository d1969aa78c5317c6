import type { Queryable } from '../../db/database.js';
import type { AppContext } from '../../shared/context.js';
import { issuesFromZod } from '../../shared/validation.js';
import { scopeClause } from '../access/scope.js';
import { refreshPurchaseSummary } from '../transactions/purchase-summary.js';
import { createTransactionSchema } from '../transactions/transaction.schemas.js';
import { analyzeAfterImport } from './analyze-after-import.js';
import {
  type CsvRow,
  headerError,
  type ImportOptions,
  type ImportReport,
  readCsvBatches,
  runImport,
} from './csv-rows.js';

/** CSV header → API field of a transaction. */
const TRANSACTION_COLUMNS: Record<string, string> = {
  customer_code: 'customerCode',
  date: 'occurredOn',
  amount: 'amount',
  quantity: 'quantity',
  product: 'product',
  category: 'category',
  cost: 'cost',
  channel: 'channel',
  external_ref: 'externalRef',
  notes: 'notes',
};
const REQUIRED = ['customer_code', 'date', 'amount'];

interface ValidTransaction {
  row: number;
  /** Set once the customer code is resolved. */
  customerId?: number;
  customerCode: string;
  occurredOn: string;
  amount: string;
  quantity: string;
  product: string | null;
  category: string | null;
  cost: string | null;
  channel: string | null;
  externalRef: string | null;
  notes: string | null;
}

function checkHeader(header: string[]) {
  const problems = header
    .filter((name) => !(name in TRANSACTION_COLUMNS))
    .map((name) => `未知的列 / unknown column "${name}"`);
  for (const name of REQUIRED) {
    if (!header.includes(name)) problems.push(`缺少必需的列 / required column "${name}" is missing`);
  }
  if (problems.length > 0) throw headerError(problems, Object.keys(TRANSACTION_COLUMNS));
}

function validateRow(row: CsvRow, report: ImportReport): ValidTransaction | undefined {
  const input: Record<string, string> = {};
  for (const [name, value] of Object.entries(row.values)) {
    const field = TRANSACTION_COLUMNS[name];
    if (field && field !== 'customerCode' && value.trim() !== '') input[field] = value;
  }
  const customerCode = (row.values.customer_code ?? '').trim();
  const parsed = createTransactionSchema.safeParse(input);
  const issues = parsed.success ? [] : issuesFromZod(parsed.error);
  if (!customerCode) issues.unshift({ field: 'customer_code', message: '不能为空 / Required' });
  if (!parsed.success || issues.length > 0) {
    for (const issue of issues) {
      const column = Object.keys(TRANSACTION_COLUMNS).find(
        (name) => TRANSACTION_COLUMNS[name] === issue.field,
      );
      report.invalid.push({ row: row.row, field: column ?? issue.field, message: issue.message });
    }
    return undefined;
  }
  const value = parsed.data;
  return {
    row: row.row,
    customerCode,
    occurredOn: value.occurredOn,
    amount: value.amount,
    quantity: value.quantity ?? '1',
    product: value.product ?? null,
    category: value.category ?? null,
    cost: value.cost ?? null,
    channel: value.channel ?? null,
    externalRef: value.externalRef ?? null,
    notes: value.notes ?? null,
  };
}

/** Columns a file may leave empty: not sent when no row of a batch has a value (NULL is their default). */
const OPTIONAL_COLUMNS = [
  ['product', 'product', 'text'],
  ['category', 'category', 'text'],
  ['cost', 'cost', 'numeric'],
  ['channel', 'channel', 'text'],
  ['externalRef', 'external_ref', 'text'],
  ['notes', 'notes', 'text'],
] as const;

/**
 * Writes a batch in one statement. Only the columns some row has a value for are sent, and a batch
 * without external references is a plain INSERT: only an external reference can match a recorded
 * transaction, so the per-row conflict check and the RETURNING are skipped (docs/benchmarks.md).
 */
async function writeTransactions(
  tx: Queryable,
  rows: (ValidTransaction & { customerId: number })[],
): Promise<{ created: number; updated: number }> {
  const columns: [name: string, type: string, values: unknown[]][] = [
    ['customer_id', 'bigint', rows.map((row) => row.customerId)],
    ['occurred_on', 'date', rows.map((row) => row.occurredOn)],
    ['amount', 'numeric', rows.map((row) => row.amount)],
    ['quantity', 'numeric', rows.map((row) => row.quantity)],
  ];
  for (const [field, name, type] of OPTIONAL_COLUMNS) {
    if (rows.some((row) => row[field] !== null)) columns.push([name, type, rows.map((row) => row[field])]);
  }
  const insert = `INSERT INTO transactions (${columns.map(([name]) => name).join(', ')})
    SELECT * FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;
  const values = columns.map(([, , list]) => list);
  if (!rows.some((row) => row.externalRef)) {
    return { created: (await tx.query(insert, values)).rowCount, updated: 0 };
  }
  const { rows: results } = await tx.query<{ inserted: boolean }>(
    `${insert}
     ON CONFLICT (customer_id, external_ref) WHERE external_ref IS NOT NULL DO UPDATE SET
       occurred_on = excluded.occurred_on, amount = excluded.amount, quantity = excluded.quantity,
       product = excluded.product, category = excluded.category, cost = excluded.cost,
       channel = excluded.channel, notes = excluded.notes
     RETURNING (xmax = 0) AS inserted`,
    values,
  );
  const created = results.filter((row) => row.inserted).length;
  return { created, updated: results.length - created };
}

/**
 * Imports transactions from `customer_code,date,amount,quantity,product,category` CSV (plus optional
 * cost, channel, external_ref, notes). One transaction for the whole file; a row with an
 * `external_ref` already recorded for that customer updates it, so re-importing creates nothing.
 * Customers' purchase summaries are recomputed once, at the end.
 */
export async function importTransactions(
  ctx: AppContext,
  file: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const customerIds = new Map<string, number>();
  const touched = new Set<number>();
  const seenRefs = new Map<string, number>();
  return runImport(
    ctx,
    'transactions',
    file,
    options,
    async (tx, report) => {
      for await (const batch of readCsvBatches(file, options.batchSize ?? 5000, checkHeader)) {
        report.rows += batch.length;
        const valid = batch.map((row) => validateRow(row, report)).filter((row) => row !== undefined);
        const unknownCodes = Array.from(new Set(valid.map((row) => row.customerCode))).filter(
          (code) => !customerIds.has(code),
        );
        if (unknownCodes.length > 0) {
          // Only customers the actor may change: others read as unknown, revealing nothing.
          const params: unknown[] = [unknownCodes];
          const scope = await scopeClause(ctx, 'c', params, 'write');
          const found = await tx.query<{ id: number; code: string }>(
            `SELECT c.id, c.code FROM customers c WHERE c.code = ANY($1::text[]) AND ${scope}`,
            params,
          );
          for (const row of found.rows) customerIds.set(row.code, row.id);
        }
        const writable: (ValidTransaction & { customerId: number })[] = [];
        for (const row of valid) {
          const customerId = customerIds.get(row.customerCode);
          if (customerId === undefined) {
            report.invalid.push({
              row: row.row,
              field: 'customer_code',
              message: `客户编号 ${row.customerCode} 不存在 / No customer with code ${row.customerCode}`,
            });
            continue;
          }
          if (row.externalRef) {
            const key = `${customerId}\u0000${row.externalRef}`;
            const first = seenRefs.get(key);
            if (first !== undefined) {
              report.invalid.push({
                row: row.row,
                field: 'external_ref',
                message: `单号 ${row.externalRef} 在第 ${first} 行已出现 / Reference ${row.externalRef} already appears in row ${first}`,
              });
              continue;
            }
            seenRefs.set(key, row.row);
          }
          row.customerId = customerId;
          writable.push(row as ValidTransaction & { customerId: number });
        }
        if (report.invalid.length > 0 && !options.skipInvalid) continue;
        if (writable.length === 0) continue;
        const written = await writeTransactions(tx, writable);
        report.created += written.created;
        report.updated += written.updated;
        for (const row of writable) touched.add(row.customerId);
      }
    },
    async (tx, report) => {
      await refreshPurchaseSummary(tx, Array.from(touched));
      await analyzeAfterImport(tx, 'transactions', report.created + report.updated);
      await analyzeAfterImport(tx, 'customers', touched.size);
    },
  );
}
