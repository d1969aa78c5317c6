import { type Cadence, lastCompletePeriod, nextPeriod } from '../../domain/tiers/calendar.js';
import type { Scheme } from '../../domain/tiers/scheme.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { systemActor } from '../access/actor.js';
import { runReview } from './reviews.js';

export interface ScheduledRun {
  scheme: string;
  period: string;
  asOf: string;
  changes: number | null;
  /** Why a due period did not run: another process ran it, a later review exists, or an error. */
  skipped?: string;
}

/**
 * Runs every scheduled review that is due: for each active scheme with a cadence, each complete
 * period since its last scheduled review (catching up after downtime), oldest first. A scheme
 * never reviewed on schedule starts with the latest complete period. The unique period key in
 * tier_reviews makes a period run once, however many server processes try.
 */
export async function runDueReviews(ctx: AppContext): Promise<ScheduledRun[]> {
  const system: AppContext = { ...ctx, actor: systemActor };
  const today = localDate(ctx.now());
  const { rows } = await ctx.db.query<{
    id: string;
    definition: Scheme;
    last_scheduled: string | null;
    last_any: string | null;
  }>(
    `SELECT s.id, v.definition,
       (SELECT max(as_of) FROM tier_reviews r WHERE r.scheme_id = s.id AND r.trigger = 'schedule') AS last_scheduled,
       (SELECT max(as_of) FROM tier_reviews r WHERE r.scheme_id = s.id) AS last_any
     FROM tier_schemes s JOIN tier_scheme_versions v ON v.scheme_id = s.id AND v.version = s.current_version
     WHERE s.active ORDER BY s.id`,
  );
  const runs: ScheduledRun[] = [];
  for (const row of rows) {
    const cadence = row.definition.cadence;
    if (cadence === 'manual') continue;
    const latest = lastCompletePeriod(today, cadence as Cadence);
    let period = row.last_scheduled === null ? latest : nextPeriod(row.last_scheduled, cadence as Cadence);
    while (period.end <= latest.end) {
      if (row.last_any !== null && period.end < row.last_any) {
        runs.push({
          scheme: row.id,
          period: period.key,
          asOf: period.end,
          changes: null,
          skipped: 'later-review',
        });
      } else {
        try {
          const result = await runReview(system, {
            schemeId: row.id,
            asOf: period.end,
            trigger: 'schedule',
            period: period.key,
            changeLimit: 0,
          });
          runs.push(
            result
              ? { scheme: row.id, period: period.key, asOf: period.end, changes: result.changesTotal }
              : {
                  scheme: row.id,
                  period: period.key,
                  asOf: period.end,
                  changes: null,
                  skipped: 'already-run',
                },
          );
        } catch (error) {
          runs.push({
            scheme: row.id,
            period: period.key,
            asOf: period.end,
            changes: null,
            skipped: error instanceof Error ? error.message : String(error),
          });
          break;
        }
      }
      period = nextPeriod(period.end, cadence as Cadence);
    }
  }
  return runs;
}

/**
 * Checks for due reviews at start and then every `intervalMs` (an hour by default), one check at
 * a time. Returns a function that stops the timer and waits for a running check.
 */
export function startReviewScheduler(
  ctx: AppContext,
  options: { intervalMs?: number; log?: (runs: ScheduledRun[]) => void } = {},
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        const runs = await runDueReviews(ctx);
        if (runs.length > 0) options.log?.(runs);
      } catch (error) {
        options.log?.([
          {
            scheme: '*',
            period: '',
            asOf: '',
            changes: null,
            skipped: error instanceof Error ? error.message : String(error),
          },
        ]);
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
