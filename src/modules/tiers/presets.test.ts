/**
 * The four presets at every boundary the issue names. Each case starts from empty tables, writes
 * customers and purchases, and applies a real review.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/test-context.js';
import { addPreset, clearCustomers, type Purchase, seedCustomers, tiersOf } from '../../../test/tiers.js';
import { runReview } from './reviews.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: () => new Date('2026-01-15T12:00:00+08:00') });
  for (const preset of ['monthly-spend', 'ecommerce-membership', 'hotel', 'abc'])
    await addPreset(t.ctx, preset);
});
afterAll(() => t.close());
beforeEach(() => clearCustomers(t.db));

async function review(scheme: string, asOf: string) {
  const result = await runReview(t.ctx, { schemeId: scheme, asOf });
  if (!result) throw new Error('no review');
  return result;
}

/** Sets a customer's current tier as a previous review would have left it. */
async function setTier(id: number, scheme: string, tier: string, since = '2023-12-31') {
  await t.db.query(
    `INSERT INTO tier_assignments (customer_id, scheme_id, tier, since, scheme_version, changed_on)
     VALUES ($1, $2, $3, $4, 1, $4)`,
    [id, scheme, tier, since],
  );
}

const monthly = (amounts: Record<string, number | string>): Purchase[] =>
  Object.entries(amounts).map(([month, amount]) => ({ on: `${month}-15`, amount }));

describe('monthly-spend: first assignment', () => {
  it('decides at every boundary of 100 and 500', async () => {
    await seedCustomers(t.db, {
      // > 500 in each of m1..m3 → high (rule 1)
      H1: monthly({ '2024-04': '500.01', '2024-05': '500.01', '2024-06': '500.01' }),
      // exactly 500 three times: not > 500; band of m1 = 500 → mid
      H2: monthly({ '2024-04': 500, '2024-05': 500, '2024-06': 500 }),
      // m3 only 500: rule 1 fails; band of m1 = 600 → high
      H3: monthly({ '2024-04': 500, '2024-05': 600, '2024-06': 600 }),
      // < 100 in each of six months → low (rule 2)
      L1: monthly({
        '2024-01': '99.99',
        '2024-02': '99.99',
        '2024-03': '99.99',
        '2024-04': '99.99',
        '2024-05': '99.99',
        '2024-06': '99.99',
      }),
      // m1 = 100 exactly, nothing else: rule 2 fails (100 is not < 100), band 100 → mid
      M1: monthly({ '2024-06': 100 }),
      // m1 = 99.99 and nothing earlier (months before the first purchase count as 0) → low
      L2: monthly({ '2024-06': '99.99' }),
      // an old purchase of 1000 seven months back does not count: six months < 100 → low
      L3: monthly({ '2023-12': 1000 }),
      // no purchases at all → low
      L4: [],
      // m1 = 500.01 but m2 = 0: band > 500 → high
      H4: monthly({ '2024-06': '500.01' }),
      // a purchase after the as-of date does not count
      F1: [{ on: '2024-07-01', amount: 10_000 }],
    });
    const result = await review('monthly-spend', '2024-06-30');
    expect(await tiersOf(t.db, 'monthly-spend')).toEqual({
      H1: 'high',
      H2: 'mid',
      H3: 'high',
      L1: 'low',
      M1: 'mid',
      L2: 'low',
      L3: 'low',
      L4: 'low',
      H4: 'high',
      F1: 'low',
    });
    expect(result.counts).toEqual({ high: 3, mid: 2, low: 5 });
    const h1 = result.changes.find((change) => change.customer === 'H1');
    expect(h1).toMatchObject({ from: null, to: 'high', rule: 'three_months_high' });
    expect(h1?.metrics.spend_month).toEqual(['500.01', '500.01', '500.01', '0.00', '0.00', '0.00']);
    expect(h1?.reason.zh).toBe('您最近3个月每月消费均超过500元');
    const m1 = result.changes.find((change) => change.customer === 'M1');
    expect(m1?.reason).toEqual({
      zh: '您上个月消费100.00元，在100至500元之间',
      en: 'you spent 100.00 last month, between 100 and 500',
    });
  });

  it('counts a month only once its last day is on or before the as-of date', async () => {
    await seedCustomers(t.db, {
      // three months > 500 only if July is complete
      A: monthly({ '2024-05': 600, '2024-06': 600, '2024-07': 600 }),
    });
    // 2024-07-30: July is not complete; m1..m3 = June, May, April → April 0 → band of June → high by band
    const early = await review('monthly-spend', '2024-07-30');
    expect(early.changes[0]).toMatchObject({ to: 'high', rule: 'first_high' });
    expect(early.changes[0]?.metrics.spend_month?.slice(0, 3)).toEqual(['600.00', '600.00', '0.00']);
    await clearCustomers(t.db);
    await seedCustomers(t.db, { A: monthly({ '2024-05': 600, '2024-06': 600, '2024-07': 600 }) });
    const late = await review('monthly-spend', '2024-07-31');
    expect(late.changes[0]).toMatchObject({ to: 'high', rule: 'three_months_high' });
  });
});

describe('monthly-spend: later reviews', () => {
  it('moves low to mid after three months of at least 100, not with 99.99 in one of them', async () => {
    const ids = await seedCustomers(t.db, {
      UP: monthly({ '2024-04': 100, '2024-05': 100, '2024-06': 100 }),
      STAY: monthly({ '2024-04': 100, '2024-05': '99.99', '2024-06': 100 }),
    });
    await setTier(ids.get('UP') as number, 'monthly-spend', 'low');
    await setTier(ids.get('STAY') as number, 'monthly-spend', 'low');
    const result = await review('monthly-spend', '2024-06-30');
    expect(await tiersOf(t.db, 'monthly-spend')).toEqual({ UP: 'mid', STAY: 'low' });
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({ customer: 'UP', from: 'low', to: 'mid', rule: 'low_to_mid' });
  });

  it('moves high to mid after six months of at most 500, not with 500.01 in one of them', async () => {
    const six = (last: number | string) =>
      monthly({
        '2024-01': 500,
        '2024-02': 500,
        '2024-03': 500,
        '2024-04': 500,
        '2024-05': 500,
        '2024-06': last,
      });
    const ids = await seedCustomers(t.db, { DOWN: six(500), KEEP: six('500.01') });
    await setTier(ids.get('DOWN') as number, 'monthly-spend', 'high');
    await setTier(ids.get('KEEP') as number, 'monthly-spend', 'high');
    await review('monthly-spend', '2024-06-30');
    expect(await tiersOf(t.db, 'monthly-spend')).toEqual({ DOWN: 'mid', KEEP: 'high' });
  });

  it('applies the rules in order: promotion, six-month demotion, then holds', async () => {
    const ids = await seedCustomers(t.db, {
      // mid with three months > 500 → high
      MH: monthly({ '2024-04': 501, '2024-05': 501, '2024-06': 501 }),
      // high with six months < 100 → low directly (rule 2 comes before rule 5)
      HL: monthly({ '2024-06': 50 }),
      // mid with six months < 100 → low
      ML: [],
      // mid, nothing fires → keeps mid (no band re-assignment once a tier exists)
      MM: monthly({ '2024-06': 1000 }),
      // low, m1 = 600 but m2 = 0 → keeps low (band only for first assignment)
      LL: monthly({ '2024-06': 600 }),
    });
    for (const [code, tier] of [
      ['MH', 'mid'],
      ['HL', 'high'],
      ['ML', 'mid'],
      ['MM', 'mid'],
      ['LL', 'low'],
    ] as const) {
      await setTier(ids.get(code) as number, 'monthly-spend', tier);
    }
    const result = await review('monthly-spend', '2024-06-30');
    expect(await tiersOf(t.db, 'monthly-spend')).toEqual({
      MH: 'high',
      HL: 'low',
      ML: 'low',
      MM: 'mid',
      LL: 'low',
    });
    expect(result.changesTotal).toBe(3);
    expect(result.changes.map((change) => change.rule)).toEqual([
      'six_months_low',
      'three_months_high',
      'six_months_low',
    ]);
  });
});

describe('ecommerce-membership', () => {
  const orders = (count: number, total: string, on = '2024-06-01'): Purchase[] => {
    // count − 1 orders of 1 and one order with the rest: the total is exact.
    const rest = (Number(total.replace('.', '')) - (count - 1) * 100) / 100;
    return [...Array.from({ length: count - 1 }, () => ({ on, amount: 1 })), { on, amount: rest.toFixed(2) }];
  };

  it('pins 100,000 and 50,000 exactly, 100 orders, and the 365-day window', async () => {
    await seedCustomers(t.db, {
      D1: orders(100, '100000.01'),
      G1: orders(100, '100000.00'),
      G2: orders(99, '100000.01'),
      G3: orders(1, '50000.00'),
      N1: orders(1, '49999.99'),
      // D − 364 = 2024-01-02 is inside, 2024-01-01 outside; after D does not count
      G4: [{ on: '2024-01-02', amount: 50_000 }],
      N2: [{ on: '2024-01-01', amount: 50_000 }],
      N3: [{ on: '2025-01-01', amount: 90_000 }],
      N4: [],
    });
    await review('ecommerce-membership', '2024-12-31');
    expect(await tiersOf(t.db, 'ecommerce-membership')).toEqual({
      D1: 'diamond',
      G1: 'gold',
      G2: 'gold',
      G3: 'gold',
      N1: 'normal',
      G4: 'gold',
      N2: 'normal',
      N3: 'normal',
      N4: 'normal',
    });
  });

  it('keeps no state: a gold member whose year was quiet is normal again', async () => {
    await seedCustomers(t.db, { G: [{ on: '2024-03-01', amount: 60_000 }] });
    await review('ecommerce-membership', '2024-12-31');
    const later = await review('ecommerce-membership', '2025-03-01');
    expect(later.changes[0]).toMatchObject({ customer: 'G', from: 'gold', to: 'normal', rule: 'normal' });
  });
});

describe('hotel', () => {
  const stays = (count: number, nights: number): Purchase[] =>
    Array.from({ length: count }, (_, i) => ({
      on: `2024-0${1 + (i % 9)}-1${i % 10}`,
      amount: 500,
      quantity: i === 0 ? nights - (count - 1) : 1,
    }));

  it('pins 20 stays and 30 nights, 10 stays or 15 nights, and one stay', async () => {
    await seedCustomers(t.db, {
      V1: stays(20, 31),
      R1: stays(20, 30),
      R2: stays(19, 31),
      R3: stays(10, 10),
      M1: stays(9, 14),
      R4: stays(9, 15),
      N1: stays(1, 1),
      N0: [],
      M2: stays(2, 2),
      // a stay after the as-of date does not count
      N2: [...stays(1, 1), { on: '2025-02-01', amount: 500, quantity: 40 }],
    });
    await review('hotel', '2024-12-31');
    expect(await tiersOf(t.db, 'hotel')).toEqual({
      V1: 'vip',
      R1: 'regular',
      R2: 'regular',
      R3: 'regular',
      M1: 'member',
      R4: 'regular',
      N1: 'new',
      N0: 'new',
      M2: 'member',
      N2: 'new',
    });
  });
});

describe('abc', () => {
  it('A while the revenue ahead is below 80 % of the total, B below 95 %, C after; exact at both edges', async () => {
    await seedCustomers(t.db, {
      K1: [{ on: '2024-06-01', amount: 800 }],
      // before = 800 = 0.80·S exactly → B
      K2: [{ on: '2024-06-01', amount: 150 }],
      // before = 950 = 0.95·S exactly → C
      K3: [{ on: '2024-06-01', amount: 50 }],
      // no revenue in the window → C
      K4: [{ on: '2023-06-01', amount: 5000 }],
      K5: [],
    });
    const result = await review('abc', '2024-12-31');
    expect(await tiersOf(t.db, 'abc')).toEqual({ K1: 'A', K2: 'B', K3: 'C', K4: 'C', K5: 'C' });
    expect(result.counts).toEqual({ A: 1, B: 1, C: 3 });
    expect(result.changes.find((change) => change.customer === 'K2')?.reason.zh).toContain('之前累计80%');
  });

  it('breaks ties in revenue by customer code ascending', async () => {
    await seedCustomers(t.db, {
      T1: [{ on: '2024-06-01', amount: 700 }],
      // T2, T3 and T4 tie at 100 and sort by code: T2's before = 700 → A, T3's = 800 → B, T4's = 900 → B
      T4: [{ on: '2024-06-01', amount: 100 }],
      T3: [{ on: '2024-06-01', amount: 100 }],
      T2: [{ on: '2024-06-01', amount: 100 }],
    });
    await review('abc', '2024-12-31');
    expect(await tiersOf(t.db, 'abc')).toEqual({ T1: 'A', T2: 'A', T3: 'B', T4: 'B' });
    await clearCustomers(t.db);
    await seedCustomers(t.db, {
      S1: [{ on: '2024-06-01', amount: 790 }],
      // S2 and S3 tie at 100: S2 (before 790) → A; S3 (before 890) → B; S4 (before 990 of 1000) → C
      S3: [{ on: '2024-06-01', amount: 100 }],
      S2: [{ on: '2024-06-01', amount: 100 }],
      S4: [{ on: '2024-06-01', amount: 10 }],
    });
    await review('abc', '2024-12-31');
    expect(await tiersOf(t.db, 'abc')).toEqual({ S1: 'A', S2: 'A', S3: 'B', S4: 'C' });
  });
});
