import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addTestUser, createTestContext, type TestContext } from '../../../test/test-context.js';
import { addPreset, seedCustomers } from '../../../test/tiers.js';
import { updatePoolSettings } from '../pool/pool-settings.js';
import { runDailyFollowups, startFollowupScheduler } from './daily-followups.js';

let t: TestContext;
let clock = new Date('2026-05-04T08:00:00+08:00');

beforeAll(async () => {
  t = await createTestContext({ now: () => clock });
  const rep = await addTestUser(t.ctx, 'rep1', 'sales');
  await addPreset(t.ctx, 'abc');
  await addPreset(t.ctx, 'hotel');
  const ids = await seedCustomers(t.db, { D1: [], D2: [] }, '2026-01-01T00:00:00+08:00');
  await t.db.query('UPDATE customers SET owner_id = $1', [rep.id]);
  for (const id of ids.values()) {
    await t.db.query(
      `INSERT INTO tier_assignments (customer_id, scheme_id, tier, since, scheme_version, changed_on)
       VALUES ($1, 'abc', 'A', '2026-03-31', 1, '2026-03-31')`,
      [id],
    );
  }
});
afterAll(() => t.close());

describe('the daily follow-up run', () => {
  it('plans every active scheme with cadences once a day, and recycles only when turned on', async () => {
    const first = await runDailyFollowups(t.ctx);
    expect(first).toEqual({
      date: '2026-05-04',
      planned: [{ scheme: 'abc', created: 2, redated: 0, closed: 0 }],
      recycle: null,
    });
    expect(await runDailyFollowups(t.ctx)).toBeNull();

    await updatePoolSettings(t.ctx, { autoRecycle: true, warnDaysBefore: 2, defaultRecycleDays: 30 });
    clock = new Date('2026-05-05T08:00:00+08:00');
    // Owned since 1 January, never contacted: warned first, not recycled.
    expect(await runDailyFollowups(t.ctx)).toEqual({
      date: '2026-05-05',
      planned: [{ scheme: 'abc', created: 0, redated: 0, closed: 0 }],
      recycle: { recycled: 0, warned: 2 },
    });
    const { rows } = await t.db.query(`SELECT actor FROM pool_events WHERE kind = 'warn'`);
    expect(rows).toEqual([{ actor: 'system' }, { actor: 'system' }]);
  });

  it('runs at start from the scheduler, which stops cleanly', async () => {
    clock = new Date('2026-05-06T08:00:00+08:00');
    const runs: unknown[] = [];
    const stop = startFollowupScheduler(t.ctx, { intervalMs: 60_000, log: (run) => runs.push(run) });
    await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 30_000 });
    await stop();
    expect(runs).toEqual([
      {
        date: '2026-05-06',
        planned: [{ scheme: 'abc', created: 0, redated: 0, closed: 0 }],
        recycle: { recycled: 0, warned: 0 },
      },
    ]);
  });
});
