import type { Queryable } from '../../db/database.js';
import { AppError, type FieldIssue } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { visibilityOf } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { type Followup, type UpdateFollowupInput, updateFollowupSchema } from './followup.schemas.js';
import {
  CHURNED_ISSUE,
  checkDueAt,
  customerForWrite,
  FOLLOWUP_NOT_FOUND,
  requireFollowup,
  resolveOwner,
  throwIfIssues,
} from './followups.js';

export const NOT_OPEN_ISSUE: FieldIssue = {
  field: 'status',
  message:
    '该跟进计划已完成或已跳过，不能再修改 / This follow-up is already done or skipped and can no longer change',
};

/** The plan, locked until the transaction ends; done and skipped plans are history and refused. */
export async function lockOpenFollowup(
  ctx: AppContext,
  tx: Queryable,
  customerId: number,
  id: number,
): Promise<Followup> {
  const { rows } = await tx.query<{ status: string }>(
    'SELECT status FROM followups WHERE customer_id = $1 AND id = $2 FOR UPDATE',
    [customerId, id],
  );
  if (!rows[0]) throw new AppError('NOT_FOUND', FOLLOWUP_NOT_FOUND);
  if (rows[0].status !== 'planned') throwIfIssues([NOT_OPEN_ISSUE]);
  return requireFollowup(tx, customerId, id, ctx.now());
}

const COLUMNS = {
  dueAt: 'due_at',
  method: 'method',
  content: 'content',
  goal: 'goal',
  expectedResult: 'expected_result',
  ownerId: 'owner_id',
} as const;

/** Changes an open plan: due time, method, texts or owner (the same checks as planning one). */
export async function updateFollowup(
  ctx: AppContext,
  customerId: number,
  id: number,
  input: UpdateFollowupInput,
): Promise<Followup> {
  const data = parseOrThrow(updateFollowupSchema, input);
  const now = ctx.now();
  await visibilityOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const customer = await customerForWrite(ctx, tx, customerId);
    const before = await lockOpenFollowup(ctx, tx, customerId, id);
    const issues: FieldIssue[] = [];
    if (customer.churned) issues.push(CHURNED_ISSUE);
    const changes: Partial<Record<keyof typeof COLUMNS, unknown>> = {};
    if (data.dueAt !== undefined) changes.dueAt = checkDueAt(data.dueAt, 'dueAt', now, issues)?.toISOString();
    if (data.method !== undefined) changes.method = data.method;
    for (const key of ['content', 'goal', 'expectedResult'] as const) {
      if (data[key] !== undefined) changes[key] = data[key];
    }
    if (data.owner !== undefined || data.ownerId !== undefined) {
      changes.ownerId = await resolveOwner(ctx, tx, customer, data, issues);
    }
    throwIfIssues(issues);
    const entries = Object.entries(changes) as [keyof typeof COLUMNS, unknown][];
    if (entries.length === 0) return before;
    await tx.query(
      `UPDATE followups SET ${entries.map(([key], i) => `${COLUMNS[key]} = $${i + 3}`).join(', ')},
         updated_at = $${entries.length + 3}
       WHERE customer_id = $1 AND id = $2`,
      [customerId, id, ...entries.map(([, value]) => value), now.toISOString()],
    );
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'followup.update',
        entityType: 'followup',
        entityId: id,
        customerId,
        details: { changed: entries.map(([key]) => key) },
      },
      now,
    );
    return requireFollowup(tx, customerId, id, now);
  });
}

/** Deletes an open plan; done and skipped ones stay as history. */
export async function deleteFollowup(ctx: AppContext, customerId: number, id: number): Promise<void> {
  await visibilityOf(ctx);
  await ctx.db.transaction(async (tx) => {
    await customerForWrite(ctx, tx, customerId);
    const before = await lockOpenFollowup(ctx, tx, customerId, id);
    await tx.query('DELETE FROM followups WHERE customer_id = $1 AND id = $2', [customerId, id]);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'followup.delete',
        entityType: 'followup',
        entityId: id,
        customerId,
        details: { dueAt: before.dueAt, method: before.method, source: before.source },
      },
      ctx.now(),
    );
  });
}
