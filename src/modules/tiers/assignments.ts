import type { Queryable } from '../../db/database.js';
import { explainDecision, type MetricValues } from '../../domain/tiers/explain.js';
import type { Scheme } from '../../domain/tiers/scheme.js';
import { AppError, type Bilingual, validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { isCalendarDate } from '../../shared/fields.js';
import { assertCustomerAccess, scopeClause } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { getScheme } from './schemes.js';

export interface Assignment {
  customerId: number;
  customer: string;
  name: string;
  tier: string;
  since: string;
  schemeVersion: number;
  override: { reason: string; by: string; at: string; locked: boolean; until: string | null } | null;
}

export interface AssignmentPage {
  items: Assignment[];
  nextCursor: string | null;
}

const ASSIGNMENT_COLUMNS = `a.customer_id AS "customerId", c.code AS customer, c.name, a.tier, a.since,
  a.scheme_version AS "schemeVersion", a.override_reason, a.override_by, a.override_at, a.locked, a.lock_until`;

interface AssignmentRow extends Omit<Assignment, 'override'> {
  override_reason: string | null;
  override_by: string | null;
  override_at: string | null;
  locked: boolean;
  lock_until: string | null;
}

function toAssignment(row: AssignmentRow): Assignment {
  const { override_reason, override_by, override_at, locked, lock_until, ...rest } = row;
  return {
    ...rest,
    override:
      override_reason === null
        ? null
        : {
            reason: override_reason,
            by: override_by ?? '',
            at: override_at ?? '',
            locked,
            until: lock_until,
          },
  };
}

/** The customers of a scheme, in code order, within the actor's data scope. */
export async function listAssignments(
  ctx: AppContext,
  schemeId: string,
  options: { tier?: string; after?: string; limit?: number } = {},
): Promise<AssignmentPage> {
  const stored = await getScheme(ctx.db, schemeId);
  const limit = options.limit ?? 100;
  if (options.tier !== undefined && !stored.definition.tiers.some((tier) => tier.key === options.tier)) {
    throw validationError([
      { field: 'tier', message: `未知等级 ${options.tier} / Unknown tier ${options.tier}` },
    ]);
  }
  const params: unknown[] = [schemeId, options.after ?? '', options.tier ?? null];
  const scope = await scopeClause(ctx, 'c', params);
  const { rows } = await ctx.db.query<AssignmentRow>(
    `SELECT ${ASSIGNMENT_COLUMNS}
     FROM tier_assignments a JOIN customers c ON c.id = a.customer_id
     WHERE a.scheme_id = $1 AND c.code > $2 AND ($3::text IS NULL OR a.tier = $3) AND ${scope}
     ORDER BY c.code LIMIT ${limit + 1}`,
    params,
  );
  const items = rows.slice(0, limit).map(toAssignment);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.customer ?? null) : null };
}

export interface HistoryEntry {
  id: number;
  scheme: string;
  schemeVersion: number;
  date: string;
  from: string | null;
  to: string;
  kind: 'review' | 'override';
  rule: string | null;
  stepped: boolean;
  metrics: MetricValues;
  reason: Bilingual;
  actor: string;
  createdAt: string;
}

/** Reasons are told from the scheme version that decided; versions are read once per call. */
class VersionCache {
  private readonly loaded = new Map<string, Promise<Scheme | null>>();
  constructor(private readonly db: Queryable) {}
  get(scheme: string, version: number): Promise<Scheme | null> {
    const key = `${scheme}@${version}`;
    let found = this.loaded.get(key);
    if (!found) {
      found = getScheme(this.db, scheme, version).then(
        (stored) => stored.definition,
        () => null,
      );
      this.loaded.set(key, found);
    }
    return found;
  }
}

export async function customerTierHistory(
  ctx: AppContext,
  customerId: number,
  schemeId?: string,
): Promise<HistoryEntry[]> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  const { rows } = await ctx.db.query<{
    id: number;
    scheme: string;
    schemeVersion: number;
    date: string;
    from: string | null;
    to: string;
    kind: 'review' | 'override';
    rule: string | null;
    stepped: boolean;
    metrics: MetricValues;
    note: string | null;
    actor: string;
    createdAt: string;
  }>(
    `SELECT id, scheme_id AS scheme, scheme_version AS "schemeVersion", effective_on AS date, from_tier AS "from",
       to_tier AS "to", kind, rule, stepped, metrics, note, actor, created_at AS "createdAt"
     FROM tier_history WHERE customer_id = $1 AND ($2::text IS NULL OR scheme_id = $2)
     ORDER BY effective_on DESC, id DESC`,
    [customerId, schemeId ?? null],
  );
  const versions = new VersionCache(ctx.db);
  return Promise.all(
    rows.map(async ({ note, ...row }) => {
      const scheme = await versions.get(row.scheme, row.schemeVersion);
      const reason: Bilingual =
        row.kind === 'override'
          ? { zh: `人工调整：${note ?? ''}`, en: `Manual override: ${note ?? ''}` }
          : scheme
            ? explainDecision(scheme, { rule: row.rule, stepped: row.stepped, metrics: row.metrics })
            : { zh: row.rule ?? '', en: row.rule ?? '' };
      return { ...row, reason };
    }),
  );
}

/** A customer's tier in every scheme. */
export async function customerTiers(
  ctx: AppContext,
  customerId: number,
): Promise<(Assignment & { scheme: string })[]> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  const { rows } = await ctx.db.query<AssignmentRow & { scheme: string }>(
    `SELECT a.scheme_id AS scheme, ${ASSIGNMENT_COLUMNS}
     FROM tier_assignments a JOIN customers c ON c.id = a.customer_id
     WHERE a.customer_id = $1 ORDER BY a.scheme_id`,
    [customerId],
  );
  return rows.map((row) => ({ ...toAssignment(row), scheme: row.scheme }));
}

export interface OverrideInput {
  scheme: string;
  tier: string;
  reason: string;
  /** Reviews keep the tier while locked (default true), until `until` inclusive or for good. */
  lock?: boolean;
  until?: string | null;
}

/** Sets a customer's tier by hand (人工调整), with a reason, in history and the audit trail. */
export async function overrideTier(
  ctx: AppContext,
  customerId: number,
  input: OverrideInput,
): Promise<Assignment & { scheme: string }> {
  const stored = await getScheme(ctx.db, input.scheme);
  const issues = [];
  if (!stored.definition.tiers.some((tier) => tier.key === input.tier)) {
    issues.push({ field: 'tier', message: `未知等级 ${input.tier} / Unknown tier ${input.tier}` });
  }
  if (input.reason.trim() === '') {
    issues.push({ field: 'reason', message: '请填写调整原因 / A reason is required' });
  }
  const lock = input.lock ?? true;
  const until = input.until ?? null;
  if (until !== null && !isCalendarDate(until)) {
    issues.push({ field: 'until', message: '须为日期 YYYY-MM-DD / Must be a date YYYY-MM-DD' });
  } else if (until !== null && !lock) {
    issues.push({ field: 'until', message: '只有锁定才有截止日期 / Only a lock has an end date' });
  }
  if (issues.length > 0) throw validationError(issues);
  const today = localDate(ctx.now());
  await ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const current = await tx.query<{ tier: string }>(
      'SELECT tier FROM tier_assignments WHERE customer_id = $1 AND scheme_id = $2 FOR UPDATE',
      [customerId, input.scheme],
    );
    const from = current.rows[0]?.tier ?? null;
    await tx.query(
      `INSERT INTO tier_assignments AS s (customer_id, scheme_id, tier, since, scheme_version, changed_on,
         override_reason, override_by, override_at, locked, lock_until)
       VALUES ($1, $2, $3, $4, $5, $4, $6, $7, $8, $9, $10)
       ON CONFLICT (customer_id, scheme_id) DO UPDATE SET
         prev_tier = CASE WHEN s.changed_on = excluded.changed_on THEN s.prev_tier ELSE s.tier END,
         prev_since = CASE WHEN s.changed_on = excluded.changed_on THEN s.prev_since ELSE s.since END,
         prev_promoted_on = CASE WHEN s.changed_on = excluded.changed_on THEN s.prev_promoted_on ELSE s.promoted_on END,
         since = CASE WHEN s.tier = excluded.tier THEN s.since ELSE excluded.since END,
         tier = excluded.tier, scheme_version = excluded.scheme_version, changed_on = excluded.changed_on,
         override_reason = excluded.override_reason, override_by = excluded.override_by,
         override_at = excluded.override_at, locked = excluded.locked, lock_until = excluded.lock_until`,
      [
        customerId,
        input.scheme,
        input.tier,
        today,
        stored.version,
        input.reason.trim(),
        ctx.actor.name,
        ctx.now().toISOString(),
        lock,
        until,
      ],
    );
    await tx.query(
      `INSERT INTO tier_history (customer_id, scheme_id, scheme_version, effective_on, from_tier, to_tier, kind, note, actor)
       VALUES ($1, $2, $3, $4, $5, $6, 'override', $7, $8)`,
      [
        customerId,
        input.scheme,
        stored.version,
        today,
        from,
        input.tier,
        input.reason.trim(),
        ctx.actor.name,
      ],
    );
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'tiers.override',
        entityType: 'tier_scheme',
        entityId: input.scheme,
        customerId,
        details: { from, to: input.tier, reason: input.reason.trim(), lock, until },
      },
      ctx.now(),
    );
  });
  const tiers = await customerTiers(ctx, customerId);
  return tiers.find((assignment) => assignment.scheme === input.scheme) as Assignment & { scheme: string };
}

/** Ends a lock early: the next review decides again. */
export async function releaseOverride(ctx: AppContext, customerId: number, schemeId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const { rows } = await tx.query(
      `UPDATE tier_assignments SET locked = false, lock_until = NULL
       WHERE customer_id = $1 AND scheme_id = $2 AND locked RETURNING 1`,
      [customerId, schemeId],
    );
    if (rows.length === 0) {
      throw new AppError('NOT_FOUND', {
        zh: '该客户在此方案中没有锁定的等级',
        en: 'No locked tier for this customer in this scheme',
      });
    }
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'tiers.override.release', entityType: 'tier_scheme', entityId: schemeId, customerId },
      ctx.now(),
    );
  });
}

/** Tier counts after each applied review: the distribution over time. */
export async function tierDistribution(
  ctx: AppContext,
  schemeId: string,
): Promise<{
  current: Record<string, number>;
  overTime: { asOf: string; counts: Record<string, number> }[];
}> {
  const stored = await getScheme(ctx.db, schemeId);
  const params: unknown[] = [schemeId];
  const scope = await scopeClause(ctx, 'c', params);
  const { rows } = await ctx.db.query<{ tier: string; n: number }>(
    `SELECT a.tier, count(*)::int AS n FROM tier_assignments a JOIN customers c ON c.id = a.customer_id
     WHERE a.scheme_id = $1 AND ${scope} GROUP BY a.tier`,
    params,
  );
  const current: Record<string, number> = {};
  for (const tier of [...stored.definition.tiers].sort((a, b) => b.rank - a.rank)) current[tier.key] = 0;
  for (const row of rows) current[row.tier] = row.n;
  // Review totals are company-wide; people with a narrower scope see only their current counts.
  const all = params.length === 1;
  const overTime = all
    ? (
        await ctx.db.query<{ asOf: string; counts: Record<string, number> }>(
          `SELECT DISTINCT ON (as_of) as_of AS "asOf", counts FROM tier_reviews
           WHERE scheme_id = $1 ORDER BY as_of, id DESC`,
          [schemeId],
        )
      ).rows
    : [];
  return { current, overTime };
}
