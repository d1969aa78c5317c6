import type { AppContext } from '../../shared/context.js';
import { scopeClause } from '../access/scope.js';
import { activeConsentCondition } from '../privacy/consents.js';

/**
 * The customers (alias `alias`) a report may show the actor: the data scope, and for the marketing
 * role only customers with an active marketing consent — the same rule as the customer list.
 */
export async function readableCustomersCondition(
  ctx: AppContext,
  alias: string,
  params: unknown[],
): Promise<string> {
  const scope = await scopeClause(ctx, alias, params);
  if (ctx.actor.role !== 'marketing') return scope;
  params.push('marketing');
  return `${scope} AND ${activeConsentCondition(alias, `$${params.length}`)}`;
}
