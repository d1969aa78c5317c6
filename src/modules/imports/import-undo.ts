import type { Queryable } from '../../db/database.js';
import { AppError, notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { scopeClause } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { refreshSearchMaterial } from '../customers/customer.queries.js';
import { refreshLastContacted } from '../records/communications.js';
import { refreshPurchaseSummary } from '../transactions/purchase-summary.js';

export interface ImportRecord {
  id: number;
  kind: 'customers' | 'transactions' | 'communications';
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

const SELECT = `SELECT id, kind, file_name AS "fileName", file_hash AS "fileHash", format, encoding, sheet, rows,
  created, updated, skipped, invalid, on_duplicate AS "onDuplicate", actor, created_at AS "createdAt",
  undone_at AS "undoneAt", undone_by AS "undoneBy" FROM imports`;

/** Recent imports; people who see only their own or their team's customers see their own imports. */
export async function listImports(ctx: AppContext, limit = 100): Promise<ImportRecord[]> {
  const own = ctx.actor.scope !== 'all';
  const { rows } = await ctx.db.query<ImportRecord>(
    `${SELECT} WHERE ($1::text IS NULL OR actor = $1) ORDER BY id DESC LIMIT $2`,
    [own ? ctx.actor.name : null, limit],
  );
  return rows;
}

/** Customer columns an undo restores from the before-image (not identity, search material or provenance). */
async function restorableColumns(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'customers'`,
  );
  const skip = new Set([
    'id',
    'code',
    'created_at',
    'updated_at',
    'version',
    'search_text',
    'search_grams',
    'import_id',
    'import_row',
  ]);
  return rows.map((row) => row.name).filter((name) => !skip.has(name));
}

/** Tables whose rows make a customer created by an import "touched": someone has worked on it since. */
const RELATED = [
  'contacts',
  'transactions',
  'consents',
  'customer_collaborators',
  'tier_assignments',
  'tier_history',
  'communications',
  'feedback',
  'service_records',
  'projects',
];

/**
 * Undoes an import while its records are untouched: customers it created are removed, customers it
 * updated get their earlier values back, transactions it created are removed. If anyone has changed
 * one of them since, nothing is undone and the changed records are named.
 */
export async function undoImport(
  ctx: AppContext,
  id: number,
): Promise<{ id: number; deleted: number; restored: number }> {
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<ImportRecord>(`${SELECT} WHERE id = $1 FOR UPDATE`, [id]);
    const record = rows[0];
    if (!record) throw notFound({ zh: '导入记录', en: 'Import' });
    if (record.undoneAt) {
      throw new AppError('VERSION_CONFLICT', {
        zh: `导入 ${id} 已于 ${record.undoneAt} 撤销`,
        en: `Import ${id} was already undone at ${record.undoneAt}`,
      });
    }
    const params: unknown[] = [id];
    const writable = await scopeClause(ctx, 'c', params, 'write');
    let deleted = 0;
    let restored = 0;
    if (record.kind === 'customers') {
      const touched = await tx.query<{ code: string }>(
        `SELECT c.code FROM customers c
         LEFT JOIN import_updates iu ON iu.customer_id = c.id AND iu.import_id = $1
         WHERE (c.import_id = $1 AND (c.version > coalesce(iu.version_after, 1)
                 ${RELATED.map((table) => `OR EXISTS (SELECT 1 FROM ${table} r WHERE r.customer_id = c.id)`).join(' ')}))
            OR (iu.import_id IS NOT NULL AND c.import_id IS DISTINCT FROM $1 AND c.version <> iu.version_after)
            OR ((c.import_id = $1 OR iu.import_id IS NOT NULL) AND NOT (${writable}))
         ORDER BY c.code LIMIT 21`,
        params,
      );
      if (touched.rows.length > 0)
        throw touchedError(
          id,
          touched.rows.map((row) => row.code),
        );
      const columns = await restorableColumns(tx);
      const updated = await tx.query<{ id: number }>(
        `UPDATE customers c SET ${columns.map((column) => `${column} = b.${column}`).join(', ')},
           version = c.version + 1, updated_at = now()
         FROM import_updates iu, jsonb_populate_record(NULL::customers, iu.before) b
         WHERE iu.import_id = $1 AND iu.customer_id = c.id AND c.import_id IS DISTINCT FROM $1
         RETURNING c.id`,
        [id],
      );
      restored = updated.rows.length;
      await refreshSearchMaterial(
        tx,
        updated.rows.map((row) => row.id),
      );
      deleted = (await tx.query('DELETE FROM customers WHERE import_id = $1', [id])).rowCount;
    } else if (record.kind === 'communications') {
      const removed = await undoRows(tx, 'communications', id, record, params, writable);
      deleted = removed.length;
      await refreshLastContacted(tx, Array.from(new Set(removed)));
    } else {
      if (record.updated > 0) {
        throw new AppError('VERSION_CONFLICT', {
          zh: `导入 ${id} 更新了 ${record.updated} 笔已有交易，不能撤销`,
          en: `Import ${id} updated ${record.updated} recorded transactions and cannot be undone`,
        });
      }
      const refused = await tx.query<{ code: string }>(
        `SELECT DISTINCT c.code FROM transactions t JOIN customers c ON c.id = t.customer_id
         WHERE t.import_id = $1 AND NOT (${writable}) LIMIT 21`,
        params,
      );
      if (refused.rows.length > 0)
        throw touchedError(
          id,
          refused.rows.map((row) => row.code),
        );
      const removed = await tx.query<{ customer_id: number }>(
        'DELETE FROM transactions WHERE import_id = $1 RETURNING customer_id',
        [id],
      );
      deleted = removed.rows.length;
      await refreshPurchaseSummary(tx, Array.from(new Set(removed.rows.map((row) => row.customer_id))));
    }
    await tx.query('UPDATE imports SET undone_at = $2, undone_by = $3 WHERE id = $1', [
      id,
      ctx.now().toISOString(),
      ctx.actor.name,
    ]);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'import.undo',
        entityType: 'import',
        entityId: id,
        details: { kind: record.kind, deleted, restored },
      },
      ctx.now(),
    );
    return { id, deleted, restored };
  });
}

/**
 * Removes the rows an import created in a customer-owned table, refused when it updated recorded
 * rows (their earlier values are not kept) or when the actor may not change one of the customers.
 * Returns the customer ids of the rows removed.
 */
async function undoRows(
  tx: Queryable,
  table: 'communications',
  id: number,
  record: ImportRecord,
  params: unknown[],
  writable: string,
): Promise<number[]> {
  if (record.updated > 0) {
    throw new AppError('VERSION_CONFLICT', {
      zh: `导入 ${id} 更新了 ${record.updated} 条已有记录，不能撤销`,
      en: `Import ${id} updated ${record.updated} recorded rows and cannot be undone`,
    });
  }
  const refused = await tx.query<{ code: string }>(
    `SELECT DISTINCT c.code FROM ${table} t JOIN customers c ON c.id = t.customer_id
     WHERE t.import_id = $1 AND NOT (${writable}) LIMIT 21`,
    params,
  );
  if (refused.rows.length > 0)
    throw touchedError(
      id,
      refused.rows.map((row) => row.code),
    );
  const removed = await tx.query<{ customer_id: number }>(
    `DELETE FROM ${table} WHERE import_id = $1 RETURNING customer_id`,
    [id],
  );
  return removed.rows.map((row) => row.customer_id);
}

function touchedError(id: number, codes: string[]): AppError {
  const shown = codes.slice(0, 20).join(', ') + (codes.length > 20 ? ' …' : '');
  return new AppError(
    'VERSION_CONFLICT',
    {
      zh: `导入 ${id} 的记录已被修改或你无权修改，不能撤销：${shown}`,
      en: `Records of import ${id} were changed since, or you may not change them, so it cannot be undone: ${shown}`,
    },
    { codes },
  );
}
