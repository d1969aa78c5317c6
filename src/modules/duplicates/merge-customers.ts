import { z } from 'zod';
import type { Queryable } from '../../db/database.js';
import { chooseMergedValues, type MergeSource } from '../../domain/duplicates/merge-values.js';
import { AppError, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { actorCan } from '../access/actor.js';
import { assertCustomerAccess, visibilityOf } from '../access/scope.js';
import { changedFields } from '../audit/audit-changes.js';
import { recordAudit } from '../audit/audit-log.js';
import { columnOf, findCustomerById } from '../customers/customer.queries.js';
import { type Customer, customerFieldNames } from '../customers/customer.schemas.js';
import { decryptPersonal, presentPersonal } from '../customers/personal-data.js';
import { recordOwnershipTransfer } from '../customers/transfer-customer.js';
import { CUSTOMER_SUMMARIES } from './customer-owned-tables.js';
import { type MovedRows, moveOwnedRows } from './merge-rows.js';

/** A customer named by id (number) or by its code (string). */
export const customerRefSchema = z.union([z.number().int().positive(), z.string().trim().min(1).max(64)]);
export type CustomerRef = z.infer<typeof customerRefSchema>;

export const mergeInputSchema = z.object({
  survivor: customerRefSchema.describe('The customer that stays (id or code)'),
  others: z.array(customerRefSchema).min(1).max(50).describe('Customers merged into it and removed'),
  take: z
    .record(z.string(), customerRefSchema)
    .optional()
    .describe(
      'Field → customer whose value the survivor gets, e.g. { "phone": "KH2024…", "custom.level": 42 }',
    ),
  dryRun: z.boolean().optional().describe('Show the result without writing anything'),
});
export type MergeInput = z.input<typeof mergeInputSchema>;

/** Standard fields a merge chooses a value for (the survivor keeps its code). */
export const MERGEABLE_FIELDS = customerFieldNames.filter((name) => name !== 'code');
/** Set-valued fields: by default the survivor gets the values of all. */
const UNION_FIELDS = new Set(['tags']);
/** The blind index that travels with each searchable personal field. */
const INDEX_OF: Record<string, string> = { phone: 'phone_index', email: 'email_index' };

export interface CustomerBrief {
  id: number;
  code: string;
  name: string;
}

export interface MergeResult {
  mergeId: number | null;
  dryRun: boolean;
  survivor: CustomerBrief;
  removed: CustomerBrief[];
  /** Fields whose value changed on the survivor; `from` is the customer whose value it took (unions have none). */
  fields: { field: string; from: string | null }[];
  /** Rows moved to the survivor, per table. */
  moved: Record<string, number>;
  /** Rows kept in the merge record instead of moved (the survivor had its own), per table. */
  setAside: Record<string, number>;
  customer: Customer;
}

class DryRun extends Error {
  constructor(readonly result: MergeResult) {
    super('dry run');
  }
}

/** Resolves ids and codes to ids; an unknown one is a 404 naming it. */
export async function resolveCustomerRefs(db: Queryable, refs: readonly CustomerRef[]): Promise<number[]> {
  const codes = refs.filter((ref): ref is string => typeof ref === 'string');
  const { rows } = await db.query<{ id: number; code: string }>(
    'SELECT id, code FROM customers WHERE code = ANY($1::text[])',
    [codes],
  );
  const byCode = new Map(rows.map((row) => [row.code, row.id]));
  return refs.map((ref) => {
    if (typeof ref === 'number') return ref;
    const id = byCode.get(ref);
    if (id === undefined)
      throw new AppError('NOT_FOUND', { zh: `客户 ${ref} 不存在`, en: `Customer ${ref} not found` });
    return id;
  });
}

interface StoredCustomer {
  id: number;
  code: string;
  name: string;
  row: Record<string, unknown>;
}

function sourceOf(customer: StoredCustomer): MergeSource {
  const values: Record<string, unknown> = {};
  for (const field of MERGEABLE_FIELDS) values[field] = customer.row[columnOf(field)] ?? null;
  for (const [key, value] of Object.entries((customer.row.custom as Record<string, unknown>) ?? {})) {
    values[`custom.${key}`] = value;
  }
  return { id: customer.id, values };
}

const brief = (customer: StoredCustomer): CustomerBrief => ({
  id: customer.id,
  code: customer.code,
  name: customer.name,
});

/**
 * Merges `others` into `survivor` in one transaction: the survivor's fields get the chosen values,
 * every row the others own moves to it (CUSTOMER_OWNED_TABLES), its purchase summary and search
 * material are recomputed, the others are removed, and a merge record keeps what an unmerge needs.
 * The actor needs write access to every customer involved (others answer 404 outside the scope).
 */
export async function mergeCustomers(ctx: AppContext, input: MergeInput): Promise<MergeResult> {
  const request = parseOrThrow(mergeInputSchema, input);
  // The scope is worked out before the transaction: on PGlite a query outside it would wait for it.
  await visibilityOf(ctx);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [survivorId, ...otherIds] = await resolveCustomerRefs(tx, [request.survivor, ...request.others]);
      const ids = [survivorId as number, ...otherIds];
      if (new Set(ids).size !== ids.length) {
        throw validationError([
          {
            field: 'others',
            message:
              '每个客户只能出现一次，且不能与保留的客户相同 / Each customer once, and not the survivor',
          },
        ]);
      }
      const takeIds = Object.fromEntries(
        await Promise.all(
          Object.entries(request.take ?? {}).map(
            async ([field, ref]) =>
              // The owner by its spreadsheet name too.
              [
                field === 'owner' ? 'ownerId' : field,
                (await resolveCustomerRefs(tx, [ref]))[0] as number,
              ] as const,
          ),
        ),
      );
      // Locked in id order (no deadlock with another merge), then checked against the scope.
      await tx.query('SELECT id FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [ids]);
      for (const id of ids) await assertCustomerAccess(ctx, tx, id, 'write');
      const { rows } = await tx.query<StoredCustomer>(
        'SELECT c.id, c.code, c.name, to_jsonb(c) AS row FROM customers c WHERE c.id = ANY($1::bigint[])',
        [ids],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      const survivor = byId.get(survivorId as number) as StoredCustomer;
      const others = otherIds.map((id) => byId.get(id) as StoredCustomer);

      const customKeys = new Set(rows.flatMap((row) => Object.keys((row.row.custom as object) ?? {})));
      const fields = [...MERGEABLE_FIELDS, ...Array.from(customKeys, (key) => `custom.${key}`)];
      const issues = Object.entries(takeIds).flatMap(([field, id]) => {
        if (!fields.includes(field)) {
          return [
            {
              field: `take.${field}`,
              message: `没有可选择的字段 ${field} / No field ${field} to choose (the code stays the survivor's)`,
            },
          ];
        }
        if (!ids.includes(id))
          return [
            { field: `take.${field}`, message: '该客户不在本次合并中 / That customer is not in this merge' },
          ];
        return [];
      });
      if (issues.length > 0) throw validationError(issues);
      const chosen = chooseMergedValues(
        fields,
        sourceOf(survivor),
        others.map(sourceOf),
        takeIds,
        UNION_FIELDS,
      );

      const ownerChanges = chosen.changed.includes('ownerId');
      if (ownerChanges && !actorCan(ctx.actor, 'customers.transfer')) {
        throw new AppError('FORBIDDEN', { zh: '没有转移客户的权限', en: 'You may not transfer customers' }, [
          { field: 'take.ownerId', message: '需要 customers.transfer 权限 / Needs customers.transfer' },
        ]);
      }

      const now = ctx.now().toISOString();
      const before = await findCustomerById(tx, survivor.id);
      const { rows: created } = await tx.query<{ id: number }>(
        `INSERT INTO customer_merges (survivor_id, survivor_code, removed, taken, actor, merged_at)
         VALUES ($1, $2, (SELECT jsonb_agg(to_jsonb(c) ORDER BY c.id) FROM customers c WHERE c.id = ANY($3::bigint[])),
                 $4, $5, $6)
         RETURNING id`,
        [
          survivor.id,
          survivor.code,
          otherIds,
          JSON.stringify(
            Object.fromEntries(Object.entries(chosen.taken).map(([f, id]) => [f, byId.get(id)?.code])),
          ),
          ctx.actor.name,
          now,
        ],
      );
      const mergeId = created[0]?.id as number;

      const moved: MovedRows = { moved: {}, demoted: {}, setAside: {} };
      for (const other of others) await moveOwnedRows(tx, mergeId, survivor.id, other.id, moved);
      await tx.query('DELETE FROM customers WHERE id = ANY($1::bigint[])', [otherIds]);

      // The survivor's changed columns: standard fields (with their blind index) and custom keys.
      const assignments: Record<string, unknown> = {};
      const customChanges: Record<string, unknown> = {};
      for (const field of chosen.changed) {
        if (field.startsWith('custom.')) {
          customChanges[field.slice(7)] = chosen.values[field] ?? null;
          continue;
        }
        const column = columnOf(field);
        assignments[column] = chosen.values[field] ?? null;
        const index = INDEX_OF[field];
        if (index) {
          const from = chosen.taken[field];
          assignments[index] = from === undefined ? null : (byId.get(from)?.row[index] ?? null);
        }
      }
      const columns = Object.keys(assignments);
      if (Object.keys(customChanges).length > 0) columns.push('custom');
      const beforeColumns = await tx.query<{ values: Record<string, unknown> }>(
        `SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb) AS values
         FROM customers c, jsonb_each(to_jsonb(c)) e WHERE c.id = $1 AND e.key = ANY($2::text[])`,
        [survivor.id, columns],
      );
      const customSet = Object.entries(customChanges).filter(([, value]) => value !== null);
      const customRemoved = Object.entries(customChanges)
        .filter(([, value]) => value === null)
        .map(([key]) => key);
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
          JSON.stringify(Object.fromEntries(customSet)),
          customRemoved,
          now,
        ],
      );
      for (const summary of CUSTOMER_SUMMARIES) await summary.refresh(tx, ctx, [survivor.id]);
      await tx.query(
        `UPDATE customer_merges m SET survivor_before = $2::jsonb, moved = $3::jsonb, demoted = $4::jsonb,
           survivor_after = (SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
                             FROM customers c, jsonb_each(to_jsonb(c)) e WHERE c.id = m.survivor_id AND e.key = ANY($5::text[]))
         WHERE m.id = $1`,
        [
          mergeId,
          JSON.stringify(beforeColumns.rows[0]?.values ?? {}),
          JSON.stringify(moved.moved),
          JSON.stringify(moved.demoted),
          columns,
        ],
      );

      const after = (await findCustomerById(tx, survivor.id)) as Customer;
      if (ownerChanges && before) {
        await recordOwnershipTransfer(
          tx,
          ctx,
          survivor.id,
          before.ownerId,
          after.ownerId,
          `合并客户 / Merge ${mergeId}`,
        );
      }
      const movedCounts = Object.fromEntries(
        Object.entries(moved.moved).map(([table, perCustomer]) => [
          table,
          Object.values(perCustomer).reduce((sum, keys) => sum + keys.length, 0),
        ]),
      );
      const result: MergeResult = {
        mergeId: request.dryRun ? null : mergeId,
        dryRun: request.dryRun ?? false,
        survivor: brief(survivor),
        removed: others.map(brief),
        fields: chosen.changed.map((field) => {
          const from = chosen.taken[field];
          return { field, from: from === undefined ? null : (byId.get(from)?.code ?? null) };
        }),
        moved: movedCounts,
        setAside: moved.setAside,
        customer: presentPersonal(ctx, after),
      };
      if (request.dryRun) throw new DryRun(result);

      await recordAudit(
        tx,
        ctx.actor,
        {
          action: 'customer.merge',
          entityType: 'customer_merge',
          entityId: mergeId,
          customerId: survivor.id,
          details: {
            survivor: survivor.code,
            removed: others.map((other) => other.code),
            fields: result.fields,
            changes: changedFields(decryptPersonal(ctx, before as Customer), decryptPersonal(ctx, after), [
              ...customerFieldNames,
              'custom',
            ]),
            moved: movedCounts,
            setAside: moved.setAside,
          },
        },
        ctx.now(),
      );
      for (const other of others) {
        await recordAudit(
          tx,
          ctx.actor,
          {
            action: 'customer.merged_into',
            entityType: 'customer',
            entityId: other.id,
            customerId: other.id,
            details: { code: other.code, name: other.name, into: survivor.code, mergeId },
          },
          ctx.now(),
        );
      }
      return result;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    throw error;
  }
}
