import type { Queryable } from '../../db/database.js';
import type { Scheme } from '../../domain/tiers/scheme.js';
import type { AppContext } from '../../shared/context.js';
import { recordAudit } from '../audit/audit-log.js';
import { getScheme } from '../tiers/schemes.js';
import { type CadencePlanResult, hasCadences, planCadenceFollowups } from './cadence-plans.js';

export interface PlanFollowupsResult extends CadencePlanResult {
  scheme: string;
}

/**
 * Plans the follow-ups a scheme's cadences ask for (see cadence-plans.ts): one plan per customer
 * with a tier that has a cadence and no open plan; open plans follow tier changes. Idempotent.
 * Returns the plans made in customer-code order unless `report` is false.
 */
export async function planFollowups(
  ctx: AppContext,
  schemeId: string,
  options: { report?: boolean } = {},
): Promise<PlanFollowupsResult> {
  const stored = await getScheme(ctx.db, schemeId);
  return ctx.db.transaction(async (tx) => {
    // One planning of a scheme at a time, and never beside its review (which re-plans too).
    await tx.query('SELECT 1 FROM tier_schemes WHERE id = $1 FOR UPDATE', [schemeId]);
    const result = await planCadenceFollowups(tx, ctx, {
      schemeId,
      scheme: stored.definition,
      report: options.report ?? true,
    });
    if (result.createdCount + result.redated + result.closed > 0) {
      await recordAudit(
        tx,
        ctx.actor,
        {
          action: 'followups.plan',
          entityType: 'tier_scheme',
          entityId: schemeId,
          details: { created: result.createdCount, redated: result.redated, closed: result.closed },
        },
        ctx.now(),
      );
    }
    return { scheme: schemeId, ...result };
  });
}

export interface SchemeWithCadences {
  id: string;
  definition: Scheme;
}

/** Active schemes whose current version has cadences (the daily planner runs these). */
export async function schemesWithCadences(db: Queryable): Promise<SchemeWithCadences[]> {
  const { rows } = await db.query<SchemeWithCadences>(
    `SELECT s.id, v.definition FROM tier_schemes s
     JOIN tier_scheme_versions v ON v.scheme_id = s.id AND v.version = s.current_version
     WHERE s.active AND v.definition ? 'cadences' ORDER BY s.id`,
  );
  return rows.filter((row) => hasCadences(row.definition));
}

/**
 * Plans one customer's cadence follow-ups in every active scheme with cadences, in the caller's
 * transaction (after a claim or an assignment gave the customer an owner).
 */
export async function planCustomerFollowups(
  tx: Queryable,
  ctx: AppContext,
  customerId: number,
): Promise<void> {
  for (const scheme of await schemesWithCadences(tx)) {
    await planCadenceFollowups(tx, ctx, {
      schemeId: scheme.id,
      scheme: scheme.definition,
      customerIds: [customerId],
    });
  }
}
