/**
 * An owner's reminders (提醒): open plans overdue, due today and due in the next 7 days (China
 * time), and the customers about to return to the pool for want of a follow-up.
 */

import type { Queryable } from '../../db/database.js';
import { startOfLocalDay } from '../../domain/followups/local-time.js';
import { addDays } from '../../domain/tiers/calendar.js';
import { AppError, validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { visibilityOf } from '../access/scope.js';
import { getPoolSettings } from '../pool/pool-settings.js';
import type { Followup } from './followup.schemas.js';
import { daysSince, FOLLOWUP_COLUMNS, withOverdue } from './followups.js';

export type DueItem = Followup & { lastContactedAt: string | null; daysSinceContact: number | null };

export interface RecycleReminder {
  customerId: number;
  customer: string;
  name: string;
  warnedAt: string;
  /** The first daily recycling that may return it to the pool, unless it is followed up before. */
  recycleOn: string;
  reason: string | null;
}

export interface DueFollowups {
  owner: string;
  /** Today, China time. */
  date: string;
  counts: { overdue: number; today: number; upcoming: number };
  overdue: DueItem[];
  today: DueItem[];
  upcoming: DueItem[];
  recycleWarnings: RecycleReminder[];
}

/**
 * Whose reminders the caller may read: their own (the default); a manager those of their team
 * (本部门); an admin anyone's. Others' answer 403.
 */
export async function reminderOwner(
  ctx: AppContext,
  db: Queryable,
  username: string | undefined,
): Promise<{ id: number; username: string }> {
  if (username === undefined) {
    if (ctx.actor.userId === null) {
      throw validationError([{ field: 'owner', message: '请指定用户 / Name the user (owner)' }]);
    }
    const { rows } = await db.query<{ id: number; username: string }>(
      'SELECT id, username FROM users WHERE id = $1',
      [ctx.actor.userId],
    );
    return rows[0] as { id: number; username: string };
  }
  const { rows } = await db.query<{ id: number; username: string }>(
    'SELECT id, username FROM users WHERE username = $1',
    [username],
  );
  const user = rows[0];
  if (!user)
    throw validationError([
      { field: 'owner', message: `用户 ${username} 不存在 / No user named ${username}` },
    ]);
  const visibility = await visibilityOf(ctx);
  if (!visibility.all && !visibility.owners.includes(user.id)) {
    throw new AppError('FORBIDDEN', {
      zh: '只能查看你自己或你团队成员的跟进提醒',
      en: 'You can see the reminders of yourself and your team only',
    });
  }
  return user;
}

export async function dueFollowups(
  ctx: AppContext,
  options: { owner?: string; limit?: number } = {},
): Promise<DueFollowups> {
  const owner = await reminderOwner(ctx, ctx.db, options.owner);
  const now = ctx.now();
  const today = localDate(now);
  const tomorrow = startOfLocalDay(addDays(today, 1));
  const end = startOfLocalDay(addDays(today, 8));
  const limit = options.limit ?? 100;
  // Each group is its own short range of the (owner_id, status, due_at) index, cut at `limit`; the
  // counts read the whole range once. Nothing is sorted beyond what the index gives.
  const group = (bucket: string, range: string) =>
    `(SELECT customer_id, id, '${bucket}' AS bucket FROM followups
      WHERE owner_id = $1 AND status = 'planned' AND ${range} ORDER BY due_at, id LIMIT $5)`;
  const { rows } = await ctx.db.query<
    Omit<Followup, 'overdue'> & {
      bucket: 'overdue' | 'today' | 'upcoming';
      lastContactedAt: string | null;
      overdueCount: number;
      todayCount: number;
      upcomingCount: number;
    }
  >(
    `WITH counts AS MATERIALIZED (
       SELECT count(*) FILTER (WHERE due_at < $2)::int AS "overdueCount",
         count(*) FILTER (WHERE due_at >= $2 AND due_at < $3)::int AS "todayCount",
         count(*) FILTER (WHERE due_at >= $3)::int AS "upcomingCount"
       FROM followups WHERE owner_id = $1 AND status = 'planned' AND due_at < $4
     ), picked AS (
       ${group('overdue', 'due_at < $2')}
       UNION ALL ${group('today', 'due_at >= $2 AND due_at < $3')}
       UNION ALL ${group('upcoming', 'due_at >= $3 AND due_at < $4')}
     )
     SELECT ${FOLLOWUP_COLUMNS}, p.bucket, c.last_contacted_at AS "lastContactedAt", counts.*
     FROM picked p JOIN followups f ON f.customer_id = p.customer_id AND f.id = p.id
       JOIN customers c ON c.id = f.customer_id LEFT JOIN users u ON u.id = f.owner_id CROSS JOIN counts
     ORDER BY f.due_at, f.id`,
    [owner.id, now.toISOString(), tomorrow.toISOString(), end.toISOString(), limit],
  );
  const result: DueFollowups = {
    owner: owner.username,
    date: today,
    counts: { overdue: 0, today: 0, upcoming: 0 },
    overdue: [],
    today: [],
    upcoming: [],
    recycleWarnings: await recycleReminders(ctx, owner.id),
  };
  for (const { bucket, overdueCount, todayCount, upcomingCount, ...row } of rows) {
    result.counts = { overdue: overdueCount, today: todayCount, upcoming: upcomingCount };
    result[bucket].push({
      ...withOverdue(row, now),
      lastContactedAt: row.lastContactedAt,
      daysSinceContact: daysSince(row.lastContactedAt, now),
    });
  }
  return result;
}

/** Customers of the owner warned of recycling and not followed up since the warning. */
async function recycleReminders(ctx: AppContext, ownerId: number): Promise<RecycleReminder[]> {
  const settings = await getPoolSettings(ctx.db);
  const { rows } = await ctx.db.query<Omit<RecycleReminder, 'recycleOn'>>(
    // From the owner's warnings (their latest per customer) to the customers by key: a handful of
    // rows, never a walk over the owner's customers.
    `WITH w AS MATERIALIZED (
       SELECT DISTINCT ON (customer_id) customer_id, at, reason FROM pool_events
       WHERE user_id = $1 AND kind = 'warn' ORDER BY customer_id, at DESC
     )
     SELECT c.id AS "customerId", c.code AS customer, c.name, w.at AS "warnedAt", w.reason
     FROM w JOIN customers c ON c.id = w.customer_id
     WHERE c.owner_id = $1 AND NOT c.pool_locked
       AND (c.last_contacted_at IS NULL OR c.last_contacted_at < w.at)
       AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.customer_id = c.id AND f.status = 'done' AND f.completed_at >= w.at)
       AND NOT EXISTS (SELECT 1 FROM ownership_transfers t WHERE t.customer_id = c.id AND t.at > w.at)`,
    [ownerId],
  );
  return rows
    .map((row) => ({
      ...row,
      recycleOn: addDays(localDate(new Date(row.warnedAt)), settings.warnDaysBefore),
    }))
    .sort((a, b) => a.recycleOn.localeCompare(b.recycleOn) || a.customer.localeCompare(b.customer));
}
