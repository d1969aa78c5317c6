import { notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { scopeClause } from '../access/scope.js';

export interface MergeSummary {
  id: number;
  survivor: { id: number; code: string };
  removed: { id: number; code: string; name: string }[];
  /** Field → code of the customer whose value the survivor took. */
  taken: Record<string, string>;
  /** Rows moved to the survivor, per table. */
  moved: Record<string, number>;
  /** Rows kept in the merge record instead, per table. */
  setAside: Record<string, number>;
  actor: string;
  mergedAt: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

const SELECT = `SELECT m.id, jsonb_build_object('id', m.survivor_id, 'code', m.survivor_code) AS survivor,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('id', (e->>'id')::bigint, 'code', e->>'code', 'name', e->>'name')), '[]')
   FROM jsonb_array_elements(m.removed) e) AS removed,
  m.taken,
  (SELECT coalesce(jsonb_object_agg(t.key, (SELECT sum(jsonb_array_length(v.value)) FROM jsonb_each(t.value) v)), '{}')
   FROM jsonb_each(m.moved) t) AS moved,
  (SELECT coalesce(jsonb_object_agg(s.t, s.n), '{}') FROM
     (SELECT e->>'table' AS t, count(*) AS n FROM jsonb_array_elements(m.set_aside) e GROUP BY 1) s) AS "setAside",
  m.actor, m.merged_at AS "mergedAt", m.undone_at AS "undoneAt", m.undone_by AS "undoneBy"
  FROM customer_merges m LEFT JOIN customers c ON c.id = m.survivor_id`;

/**
 * Merges whose survivor the actor can see, newest first; for one customer (as survivor, or as one
 * of the customers merged into it) with `customerId`.
 */
export async function listMerges(
  ctx: AppContext,
  options: { customerId?: number; beforeId?: number; limit?: number } = {},
): Promise<{ items: MergeSummary[]; nextBeforeId: number | null }> {
  const params: unknown[] = [];
  const where = [await scopeClause(ctx, 'c', params)];
  if (options.customerId !== undefined) {
    params.push(options.customerId);
    where.push(
      `(m.survivor_id = $${params.length} OR m.removed @> jsonb_build_array(jsonb_build_object('id', $${params.length}::bigint)))`,
    );
  }
  if (options.beforeId !== undefined) {
    params.push(options.beforeId);
    where.push(`m.id < $${params.length}`);
  }
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const { rows } = await ctx.db.query<MergeSummary>(
    `${SELECT} WHERE ${where.join(' AND ')} ORDER BY m.id DESC LIMIT ${limit + 1}`,
    params,
  );
  const items = rows.slice(0, limit);
  return { items, nextBeforeId: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

export async function getMerge(ctx: AppContext, id: number): Promise<MergeSummary> {
  const params: unknown[] = [id];
  const scope = await scopeClause(ctx, 'c', params);
  const { rows } = await ctx.db.query<MergeSummary>(`${SELECT} WHERE m.id = $1 AND ${scope}`, params);
  if (!rows[0]) throw notFound({ zh: '合并记录', en: 'Merge' });
  return rows[0];
}
