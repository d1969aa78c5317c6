import type { Queryable } from '../../db/database.js';
import type { FieldIssue } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { visibilityOf } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { recordCommunication } from '../records/communications.js';
import { getScheme } from '../tiers/schemes.js';
import { planCadenceFollowups } from './cadence-plans.js';
import { lockOpenFollowup } from './change-followup.js';
import {
  type CompleteFollowupInput,
  completeFollowupSchema,
  type Followup,
  skipFollowupSchema,
} from './followup.schemas.js';
import {
  CHURNED_ISSUE,
  checkDueAt,
  checkOccurredAt,
  customerForWrite,
  requireFollowup,
  throwIfIssues,
} from './followups.js';

export interface CompletedFollowup {
  followup: Followup;
  /** The communication the outcome was recorded as. */
  communicationId: number;
  /** The next plan, if one was made (asked for with nextDueAt, or by the tier's cadence). */
  next: Followup | null;
}

/**
 * After a cadence plan is closed (done or skipped) without a next date given, its scheme plans the
 * next one from now on (cadence-plans.ts), so the customer keeps exactly one open cadence plan.
 */
async function planNextByCadence(tx: Queryable, ctx: AppContext, closed: Followup): Promise<Followup | null> {
  if (closed.source !== 'cadence' || closed.scheme === null) return null;
  const stored = await getScheme(tx, closed.scheme);
  await planCadenceFollowups(tx, ctx, {
    schemeId: closed.scheme,
    scheme: stored.definition,
    customerIds: [closed.customerId],
  });
  const { rows } = await tx.query<{ id: number }>(
    `SELECT id FROM followups WHERE customer_id = $1 AND scheme_id = $2 AND source = 'cadence' AND status = 'planned'`,
    [closed.customerId, closed.scheme],
  );
  return rows[0] ? requireFollowup(tx, closed.customerId, rows[0].id, ctx.now()) : null;
}

/**
 * Completes a plan (跟进完成): the outcome is recorded as a communication of the plan's method
 * (last contact moves with it), and the next plan is made — on `nextDueAt` if given (same owner,
 * method unless `nextMethod`), else by the tier's cadence for a cadence plan.
 */
export async function completeFollowup(
  ctx: AppContext,
  customerId: number,
  id: number,
  input: CompleteFollowupInput,
): Promise<CompletedFollowup> {
  const data = parseOrThrow(completeFollowupSchema, input);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await visibilityOf(ctx);
    const customer = await customerForWrite(ctx, tx, customerId);
    const plan = await lockOpenFollowup(ctx, tx, customerId, id);
    const issues: FieldIssue[] = [];
    const occurredAt = checkOccurredAt(data.occurredAt, 'occurredAt', now, issues);
    const nextDue =
      data.nextDueAt === undefined ? undefined : checkDueAt(data.nextDueAt, 'nextDueAt', now, issues);
    if (data.nextDueAt !== undefined && customer.churned)
      issues.push({ ...CHURNED_ISSUE, field: 'nextDueAt' });
    throwIfIssues(issues);

    const staff = plan.ownerId ?? ctx.actor.userId;
    // The outcome is a communication like any other (last contact and audit included), in this transaction.
    const communication = await recordCommunication(
      ctx,
      customerId,
      {
        occurredAt: occurredAt.toISOString(),
        channel: plan.method,
        direction: 'outbound',
        content: data.outcome,
        staffIds: staff === null ? [] : [staff],
        nextStep: nextDue ? `下次跟进 / Next follow-up: ${nextDue.toISOString()}` : null,
        followupId: id,
      },
      tx,
    );
    const communicationId = communication.id;
    await tx.query(
      `UPDATE followups SET status = 'done', outcome = $3, completed_at = $4, communication_id = $5, updated_at = $6
       WHERE customer_id = $1 AND id = $2`,
      [customerId, id, data.outcome, occurredAt.toISOString(), communicationId, now.toISOString()],
    );
    let next: Followup | null = null;
    if (nextDue) {
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO followups (customer_id, due_at, method, content, owner_id, source, scheme_id, tier, created_by,
           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
        [
          customerId,
          nextDue.toISOString(),
          data.nextMethod ?? plan.method,
          data.nextContent ?? (plan.source === 'cadence' ? plan.content : null),
          plan.ownerId,
          plan.source,
          plan.scheme,
          plan.tier,
          ctx.actor.name,
          now.toISOString(),
        ],
      );
      next = await requireFollowup(tx, customerId, (rows[0] as { id: number }).id, now);
    } else {
      next = await planNextByCadence(tx, ctx, plan);
    }
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'followup.complete',
        entityType: 'followup',
        entityId: id,
        customerId,
        details: { communicationId, next: next?.id ?? null },
      },
      now,
    );
    return { followup: await requireFollowup(tx, customerId, id, now), communicationId, next };
  });
}

/**
 * Skips a plan with a reason (not a contact: last contact stays). A skipped cadence plan counts as
 * the start of the next interval, so its next plan is not overdue at once.
 */
export async function skipFollowup(
  ctx: AppContext,
  customerId: number,
  id: number,
  input: { reason: string },
): Promise<{ followup: Followup; next: Followup | null }> {
  const { reason } = parseOrThrow(skipFollowupSchema, input);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await visibilityOf(ctx);
    await customerForWrite(ctx, tx, customerId);
    const plan = await lockOpenFollowup(ctx, tx, customerId, id);
    await tx.query(
      `UPDATE followups SET status = 'skipped', outcome = $3, completed_at = $4, updated_at = $4
       WHERE customer_id = $1 AND id = $2`,
      [customerId, id, reason, now.toISOString()],
    );
    const next = await planNextByCadence(tx, ctx, plan);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'followup.skip',
        entityType: 'followup',
        entityId: id,
        customerId,
        details: { reason, next: next?.id ?? null },
      },
      now,
    );
    return { followup: await requireFollowup(tx, customerId, id, now), next };
  });
}
