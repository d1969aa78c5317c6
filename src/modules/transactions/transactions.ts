import type { Queryable } from '../../db/database.js';
import { AppError, type FieldIssue, notFound, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { isCalendarDate, normalizeDateInput } from '../../shared/fields.js';
import { parseOrThrow } from '../../shared/validation.js';
import { assertCustomerAccess, customerScopeCondition } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { columnOf } from '../customers/customer.queries.js';
import { refreshPurchaseSummary } from './purchase-summary.js';
import { createTransactionSchema, type Transaction, updateTransactionSchema } from './transaction.schemas.js';

const TRANSACTION = { zh: '交易记录', en: 'Transaction' };
const FIELDS = [
  'occurredOn',
  'product',
  'category',
  'quantity',
  'amount',
  'cost',
  'channel',
  'externalRef',
  'notes',
] as const;

const SELECT = `SELECT id, customer_id AS "customerId", occurred_on AS "occurredOn", product, category,
  quantity::text AS quantity, amount::text AS amount, cost::text AS cost, channel, external_ref AS "externalRef",
  notes, created_at AS "createdAt" FROM transactions`;

async function findTransaction(db: Queryable, customerId: number, id: number): Promise<Transaction> {
  const { rows } = await db.query<Transaction>(`${SELECT} WHERE customer_id = $1 AND id = $2`, [
    customerId,
    id,
  ]);
  if (!rows[0]) throw notFound(TRANSACTION);
  return rows[0];
}

function duplicateRef(ref: string): AppError {
  return new AppError(
    'DUPLICATE',
    { zh: `外部单号 ${ref} 已存在`, en: `External reference ${ref} already exists` },
    [{ field: 'externalRef', message: '已存在 / Already exists' }],
  );
}

/** An external reference is unique per customer; `exceptId` is the transaction being corrected. */
async function assertRefFree(tx: Queryable, customerId: number, ref: string, exceptId = -1) {
  const taken = await tx.query(
    'SELECT 1 FROM transactions WHERE customer_id = $1 AND external_ref = $2 AND id <> $3',
    [customerId, ref, exceptId],
  );
  if (taken.rows.length > 0) throw duplicateRef(ref);
}

export async function createTransaction(
  ctx: AppContext,
  customerId: number,
  input: unknown,
): Promise<Transaction> {
  const fields = parseOrThrow(createTransactionSchema, input);
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    if (fields.externalRef) await assertRefFree(tx, customerId, fields.externalRef);
    const columns = FIELDS.filter((name) => fields[name] !== undefined);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO transactions (customer_id, created_at, ${columns.map(columnOf).join(', ')})
       VALUES ($1, $2, ${columns.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING id`,
      [customerId, ctx.now().toISOString(), ...columns.map((name) => fields[name])],
    );
    await refreshPurchaseSummary(tx, [customerId]);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'transaction.create',
        entityType: 'transaction',
        entityId: rows[0]?.id,
        customerId,
        details: { occurredOn: fields.occurredOn, amount: fields.amount },
      },
      ctx.now(),
    );
    return findTransaction(tx, customerId, rows[0]?.id as number);
  });
}

export async function updateTransaction(
  ctx: AppContext,
  customerId: number,
  id: number,
  input: unknown,
): Promise<Transaction> {
  const patch = parseOrThrow(updateTransactionSchema, input);
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    await findTransaction(tx, customerId, id);
    if (patch.externalRef) await assertRefFree(tx, customerId, patch.externalRef, id);
    const columns = FIELDS.filter((name) => patch[name] !== undefined);
    if (columns.length > 0) {
      await tx.query(
        `UPDATE transactions SET ${columns.map((name, i) => `${columnOf(name)} = $${i + 3}`).join(', ')}
         WHERE customer_id = $1 AND id = $2`,
        [customerId, id, ...columns.map((name) => patch[name])],
      );
    }
    await refreshPurchaseSummary(tx, [customerId]);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'transaction.update',
        entityType: 'transaction',
        entityId: id,
        customerId,
        details: { changes: patch },
      },
      ctx.now(),
    );
    return findTransaction(tx, customerId, id);
  });
}

export async function deleteTransaction(ctx: AppContext, customerId: number, id: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    await findTransaction(tx, customerId, id);
    await tx.query('DELETE FROM transactions WHERE customer_id = $1 AND id = $2', [customerId, id]);
    await refreshPurchaseSummary(tx, [customerId]);
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'transaction.delete', entityType: 'transaction', entityId: id, customerId, details: {} },
      ctx.now(),
    );
  });
}

export interface TransactionQuery {
  customerId?: number;
  from?: string;
  to?: string;
  category?: string;
  product?: string;
  channel?: string;
  limit?: number;
  cursor?: string;
}

export interface TransactionPage {
  items: Transaction[];
  nextCursor: string | null;
}

/** Newest first, keyset-paginated on (occurred_on, id). */
export async function listTransactions(ctx: AppContext, query: TransactionQuery): Promise<TransactionPage> {
  const issues: FieldIssue[] = [];
  const params: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.customerId !== undefined) {
    await assertCustomerAccess(ctx, ctx.db, query.customerId, 'read');
    where.push(`customer_id = ${param(query.customerId)}`);
  } else {
    const scope = await customerScopeCondition(ctx, 'c', param);
    if (scope) where.push(`customer_id IN (SELECT c.id FROM customers c WHERE ${scope})`);
  }
  for (const bound of ['from', 'to'] as const) {
    const raw = query[bound];
    if (raw === undefined) continue;
    const date = normalizeDateInput(raw);
    if (!isCalendarDate(date)) {
      issues.push({ field: bound, message: '须为日期 YYYY-MM-DD / Must be a date YYYY-MM-DD' });
    } else where.push(`occurred_on ${bound === 'from' ? '>=' : '<='} ${param(date)}::date`);
  }
  for (const field of ['category', 'product', 'channel'] as const) {
    if (query[field]) where.push(`${field} = ${param(query[field])}`);
  }
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    issues.push({ field: 'limit', message: '须为 1 到 500 的整数 / Must be an integer from 1 to 500' });
  }
  if (query.cursor) {
    const [date, id] =
      (Buffer.from(query.cursor, 'base64url').toString('utf8').split('|') as [string, string]) ?? [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date ?? '') || !/^\d+$/.test(id ?? '')) {
      issues.push({ field: 'cursor', message: '分页游标无效 / Invalid cursor' });
    } else where.push(`(occurred_on, id) < (${param(date)}::date, ${param(Number(id))}::bigint)`);
  }
  if (issues.length > 0) throw validationError(issues);
  const { rows } = await ctx.db.query<Transaction>(
    `${SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY occurred_on DESC, id DESC LIMIT ${limit + 1}`,
    params,
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > limit && last ? Buffer.from(`${last.occurredOn}|${last.id}`).toString('base64url') : null,
  };
}
