/**
 * Cadence planning on a real database: the abc preset plans A/B/C customers with no set-up, from
 * the last contact, idempotently; plans follow tier changes made by reviews, by hand and by churn;
 * completing or skipping a cadence plan plans the next one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestUser, createTestContext, type TestContext } from '../../../test/test-context.js';
import { addPreset, seedCustomers } from '../../../test/tiers.js';
import { runReview } from '../tiers/reviews.js';
import { completeFollowup, skipFollowup } from './complete-followup.js';
import { planFollowups } from './plan-followups.js';

let t: TestContext;
let ids: Map<string, number>;
const now = new Date('2026-01-15T10:00:00+08:00');

beforeAll(async () => {
  t = await createTestContext({ now: () => now });
  const rep = await addTestUser(t.ctx, 'rep1', 'sales');
  await addPreset(t.ctx, 'abc');
  ids = await seedCustomers(t.db, {
    K1: [{ on: '2025-06-01', amount: 800 }],
    K2: [{ on: '2025-06-01', amount: 150 }],
    K3: [{ on: '2025-06-01', amount: 50 }],
    K4: [],
    K5: [],
    K6: [],
  });
  await t.db.query(`UPDATE customers SET owner_id = $1 WHERE code <> 'K5'`, [rep.id]);
  await t.db.query(`UPDATE customers SET stage = 'churned' WHERE code = 'K6'`);
  await t.db.query(`UPDATE customers SET last_contacted_at = '2025-12-20T15:00:00+08:00' WHERE code = 'K2'`);
  // A done follow-up on 10 January counts as the last contact of K4.
  await t.db.query(
    `INSERT INTO followups (customer_id, due_at, method, owner_id, status, outcome, completed_at, created_by)
     VALUES ($1, '2026-01-10T01:00:00Z', 'phone', $2, 'done', '谈过了', '2026-01-10T03:00:00Z', 'test')`,
    [ids.get('K4'), rep.id],
  );
  for (const [code, tier] of Object.entries({ K1: 'A', K2: 'B', K3: 'C', K4: 'C', K5: 'A', K6: 'A' })) {
    await t.db.query(
      `INSERT INTO tier_assignments (customer_id, scheme_id, tier, since, scheme_version, changed_on)
       VALUES ($1, 'abc', $2, '2025-12-31', 1, '2025-12-31')`,
      [ids.get(code), tier],
    );
  }
});
afterAll(() => t.close());

async function openPlans() {
  const { rows } = await t.db.query<{ code: string; tier: string; method: string; due: string }>(
    `SELECT c.code, f.tier, f.method, f.due_at AS due FROM followups f JOIN customers c ON c.id = f.customer_id
     WHERE f.status = 'planned' AND f.source = 'cadence' ORDER BY c.code`,
  );
  return Object.fromEntries(rows.map((row) => [row.code, `${row.tier} ${row.method} ${row.due}`]));
}

describe('planning follow-ups from tier cadences', () => {
  it('plans one per owned, living customer with a cadence, due a tier interval after the last contact', async () => {
    const result = await planFollowups(t.ctx, 'abc');
    expect(result.created).toEqual([
      { customer: 'K1', dueAt: '2026-02-15T01:00:00.000Z', method: 'visit', owner: 'rep1' },
      { customer: 'K2', dueAt: '2026-03-20T01:00:00.000Z', method: 'phone', owner: 'rep1' },
      { customer: 'K3', dueAt: '2026-04-15T01:00:00.000Z', method: 'email', owner: 'rep1' },
      { customer: 'K4', dueAt: '2026-04-10T01:00:00.000Z', method: 'email', owner: 'rep1' },
    ]);
    const { rows } = await t.db.query(
      `SELECT content, source, scheme_id FROM followups WHERE customer_id = $1 AND status = 'planned'`,
      [ids.get('K1')],
    );
    expect(rows).toEqual([{ content: '每月拜访 / Monthly visit', source: 'cadence', scheme_id: 'abc' }]);
  });

  it('creates nothing the second time', async () => {
    const again = await planFollowups(t.ctx, 'abc');
    expect(again).toMatchObject({ created: [], createdCount: 0, redated: 0, closed: 0 });
  });

  it('moves an open plan to the new tier when the tier changes, and a review moves it back', async () => {
    await t.db.query(`UPDATE tier_assignments SET tier = 'A' WHERE customer_id = $1`, [ids.get('K3')]);
    expect(await planFollowups(t.ctx, 'abc')).toMatchObject({ createdCount: 0, redated: 1, closed: 0 });
    expect((await openPlans()).K3).toBe('A visit 2026-02-15T01:00:00.000Z');

    // A dry run re-plans inside its transaction and rolls it back with the rest.
    await runReview(t.ctx, { schemeId: 'abc', asOf: '2025-12-31', dryRun: true });
    expect((await openPlans()).K3).toBe('A visit 2026-02-15T01:00:00.000Z');
    // The review puts K3 back in C (50 of 1000 revenue): its plan follows in the same transaction.
    const review = await runReview(t.ctx, { schemeId: 'abc', asOf: '2025-12-31' });
    expect(review?.changes.map((change) => `${change.customer} ${change.from}→${change.to}`)).toContain(
      'K3 A→C',
    );
    expect((await openPlans()).K3).toBe('C email 2026-04-15T01:00:00.000Z');
  });

  it('closes the plan of a customer who churned, with the reason', async () => {
    await t.db.query(`UPDATE customers SET stage = 'churned' WHERE code = 'K1'`);
    expect(await planFollowups(t.ctx, 'abc')).toMatchObject({ createdCount: 0, closed: 1 });
    const { rows } = await t.db.query<{ status: string; outcome: string }>(
      `SELECT status, outcome FROM followups WHERE customer_id = $1`,
      [ids.get('K1')],
    );
    expect(rows).toEqual([
      {
        status: 'skipped',
        outcome: '客户已流失或已终止合作 / The customer has churned or ended the relationship',
      },
    ]);
  });

  it('plans the next cadence follow-up when one is completed or skipped', async () => {
    const plan = async (code: string) =>
      (
        await t.db.query<{ id: number }>(
          `SELECT id FROM followups WHERE customer_id = $1 AND status = 'planned'`,
          [ids.get(code)],
        )
      ).rows[0]?.id as number;
    const done = await completeFollowup(t.ctx, ids.get('K2') as number, await plan('K2'), {
      outcome: '电话回访，客户满意',
    });
    expect(done.followup).toMatchObject({ status: 'done', outcome: '电话回访，客户满意' });
    expect(done.next).toMatchObject({
      method: 'phone',
      source: 'cadence',
      dueAt: '2026-04-15T01:00:00.000Z',
    });
    const communication = await t.db.query(
      `SELECT channel, content, followup_id FROM communications WHERE customer_id = $1`,
      [ids.get('K2')],
    );
    expect(communication.rows).toEqual([
      { channel: 'phone', content: '电话回访，客户满意', followup_id: done.followup.id },
    ]);

    const skipped = await skipFollowup(t.ctx, ids.get('K4') as number, await plan('K4'), {
      reason: '客户出差',
    });
    expect(skipped.followup).toMatchObject({ status: 'skipped', outcome: '客户出差' });
    // Planned a quarter from the skip, not from the last contact (which would be due at once).
    expect(skipped.next).toMatchObject({ method: 'email', dueAt: '2026-04-15T01:00:00.000Z' });
  });
});
