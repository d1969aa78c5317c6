import type { Queryable } from '../../db/database.js';
import { periodEnds } from '../../domain/tiers/calendar.js';
import type { Scheme } from '../../domain/tiers/scheme.js';
import { AppError, validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { isCalendarDate } from '../../shared/fields.js';
import { compileEvaluation } from './evaluation-sql.js';
import { applyChanges, tierCounts } from './reviews.js';
import { customFieldKinds, getScheme, validateScheme } from './schemes.js';

export interface BacktestInput {
  /** A saved scheme to run, or the saved scheme a draft is compared with. */
  scheme?: string;
  /** An unsaved draft definition; when given, it is what runs. */
  definition?: unknown;
  from: string;
  to: string;
  every: 'month' | 'quarter';
}

export interface BacktestPeriod {
  asOf: string;
  counts: Record<string, number>;
  changes: number;
  /** Customers whose tier differs from what the saved scheme gives at the same date (drafts only). */
  differentFromCurrent: number | null;
}

export interface BacktestResult {
  scheme: string;
  draft: boolean;
  comparedWith: string | null;
  from: string;
  to: string;
  every: 'month' | 'quarter';
  periods: BacktestPeriod[];
  /** At the end: customers whose simulated tier differs from their tier assigned today (saved schemes). */
  differentFromAssigned: number | null;
}

const MAX_PERIODS = 240;

class Rollback extends Error {
  constructor(readonly result: BacktestResult) {
    super('backtest');
  }
}

/**
 * Replays a scheme (or a draft) over history, review by review at each period end from `from` to
 * `to`, starting with no tiers. Everything happens in temporary tables of a transaction that is
 * rolled back: a backtest writes nothing.
 */
export async function runBacktest(ctx: AppContext, input: BacktestInput): Promise<BacktestResult> {
  const issues = [];
  if (!isCalendarDate(input.from))
    issues.push({ field: 'from', message: '须为日期 YYYY-MM-DD / Must be a date YYYY-MM-DD' });
  if (!isCalendarDate(input.to))
    issues.push({ field: 'to', message: '须为日期 YYYY-MM-DD / Must be a date YYYY-MM-DD' });
  if (issues.length === 0 && input.from > input.to) {
    issues.push({ field: 'to', message: '须不早于开始日期 / Must not be before the start date' });
  }
  if (input.scheme === undefined && input.definition === undefined) {
    issues.push({ field: 'scheme', message: '请给出方案或草稿 / Give a scheme or a draft' });
  }
  if (issues.length > 0) throw validationError(issues);
  const today = localDate(ctx.now());
  // Periods end no later than today: the future has no history to replay.
  const until = [input.to, today].sort()[0] as string;
  const ends = periodEnds(input.from, until, input.every);
  if (ends.length === 0) {
    throw validationError([
      { field: 'to', message: '区间内没有完整的周期 / No complete period in this range' },
    ]);
  }
  if (ends.length > MAX_PERIODS) {
    throw validationError([
      { field: 'from', message: `最多 ${MAX_PERIODS} 个周期 / At most ${MAX_PERIODS} periods` },
    ]);
  }

  let draft: Scheme | undefined;
  if (input.definition !== undefined) draft = await validateScheme(ctx.db, input.definition);
  const savedId = input.scheme ?? draft?.id;
  let saved: { id: string; definition: Scheme } | undefined;
  if (savedId !== undefined) {
    try {
      saved = await getScheme(ctx.db, savedId);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'NOT_FOUND' || input.scheme !== undefined)
        throw error;
    }
  }
  const running = (draft ?? saved?.definition) as Scheme;
  const compare = draft !== undefined && saved !== undefined ? saved.definition : undefined;
  const customKinds = await customFieldKinds(ctx.db);
  const schemeId = running.id;

  try {
    await ctx.db.transaction(async (tx) => {
      await createState(tx, 'backtest_state');
      if (compare) await createState(tx, 'backtest_compare');
      const periods: BacktestPeriod[] = [];
      for (const asOf of ends) {
        const changes = await step(tx, running, schemeId, asOf, 'backtest_state', customKinds);
        let differentFromCurrent: number | null = null;
        if (compare) {
          await step(tx, compare, schemeId, asOf, 'backtest_compare', customKinds);
          differentFromCurrent = await differences(tx, 'backtest_state', 'backtest_compare');
        }
        periods.push({
          asOf,
          counts: await tierCounts(tx, running, 'backtest_state', schemeId),
          changes,
          differentFromCurrent,
        });
      }
      const differentFromAssigned =
        saved !== undefined && draft === undefined
          ? await differences(tx, 'backtest_state', '(SELECT * FROM tier_assignments WHERE scheme_id = $1)', [
              schemeId,
            ])
          : null;
      throw new Rollback({
        scheme: schemeId,
        draft: draft !== undefined,
        comparedWith: compare ? schemeId : null,
        from: input.from,
        to: input.to,
        every: input.every,
        periods,
        differentFromAssigned,
      });
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result;
    throw error;
  }
  throw new Error('unreachable');
}

async function createState(tx: Queryable, table: string): Promise<void> {
  await tx.query(`CREATE TEMP TABLE ${table} (LIKE tier_assignments INCLUDING DEFAULTS) ON COMMIT DROP`);
  await tx.query(`ALTER TABLE ${table} ADD PRIMARY KEY (customer_id, scheme_id)`);
}

async function step(
  tx: Queryable,
  scheme: Scheme,
  schemeId: string,
  asOf: string,
  state: string,
  customKinds: Awaited<ReturnType<typeof customFieldKinds>>,
): Promise<number> {
  const evaluation = compileEvaluation(scheme, { schemeId, asOf, stateTable: state, customKinds });
  await tx.query('DROP TABLE IF EXISTS backtest_changes');
  await tx.query(`CREATE TEMP TABLE backtest_changes ON COMMIT DROP AS ${evaluation.sql}`, evaluation.params);
  return applyChanges(tx, {
    changesTable: 'backtest_changes',
    stateTable: state,
    scheme,
    schemeId,
    version: 0,
    asOf,
    reviewId: null,
    actor: 'backtest',
    history: false,
  });
}

async function differences(
  tx: Queryable,
  left: string,
  right: string,
  params: unknown[] = [],
): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${left} l FULL JOIN ${right} r ON r.customer_id = l.customer_id
     WHERE l.tier IS DISTINCT FROM r.tier`,
    params,
  );
  return rows[0]?.n ?? 0;
}
