import type { Queryable } from '../../db/database.js';
import type { AppContext } from '../../shared/context.js';
import { issuesFromZod } from '../../shared/validation.js';
import { scopeClause } from '../access/scope.js';
import { refreshPurchaseSummary } from '../transactions/purchase-summary.js';
import { createTransactionSchema } from '../transactions/transaction.schemas.js';
import { analyzeAfterImport } from './analyze-after-import.js';
import {
  type BatchContext,
  type ImportOptions,
  type ImportOutcome,
  type MappedRow,
  runImportFile,
} from './import-run.js';

/** File field → API field of a transaction. */
const FIELDS: Record<string, string> = {
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
const API_TO_FILE = Object.fromEntries(Object.entries(FIELDS).map(([file, api]) => [api, file]));

interface ValidTransaction {
  source: MappedRow;
  customerId: number;
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

function validate(row: MappedRow, context: BatchContext): Omit<ValidTransaction, 'customerId'> | undefined {
  const input: Record<string, string> = {};
  for (const [field, api] of Object.entries(FIELDS)) {
    const value = row.values[field];
    if (value !== undefined && value !== '') input[api] = value;
  }
  const customerCode = (row.values.customer_code ?? '').trim();
  const parsed = createTransactionSchema.safeParse(input);
  let ok = parsed.success;
  if (!customerCode) {
    context.invalid(row, 'customer_code', '不能为空 / Required');
    ok = false;
  }
  if (!parsed.success) {
    for (const issue of issuesFromZod(parsed.error))
      context.invalid(row, API_TO_FILE[issue.field] ?? issue.field, issue.message);
  }
  if (!ok || !parsed.success) return undefined;
  const value = parsed.data;
  return {
    source: row,
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

const COLUMNS = [
  ['occurred_on', 'date', (row: ValidTransaction) => row.occurredOn],
  ['amount', 'numeric', (row: ValidTransaction) => row.amount],
  ['quantity', 'numeric', (row: ValidTransaction) => row.quantity],
  ['product', 'text', (row: ValidTransaction) => row.product],
  ['category', 'text', (row: ValidTransaction) => row.category],
  ['cost', 'numeric', (row: ValidTransaction) => row.cost],
  ['channel', 'text', (row: ValidTransaction) => row.channel],
  ['external_ref', 'text', (row: ValidTransaction) => row.externalRef],
  ['notes', 'text', (row: ValidTransaction) => row.notes],
] as const;

/** New transactions in one statement, each carrying the import and its spreadsheet row. */
async function insertTransactions(tx: Queryable, rows: ValidTransaction[], importId: number): Promise<void> {
  // Optional columns no row has a value for are not sent (NULL is their default).
  const used = COLUMNS.filter(([, , get], i) => i < 3 || rows.some((row) => get(row) !== null));
  const values = [
    rows.map((row) => row.customerId),
    ...used.map(([, , get]) => rows.map(get)),
    rows.map((row) => row.source.row),
  ];
  await tx.query(
    `INSERT INTO transactions (customer_id, ${used.map(([name]) => name).join(', ')}, import_row, import_id)
     SELECT *, $${values.length + 1}::bigint FROM unnest($1::bigint[], ${used
       .map(([, type], i) => `$${i + 2}::${type}[]`)
       .join(', ')}, $${values.length}::int[])`,
    [...values, importId],
  );
}

async function updateTransactions(
  tx: Queryable,
  rows: { id: number; customerId: number; row: ValidTransaction }[],
) {
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE transactions t SET occurred_on = r.occurred_on, amount = r.amount, quantity = r.quantity,
       product = coalesce(r.product, t.product), category = coalesce(r.category, t.category),
       cost = coalesce(r.cost, t.cost), channel = coalesce(r.channel, t.channel), notes = coalesce(r.notes, t.notes)
     FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::numeric[], $5::numeric[], $6::text[], $7::text[],
                 $8::numeric[], $9::text[], $10::text[])
       AS r(customer_id, id, occurred_on, amount, quantity, product, category, cost, channel, notes)
     WHERE t.customer_id = r.customer_id AND t.id = r.id`,
    [
      rows.map((r) => r.customerId),
      rows.map((r) => r.id),
      rows.map((r) => r.row.occurredOn),
      rows.map((r) => r.row.amount),
      rows.map((r) => r.row.quantity),
      rows.map((r) => r.row.product),
      rows.map((r) => r.row.category),
      rows.map((r) => r.row.cost),
      rows.map((r) => r.row.channel),
      rows.map((r) => r.row.notes),
    ],
  );
}

/**
 * Imports transactions (customer code, date, amount, and optionally quantity, product, category,
 * cost, channel, order number, notes) from xlsx, CSV or tab-separated files. A row whose order
 * number (external_ref) is already recorded for that customer — or that is the same row of the same
 * file imported before — is a duplicate: updated (default) or skipped. Purchase summaries are
 * recomputed once, at the end. One file is one transaction.
 */
export async function importTransactions(
  ctx: AppContext,
  file: string,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const customerIds = new Map<string, number>();
  const touched = new Set<number>();
  const onDuplicate = options.onDuplicate ?? 'update';
  return runImportFile(ctx, file, options, {
    kind: 'transactions',
    custom: [],
    required: ['customer_code', 'date', 'amount'],
    async processBatch(rows, context) {
      const { tx, report } = context;
      const valid = rows.map((row) => validate(row, context)).filter((row) => row !== undefined);
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
      const resolved: ValidTransaction[] = [];
      for (const row of valid) {
        const customerId = customerIds.get(row.customerCode);
        if (customerId === undefined) {
          context.invalid(
            row.source,
            'customer_code',
            `客户编号 ${row.customerCode} 不存在 / No customer with code ${row.customerCode}`,
          );
          continue;
        }
        resolved.push({ ...row, customerId });
      }
      report.valid += resolved.length;
      // Recorded transactions with the same order number, or from the same row of this file imported
      // before. Two separate look-ups, each only when it can find something: a file without order
      // numbers, imported for the first time, costs no query here.
      type Stored = {
        customer_id: number;
        id: number;
        external_ref: string | null;
        import_id: number | null;
        import_row: number | null;
      };
      const stored: Stored[] = [];
      const withRef = resolved.filter((r) => r.externalRef);
      if (withRef.length > 0) {
        const found = await tx.query<Stored>(
          `SELECT t.customer_id, t.id, t.external_ref, t.import_id, t.import_row FROM transactions t
           WHERE (t.customer_id, t.external_ref) IN (SELECT * FROM unnest($1::bigint[], $2::text[]))`,
          [withRef.map((r) => r.customerId), withRef.map((r) => r.externalRef)],
        );
        stored.push(...found.rows);
      }
      if (context.previousImports.length > 0 && resolved.length > 0) {
        const rowNumbers = resolved.map((r) => r.source.row);
        const found = await tx.query<Stored>(
          `SELECT t.customer_id, t.id, t.external_ref, t.import_id, t.import_row FROM transactions t
           WHERE t.import_id BETWEEN $1 AND $2 AND t.import_id = ANY($3::bigint[])
             AND t.import_row BETWEEN $4 AND $5 AND t.import_row = ANY($6::int[])`,
          [
            Math.min(...context.previousImports),
            Math.max(...context.previousImports),
            context.previousImports,
            Math.min(...rowNumbers),
            Math.max(...rowNumbers),
            rowNumbers,
          ],
        );
        stored.push(...found.rows);
      }
      const byRef = new Map<string, (typeof stored)[number]>();
      const byRow = new Map<number, (typeof stored)[number]>();
      for (const row of stored) {
        if (row.external_ref !== null) byRef.set(`${row.customer_id}\u0000${row.external_ref}`, row);
        if (
          row.import_id !== null &&
          context.previousImports.includes(row.import_id) &&
          row.import_row !== null
        ) {
          byRow.set(row.import_row, row);
        }
      }
      const creating: ValidTransaction[] = [];
      const updating = new Map<string, { id: number; customerId: number; row: ValidTransaction }>();
      const inBatch = new Map<string, ValidTransaction>();
      for (const row of resolved) {
        const refKey = row.externalRef ? `${row.customerId}\u0000${row.externalRef}` : undefined;
        const earlier = refKey ? inBatch.get(refKey) : undefined;
        if (earlier) {
          report.duplicates.inFile += 1;
          if (onDuplicate === 'skip') report.skipped += 1;
          else Object.assign(earlier, { ...row, source: earlier.source });
          continue;
        }
        const match = (refKey ? byRef.get(refKey) : undefined) ?? byRow.get(row.source.row);
        if (match) {
          if (match.import_id === context.importId) report.duplicates.inFile += 1;
          else report.duplicates.existing += 1;
          if (onDuplicate === 'skip') report.skipped += 1;
          else
            updating.set(`${match.customer_id}:${match.id}`, {
              id: match.id,
              customerId: match.customer_id,
              row,
            });
          continue;
        }
        if (refKey) inBatch.set(refKey, row);
        creating.push(row);
      }
      if (creating.length > 0) await insertTransactions(tx, creating, context.importId);
      await updateTransactions(tx, [...updating.values()]);
      report.created += creating.length;
      report.updated += updating.size;
      for (const row of [...creating, ...[...updating.values()].map((u) => u.row)])
        touched.add(row.customerId);
    },
    async finish(context) {
      await refreshPurchaseSummary(context.tx, Array.from(touched));
      await analyzeAfterImport(context.tx, 'transactions', context.report.created + context.report.updated);
      await analyzeAfterImport(context.tx, 'customers', touched.size);
    },
  });
}
