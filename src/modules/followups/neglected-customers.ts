import type { FollowupMethod } from '../../domain/followups/methods.js';
import { validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { scopeClause } from '../access/scope.js';
import { getScheme } from '../tiers/schemes.js';
import { daysSince } from './followups.js';

export interface NeglectedCustomer {
  customerId: number;
  customer: string;
  name: string;
  owner: string | null;
  tier: string;
  method: FollowupMethod;
  /** The latest communication or done follow-up; null if never contacted. */
  lastContactedAt: string | null;
  daysSinceContact: number | null;
  /** When the tier's cadence wanted the next contact (null: never contacted). */
  contactDueOn: string | null;
}

/**
 * Customers of a scheme not contacted within their tier's cadence (e.g. an A account not visited
 * for over a month), in the caller's data scope, longest neglected first; churned ones left out.
 */
export async function neglectedCustomers(
  ctx: AppContext,
  schemeId: string,
  options: { owner?: string; limit?: number } = {},
): Promise<{ scheme: string; date: string; total: number; items: NeglectedCustomer[] }> {
  const stored = await getScheme(ctx.db, schemeId);
  const cadences = Object.entries(stored.definition.cadences ?? {});
  if (cadences.length === 0) {
    throw validationError([
      {
        field: 'scheme',
        message: `分级方案 ${schemeId} 没有设置跟进频率（cadences） / Tier scheme ${schemeId} has no follow-up cadences`,
      },
    ]);
  }
  const today = localDate(ctx.now());
  const params: unknown[] = [
    schemeId,
    cadences.map(([tier]) => tier),
    cadences.map(([, c]) => c.everyMonths ?? null),
    cadences.map(([, c]) => c.everyDays ?? null),
    cadences.map(([, c]) => c.method),
    today,
    options.limit ?? 100,
  ];
  const scope = await scopeClause(ctx, 'c', params);
  let ownerFilter = '';
  if (options.owner !== undefined) {
    params.push(options.owner);
    ownerFilter = `AND u.username = $${params.length}`;
  }
  const { rows } = await ctx.db.query<Omit<NeglectedCustomer, 'daysSinceContact'> & { total: number }>(
    `WITH cad AS (
       SELECT * FROM unnest($2::text[], $3::int[], $4::int[], $5::text[]) AS x(tier, months, days, method)
     ), last_done AS (
       SELECT f.customer_id, max(f.completed_at) AS at FROM followups f
       WHERE f.status = 'done' AND f.customer_id IN (SELECT customer_id FROM tier_assignments WHERE scheme_id = $1)
       GROUP BY f.customer_id
     ), x AS (
       SELECT c.id, c.code, c.name, u.username AS owner, a.tier, cad.method, cad.months, cad.days,
         greatest(c.last_contacted_at, d.at) AS last_at
       FROM tier_assignments a JOIN customers c ON c.id = a.customer_id JOIN cad ON cad.tier = a.tier
       LEFT JOIN last_done d ON d.customer_id = a.customer_id
       LEFT JOIN users u ON u.id = c.owner_id
       WHERE a.scheme_id = $1 AND c.erased_at IS NULL AND c.stage <> 'churned' AND c.status <> 'terminated'
         AND ${scope} ${ownerFilter}
     ), y AS (
       SELECT x.*, (((x.last_at AT TIME ZONE 'UTC') + interval '8 hours')::date
         + CASE WHEN x.months IS NOT NULL THEN x.months * interval '1 month' ELSE x.days * interval '1 day' END)::date
         AS due_on
       FROM x
     )
     SELECT id AS "customerId", code AS customer, name, owner, tier, method, last_at AS "lastContactedAt",
       due_on AS "contactDueOn", count(*) OVER ()::int AS total
     FROM y WHERE last_at IS NULL OR due_on < $6::date
     ORDER BY last_at NULLS FIRST, code LIMIT $7`,
    params,
  );
  const now = ctx.now();
  return {
    scheme: schemeId,
    date: today,
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _total, ...row }) => ({
      ...row,
      daysSinceContact: daysSince(row.lastContactedAt, now),
    })),
  };
}
