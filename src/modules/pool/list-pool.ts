/**
 * The customer pool (公海): customers without an owner, visible to every user with customers.read
 * so they can be claimed. Before claiming, a rep sees only what tells them whether to claim: name,
 * company, type, industry, region, source, size, stage, status, tags, last contact and why it
 * is in the pool — no personal fields (phone, e-mail, WeChat, QQ, address), no notes, no purchases.
 * The customer's detail opens to them once they own it.
 */
import { parseSearchQuery } from '../../domain/customers/search-material.js';
import { validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { COUNT_CAP } from '../customers/list-customers.js';
import { getPoolSettings } from './pool-settings.js';

export interface PoolCustomer {
  id: number;
  code: string;
  name: string;
  type: string;
  company: string | null;
  industry: string | null;
  province: string | null;
  city: string | null;
  source: string | null;
  companySize: string | null;
  stage: string;
  status: string;
  tags: string[];
  createdAt: string;
  lastContactedAt: string | null;
  /** When and why it last entered the pool (released or recycled), and from whom; null if never owned. */
  inPoolSince: string | null;
  poolReason: string | null;
  previousOwner: string | null;
  /** The caller may not claim it back before this date (no-reclaim period), else null. */
  reclaimBlockedUntil: string | null;
}

export interface PoolFilter {
  search?: string;
  type?: string;
  industry?: string;
  province?: string;
  city?: string;
  source?: string;
  stage?: string;
  status?: string;
  limit?: number;
  cursor?: string;
}

const EQUALITY = {
  type: 'type',
  industry: 'industry',
  province: 'province',
  city: 'city',
  source: 'source',
  stage: 'stage',
  status: 'status',
} as const;

/** Newest first (by id), keyset-paged; the total is counted up to 5,000 like the customer list. */
export async function listPool(
  ctx: AppContext,
  filter: PoolFilter,
): Promise<{ items: PoolCustomer[]; total: number; totalIsExact: boolean; nextCursor: string | null }> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['c.owner_id IS NULL', 'c.erased_at IS NULL'];
  for (const [key, column] of Object.entries(EQUALITY)) {
    const value = filter[key as keyof typeof EQUALITY];
    if (value !== undefined && value !== '') where.push(`c.${column} = ${param(value)}`);
  }
  const search = parseSearchQuery(filter.search ?? '');
  if (search.kind === 'text') where.push(`c.search_text LIKE ${param(search.pattern)}`);
  if (search.kind === 'grams') where.push(`c.search_grams @> ARRAY[${param(search.gram)}::text]`);
  if (search.kind === 'phone' || search.kind === 'email') {
    const index = ctx.keyring.blindIndex(search.kind, search.kind === 'phone' ? search.e164 : search.email);
    where.push(`c.personal_index @> ARRAY[${param(index)}::text]`);
  }
  const counted = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM customers c WHERE ${where.join(' AND ')} LIMIT ${COUNT_CAP + 1}) x`,
    params,
  );
  const found = counted.rows[0]?.n ?? 0;

  const limit = filter.limit ?? 50;
  if (filter.cursor !== undefined) {
    if (!/^\d+$/.test(filter.cursor)) {
      throw validationError([{ field: 'cursor', message: '分页游标无效 / Invalid cursor' }]);
    }
    where.push(`c.id < ${param(Number(filter.cursor))}`);
  }
  const { rows } = await ctx.db.query<PoolCustomer & { previousOwnerId: number | null }>(
    `WITH page AS (
       SELECT c.id, c.code, c.name, c.type, c.company, c.industry, c.province, c.city, c.source,
         c.company_size AS "companySize", c.stage, c.status, c.tags, c.created_at AS "createdAt",
         c.last_contacted_at AS "lastContactedAt"
       FROM customers c WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT ${limit + 1}
     )
     SELECT page.*, ev.at AS "inPoolSince", ev.reason AS "poolReason", u.username AS "previousOwner",
       ev.user_id AS "previousOwnerId"
     FROM page
     LEFT JOIN LATERAL (
       SELECT e.at, e.reason, e.user_id FROM pool_events e
       WHERE e.customer_id = page.id AND e.kind IN ('recycle', 'release') ORDER BY e.at DESC, e.id DESC LIMIT 1
     ) ev ON true
     LEFT JOIN users u ON u.id = ev.user_id
     ORDER BY page.id DESC`,
    params,
  );
  const settings = await getPoolSettings(ctx.db);
  const now = ctx.now();
  const items = rows.slice(0, limit).map(({ previousOwnerId, ...item }) => {
    let blocked: string | null = null;
    if (item.inPoolSince && previousOwnerId !== null && previousOwnerId === ctx.actor.userId) {
      const until = new Date(new Date(item.inPoolSince).getTime() + settings.noReclaimDays * 86_400_000);
      if (until > now) blocked = localDate(until);
    }
    return { ...item, reclaimBlockedUntil: blocked };
  });
  return {
    items,
    total: Math.min(found, COUNT_CAP),
    totalIsExact: found <= COUNT_CAP,
    nextCursor: rows.length > limit ? String(items.at(-1)?.id) : null,
  };
}
