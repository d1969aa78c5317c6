/**
 * The server's daily follow-up work: plan the follow-ups of every active scheme with cadences,
 * then recycle customers to the pool when the pool settings turn automatic recycling on. Checked
 * hourly; the first check of a day (China time) claims that day in the settings table, so with
 * several server processes the work runs once a day.
 */
import { type AppContext, localDate } from '../../shared/context.js';
import { systemActor } from '../access/actor.js';
import { getPoolSettings } from '../pool/pool-settings.js';
import { recycleCustomers } from '../pool/recycle-customers.js';
import { planFollowups, schemesWithCadences } from './plan-followups.js';

const DAILY_KEY = 'followups_daily';

export interface DailyFollowupRun {
  date: string;
  planned: { scheme: string; created: number; redated: number; closed: number; error?: string }[];
  recycle: { recycled: number; warned: number; error?: string } | null;
}

/** Runs today's work unless it already ran today; returns null then. */
export async function runDailyFollowups(ctx: AppContext): Promise<DailyFollowupRun | null> {
  const system: AppContext = { ...ctx, actor: systemActor };
  const date = localDate(ctx.now());
  await ctx.db.query(
    `INSERT INTO settings (key, value) VALUES ($1, '{"date": ""}'::jsonb) ON CONFLICT (key) DO NOTHING`,
    [DAILY_KEY],
  );
  const claimed = await ctx.db.query(
    `UPDATE settings SET value = jsonb_build_object('date', $2::text), updated_at = $3
     WHERE key = $1 AND coalesce(value->>'date', '') < $2 RETURNING 1`,
    [DAILY_KEY, date, ctx.now().toISOString()],
  );
  if (claimed.rows.length === 0) return null;
  const run: DailyFollowupRun = { date, planned: [], recycle: null };
  for (const scheme of await schemesWithCadences(ctx.db)) {
    try {
      const result = await planFollowups(system, scheme.id, { report: false });
      run.planned.push({
        scheme: scheme.id,
        created: result.createdCount,
        redated: result.redated,
        closed: result.closed,
      });
    } catch (error) {
      run.planned.push({ scheme: scheme.id, created: 0, redated: 0, closed: 0, error: String(error) });
    }
  }
  if ((await getPoolSettings(ctx.db)).autoRecycle) {
    try {
      const result = await recycleCustomers(system);
      run.recycle = { recycled: result.recycled.length, warned: result.warnings.length };
    } catch (error) {
      run.recycle = { recycled: 0, warned: 0, error: String(error) };
    }
  }
  return run;
}

/**
 * Checks at start and then every `intervalMs` (an hour by default), one check at a time. Returns a
 * function that stops the timer and waits for a running check.
 */
export function startFollowupScheduler(
  ctx: AppContext,
  options: { intervalMs?: number; log?: (run: DailyFollowupRun | { error: string }) => void } = {},
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        const run = await runDailyFollowups(ctx);
        if (run) options.log?.(run);
      } catch (error) {
        options.log?.({ error: error instanceof Error ? error.message : String(error) });
      }
    });
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 3_600_000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
