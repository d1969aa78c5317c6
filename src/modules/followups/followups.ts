/**
 * Follow-up plans (跟进计划) as the API shows them, and what every follow-up use case checks: the
 * customer may be written, is not churned, the owner exists and is someone the caller may plan for,
 * and the due time is a real one from today on.
 */
import type { Queryable } from '../../db/database.js';
import { parseDueAt, startOfLocalDay } from '../../domain/followups/local-time.js';
import { daysBetween } from '../../domain/tiers/calendar.js';
import { AppError, type FieldIssue, validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { assertCustomerAccess, visibilityOf } from '../access/scope.js';
import type { Followup } from './followup.schemas.js';

export const FOLLOWUP_NOT_FOUND = { zh: '跟进计划不存在', en: 'Follow-up plan not found' };

/** Select list turning followups `f` (with customers `c`, owner `u`) into the API shape, less `overdue`. */
export const FOLLOWUP_COLUMNS = `f.id, f.customer_id AS "customerId", c.code AS customer, c.name AS "customerName",
  f.due_at AS "dueAt", f.method, f.content, f.goal, f.expected_result AS "expectedResult",
  f.owner_id AS "ownerId", u.username AS owner, f.status, f.outcome, f.completed_at AS "completedAt",
  f.communication_id AS "communicationId", f.source, f.scheme_id AS scheme, f.tier,
  f.created_by AS "createdBy", f.created_at AS "createdAt", f.updated_at AS "updatedAt"`;
export const FOLLOWUP_FROM = `followups f JOIN customers c ON c.id = f.customer_id LEFT JOIN users u ON u.id = f.owner_id`;

/** Overdue is derived: planned and due before now. */
export function withOverdue(row: Omit<Followup, 'overdue'>, now: Date): Followup {
  return { ...row, overdue: row.status === 'planned' && new Date(row.dueAt) < now };
}

export async function findFollowup(
  db: Queryable,
  customerId: number,
  id: number,
  now: Date,
): Promise<Followup | undefined> {
  const { rows } = await db.query<Omit<Followup, 'overdue'>>(
    `SELECT ${FOLLOWUP_COLUMNS} FROM ${FOLLOWUP_FROM} WHERE f.customer_id = $1 AND f.id = $2`,
    [customerId, id],
  );
  return rows[0] ? withOverdue(rows[0], now) : undefined;
}

export async function requireFollowup(db: Queryable, customerId: number, id: number, now: Date) {
  const followup = await findFollowup(db, customerId, id, now);
  if (!followup) throw new AppError('NOT_FOUND', FOLLOWUP_NOT_FOUND);
  return followup;
}

export interface CustomerFollowups {
  items: Followup[];
  /** The latest communication (customers.last_contacted_at) and whole days since, China time. */
  lastContactedAt: string | null;
  daysSinceContact: number | null;
}

/** Days from the local date of `at` to the local date of `now`. */
export function daysSince(at: string | null, now: Date): number | null {
  return at === null ? null : daysBetween(localDate(new Date(at)), localDate(now));
}

/**
 * A customer's follow-ups: open plans first, soonest first, then done and skipped ones, latest
 * first (at most 500), with the last contact.
 */
export async function listCustomerFollowups(
  ctx: AppContext,
  customerId: number,
  status?: Followup['status'],
): Promise<CustomerFollowups> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  const params: unknown[] = [customerId];
  let filter = '';
  if (status) {
    params.push(status);
    filter = `AND f.status = $${params.length}`;
  }
  const { rows } = await ctx.db.query<Omit<Followup, 'overdue'>>(
    `SELECT ${FOLLOWUP_COLUMNS} FROM ${FOLLOWUP_FROM} WHERE f.customer_id = $1 ${filter}
     ORDER BY (f.status = 'planned') DESC, CASE WHEN f.status = 'planned' THEN f.due_at END,
       coalesce(f.completed_at, f.due_at) DESC, f.id DESC
     LIMIT 500`,
    params,
  );
  const contact = await ctx.db.query<{ at: string | null }>(
    'SELECT last_contacted_at AS at FROM customers WHERE id = $1',
    [customerId],
  );
  const now = ctx.now();
  const lastContactedAt = contact.rows[0]?.at ?? null;
  return {
    items: rows.map((row) => withOverdue(row, now)),
    lastContactedAt,
    daysSinceContact: daysSince(lastContactedAt, now),
  };
}

export interface WritableCustomer {
  id: number;
  ownerId: number | null;
  churned: boolean;
}

/** The customer for a follow-up write: 404 outside the caller's scope, 403 with read access only. */
export async function customerForWrite(
  ctx: AppContext,
  tx: Queryable,
  customerId: number,
): Promise<WritableCustomer> {
  await assertCustomerAccess(ctx, tx, customerId, 'write');
  const { rows } = await tx.query<WritableCustomer>(
    `SELECT id, owner_id AS "ownerId", (stage = 'churned' OR status = 'terminated') AS churned
     FROM customers WHERE id = $1 FOR UPDATE`,
    [customerId],
  );
  return rows[0] as WritableCustomer;
}

export const CHURNED_ISSUE: FieldIssue = {
  field: 'customer',
  message:
    '客户已流失或已终止合作，不能安排跟进 / The customer has churned or ended the relationship: no follow-ups can be planned',
};

/** Checks a due time written by a person: a real time, not before today, at most five years ahead. */
export function checkDueAt(value: string, field: string, now: Date, issues: FieldIssue[]): Date | undefined {
  const due = parseDueAt(value);
  if (!due) {
    issues.push({
      field,
      message:
        '须为日期或日期时间，例：2026-12-01、2026-12-01 14:30（北京时间）或 2026-12-01T06:30:00Z / Must be a date or date and time, e.g. 2026-12-01, 2026-12-01 14:30 (China time) or 2026-12-01T06:30:00Z',
    });
    return undefined;
  }
  const today = localDate(now);
  if (due < startOfLocalDay(today)) {
    issues.push({ field, message: `不能早于今天（${today}） / Cannot be before today (${today})` });
    return undefined;
  }
  const limit = new Date(now.getTime() + 5 * 366 * 86_400_000);
  if (due > limit) {
    issues.push({ field, message: '不能晚于五年之后 / Cannot be more than five years ahead' });
    return undefined;
  }
  return due;
}

/** Checks when something happened: a real time, not in the future. */
export function checkOccurredAt(
  value: string | undefined,
  field: string,
  now: Date,
  issues: FieldIssue[],
): Date {
  if (value === undefined) return now;
  const at = parseDueAt(value);
  if (!at) {
    issues.push({
      field,
      message:
        '须为日期时间，例：2026-12-01 14:30（北京时间） / Must be a date and time, e.g. 2026-12-01 14:30 (China time)',
    });
    return now;
  }
  // A minute of slack for clocks that differ a little.
  if (at.getTime() > now.getTime() + 60_000) {
    issues.push({ field, message: '不能晚于现在 / Cannot be in the future' });
  }
  return at;
}

/**
 * Who owns a plan: the named user (`owner` username or `ownerId`), else the customer's owner, else
 * the caller. Someone other than the caller or the customer's owner must be within the caller's
 * data scope (a team member for a manager; anyone for an admin).
 */
export async function resolveOwner(
  ctx: AppContext,
  tx: Queryable,
  customer: WritableCustomer,
  input: { owner?: string; ownerId?: number },
  issues: FieldIssue[],
): Promise<number | null> {
  let ownerId: number | null = null;
  let field = 'owner';
  if (input.ownerId !== undefined) {
    field = 'ownerId';
    const { rows } = await tx.query<{ id: number }>('SELECT id FROM users WHERE id = $1 AND NOT disabled', [
      input.ownerId,
    ]);
    if (!rows[0]) {
      issues.push({ field, message: `用户 ${input.ownerId} 不存在 / No user ${input.ownerId}` });
      return null;
    }
    ownerId = rows[0].id;
  } else if (input.owner !== undefined) {
    const { rows } = await tx.query<{ id: number }>(
      'SELECT id FROM users WHERE username = $1 AND NOT disabled',
      [input.owner],
    );
    if (!rows[0]) {
      issues.push({ field, message: `用户 ${input.owner} 不存在 / No user named ${input.owner}` });
      return null;
    }
    ownerId = rows[0].id;
  } else {
    ownerId = customer.ownerId ?? ctx.actor.userId;
    if (ownerId === null) {
      issues.push({
        field,
        message: '客户没有负责人：请指定跟进人 / The customer has no owner: name who follows up',
      });
    }
    return ownerId;
  }
  if (ownerId === ctx.actor.userId || ownerId === customer.ownerId) return ownerId;
  const visibility = await visibilityOf(ctx);
  if (!visibility.all && !visibility.owners.includes(ownerId)) {
    issues.push({
      field,
      message:
        '跟进人须为你自己、客户负责人或你团队的成员 / The owner must be you, the customer’s owner or a member of your team',
    });
  }
  return ownerId;
}

export function throwIfIssues(issues: FieldIssue[]): void {
  if (issues.length > 0) throw validationError(issues);
}

/**
 * When a customer changes owner (转移), the open plans the previous owner was to make — and those
 * left without an owner — go to the new owner with it.
 */
export async function moveOpenFollowups(
  tx: Queryable,
  ctx: AppContext,
  customerId: number,
  from: number | null,
  to: number | null,
): Promise<void> {
  await tx.query(
    `UPDATE followups SET owner_id = $3, updated_at = $4
     WHERE customer_id = $1 AND status = 'planned' AND (owner_id IS NULL OR owner_id = $2)`,
    [customerId, from, to, ctx.now().toISOString()],
  );
}
