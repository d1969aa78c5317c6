/**
 * A personal iCalendar feed of the open follow-up plans, for phone and desktop calendars. Calendar
 * apps cannot log in, so the URL carries a secret token: made (or replaced) by its user, shown
 * once, stored as its SHA-256 only. The feed shows the plans the user owns, from 30 days back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { buildCalendar } from '../../domain/followups/ical.js';
import { type FollowupMethod, followupMethodLabels } from '../../domain/followups/methods.js';
import { AppError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { recordAudit } from '../audit/audit-log.js';

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

const FEED_PATH = (token: string) => `/api/calendar/${token}.ics`;

function requireUser(ctx: AppContext): number {
  if (ctx.actor.userId === null) {
    throw new AppError('FORBIDDEN', {
      zh: '日历订阅属于某个用户：请以用户身份登录',
      en: 'A calendar feed belongs to a user: log in as one',
    });
  }
  return ctx.actor.userId;
}

/** Makes the caller's feed token, replacing any earlier one (whose URL stops working). */
export async function createCalendarToken(
  ctx: AppContext,
): Promise<{ token: string; path: string; createdAt: string }> {
  const userId = requireUser(ctx);
  const token = randomBytes(32).toString('base64url');
  const createdAt = ctx.now().toISOString();
  await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ replaced: boolean }>(
      `INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at,
         last_used_at = NULL
       RETURNING (xmax::text <> '0') AS replaced`,
      [userId, sha256(token), createdAt],
    );
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'followups.calendar_token',
        entityType: 'user',
        entityId: userId,
        details: { replaced: rows[0]?.replaced ?? false },
      },
      ctx.now(),
    );
  });
  return { token, path: FEED_PATH(token), createdAt };
}

/** Turns the caller's feed off. */
export async function revokeCalendarToken(ctx: AppContext): Promise<void> {
  const userId = requireUser(ctx);
  await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query('DELETE FROM calendar_tokens WHERE user_id = $1 RETURNING 1', [userId]);
    if (rows.length > 0) {
      await recordAudit(
        tx,
        ctx.actor,
        { action: 'followups.calendar_token_revoke', entityType: 'user', entityId: userId },
        ctx.now(),
      );
    }
  });
}

const NOT_FOUND = { zh: '日历订阅不存在或已更换', en: 'No such calendar feed (it may have been replaced)' };

/** The feed behind a token, as iCalendar text; 404 for an unknown, replaced or disabled user's token. */
export async function calendarFeed(ctx: AppContext, token: string): Promise<string> {
  const { rows } = await ctx.db.query<{ user_id: number; username: string }>(
    `UPDATE calendar_tokens t SET last_used_at = $2 FROM users u
     WHERE t.token_hash = $1 AND u.id = t.user_id AND NOT u.disabled
     RETURNING t.user_id, u.username`,
    [sha256(token), ctx.now().toISOString()],
  );
  const user = rows[0];
  if (!user) throw new AppError('NOT_FOUND', NOT_FOUND);
  const from = new Date(ctx.now().getTime() - 30 * 86_400_000);
  const plans = await ctx.db.query<{
    customer_id: number;
    id: number;
    due_at: string;
    updated_at: string;
    method: FollowupMethod;
    content: string | null;
    goal: string | null;
    expected_result: string | null;
    code: string;
    name: string;
  }>(
    `SELECT f.customer_id, f.id, f.due_at, f.updated_at, f.method, f.content, f.goal, f.expected_result, c.code, c.name
     FROM followups f JOIN customers c ON c.id = f.customer_id
     WHERE f.owner_id = $1 AND f.status = 'planned' AND f.due_at >= $2
     ORDER BY f.due_at, f.id LIMIT 5000`,
    [user.user_id, from.toISOString()],
  );
  return buildCalendar({
    name: `跟进计划 / Follow-ups · ${user.username}`,
    events: plans.rows.map((plan) => {
      const method = followupMethodLabels[plan.method];
      const lines = [
        `客户 / Customer: ${plan.name} (${plan.code})`,
        plan.content ? `内容 / Content: ${plan.content}` : null,
        plan.goal ? `目标 / Goal: ${plan.goal}` : null,
        plan.expected_result ? `预期结果 / Expected result: ${plan.expected_result}` : null,
      ].filter((line): line is string => line !== null);
      return {
        uid: `followup-${plan.customer_id}-${plan.id}@clientele`,
        stamp: new Date(plan.updated_at),
        start: new Date(plan.due_at),
        minutes: 30,
        summary: `${method.zh} / ${method.en}: ${plan.name}`,
        description: lines.join('\n'),
      };
    }),
  });
}
