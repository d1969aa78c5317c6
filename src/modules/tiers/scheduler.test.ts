import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/test-context.js';
import { seedCustomers } from '../../../test/tiers.js';
import { lastCompletePeriod, periodOf } from '../../domain/tiers/calendar.js';
import { findPreset } from '../../domain/tiers/presets.js';
import { runReview } from './reviews.js';
import { runDueReviews } from './scheduler.js';
import { createScheme, setSchemeActive } from './schemes.js';

let t: TestContext;
let now = new Date('2024-07-15T09:00:00+08:00');
beforeAll(async () => {
  t = await createTestContext({ now: () => now });
  await seedCustomers(t.db, { A: [{ on: '2024-06-01', amount: 800 }] });
  await createScheme(t.ctx, { preset: 'monthly-spend' });
  await createScheme(t.ctx, { preset: 'abc' });
  await createScheme(t.ctx, { preset: 'hotel', id: 'paused' });
  await setSchemeActive(t.ctx, 'paused', false);
  await createScheme(t.ctx, { definition: { ...findPreset('hotel'), id: 'by-hand', cadence: 'manual' } });
});
afterAll(() => t.close());

const scheduled = async () =>
  (
    await t.db.query<{ scheme_id: string; period: string; as_of: string; actor: string }>(
      "SELECT scheme_id, period, as_of, actor FROM tier_reviews WHERE trigger = 'schedule' ORDER BY scheme_id, as_of",
    )
  ).rows;

describe('cadence periods', () => {
  it('knows periods and the latest complete one', () => {
    expect(periodOf('2024-07-15', 'monthly')).toEqual({ key: '2024-07', end: '2024-07-31' });
    expect(periodOf('2024-07-15', 'quarterly')).toEqual({ key: '2024-Q3', end: '2024-09-30' });
    expect(periodOf('2024-07-15', 'half-yearly')).toEqual({ key: '2024-H2', end: '2024-12-31' });
    expect(periodOf('2024-02-10', 'yearly')).toEqual({ key: '2024', end: '2024-12-31' });
    expect(lastCompletePeriod('2024-07-01', 'monthly')).toEqual({ key: '2024-06', end: '2024-06-30' });
    expect(lastCompletePeriod('2024-06-30', 'monthly')).toEqual({ key: '2024-05', end: '2024-05-31' });
    expect(lastCompletePeriod('2024-07-15', 'quarterly')).toEqual({ key: '2024-Q2', end: '2024-06-30' });
    expect(lastCompletePeriod('2024-03-01', 'half-yearly')).toEqual({ key: '2023-H2', end: '2023-12-31' });
  });
});

describe('scheduled reviews', () => {
  it('start with the latest complete period, run once, and catch up after downtime in order', async () => {
    const first = await runDueReviews(t.ctx);
    expect(first).toEqual([
      { scheme: 'abc', period: '2024-Q2', asOf: '2024-06-30', changes: 1 },
      { scheme: 'monthly-spend', period: '2024-06', asOf: '2024-06-30', changes: 1 },
    ]);
    expect(await runDueReviews(t.ctx)).toEqual([]);
    // The server was down from July to early October.
    now = new Date('2024-10-02T09:00:00+08:00');
    const caughtUp = await runDueReviews(t.ctx);
    expect(caughtUp.map((run) => `${run.scheme} ${run.period} ${run.asOf}`)).toEqual([
      'abc 2024-Q3 2024-09-30',
      'monthly-spend 2024-07 2024-07-31',
      'monthly-spend 2024-08 2024-08-31',
      'monthly-spend 2024-09 2024-09-30',
    ]);
    expect((await scheduled()).every((review) => review.actor === 'system')).toBe(true);
    expect(await scheduled()).toHaveLength(6);
  });

  it('never runs a period twice, even when two checks race', async () => {
    now = new Date('2024-11-03T09:00:00+08:00');
    const [one, two] = await Promise.all([runDueReviews(t.ctx), runDueReviews(t.ctx)]);
    const ran = [...(one ?? []), ...(two ?? [])].filter((run) => !run.skipped);
    expect(ran.map((run) => `${run.scheme} ${run.period}`)).toEqual(['monthly-spend 2024-10']);
    const periods = (await scheduled()).map((review) => `${review.scheme_id} ${review.period}`);
    expect(new Set(periods).size).toBe(periods.length);
  });

  it('skips periods older than a manual review that went further', async () => {
    now = new Date('2025-01-20T09:00:00+08:00');
    await runReview(t.ctx, { schemeId: 'monthly-spend', asOf: '2024-12-15' });
    const runs = await runDueReviews(t.ctx);
    expect(runs.filter((run) => run.scheme === 'monthly-spend')).toEqual([
      {
        scheme: 'monthly-spend',
        period: '2024-11',
        asOf: '2024-11-30',
        changes: null,
        skipped: 'later-review',
      },
      // six months without purchases since June: A falls to low
      { scheme: 'monthly-spend', period: '2024-12', asOf: '2024-12-31', changes: 1 },
    ]);
  });
});
