import { AppError, notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { assertCustomerAccess, scopeClause, visibilityOf } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { PERSONAL_FIELDS } from '../customers/personal-data.js';
import { CUSTOMER_SUMMARIES } from './customer-owned-tables.js';
import type { CustomerBrief } from './merge-customers.js';
import { insertRowImages, type MovedBack, type MovedRows, moveRowsBack } from './merge-rows.js';

export interface UnmergeResult extends MovedBack {
  mergeId: number;
  survivor: CustomerBrief;
  restoredCustomers: CustomerBrief[];
  /** Survivor fields given back their value from before the merge. */
  restoredFields: string[];
  /** Survivor fields changed since the merge: they keep their current value. */
  changedSince: string[];
}

interface MergeRecord {
  id: number;
  survivor_id: number;
  survivor_code: string;
  survivor_before: Record<string, unknown>;
  survivor_after: Record<string, unknown>;
  moved: MovedRows['moved'];
  demoted: MovedRows['demoted'];
  removed_customers: CustomerBrief[];
  undone_at: string | null;
}

const MERGE = { zh: '合并记录', en: 'Merge' };
const ENCRYPTED = new Set<string>(PERSONAL_FIELDS);

/**
 * Undoes a merge: the removed customers come back with their ids and codes, the rows moved from them
 * go back (those deleted since stay deleted and are counted as missing), the rows kept in the record
 * are put back, and each survivor field the merge replaced gets its old value — unless it was changed
 * since, in which case the current value stays and the field is reported. Refused when a removed
 * customer's code (or id) is taken again, the survivor is gone, or the merge was undone already.
 */
export async function unmergeCustomers(ctx: AppContext, mergeId: number): Promise<UnmergeResult> {
  // The scope is worked out before the transaction: on PGlite a query outside it would wait for it.
  await visibilityOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<MergeRecord>(
      `SELECT m.id, m.survivor_id, m.survivor_code, m.survivor_before, m.survivor_after, m.moved, m.demoted,
         m.undone_at, (SELECT jsonb_agg(jsonb_build_object('id', (e->>'id')::bigint, 'code', e->>'code', 'name', e->>'name'))
                       FROM jsonb_array_elements(m.removed) e) AS removed_customers
       FROM customer_merges m WHERE m.id = $1 FOR UPDATE`,
      [mergeId],
    );
    const record = rows[0];
    if (!record) throw notFound(MERGE);
    const survivorRows = await tx.query<{
      id: number;
      code: string;
      name: string;
      row: Record<string, unknown>;
    }>('SELECT c.id, c.code, c.name, to_jsonb(c) AS row FROM customers c WHERE c.id = $1 FOR UPDATE', [
      record.survivor_id,
    ]);
    const survivor = survivorRows.rows[0];
    if (survivor) await assertCustomerAccess(ctx, tx, survivor.id, 'write');
    if (record.undone_at) {
      throw new AppError('VERSION_CONFLICT', {
        zh: `合并 ${mergeId} 已于 ${record.undone_at} 撤销`,
        en: `Merge ${mergeId} was already undone at ${record.undone_at}`,
      });
    }
    if (!survivor) {
      throw new AppError('NOT_FOUND', {
        zh: `保留的客户 ${record.survivor_code} 已不存在（已删除或又被合并）：请先撤销之后的合并`,
        en: `The surviving customer ${record.survivor_code} no longer exists (deleted, or merged again): undo the later merge first`,
      });
    }
    const removed = record.removed_customers ?? [];
    const taken = await tx.query<{ code: string }>(
      `SELECT code FROM customers WHERE code = ANY($1::text[]) OR id = ANY($2::bigint[]) ORDER BY code`,
      [removed.map((customer) => customer.code), removed.map((customer) => customer.id)],
    );
    if (taken.rows.length > 0) {
      const codes = taken.rows.map((row) => row.code).join(', ');
      throw new AppError(
        'DUPLICATE',
        {
          zh: `不能撤销合并：客户编号 ${codes} 已被其他客户使用`,
          en: `Cannot undo the merge: customer number ${codes} is taken by another customer now`,
        },
        taken.rows.map((row) => ({ field: 'code', message: `${row.code} 已被使用 / ${row.code} is taken` })),
      );
    }

    const restoredCount = await insertRowImages(
      tx,
      'customers',
      `FROM customer_merges m, jsonb_array_elements(m.removed) e(item),
            jsonb_populate_record(NULL::customers, e.item) r WHERE m.id = $1`,
      '(SELECT m.removed->0 FROM customer_merges m WHERE m.id = $1)',
      [mergeId],
    );
    if (restoredCount !== removed.length)
      throw new Error(`Merge ${mergeId}: restored ${restoredCount} customers`);
    // The actor must be allowed to change the customers that come back, as for the merge itself.
    const restoredIds = removed.map((customer) => customer.id);
    const check: unknown[] = [restoredIds];
    const allowed = await tx.query<{ id: number }>(
      `SELECT c.id FROM customers c WHERE c.id = ANY($1::bigint[]) AND ${await scopeClause(ctx, 'c', check, 'write')}`,
      check,
    );
    const refused = removed.filter((customer) => !allowed.rows.some((row) => row.id === customer.id));
    if (refused.length > 0) {
      throw new AppError('FORBIDDEN', {
        zh: `客户 ${refused.map((c) => c.code).join(', ')} 不在你可修改的范围内`,
        en: `Customer ${refused.map((c) => c.code).join(', ')} is outside the customers you may change`,
      });
    }

    const rowsBack = await moveRowsBack(tx, mergeId, survivor.id, record);

    // Survivor fields: back to the value before the merge where nobody changed them since.
    const restoredFields: string[] = [];
    const changedSince: string[] = [];
    const assignments: Record<string, unknown> = {};
    const current = survivor.row;
    for (const [column, after] of Object.entries(record.survivor_after)) {
      if (column === 'custom') continue;
      if (column.endsWith('_index')) continue; // travels with its field
      const field = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      if (!sameStored(ctx, column, current[column], after)) {
        changedSince.push(field);
        continue;
      }
      assignments[column] = record.survivor_before[column] ?? null;
      const index = `${column}_index`;
      if (index in record.survivor_after) assignments[index] = record.survivor_before[index] ?? null;
      restoredFields.push(field);
    }
    const customAfter = (record.survivor_after.custom as Record<string, unknown>) ?? undefined;
    const customBefore = (record.survivor_before.custom as Record<string, unknown>) ?? {};
    const customNow = (current.custom as Record<string, unknown>) ?? {};
    const customSet: Record<string, unknown> = {};
    const customRemoved: string[] = [];
    if (customAfter) {
      const keys = new Set([...Object.keys(customAfter), ...Object.keys(customBefore)]);
      for (const key of keys) {
        if (sameStored(ctx, 'custom', customAfter[key], customBefore[key])) continue;
        if (!sameStored(ctx, 'custom', customNow[key], customAfter[key])) {
          changedSince.push(`custom.${key}`);
          continue;
        }
        if (customBefore[key] === undefined) customRemoved.push(key);
        else customSet[key] = customBefore[key];
        restoredFields.push(`custom.${key}`);
      }
    }
    await tx.query(
      `UPDATE customers c SET ${[
        ...Object.keys(assignments).map((column) => `${column} = r.${column}`),
        'custom = (c.custom || $3::jsonb) - $4::text[]',
        'version = c.version + 1',
        'updated_at = $5::timestamptz',
      ].join(', ')}
       FROM jsonb_populate_record(NULL::customers, $2::jsonb) r WHERE c.id = $1`,
      [
        survivor.id,
        JSON.stringify(assignments),
        JSON.stringify(customSet),
        customRemoved,
        ctx.now().toISOString(),
      ],
    );
    const all = [survivor.id, ...restoredIds];
    for (const summary of CUSTOMER_SUMMARIES) await summary.refresh(tx, ctx, all);

    const result: UnmergeResult = {
      mergeId,
      survivor: { id: survivor.id, code: survivor.code, name: survivor.name },
      restoredCustomers: removed,
      restoredFields,
      changedSince,
      ...rowsBack,
    };
    await tx.query(
      'UPDATE customer_merges SET undone_at = $2, undone_by = $3, undo_report = $4 WHERE id = $1',
      [
        mergeId,
        ctx.now().toISOString(),
        ctx.actor.name,
        JSON.stringify({ ...rowsBack, restoredFields, changedSince }),
      ],
    );
    const { restoredCustomers: _, ...details } = result;
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'customer.unmerge',
        entityType: 'customer_merge',
        entityId: mergeId,
        customerId: survivor.id,
        details: { ...details, restored: removed.map((customer) => customer.code) },
      },
      ctx.now(),
    );
    for (const customer of removed) {
      await recordAudit(
        tx,
        ctx.actor,
        {
          action: 'customer.restore',
          entityType: 'customer',
          entityId: customer.id,
          customerId: customer.id,
          details: { code: customer.code, name: customer.name, from: survivor.code, mergeId },
        },
        ctx.now(),
      );
    }
    return result;
  });
}

/**
 * Whether two stored values are the same. Encrypted values are compared by their plaintext: saving
 * the same phone again writes a new ciphertext (a fresh IV), and a key rotation re-encrypts all.
 */
function sameStored(ctx: AppContext, column: string, a: unknown, b: unknown): boolean {
  const open = (value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith('v1:')) return value;
    try {
      return ctx.keyring.decrypt(value);
    } catch {
      return value;
    }
  };
  const encrypted = ENCRYPTED.has(column) || column === 'custom';
  const x = encrypted ? open(a) : a;
  const y = encrypted ? open(b) : b;
  return JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
}
