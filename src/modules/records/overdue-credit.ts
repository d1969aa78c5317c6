/**
 * Overdue instalments and the customer's credit status. A customer with an instalment whose due
 * date has passed and that the payments received do not cover (payments settle instalments in
 * due-date order, per project; cancelled projects do not count) gets credit_status 'overdue'. The
 * marker customers.credit_overdue_auto remembers that this rule set it: only then does the status go
 * back to 'good' once nothing is overdue any more. A status someone set by hand — 'overdue' or
 * anything else — is never reset; and changing the status by hand clears the marker (a trigger, see
 * migration 0007), so the person's choice stays until an instalment is overdue again.
 */
import type { Queryable } from '../../db/database.js';
import { validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { isCalendarDate } from '../../shared/fields.js';
import type { Actor } from '../access/actor.js';
import { recordAudit } from '../audit/audit-log.js';

export interface CreditChange {
  customerId: number;
  code: string;
  from: string | null;
  to: 'overdue' | 'good';
}

/**
 * Recomputes the credit status from the instalments on `today` for the given customers (all when
 * null), in the caller's transaction, and audits each change. Returns the changes.
 */
export async function refreshCustomerCredit(
  tx: Queryable,
  actor: Actor,
  customerIds: readonly number[] | null,
  today: string,
  now: Date,
): Promise<CreditChange[]> {
  const only = customerIds === null ? '' : 'AND x.customer_id = ANY($2::bigint[])';
  const onlyCustomers = customerIds === null ? '' : 'AND c.id = ANY($2::bigint[])';
  const params: unknown[] = [
    today,
    ...(customerIds === null ? [] : [Array.from(new Set(customerIds))]),
    now.toISOString(),
  ];
  const nowParam = `$${params.length}::timestamptz`;
  const { rows } = await tx.query<CreditChange>(
    `WITH late AS (
       SELECT DISTINCT i.customer_id FROM (
         SELECT x.customer_id, x.project_id,
                sum(x.amount) OVER (PARTITION BY x.customer_id, x.project_id ORDER BY x.due_on, x.id) AS due_so_far
         FROM project_instalments x
         JOIN projects p ON p.customer_id = x.customer_id AND p.id = x.project_id AND p.status <> 'cancelled'
         WHERE x.due_on < $1::date ${only}
       ) i
       LEFT JOIN (
         SELECT x.customer_id, x.project_id, sum(x.amount) AS received FROM project_payments x
         WHERE true ${only} GROUP BY x.customer_id, x.project_id
       ) r ON r.customer_id = i.customer_id AND r.project_id = i.project_id
       WHERE i.due_so_far > coalesce(r.received, 0)
     ),
     before AS (
       SELECT c.id, c.credit_status FROM customers c
       WHERE (c.id IN (SELECT customer_id FROM late) AND c.credit_status IS DISTINCT FROM 'overdue')
          OR (c.credit_overdue_auto AND c.id NOT IN (SELECT customer_id FROM late) ${onlyCustomers})
     ),
     changed AS (
       UPDATE customers c SET
         credit_status = CASE WHEN c.id IN (SELECT customer_id FROM late) THEN 'overdue' ELSE 'good' END,
         credit_overdue_auto = c.id IN (SELECT customer_id FROM late),
         version = c.version + 1, updated_at = ${nowParam}
       FROM before b WHERE c.id = b.id
       RETURNING c.id, c.code, c.credit_status
     )
     SELECT changed.id AS "customerId", changed.code, b.credit_status AS "from", changed.credit_status AS "to"
     FROM changed JOIN before b ON b.id = changed.id ORDER BY changed.code`,
    params,
  );
  for (const change of rows) {
    await recordAudit(
      tx,
      actor,
      {
        action: 'customer.credit_status',
        entityType: 'customer',
        entityId: change.customerId,
        customerId: change.customerId,
        details: {
          from: change.from,
          to: change.to,
          reason: change.to === 'overdue' ? 'instalment_overdue' : 'instalments_settled',
          asOf: today,
        },
      },
      now,
    );
  }
  return rows;
}

export interface CreditRefreshReport {
  date: string;
  overdue: string[];
  restored: string[];
}

/**
 * Recomputes the overdue credit status of every customer as of `today` (YYYY-MM-DD, default: today
 * in China) — what a daily job runs, since an instalment becomes overdue with the calendar alone.
 * Payment and instalment writes recompute their own customer already.
 */
export async function refreshOverdueCredit(ctx: AppContext, today?: string): Promise<CreditRefreshReport> {
  const date = today ?? localDate(ctx.now());
  if (!isCalendarDate(date)) {
    throw validationError([{ field: 'date', message: '须为日期 YYYY-MM-DD / Must be a date YYYY-MM-DD' }]);
  }
  const changes = await ctx.db.transaction(async (tx) => {
    // One refresh at a time on a server (PGlite runs one transaction at a time anyway).
    if (ctx.db.kind === 'postgres') {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('clientele.refresh_overdue_credit'))");
    }
    return refreshCustomerCredit(tx, ctx.actor, null, date, ctx.now());
  });
  return {
    date,
    overdue: changes.filter((change) => change.to === 'overdue').map((change) => change.code),
    restored: changes.filter((change) => change.to === 'good').map((change) => change.code),
  };
}
