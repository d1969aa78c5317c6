/**
 * Plans follow-ups from a tier scheme's cadences (跟进频率) in set-based SQL: one statement closes
 * the open cadence plans of customers whose tier lost its cadence, one re-dates those whose tier
 * changed, one inserts a plan for every customer with a cadence and none open. No loop over
 * customers in JavaScript, so it stays fast at 100,000+ customers. The unique index
 * followups_one_cadence_plan keeps at most one open cadence plan per customer and scheme, so
 * planning again creates nothing.
 *
 * A plan is due at 09:00 China time on the day (last contact, or last done follow-up or skipped
 * cadence plan, whichever is latest; else today) + the tier's interval, owned by the customer's
 * owner. Customers without an owner (in the pool) and churned ones get none.
 */
import type { Queryable } from '../../db/database.js';
import type { FollowupMethod } from '../../domain/followups/methods.js';
import type { Scheme } from '../../domain/tiers/scheme.js';
import { type AppContext, localDate } from '../../shared/context.js';

export interface PlannedFollowup {
  customer: string;
  dueAt: string;
  method: FollowupMethod;
  owner: string | null;
}

export interface CadencePlanResult {
  /** The plans made, in customer-code order (empty unless `report`). */
  created: PlannedFollowup[];
  createdCount: number;
  /** Open plans moved to the customer's new tier: new due time, method and content. */
  redated: number;
  /** Open plans closed (skipped) because the tier has no cadence any more or the customer churned. */
  closed: number;
}

export interface CadencePlanOptions {
  schemeId: string;
  scheme: Scheme;
  /** Only these customers… */
  customerIds?: readonly number[];
  /** …or only the customers listed in this (temporary) table's customer_id column. */
  customersIn?: string;
  /** Return the plans made (the CLI prints them); otherwise only counts. */
  report?: boolean;
}

const CLOSED_NO_CADENCE = '客户当前等级没有跟进频率 / The customer’s current tier has no follow-up cadence';
const CLOSED_CHURNED = '客户已流失或已终止合作 / The customer has churned or ended the relationship';

/** SQL of a plan's due time from `base_on` (date) and the cadence row `cad`. */
const DUE_AT = `(((b.base_on + CASE WHEN cad.months IS NOT NULL THEN cad.months * interval '1 month'
  ELSE cad.days * interval '1 day' END)::date)::timestamp + interval '1 hour') AT TIME ZONE 'UTC'`;

/** Whether the scheme plans follow-ups at all. */
export function hasCadences(scheme: Scheme): boolean {
  return Object.keys(scheme.cadences ?? {}).length > 0;
}

/**
 * Binds `@name` placeholders to $1, $2… with only the values a statement uses (PostgreSQL refuses
 * parameters it cannot type, so every statement gets exactly its own).
 */
export function bindNamed(sql: string, values: Record<string, unknown>): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const positions = new Map<string, number>();
  const text = sql.replace(/@([a-z][A-Za-z]*)/g, (match, name: string) => {
    if (!(name in values)) return match;
    let position = positions.get(name);
    if (position === undefined) {
      params.push(values[name]);
      position = params.length;
      positions.set(name, position);
    }
    return `$${position}`;
  });
  return { text, params };
}

async function run<Row>(tx: Queryable, sql: string, values: Record<string, unknown>) {
  const { text, params } = bindNamed(sql, values);
  return tx.query<Row>(text, params);
}

export async function planCadenceFollowups(
  tx: Queryable,
  ctx: AppContext,
  options: CadencePlanOptions,
): Promise<CadencePlanResult> {
  const result: CadencePlanResult = { created: [], createdCount: 0, redated: 0, closed: 0 };
  const cadences = Object.entries(options.scheme.cadences ?? {});
  const values: Record<string, unknown> = {
    scheme: options.schemeId,
    tiers: cadences.map(([tier]) => tier),
    months: cadences.map(([, c]) => c.everyMonths ?? null),
    days: cadences.map(([, c]) => c.everyDays ?? null),
    methods: cadences.map(([, c]) => c.method),
    contents: cadences.map(([, c]) => (c.content ? `${c.content.zh} / ${c.content.en}` : null)),
    today: localDate(ctx.now()),
    now: ctx.now().toISOString(),
    actor: ctx.actor.name,
    churnedReason: CLOSED_CHURNED,
    noCadenceReason: CLOSED_NO_CADENCE,
    customerIds: options.customerIds ?? null,
  };
  let only = 'true';
  if (options.customerIds) only = 'a.customer_id = ANY(@customerIds::bigint[])';
  else if (options.customersIn) only = `a.customer_id IN (SELECT customer_id FROM ${options.customersIn})`;
  const onlyPlans = only.replaceAll('a.customer_id', 'f.customer_id');

  const cad = `cad AS (
    SELECT * FROM unnest(@tiers::text[], @months::int[], @days::int[], @methods::text[], @contents::text[])
      AS x(tier, months, days, method, content)
  )`;
  const openPlan = (extra = '') =>
    `EXISTS (SELECT 1 FROM followups o WHERE o.customer_id = a.customer_id AND o.scheme_id = @scheme
      AND o.source = 'cadence' AND o.status = 'planned'${extra})`;
  /**
   * The customers a statement works on (`which`), each with the day its interval starts: the latest
   * contact — a communication, a done follow-up, or a skipped plan of this scheme's cadence — else
   * today. Only those customers' follow-ups are read.
   */
  const base = (which: string) => `targets AS MATERIALIZED (
    SELECT a.customer_id, a.tier, c.owner_id, c.last_contacted_at
    FROM tier_assignments a JOIN customers c ON c.id = a.customer_id
    WHERE a.scheme_id = @scheme AND c.erased_at IS NULL AND ${only} AND ${which}
  ), last_closed AS (
    SELECT f.customer_id, max(f.completed_at) AS at FROM followups f
    WHERE (f.status = 'done' OR (f.status = 'skipped' AND f.source = 'cadence' AND f.scheme_id = @scheme))
      AND f.customer_id IN (SELECT customer_id FROM targets)
    GROUP BY f.customer_id
  ), b AS (
    SELECT t.customer_id, t.tier, t.owner_id,
      coalesce(((greatest(t.last_contacted_at, l.at) AT TIME ZONE 'UTC') + interval '8 hours')::date,
        @today::date) AS base_on
    FROM targets t LEFT JOIN last_closed l ON l.customer_id = t.customer_id
  )`;
  // Open plans to move to a new tier; customers to plan for: an owner, not churned, no open plan.
  const toMove = base(openPlan(' AND o.tier IS DISTINCT FROM a.tier'));
  const toPlan = base(
    `c.owner_id IS NOT NULL AND c.stage <> 'churned' AND c.status <> 'terminated' AND NOT ${openPlan()}`,
  );

  // Plans whose customer churned, lost its tier, or whose tier has no cadence: closed with the reason.
  const closed = await run<{ n: number }>(
    tx,
    `WITH ${cad}, closing AS (
       SELECT f.customer_id, f.id,
         CASE WHEN c.stage = 'churned' OR c.status = 'terminated' THEN @churnedReason::text
           ELSE @noCadenceReason::text END AS reason
       FROM followups f JOIN customers c ON c.id = f.customer_id
       LEFT JOIN tier_assignments a ON a.customer_id = f.customer_id AND a.scheme_id = @scheme
       WHERE f.scheme_id = @scheme AND f.source = 'cadence' AND f.status = 'planned' AND ${onlyPlans}
         AND (a.tier IS NULL OR a.tier NOT IN (SELECT tier FROM cad) OR c.stage = 'churned'
           OR c.status = 'terminated')
     ), done AS (
       UPDATE followups f SET status = 'skipped', outcome = closing.reason, completed_at = @now, updated_at = @now
       FROM closing WHERE f.customer_id = closing.customer_id AND f.id = closing.id
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM done`,
    values,
  );
  result.closed = closed.rows[0]?.n ?? 0;
  if (cadences.length === 0) return result;

  // Open plans made for another tier than the customer's current one follow the new tier.
  const redated = await run<{ n: number }>(
    tx,
    `WITH ${cad}, ${toMove}, moved AS (
       UPDATE followups f SET tier = b.tier, method = cad.method, content = cad.content, due_at = ${DUE_AT},
         updated_at = @now
       FROM b JOIN cad ON cad.tier = b.tier
       WHERE f.customer_id = b.customer_id AND f.scheme_id = @scheme AND f.source = 'cadence'
         AND f.status = 'planned' AND f.tier IS DISTINCT FROM b.tier
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM moved`,
    values,
  );
  result.redated = redated.rows[0]?.n ?? 0;

  const insert = `INSERT INTO followups (customer_id, due_at, method, content, owner_id, source, scheme_id, tier,
       created_by, created_at, updated_at)
     SELECT b.customer_id, ${DUE_AT}, cad.method, cad.content, b.owner_id, 'cadence', @scheme, b.tier, @actor,
       @now, @now
     FROM b JOIN cad ON cad.tier = b.tier
     ON CONFLICT (customer_id, scheme_id) WHERE status = 'planned' AND source = 'cadence' DO NOTHING`;
  if (options.report) {
    const { rows } = await run<PlannedFollowup>(
      tx,
      `WITH ${cad}, ${toPlan}, made AS (${insert} RETURNING customer_id, due_at, method, owner_id)
       SELECT c.code AS customer, made.due_at AS "dueAt", made.method, u.username AS owner
       FROM made JOIN customers c ON c.id = made.customer_id LEFT JOIN users u ON u.id = made.owner_id
       ORDER BY c.code`,
      values,
    );
    result.created = rows;
    result.createdCount = rows.length;
  } else {
    const { rows } = await run<{ n: number }>(
      tx,
      `WITH ${cad}, ${toPlan}, made AS (${insert} RETURNING 1) SELECT count(*)::int AS n FROM made`,
      values,
    );
    result.createdCount = rows[0]?.n ?? 0;
  }
  return result;
}

/**
 * Re-plans after a tier review applied its changes, inside the review's transaction: the open
 * cadence plans of the changed customers (listed in `changesTable`) move to their new tier's due
 * time and method, closed if the new tier has none, and customers who got a tier with a cadence
 * get their first plan. A dry run rolls this back with the rest of the review.
 */
export async function replanAfterTierChanges(
  tx: Queryable,
  ctx: AppContext,
  schemeId: string,
  scheme: Scheme,
  changesTable: string,
): Promise<void> {
  const { rows } = await tx.query<{ open: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM followups WHERE scheme_id = $1 AND source = 'cadence' AND status = 'planned') AS open`,
    [schemeId],
  );
  if (!hasCadences(scheme) && !rows[0]?.open) return;
  await planCadenceFollowups(tx, ctx, { schemeId, scheme, customersIn: changesTable });
}
