import { validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { COMPLETENESS_WEIGHTS, completenessScoreSql, missingFieldsSql, SCORE_BANDS } from './completeness.js';
import { readableCustomersCondition } from './readable-customers.js';

/** A customer is stale after this many days without an update, a purchase or a contact. */
export const DEFAULT_STALE_DAYS = 180;
/** Below this score a customer is listed as incomplete. */
export const DEFAULT_INCOMPLETE_BELOW = 60;

export interface QualitySummary {
  customers: number;
  averageScore: number | null;
  bands: { band: string; min: number; max: number; count: number }[];
  /** Customers below `incompleteBelow`. */
  incomplete: number;
  incompleteBelow: number;
  stale: number;
  staleDays: number;
  /** How many customers have each weighted field, with its weight. */
  fields: { field: string; weight: number; filled: number }[];
}

export interface QualityOptions {
  staleDays?: number;
  below?: number;
}

function checkedDays(days: number | undefined): number {
  const value = days ?? DEFAULT_STALE_DAYS;
  if (!Number.isInteger(value) || value < 1 || value > 3650)
    throw validationError([
      { field: 'days', message: '须为 1 到 3650 的整数 / Must be an integer from 1 to 3650' },
    ]);
  return value;
}

function checkedBelow(below: number | undefined): number {
  const value = below ?? DEFAULT_INCOMPLETE_BELOW;
  if (!Number.isInteger(value) || value < 1 || value > 101)
    throw validationError([
      { field: 'below', message: '须为 1 到 101 的整数 / Must be an integer from 1 to 101' },
    ]);
  return value;
}

/**
 * The moment `days` days before now, and the calendar date (China) of it: a customer is stale when
 * its record, its last purchase and its last contact are all older.
 */
function staleCondition(ctx: AppContext, days: number, params: unknown[]): string {
  const cutoff = new Date(ctx.now().getTime() - days * 86_400_000);
  params.push(cutoff.toISOString());
  const instant = `$${params.length}::timestamptz`;
  params.push(new Date(cutoff.getTime() + 8 * 3600_000).toISOString().slice(0, 10));
  const date = `$${params.length}::date`;
  return `(c.updated_at < ${instant} AND (c.last_purchase_on IS NULL OR c.last_purchase_on < ${date})
    AND (c.last_contacted_at IS NULL OR c.last_contacted_at < ${instant}))`;
}

/**
 * Counts by score band, the average, per-field fill counts and the stale count, in one pass over the
 * customers in the actor's scope (one aggregate statement, no row leaves the database).
 */
export async function qualitySummary(ctx: AppContext, options: QualityOptions = {}): Promise<QualitySummary> {
  const staleDays = checkedDays(options.staleDays);
  const below = checkedBelow(options.below);
  const params: unknown[] = [];
  const readable = await readableCustomersCondition(ctx, 'c', params);
  const stale = staleCondition(ctx, staleDays, params);
  const { rows } = await ctx.db.query<Record<string, number | string | null>>(
    `SELECT count(*)::int AS customers, round(avg(score), 1)::float8 AS average,
       count(*) FILTER (WHERE stale)::int AS stale,
       count(*) FILTER (WHERE score < ${below})::int AS incomplete,
       ${SCORE_BANDS.map(({ min, max }, i) => `count(*) FILTER (WHERE score BETWEEN ${min} AND ${max})::int AS band${i}`).join(', ')},
       ${COMPLETENESS_WEIGHTS.map((_, i) => `count(*) FILTER (WHERE f${i})::int AS field${i}`).join(', ')}
     FROM (SELECT *, ${COMPLETENESS_WEIGHTS.map(({ weight }, i) => `CASE WHEN f${i} THEN ${weight} ELSE 0 END`).join(' + ')} AS score
           FROM (SELECT ${stale} AS stale, ${COMPLETENESS_WEIGHTS.map(({ filled }, i) => `(${filled}) AS f${i}`).join(', ')}
                 FROM customers c WHERE ${readable} OFFSET 0) flags
           -- OFFSET 0 keeps each level a level of its own: every condition and the score are worked
           -- out once per customer, not once more for each aggregate that reads them.
           OFFSET 0) s`,
    params,
  );
  const row = rows[0] ?? {};
  const count = (key: string) => Number(row[key] ?? 0);
  return {
    customers: count('customers'),
    averageScore: row.average === null || row.average === undefined ? null : Number(row.average),
    bands: SCORE_BANDS.map((band, i) => ({ ...band, count: count(`band${i}`) })),
    incomplete: count('incomplete'),
    incompleteBelow: below,
    stale: count('stale'),
    staleDays,
    fields: COMPLETENESS_WEIGHTS.map(({ field, weight }, i) => ({
      field,
      weight,
      filled: count(`field${i}`),
    })),
  };
}

export interface IncompleteCustomer {
  id: number;
  code: string;
  name: string;
  owner: string | null;
  score: number;
  missing: string[];
  updatedAt: string;
}

const INCOMPLETE_SORTS: Record<string, string> = {
  score: 'score ASC, c.id ASC',
  '-score': 'score DESC, c.id ASC',
  code: 'c.code ASC',
  name: 'c.name ASC, c.id ASC',
  updatedAt: 'c.updated_at ASC, c.id ASC',
  '-updatedAt': 'c.updated_at DESC, c.id DESC',
};

export interface Paging {
  limit?: number;
  offset?: number;
}

function paging(options: Paging): { limit: number; offset: number } {
  const limit = options.limit ?? 50;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw validationError([
      { field: 'limit', message: '须为 1 到 500 的整数 / Must be an integer from 1 to 500' },
    ]);
  if (!Number.isInteger(offset) || offset < 0)
    throw validationError([{ field: 'offset', message: '须为非负整数 / Must be a non-negative integer' }]);
  return { limit, offset };
}

/** Customers scoring below `below` (default 60), with what they miss; lowest score first by default. */
export async function listIncompleteCustomers(
  ctx: AppContext,
  options: Paging & { below?: number; sort?: string } = {},
): Promise<{ items: IncompleteCustomer[]; total: number }> {
  const below = checkedBelow(options.below);
  const { limit, offset } = paging(options);
  const order = INCOMPLETE_SORTS[options.sort ?? 'score'];
  if (!order) {
    throw validationError([
      {
        field: 'sort',
        message: `须为 ${Object.keys(INCOMPLETE_SORTS).join(', ')} / Must be one of ${Object.keys(INCOMPLETE_SORTS).join(', ')}`,
      },
    ]);
  }
  const params: unknown[] = [];
  const readable = await readableCustomersCondition(ctx, 'c', params);
  const { rows } = await ctx.db.query<IncompleteCustomer & { total: number }>(
    `SELECT c.id, c.code, c.name, (SELECT u.username FROM users u WHERE u.id = c.owner_id) AS owner,
       score, ${missingFieldsSql()} AS missing, c.updated_at AS "updatedAt", count(*) OVER ()::int AS total
     FROM customers c CROSS JOIN LATERAL (SELECT ${completenessScoreSql()} AS score) s
     WHERE ${readable} AND score < ${below}
     ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  return {
    items: rows.map(({ total: _total, ...item }) => item),
    total: rows[0]?.total ?? (await countIncomplete(ctx, below)),
  };
}

async function countIncomplete(ctx: AppContext, below: number): Promise<number> {
  const params: unknown[] = [];
  const readable = await readableCustomersCondition(ctx, 'c', params);
  const { rows } = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM customers c WHERE ${readable} AND ${completenessScoreSql()} < ${below}`,
    params,
  );
  return rows[0]?.n ?? 0;
}

export interface StaleCustomer {
  id: number;
  code: string;
  name: string;
  owner: string | null;
  updatedAt: string;
  lastPurchaseOn: string | null;
  lastContactedAt: string | null;
  /** Whole days since the latest of the three. */
  idleDays: number;
}

/**
 * Customers not updated, not bought from and not contacted for `days` days (default 180), longest
 * idle first. The updated_at index finds the candidates.
 */
export async function listStaleCustomers(
  ctx: AppContext,
  options: Paging & { days?: number } = {},
): Promise<{ items: StaleCustomer[]; total: number; days: number }> {
  const days = checkedDays(options.days);
  const { limit, offset } = paging(options);
  const params: unknown[] = [];
  const readable = await readableCustomersCondition(ctx, 'c', params);
  const stale = staleCondition(ctx, days, params);
  params.push(ctx.now().toISOString());
  const now = `$${params.length}::timestamptz`;
  const where = `WHERE ${readable} AND ${stale}`;
  const { rows } = await ctx.db.query<StaleCustomer>(
    `SELECT c.id, c.code, c.name, (SELECT u.username FROM users u WHERE u.id = c.owner_id) AS owner,
       c.updated_at AS "updatedAt", c.last_purchase_on AS "lastPurchaseOn", c.last_contacted_at AS "lastContactedAt",
       floor(extract(epoch FROM ${now} - greatest(c.updated_at, c.last_contacted_at,
         ((c.last_purchase_on + time '00:00') AT TIME ZONE interval '+08:00'))) / 86400)::int AS "idleDays"
     FROM customers c ${where}
     ORDER BY greatest(c.updated_at, c.last_contacted_at, ((c.last_purchase_on + time '00:00') AT TIME ZONE interval '+08:00')) ASC, c.id ASC
     LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  const counted = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM customers c ${where}`,
    params.slice(0, -1),
  );
  return { items: rows, total: counted.rows[0]?.n ?? 0, days };
}
