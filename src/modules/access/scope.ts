import type { Queryable } from '../../db/database.js';
import { AppError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { teamMemberIds } from './users.js';

/**
 * Which customers an actor may see and change — the single place where the data scope
 * (本人 own / 本部门 team / 全部 all) becomes SQL. Every query over customers, and everything
 * hanging off a customer (contacts, transactions, exports, imports, search), goes through it.
 */
export type Visibility = { all: true } | { all: false; me: number | null; owners: number[] };

const cache = new WeakMap<AppContext, Promise<Visibility>>();

async function computeVisibility(ctx: AppContext, db: Queryable): Promise<Visibility> {
  const { actor } = ctx;
  if (actor.scope === 'all') return { all: true };
  if (actor.userId === null) return { all: false, me: null, owners: [] };
  const owners = actor.scope === 'team' ? await teamMemberIds(db, actor.userId) : [actor.userId];
  return { all: false, me: actor.userId, owners };
}

/**
 * The actor's visibility, computed once per context. Inside a transaction pass its queryable: the
 * embedded database has one connection, and a query outside the open transaction would wait for it
 * forever (requests compute it up front in http/auth.ts, before any transaction).
 */
export function visibilityOf(ctx: AppContext, db: Queryable = ctx.db): Promise<Visibility> {
  let visibility = cache.get(ctx);
  if (!visibility) {
    visibility = computeVisibility(ctx, db);
    cache.set(ctx, visibility);
  }
  return visibility;
}

export type AccessMode = 'read' | 'write';

/**
 * The SQL condition on customers alias `alias` for the actor, with its parameters appended via
 * `param`; undefined when the actor sees everything. Collaborators (协作人) see the customer, and
 * may change it with write access, until their end date.
 */
export async function customerScopeCondition(
  ctx: AppContext,
  alias: string,
  param: (value: unknown) => string,
  mode: AccessMode = 'read',
  db: Queryable = ctx.db,
): Promise<string | undefined> {
  const visibility = await visibilityOf(ctx, db);
  if (visibility.all) return undefined;
  if (visibility.me === null) return 'false';
  const owners = `${alias}.owner_id = ANY(${param(visibility.owners)}::bigint[])`;
  const access = mode === 'write' ? " AND k.access = 'write'" : '';
  // IN (uncorrelated) rather than EXISTS: the planner hashes the collaborator list once instead of
  // probing it per customer row, which matters for the total count over large scopes.
  const collaborator = `${alias}.id IN (SELECT k.customer_id FROM customer_collaborators k
    WHERE k.user_id = ${param(visibility.me)} AND (k.until IS NULL OR k.until >= ${param(localDate(ctx.now()))}::date)${access})`;
  return `(${owners} OR ${collaborator})`;
}

/** Builds a condition for a query whose parameters start after `offset`. */
export async function scopeClause(
  ctx: AppContext,
  alias: string,
  params: unknown[],
  mode: AccessMode = 'read',
  db: Queryable = ctx.db,
): Promise<string> {
  const condition = await customerScopeCondition(
    ctx,
    alias,
    (value) => {
      params.push(value);
      return `$${params.length}`;
    },
    mode,
    db,
  );
  return condition ?? 'true';
}

export const CUSTOMER_NOT_FOUND = { zh: '客户不存在', en: 'Customer not found' };

/**
 * Refuses a customer the actor may not see (or, for `write`, change) with 404 — the same answer as
 * for a customer that does not exist, so ids of other people's customers reveal nothing.
 */
export async function assertCustomerAccess(
  ctx: AppContext,
  db: Queryable,
  customerId: number,
  mode: AccessMode,
): Promise<void> {
  const params: unknown[] = [customerId];
  const condition = await scopeClause(ctx, 'c', params, mode, db);
  const { rows } = await db.query(`SELECT 1 FROM customers c WHERE c.id = $1 AND ${condition}`, params);
  if (rows.length > 0) return;
  if (mode === 'write') {
    const readable = [customerId];
    const readCondition = await scopeClause(ctx, 'c', readable, 'read', db);
    const visible = await db.query(
      `SELECT 1 FROM customers c WHERE c.id = $1 AND ${readCondition}`,
      readable,
    );
    if (visible.rows.length > 0) {
      throw new AppError('FORBIDDEN', {
        zh: '你对该客户只有查看权限',
        en: 'You have read-only access to this customer',
      });
    }
  }
  throw new AppError('NOT_FOUND', CUSTOMER_NOT_FOUND);
}
