import type { FieldIssue } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { visibilityOf } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { type CreateFollowupInput, createFollowupSchema, type Followup } from './followup.schemas.js';
import {
  CHURNED_ISSUE,
  checkDueAt,
  customerForWrite,
  requireFollowup,
  resolveOwner,
  throwIfIssues,
} from './followups.js';

/**
 * Plans a follow-up (跟进计划) for a customer. Refused with every bad field named, and nothing
 * written, for a churned customer, an unknown owner or an invalid or past due time.
 */
export async function createFollowup(
  ctx: AppContext,
  customerId: number,
  input: CreateFollowupInput,
): Promise<Followup> {
  const data = parseOrThrow(createFollowupSchema, input);
  const now = ctx.now();
  // The data scope is read before the transaction (PGlite has one connection: a read beside the
  // open transaction would wait for it).
  await visibilityOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const customer = await customerForWrite(ctx, tx, customerId);
    const issues: FieldIssue[] = [];
    if (customer.churned) issues.push(CHURNED_ISSUE);
    const due = checkDueAt(data.dueAt, 'dueAt', now, issues);
    const ownerId = await resolveOwner(ctx, tx, customer, data, issues);
    throwIfIssues(issues);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO followups (customer_id, due_at, method, content, goal, expected_result, owner_id, source,
         created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'manual', $8, $9, $9) RETURNING id`,
      [
        customerId,
        (due as Date).toISOString(),
        data.method,
        data.content ?? null,
        data.goal ?? null,
        data.expectedResult ?? null,
        ownerId,
        ctx.actor.name,
        now.toISOString(),
      ],
    );
    const id = (rows[0] as { id: number }).id;
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'followup.create',
        entityType: 'followup',
        entityId: id,
        customerId,
        details: { dueAt: (due as Date).toISOString(), method: data.method, ownerId },
      },
      now,
    );
    return requireFollowup(tx, customerId, id, now);
  });
}
