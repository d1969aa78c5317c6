import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/test-context.js';
import { addPreset, clearCustomers, seedCustomers } from '../../../test/tiers.js';
import { periodEnds } from '../../domain/tiers/calendar.js';
import { findPreset } from '../../domain/tiers/presets.js';
import { AppError } from '../../shared/app-error.js';
import { runBacktest } from './backtest.js';
import { runReview } from './reviews.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: () => new Date('2026-01-15T12:00:00+08:00') });
  await addPreset(t.ctx, 'monthly-spend');
});
afterAll(() => t.close());
beforeEach(async () => {
  await clearCustomers(t.db);
  // A: 450 a month all year; B: 600 from April; C: 50 a month; D: nothing
  const months = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`);
  await seedCustomers(t.db, {
    A: months.map((m) => ({ on: `${m}-05`, amount: 450 })),
    B: months.slice(3).map((m) => ({ on: `${m}-05`, amount: 600 })),
    C: months.map((m) => ({ on: `${m}-05`, amount: 50 })),
    D: [],
  });
});

async function sizes(): Promise<number[]> {
  const counts: number[] = [];
  for (const table of ['tier_assignments', 'tier_history', 'tier_notices', 'tier_reviews']) {
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts.push(rows[0]?.n ?? 0);
  }
  return counts;
}

describe('backtests', () => {
  it('replays a scheme month by month exactly as applied reviews would, and writes nothing', async () => {
    const before = await sizes();
    const result = await runBacktest(t.ctx, {
      scheme: 'monthly-spend',
      from: '2024-01-01',
      to: '2024-09-30',
      every: 'month',
    });
    expect(await sizes()).toEqual(before);
    expect(result.periods.map((period) => period.asOf)).toEqual(
      periodEnds('2024-01-01', '2024-09-30', 'month'),
    );
    expect(result.periods[0]).toEqual({
      asOf: '2024-01-31',
      counts: { high: 0, mid: 1, low: 3 },
      changes: 4,
      differentFromCurrent: null,
    });
    // The same reviews, applied for real, give the same counts at every period end.
    for (const period of result.periods) {
      const applied = await runReview(t.ctx, { schemeId: 'monthly-spend', asOf: period.asOf });
      expect({ asOf: period.asOf, counts: applied?.counts, changes: applied?.changesTotal }).toEqual({
        asOf: period.asOf,
        counts: period.counts,
        changes: period.changes,
      });
    }
    // Replaying the saved scheme over the same months lands where today's tiers are.
    const again = await runBacktest(t.ctx, {
      scheme: 'monthly-spend',
      from: '2024-01-01',
      to: '2024-09-30',
      every: 'month',
    });
    expect(again.differentFromAssigned).toBe(0);
  });

  it('runs an unsaved draft and counts customers who would land in a different tier', async () => {
    const preset = findPreset('monthly-spend');
    const draft = {
      ...preset,
      rules: preset?.rules.map((rule) =>
        rule.id === 'three_months_high'
          ? { ...rule, when: { metric: 'spend_month', op: '>', value: 400, each: 3 } }
          : rule,
      ),
    };
    const result = await runBacktest(t.ctx, {
      definition: draft,
      from: '2024-01-01',
      to: '2024-06-30',
      every: 'quarter',
    });
    expect(result).toMatchObject({ draft: true, comparedWith: 'monthly-spend', differentFromAssigned: null });
    expect(result.periods.map((period) => period.asOf)).toEqual(['2024-03-31', '2024-06-30']);
    // A (450 a month) is high under the draft from March, mid under the saved scheme.
    expect(result.periods.map((period) => period.differentFromCurrent)).toEqual([1, 1]);
    expect(result.periods[1]?.counts).toEqual({ high: 2, mid: 0, low: 2 });
    expect(await sizes()).toEqual([0, 0, 0, 0]);
  });

  it('refuses a range without a complete period, reversed dates, or no scheme', async () => {
    const reversed = await runBacktest(t.ctx, {
      scheme: 'monthly-spend',
      from: '2024-05-01',
      to: '2024-04-01',
      every: 'month',
    }).catch((e: unknown) => e);
    expect((reversed as AppError).details).toEqual([
      { field: 'to', message: '须不早于开始日期 / Must not be before the start date' },
    ]);
    await expect(
      runBacktest(t.ctx, { scheme: 'monthly-spend', from: '2024-05-02', to: '2024-05-30', every: 'month' }),
    ).rejects.toBeInstanceOf(AppError);
    await expect(
      runBacktest(t.ctx, { from: '2024-01-01', to: '2024-05-30', every: 'month' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
