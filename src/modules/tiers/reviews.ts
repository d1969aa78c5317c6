import type { Queryable } from '../../db/database.js';
import { type Decision, explainDecision, type MetricValues } from '../../domain/tiers/explain.js';
import type { Scheme } from '../../domain/tiers/scheme.js';
import { AppError, type Bilingual, validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { isCalendarDate } from '../../shared/fields.js';
import { recordAudit } from '../audit/audit-log.js';
import { replanAfterTierChanges } from '../followups/cadence-plans.js';
import { compileEvaluation } from './evaluation-sql.js';
import { customFieldKinds, getScheme } from './schemes.js';

export interface ReviewChange {
  customerId: number;
  customer: string;
  from: string | null;
  to: string;
  rule: string;
  stepped: boolean;
  metrics: MetricValues;
  reason: Bilingual;
}

export interface ReviewResult {
  scheme: string;
  version: number;
  asOf: string;
  dryRun: boolean;
  reviewId: number | null;
  changesTotal: number;
  /** The changes in customer-code order (all of them, or the first `changeLimit`). */
  changes: ReviewChange[];
  /** Customers per tier after the review, every tier of the scheme, highest rank first. */
  counts: Record<string, number>;
}

export interface ReviewOptions {
  schemeId: string;
  asOf: string;
  dryRun?: boolean;
  trigger?: 'manual' | 'schedule';
  /** Scheduled reviews: the cadence period; a second review of the same period does nothing. */
  period?: string;
  /** Keep at most this many changes in the result (the API pages; the CLI streams via onChanges). */
  changeLimit?: number;
  /** Receives every change, in batches, in customer-code order (memory stays bounded). */
  onChanges?: (batch: ReviewChange[]) => Promise<void> | void;
}

class DryRun extends Error {
  constructor(readonly result: ReviewResult) {
    super('dry run');
  }
}

const CHANGE_BATCH = 5000;

/**
 * Reviews one scheme at an as-of date: evaluates every customer, writes the changed assignments,
 * their history and notices, in one transaction. A dry run does the same work and rolls it back,
 * so what it reports is exactly what applying would write. Returns null when a scheduled review of
 * the same period has already run.
 */
export async function runReview(ctx: AppContext, options: ReviewOptions): Promise<ReviewResult | null> {
  const { schemeId, asOf } = options;
  if (!isCalendarDate(asOf)) {
    throw validationError([{ field: 'asOf', message: '须为日期 YYYY-MM-DD / Must be a date YYYY-MM-DD' }]);
  }
  const today = localDate(ctx.now());
  if (asOf > today) {
    throw validationError([
      {
        field: 'asOf',
        message: `评审日期不能晚于今天（${today}） / The as-of date cannot be after today (${today})`,
      },
    ]);
  }
  const stored = await getScheme(ctx.db, schemeId);
  const scheme = stored.definition;
  const customKinds = await customFieldKinds(ctx.db);
  const dryRun = options.dryRun ?? false;
  const trigger = options.trigger ?? 'manual';

  try {
    return await ctx.db.transaction(async (tx) => {
      // One review of a scheme at a time: the second waits, then sees the first one's result.
      await tx.query('SELECT 1 FROM tier_schemes WHERE id = $1 FOR UPDATE', [schemeId]);
      const latest = await tx.query<{ as_of: string | null }>(
        'SELECT max(as_of) AS as_of FROM tier_reviews WHERE scheme_id = $1',
        [schemeId],
      );
      const last = latest.rows[0]?.as_of ?? null;
      if (last !== null && asOf < last) {
        throw new AppError(
          'VALIDATION_FAILED',
          {
            zh: `该方案已评审到 ${last}，不能评审更早的日期；要看过去的结果请用回测`,
            en: `This scheme has been reviewed as of ${last}; reviews cannot go back in time — use a backtest for the past`,
          },
          [{ field: 'asOf', message: `须不早于 ${last} / Must not be before ${last}` }],
        );
      }
      const review = await tx.query<{ id: number }>(
        `INSERT INTO tier_reviews (scheme_id, scheme_version, as_of, trigger, period, actor, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (scheme_id, period) WHERE trigger = 'schedule' DO NOTHING RETURNING id`,
        [
          schemeId,
          stored.version,
          asOf,
          trigger,
          options.period ?? null,
          ctx.actor.name,
          ctx.now().toISOString(),
        ],
      );
      const reviewId = review.rows[0]?.id;
      if (reviewId === undefined) return null;

      const evaluation = compileEvaluation(scheme, {
        schemeId,
        asOf,
        stateTable: 'tier_assignments',
        customKinds,
      });
      await tx.query(
        `CREATE TEMP TABLE tier_review_changes ON COMMIT DROP AS ${evaluation.sql}`,
        evaluation.params,
      );
      // Streaming every change reads the table in code order, batch by batch.
      if (options.onChanges) await tx.query('CREATE INDEX ON tier_review_changes (code)');
      const changesTotal = await applyChanges(tx, {
        changesTable: 'tier_review_changes',
        stateTable: 'tier_assignments',
        scheme,
        schemeId,
        version: stored.version,
        asOf,
        reviewId,
        actor: ctx.actor.name,
        history: true,
      });
      await replanAfterTierChanges(tx, ctx, schemeId, scheme, 'tier_review_changes');
      const counts = await tierCounts(tx, scheme, 'tier_assignments', schemeId);
      const changes = await collectChanges(tx, scheme, 'tier_review_changes', options);
      await tx.query('UPDATE tier_reviews SET changes = $2, counts = $3 WHERE id = $1', [
        reviewId,
        changesTotal,
        JSON.stringify(counts),
      ]);
      const result: ReviewResult = {
        scheme: schemeId,
        version: stored.version,
        asOf,
        dryRun,
        reviewId: dryRun ? null : reviewId,
        changesTotal,
        changes,
        counts,
      };
      if (dryRun) throw new DryRun(result);
      await recordAudit(
        tx,
        ctx.actor,
        {
          action: 'tiers.review',
          entityType: 'tier_scheme',
          entityId: schemeId,
          details: {
            asOf,
            version: stored.version,
            trigger,
            period: options.period ?? null,
            changes: changesTotal,
            counts,
          },
        },
        ctx.now(),
      );
      return result;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    throw error;
  }
}

interface ApplyInput {
  changesTable: string;
  stateTable: string;
  scheme: Scheme;
  schemeId: string;
  version: number;
  asOf: string;
  reviewId: number | null;
  actor: string;
  /** Write history rows and notices (reviews); a backtest only moves its own state. */
  history: boolean;
}

/** Writes the changes of an evaluation into the state table (and history); returns how many. */
export async function applyChanges(tx: Queryable, input: ApplyInput): Promise<number> {
  const order = input.scheme.tiers.map((tier) => tier.key);
  if (input.history) {
    const notices = input.scheme.notices?.enabled ?? true;
    await tx.query(
      `WITH h AS (
         INSERT INTO tier_history (customer_id, scheme_id, scheme_version, effective_on, from_tier, to_tier, kind,
           rule, stepped, metrics, review_id, actor)
         SELECT customer_id, $1, $2, $3, cur_tier, new_tier, 'review', rule, stepped, metrics, $4, $5
         FROM ${input.changesTable}
         RETURNING customer_id, id
       )
       INSERT INTO tier_notices (customer_id, history_id, scheme_id)
       SELECT customer_id, id, $1 FROM h WHERE $6::boolean`,
      [input.schemeId, input.version, input.asOf, input.reviewId, input.actor, notices],
    );
  }
  const { rows } = await tx.query<{ n: number }>(
    `WITH upserted AS (
       INSERT INTO ${input.stateTable} AS s (customer_id, scheme_id, tier, since, scheme_version, promoted_on, changed_on)
       SELECT customer_id, $1, new_tier, $3, $2,
         CASE WHEN array_position($4::text[], new_tier) > array_position($4::text[], cur_tier) THEN $3::date END, $3
       FROM ${input.changesTable}
       ON CONFLICT (customer_id, scheme_id) DO UPDATE SET
         prev_tier = CASE WHEN s.changed_on = excluded.changed_on THEN s.prev_tier ELSE s.tier END,
         prev_since = CASE WHEN s.changed_on = excluded.changed_on THEN s.prev_since ELSE s.since END,
         prev_promoted_on = CASE WHEN s.changed_on = excluded.changed_on THEN s.prev_promoted_on ELSE s.promoted_on END,
         tier = excluded.tier,
         since = excluded.since,
         scheme_version = excluded.scheme_version,
         promoted_on = coalesce(excluded.promoted_on, s.promoted_on),
         changed_on = excluded.changed_on,
         override_reason = NULL, override_by = NULL, override_at = NULL, locked = false, lock_until = NULL
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM upserted`,
    [input.schemeId, input.version, input.asOf, order],
  );
  return rows[0]?.n ?? 0;
}

/** Customers per tier, every tier of the scheme (0 included), highest rank first. */
export async function tierCounts(
  db: Queryable,
  scheme: Scheme,
  stateTable: string,
  schemeId: string,
): Promise<Record<string, number>> {
  const { rows } = await db.query<{ tier: string; n: number }>(
    `SELECT tier, count(*)::int AS n FROM ${stateTable} WHERE scheme_id = $1 GROUP BY tier`,
    [schemeId],
  );
  const counts: Record<string, number> = {};
  for (const tier of [...scheme.tiers].sort((a, b) => b.rank - a.rank)) counts[tier.key] = 0;
  for (const row of rows) counts[row.tier] = row.n;
  return counts;
}

async function collectChanges(
  tx: Queryable,
  scheme: Scheme,
  table: string,
  options: Pick<ReviewOptions, 'changeLimit' | 'onChanges'>,
): Promise<ReviewChange[]> {
  const kept: ReviewChange[] = [];
  const limit = options.changeLimit ?? Number.POSITIVE_INFINITY;
  if (!options.onChanges && limit === 0) return kept;
  let after = '';
  for (;;) {
    const { rows } = await tx.query<{
      customer_id: number;
      code: string;
      cur_tier: string | null;
      new_tier: string;
      rule: string;
      stepped: boolean;
      metrics: MetricValues;
    }>(
      `SELECT customer_id, code, cur_tier, new_tier, rule, stepped, metrics FROM ${table}
       WHERE code > $1 ORDER BY code LIMIT ${CHANGE_BATCH}`,
      [after],
    );
    if (rows.length === 0) break;
    const batch = rows.map((row) => toChange(scheme, row));
    if (options.onChanges) await options.onChanges(batch);
    for (const change of batch) if (kept.length < limit) kept.push(change);
    after = (rows.at(-1) as { code: string }).code;
    if (!options.onChanges && kept.length >= limit) break;
    if (rows.length < CHANGE_BATCH) break;
  }
  return kept;
}

function toChange(
  scheme: Scheme,
  row: {
    customer_id: number;
    code: string;
    cur_tier: string | null;
    new_tier: string;
    rule: string;
    stepped: boolean;
    metrics: MetricValues;
  },
): ReviewChange {
  const decision: Decision = { rule: row.rule, stepped: row.stepped, metrics: row.metrics };
  return {
    customerId: row.customer_id,
    customer: row.code,
    from: row.cur_tier,
    to: row.new_tier,
    rule: row.rule,
    stepped: row.stepped,
    metrics: row.metrics,
    reason: explainDecision(scheme, decision),
  };
}

export interface ReviewRecord {
  id: number;
  scheme: string;
  version: number;
  asOf: string;
  trigger: 'manual' | 'schedule';
  period: string | null;
  changes: number;
  counts: Record<string, number>;
  actor: string;
  createdAt: string;
}

export async function listReviews(db: Queryable, schemeId: string, limit = 100): Promise<ReviewRecord[]> {
  await getScheme(db, schemeId);
  const { rows } = await db.query<ReviewRecord>(
    `SELECT id, scheme_id AS scheme, scheme_version AS version, as_of AS "asOf", trigger, period, changes, counts,
       actor, created_at AS "createdAt"
     FROM tier_reviews WHERE scheme_id = $1 ORDER BY as_of DESC, id DESC LIMIT $2`,
    [schemeId, limit],
  );
  return rows;
}
