import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/test-context.js';
import { addPreset, addPurchases, clearCustomers, seedCustomers, tiersOf } from '../../../test/tiers.js';
import { completeMonth } from '../../domain/tiers/calendar.js';
import { findPreset } from '../../domain/tiers/presets.js';
import { AppError } from '../../shared/app-error.js';
import { createCustomField } from '../custom-fields/custom-fields.js';
import { overrideTier, releaseOverride } from './assignments.js';
import { listNotices } from './notices.js';
import { runReview } from './reviews.js';
import { createScheme, updateScheme } from './schemes.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: () => new Date('2026-01-15T12:00:00+08:00') });
  await addPreset(t.ctx, 'monthly-spend');
});
afterAll(() => t.close());
beforeEach(() => clearCustomers(t.db));

async function review(scheme: string, asOf: string, dryRun = false) {
  const result = await runReview(t.ctx, { schemeId: scheme, asOf, dryRun });
  if (!result) throw new Error('no review');
  return result;
}

async function tableSizes(): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const table of ['tier_assignments', 'tier_history', 'tier_notices', 'tier_reviews', 'audit_log']) {
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    sizes[table] = rows[0]?.n ?? 0;
  }
  return sizes;
}

const three = (amount: number) =>
  ['2024-04', '2024-05', '2024-06'].map((month) => ({ on: `${month}-10`, amount }));

describe('applying a review', () => {
  it('writes assignments, history with rule, metrics and version, a notice in plain words, and an audit entry', async () => {
    const ids = await seedCustomers(t.db, { A: three(600), B: three(150) });
    const result = await review('monthly-spend', '2024-06-30');
    expect(result).toMatchObject({
      scheme: 'monthly-spend',
      version: 1,
      asOf: '2024-06-30',
      changesTotal: 2,
    });
    const history = await t.db.query(
      `SELECT customer_id, scheme_version, effective_on, from_tier, to_tier, kind, rule, metrics, actor
       FROM tier_history ORDER BY customer_id`,
    );
    expect(history.rows[0]).toEqual({
      customer_id: ids.get('A'),
      scheme_version: 1,
      effective_on: '2024-06-30',
      from_tier: null,
      to_tier: 'high',
      kind: 'review',
      rule: 'three_months_high',
      metrics: { spend_month: ['600.00', '600.00', '600.00', '0.00', '0.00', '0.00'] },
      actor: 'os:test',
    });
    const notices = await listNotices(t.ctx, { status: 'pending' });
    expect(notices.map((notice) => notice.text.zh)).toEqual([
      '您最近3个月每月消费均超过500元，已评定为高级客户。',
      '您上个月消费150.00元，在100至500元之间，已评定为中级客户。',
    ]);
    // The next month A keeps high; B moves up after three months above 500.
    await addPurchases(t.db, ids.get('B') as number, [
      { on: '2024-07-10', amount: 600 },
      { on: '2024-08-10', amount: 600 },
      { on: '2024-09-10', amount: 600 },
    ]);
    await addPurchases(t.db, ids.get('A') as number, [
      { on: '2024-07-10', amount: 600 },
      { on: '2024-08-10', amount: 600 },
      { on: '2024-09-10', amount: 600 },
    ]);
    const later = await review('monthly-spend', '2024-09-30');
    expect(later.changes).toMatchObject([{ customer: 'B', from: 'mid', to: 'high' }]);
    const pending = await listNotices(t.ctx, { status: 'pending' });
    expect(pending.at(-1)?.text).toEqual({
      zh: '您最近3个月每月消费均超过500元，已升级为高级客户。',
      en: 'Because you spent more than 500 in each of the last 3 months, you have been upgraded to High.',
    });
    const audit = await t.db.query<{ details: { changes: number } }>(
      "SELECT details FROM audit_log WHERE action = 'tiers.review' ORDER BY id",
    );
    expect(audit.rows.map((row) => row.details.changes)).toEqual([2, 1]);
  });

  it('changes nothing when the same review runs again, and then reviews only customers added since', async () => {
    await seedCustomers(t.db, { A: three(600), B: three(50), C: [] });
    const first = await review('monthly-spend', '2024-06-30');
    expect(first.changesTotal).toBe(3);
    const before = await tableSizes();
    const again = await review('monthly-spend', '2024-06-30');
    expect(again.changesTotal).toBe(0);
    expect(again.counts).toEqual(first.counts);
    const after = await tableSizes();
    expect({ ...after, tier_reviews: 0, audit_log: 0 }).toEqual({ ...before, tier_reviews: 0, audit_log: 0 });
    await seedCustomers(t.db, { D: three(600) });
    const third = await review('monthly-spend', '2024-06-30');
    expect(third.changes.map((change) => change.customer)).toEqual(['D']);
  });

  it('a dry run reports exactly what applying writes, and writes nothing', async () => {
    await seedCustomers(t.db, { A: three(600), B: three(150), C: three(50) });
    const before = await tableSizes();
    const dry = await review('monthly-spend', '2024-06-30', true);
    expect(await tableSizes()).toEqual(before);
    expect(dry.dryRun).toBe(true);
    expect(dry.reviewId).toBeNull();
    const applied = await review('monthly-spend', '2024-06-30');
    expect({ ...applied, dryRun: true, reviewId: null }).toEqual(dry);
  });

  it('refuses an as-of date in the future or before the last review, changing nothing', async () => {
    await seedCustomers(t.db, { A: three(600) });
    await expect(review('monthly-spend', '2026-01-16')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await review('monthly-spend', '2024-06-30');
    const before = await tableSizes();
    const error = await review('monthly-spend', '2024-05-31').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain('2024-06-30');
    expect(await tableSizes()).toEqual(before);
    await expect(review('no-such-scheme', '2024-06-30')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(review('monthly-spend', '2024-02-30')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('overrides', () => {
  it('keeps a locked tier until the lock ends, then the rules decide again', async () => {
    const ids = await seedCustomers(t.db, { A: three(50) });
    const id = ids.get('A') as number;
    const set = await overrideTier(t.ctx, id, {
      scheme: 'monthly-spend',
      tier: 'high',
      reason: '战略客户',
      until: '2024-07-31',
    });
    expect(set).toMatchObject({
      tier: 'high',
      override: { reason: '战略客户', locked: true, until: '2024-07-31' },
    });
    expect((await review('monthly-spend', '2024-06-30')).changesTotal).toBe(0);
    expect((await review('monthly-spend', '2024-07-31')).changesTotal).toBe(0);
    const after = await review('monthly-spend', '2024-08-31');
    expect(after.changes).toMatchObject([{ customer: 'A', from: 'high', to: 'low', rule: 'six_months_low' }]);
    const history = await t.db.query<{ kind: string; note: string | null; to_tier: string }>(
      'SELECT kind, note, to_tier FROM tier_history WHERE customer_id = $1 ORDER BY id',
      [id],
    );
    expect(history.rows).toEqual([
      { kind: 'override', note: '战略客户', to_tier: 'high' },
      { kind: 'review', note: null, to_tier: 'low' },
    ]);
  });

  it('an unlocked override is only a starting point; a released lock lets the next review decide', async () => {
    const ids = await seedCustomers(t.db, { A: three(50), B: three(50) });
    await overrideTier(t.ctx, ids.get('A') as number, {
      scheme: 'monthly-spend',
      tier: 'high',
      reason: '试用',
      lock: false,
    });
    await overrideTier(t.ctx, ids.get('B') as number, {
      scheme: 'monthly-spend',
      tier: 'high',
      reason: '锁定',
    });
    await releaseOverride(t.ctx, ids.get('B') as number, 'monthly-spend');
    await review('monthly-spend', '2024-06-30');
    // six months below 100 → low for both
    expect(await tiersOf(t.db, 'monthly-spend')).toEqual({ A: 'low', B: 'low' });
  });

  it('refuses an unknown tier, an empty reason, and an end date without a lock', async () => {
    const ids = await seedCustomers(t.db, { A: [] });
    const error = await overrideTier(t.ctx, ids.get('A') as number, {
      scheme: 'monthly-spend',
      tier: 'gold',
      reason: ' ',
      lock: false,
      until: '2024-01-01',
    }).catch((e: unknown) => e);
    expect((error as AppError).details).toEqual([
      { field: 'tier', message: '未知等级 gold / Unknown tier gold' },
      { field: 'reason', message: '请填写调整原因 / A reason is required' },
      { field: 'until', message: '只有锁定才有截止日期 / Only a lock has an end date' },
    ]);
    expect(await tiersOf(t.db, 'monthly-spend')).toEqual({});
  });
});

describe('scheme options', () => {
  const stepScheme = {
    id: 'steps',
    name: { zh: '逐级', en: 'Steps' },
    tiers: [
      { key: 'c', name: { zh: 'C', en: 'C' }, rank: 1 },
      { key: 'b', name: { zh: 'B', en: 'B' }, rank: 2 },
      { key: 'a', name: { zh: 'A', en: 'A' }, rank: 3 },
    ],
    metrics: { spend: { measure: 'spend', window: { type: 'days', days: 30 } } },
    rules: [
      {
        id: 'big',
        to: 'a',
        when: { metric: 'spend', op: '>=', value: 1000 },
        reason: { zh: '近30天消费{spend}元', en: 'spent {spend} in 30 days' },
      },
      { id: 'small', to: 'c', when: { always: true }, reason: { zh: '消费少', en: 'spent little' } },
    ],
    maxStep: 1,
    protectionDays: 60,
  };

  it('moves at most one step per review and says so; protects a promotion from demotion for N days', async () => {
    await createScheme(t.ctx, { definition: stepScheme });
    const ids = await seedCustomers(t.db, { A: [{ on: '2024-06-20', amount: 1000 }] });
    const first = await review('steps', '2024-06-30');
    // first assignment goes straight to the rule's tier
    expect(first.changes).toMatchObject([{ from: null, to: 'a', stepped: false }]);
    await t.db.query("UPDATE tier_assignments SET tier = 'c' WHERE customer_id = $1", [ids.get('A')]);
    const stepped = await review('steps', '2024-07-01');
    expect(stepped.changes).toMatchObject([{ from: 'c', to: 'b', stepped: true }]);
    expect(stepped.changes[0]?.reason.zh).toBe('近30天消费1000.00元（每次评审最多调整1级）');
    // promoted on 2024-07-01: a demotion is held until 60 days have passed
    expect((await review('steps', '2024-08-29')).changesTotal).toBe(0);
    const demoted = await review('steps', '2024-08-30');
    expect(demoted.changes).toMatchObject([{ from: 'b', to: 'c', rule: 'small' }]);
  });

  it('reads customer fields and custom fields, such as a potential value entered by sales', async () => {
    await createCustomField(t.ctx, {
      key: 'potential',
      type: 'number',
      labelZh: '潜在价值',
      labelEn: 'Potential',
    });
    await createScheme(t.ctx, {
      definition: {
        id: 'potential',
        name: { zh: '潜力', en: 'Potential' },
        tiers: [
          { key: 'normal', name: { zh: '普通', en: 'Normal' }, rank: 1 },
          { key: 'key', name: { zh: '重点', en: 'Key' }, rank: 2 },
        ],
        metrics: {
          potential: { measure: 'field', field: 'custom.potential' },
          province: { measure: 'field', field: 'province' },
        },
        rules: [
          {
            id: 'key',
            to: 'key',
            when: {
              all: [
                { metric: 'potential', op: '>=', value: 100000 },
                { metric: 'province', in: ['广东'] },
              ],
            },
            reason: { zh: '潜在价值{potential}元', en: 'potential value {potential}' },
          },
          { id: 'normal', to: 'normal', when: { always: true }, reason: { zh: '其他', en: 'others' } },
        ],
      },
    });
    await seedCustomers(t.db, { P1: [], P2: [], P3: [] });
    await t.db.query(
      `UPDATE customers SET custom = '{"potential": 100000}', province = '广东' WHERE code = 'P1'`,
    );
    await t.db.query(
      `UPDATE customers SET custom = '{"potential": 99999.99}', province = '广东' WHERE code = 'P2'`,
    );
    await t.db.query(
      `UPDATE customers SET custom = '{"potential": 500000}', province = '浙江' WHERE code = 'P3'`,
    );
    const result = await review('potential', '2024-06-30');
    expect(await tiersOf(t.db, 'potential')).toEqual({ P1: 'key', P2: 'normal', P3: 'normal' });
    expect(result.changes[0]?.reason.zh).toBe('潜在价值100000元');
  });

  it('keeps reasons told from the version that decided after the scheme is edited', async () => {
    await createScheme(t.ctx, { preset: 'hotel', id: 'hotel-v' });
    await seedCustomers(t.db, { H: [{ on: '2024-01-05', amount: 300, quantity: 2 }] });
    await review('hotel-v', '2024-06-30');
    const preset = findPreset('hotel');
    const edited = await updateScheme(t.ctx, 'hotel-v', {
      ...preset,
      rules: preset?.rules.map((rule) => ({
        ...rule,
        reason: { zh: `新版：${rule.reason.zh}`, en: rule.reason.en },
      })),
    });
    expect(edited.version).toBe(2);
    const { rows } = await t.db.query<{ scheme_version: number }>('SELECT scheme_version FROM tier_history');
    expect(rows).toEqual([{ scheme_version: 1 }]);
    const notices = await listNotices(t.ctx, { scheme: 'hotel-v' });
    expect(notices[0]?.text.zh).toBe('您累计入住1次，您的等级为新客。');
  });
});

describe('scheme validation', () => {
  it('refuses an invalid scheme with the path of every bad part', async () => {
    const error = await createScheme(t.ctx, {
      definition: {
        id: 'bad',
        name: { zh: '坏', en: 'Bad' },
        tiers: [
          { key: 'x', name: { zh: 'X', en: 'X' }, rank: 1 },
          { key: 'x', name: { zh: 'Y', en: 'Y' }, rank: 1 },
        ],
        metrics: {
          m: { measure: 'spend', window: { type: 'monthSeries', months: 3 } },
          n: { measure: 'orders' },
        },
        rules: [
          { id: 'r1', to: 'z', when: { metric: 'm', op: '>', value: 5 }, reason: { zh: '{nope}', en: 'x' } },
          {
            id: 'r2',
            to: 'x',
            when: { all: [{ metric: 'm', op: '>', value: 'abc', each: 4 }, { tier: ['q'] }] },
            reason: { zh: 'a', en: 'b' },
          },
        ],
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const fields = ((error as AppError).details as { field: string }[]).map((issue) => issue.field);
    expect(fields).toEqual([
      'tiers.1.key',
      'tiers.1.rank',
      'metrics.n.window',
      'rules.0.to',
      'rules.0.reason.zh',
      'rules.0.when',
      'rules.1.when.all.0.value',
      'rules.1.when.all.0',
      'rules.1.when.all.1.tier',
    ]);
    const shape = await createScheme(t.ctx, { definition: { id: 'Bad Id', tiers: [] } }).catch(
      (e: unknown) => e,
    );
    expect(((shape as AppError).details as { field: string }[]).map((issue) => issue.field)).toEqual([
      'id',
      'name',
      'tiers',
      'metrics',
      'rules',
    ]);
    const { rows } = await t.db.query("SELECT 1 FROM tier_schemes WHERE id IN ('bad', 'Bad Id')");
    expect(rows).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** The monthly-spend preset exactly as the issue words it, in integer cents. */
function referenceMonthly(spend: (k: number) => number, current: string | null): string | null {
  const each = (n: number, test: (cents: number) => boolean) =>
    Array.from({ length: n }, (_, i) => spend(i + 1)).every(test);
  if (each(3, (c) => c > 50_000)) return 'high';
  if (each(6, (c) => c < 10_000)) return 'low';
  if (current === null) {
    const m1 = spend(1);
    return m1 < 10_000 ? 'low' : m1 <= 50_000 ? 'mid' : 'high';
  }
  if (current === 'low' && each(3, (c) => c >= 10_000)) return 'mid';
  if (current === 'high' && each(6, (c) => c <= 50_000)) return 'mid';
  return current;
}

const MONTHS = Array.from({ length: 15 }, (_, i) => completeMonth('2024-03-31', 15 - i));
const cents = fc.constantFrom(0, 9_999, 10_000, 25_000, 50_000, 50_001, 80_000);

describe('properties (fast-check)', () => {
  it('month-by-month reviews over history equal the preset rules applied in sequence', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cents, { minLength: 15, maxLength: 15 }), { minLength: 1, maxLength: 6 }),
        async (customers) => {
          await clearCustomers(t.db);
          const data: Record<string, { on: string; amount: string }[]> = {};
          customers.forEach((months, c) => {
            data[`C${c}`] = months.flatMap((amount, m) =>
              amount === 0 ? [] : [{ on: MONTHS[m]?.from as string, amount: (amount / 100).toFixed(2) }],
            );
          });
          await seedCustomers(t.db, data);
          const expected: (string | null)[] = customers.map(() => null);
          for (let m = 0; m < MONTHS.length; m += 1) {
            await review('monthly-spend', MONTHS[m]?.to as string);
            customers.forEach((months, c) => {
              expected[c] = referenceMonthly(
                (k) => (m - k + 1 >= 0 ? (months[m - k + 1] as number) : 0),
                expected[c] ?? null,
              );
            });
            const actual = await tiersOf(t.db, 'monthly-spend');
            expect(customers.map((_, c) => actual[`C${c}`] ?? null)).toEqual(expected);
          }
        },
      ),
      { numRuns: 8 },
    );
  });

  it('a review is deterministic, its dry run equals what apply writes, and repeating it changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cents, { minLength: 15, maxLength: 15 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 14 }),
        fc.integer({ min: 0, max: 14 }),
        async (customers, a, b) => {
          await clearCustomers(t.db);
          const data: Record<string, { on: string; amount: string }[]> = {};
          customers.forEach((months, c) => {
            data[`C${c}`] = months.flatMap((amount, m) =>
              amount === 0 ? [] : [{ on: MONTHS[m]?.from as string, amount: (amount / 100).toFixed(2) }],
            );
          });
          await seedCustomers(t.db, data);
          const [first, second] = [Math.min(a, b), Math.max(a, b)].map((m) => MONTHS[m]?.to as string) as [
            string,
            string,
          ];
          await review('monthly-spend', first);
          const dry1 = await review('monthly-spend', second, true);
          const dry2 = await review('monthly-spend', second, true);
          expect(dry2).toEqual(dry1);
          const applied = await review('monthly-spend', second);
          expect({ ...applied, dryRun: true, reviewId: null }).toEqual(dry1);
          const tiers = await tiersOf(t.db, 'monthly-spend');
          expect(Object.fromEntries(dry1.changes.map((change) => [change.customer, change.to]))).toEqual(
            Object.fromEntries(
              Object.entries(tiers).filter(([code]) => dry1.changes.some((c) => c.customer === code)),
            ),
          );
          const repeat = await review('monthly-spend', second);
          expect(repeat.changesTotal).toBe(0);
          expect(await tiersOf(t.db, 'monthly-spend')).toEqual(tiers);
        },
      ),
      { numRuns: 12 },
    );
  });
});
