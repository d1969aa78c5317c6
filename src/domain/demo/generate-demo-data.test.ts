import { describe, expect, it } from 'vitest';
import { type DemoData, generateDemoData } from './generate-demo-data.js';

const AS_OF = '2025-06-30';
const TWO_YEARS_BEFORE = '2023-06-30';
const MOBILE = /^1(3\d|5[0-35-9]|7[35-8]|8\d|9[135689])\d{8}$/;

function cents(amount: string): number {
  const [whole, fraction] = amount.split('.');
  return Number(whole) * 100 + Number(fraction);
}

function revenueByCustomer(data: DemoData): Map<string, number> {
  const revenue = new Map<string, number>();
  for (const tx of data.transactions) {
    revenue.set(tx.customerCode, (revenue.get(tx.customerCode) ?? 0) + cents(tx.amount));
  }
  return revenue;
}

const data = generateDemoData({ seed: 1, asOf: AS_OF });
const customersByCode = new Map(data.customers.map((c) => [c.code, c]));

describe('generateDemoData', () => {
  it('gives identical output for the same seed', () => {
    const again = generateDemoData({ seed: 1, asOf: AS_OF });
    expect(again).toEqual(data);
    expect(JSON.stringify(again)).toBe(JSON.stringify(data));
  });

  it('gives different output for a different seed', () => {
    const other = generateDemoData({ seed: 2, asOf: AS_OF, customers: 200 });
    const small = generateDemoData({ seed: 1, asOf: AS_OF, customers: 200 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(small));
    expect(other.customers.map((c) => c.name)).not.toEqual(small.customers.map((c) => c.name));
  });

  it('defaults to 2,000 customers and honours the customers option', () => {
    expect(data.customers).toHaveLength(2000);
    for (const count of [0, 1, 37, 500]) {
      expect(generateDemoData({ seed: 9, asOf: AS_OF, customers: count }).customers).toHaveLength(count);
    }
    expect(generateDemoData({ seed: 9, asOf: AS_OF, customers: 0 })).toEqual({
      customers: [],
      contacts: [],
      transactions: [],
    });
  });

  it('rejects an invalid asOf or customer count', () => {
    expect(() => generateDemoData({ asOf: '2025-02-30' })).toThrow(RangeError);
    expect(() => generateDemoData({ asOf: '30/06/2025' })).toThrow(RangeError);
    expect(() => generateDemoData({ asOf: AS_OF, customers: -1 })).toThrow(RangeError);
    expect(() => generateDemoData({ asOf: AS_OF, customers: 1.5 })).toThrow(RangeError);
  });

  it('produces a roughly 60/40 mix of individuals and enterprises with realistic names', () => {
    const enterprises = data.customers.filter((c) => c.type === 'enterprise');
    const share = enterprises.length / data.customers.length;
    expect(share).toBeGreaterThan(0.33);
    expect(share).toBeLessThan(0.47);
    for (const c of enterprises) {
      expect(c.name).toMatch(/^\p{Script=Han}+(股份)?有限公司$/u);
      expect(c.companySize).toMatch(/^(small|medium|large)$/);
    }
    for (const c of data.customers.filter((c) => c.type === 'individual')) {
      expect(c.name).toMatch(/^\p{Script=Han}{2,4}$/u);
      expect(c.companySize).toBeUndefined();
    }
    expect(new Set(enterprises.map((c) => c.name)).size).toBe(enterprises.length);
  });

  it('gives every customer a unique code of KH + creation year + 5-digit sequence', () => {
    const codes = data.customers.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of data.customers) {
      expect(c.code).toMatch(/^KH\d{4}\d{5}$/);
      const created = c.cooperationStartOn ?? c.firstContactOn ?? '';
      expect(c.code?.slice(2, 6)).toBe(created.slice(0, 4));
    }
  });

  it('writes only valid Chinese mobile numbers, in a mix of formats', () => {
    const phones = [
      ...data.customers.flatMap((c) => (c.phone ? [c.phone] : [])),
      ...data.contacts.map((c) => c.phone),
    ];
    expect(phones.length).toBeGreaterThan(data.customers.length);
    const invalid = phones.filter((phone) => !MOBILE.test(phone.replace(/^\+86/, '').replace(/[\s-]/g, '')));
    expect(invalid).toEqual([]);
    const plain = phones.filter((p) => /^\d{11}$/.test(p)).length;
    expect(plain / phones.length).toBeGreaterThan(0.6);
    expect(phones.some((p) => p.includes(' ') && !p.startsWith('+'))).toBe(true);
    expect(phones.some((p) => p.includes('-'))).toBe(true);
    expect(phones.some((p) => p.startsWith('+86 '))).toBe(true);
  });

  it('keeps profile fields consistent', () => {
    const asOfYear = Number(AS_OF.slice(0, 4));
    for (const c of data.customers) {
      expect(c.firstContactOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((c.firstContactOn ?? '') <= AS_OF).toBe(true);
      if (c.cooperationStartOn) {
        expect(c.cooperationStartOn >= (c.firstContactOn ?? '')).toBe(true);
        expect(c.cooperationStartOn <= AS_OF).toBe(true);
      }
      if (c.type === 'individual' && c.birthYear !== undefined) {
        const age = asOfYear - c.birthYear;
        const band =
          age < 25 ? 'under_25' : age < 35 ? '25_34' : age < 45 ? '35_44' : age < 55 ? '45_54' : '55_plus';
        expect(c.ageBand).toBe(band);
      }
      if (c.email) expect(c.email).toMatch(/^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+$/);
      if (c.qq) expect(c.qq).toMatch(/^[1-9]\d{5,9}$/);
      expect(c.tags?.length ?? 0).toBeLessThanOrEqual(3);
      expect(new Set(c.tags).size).toBe(c.tags?.length ?? 0);
    }
    const vipShare = data.customers.filter((c) => c.vip).length / data.customers.length;
    expect(vipShare).toBeGreaterThan(0.04);
    expect(vipShare).toBeLessThan(0.13);
  });

  it('gives every enterprise 1–4 contacts with exactly one primary', () => {
    const byCustomer = new Map<string, typeof data.contacts>();
    for (const contact of data.contacts) {
      expect(customersByCode.has(contact.customerCode)).toBe(true);
      byCustomer.set(contact.customerCode, [...(byCustomer.get(contact.customerCode) ?? []), contact]);
    }
    for (const c of data.customers) {
      const contacts = byCustomer.get(c.code ?? '') ?? [];
      const primaries = contacts.filter((k) => k.isPrimary).length;
      if (c.type === 'enterprise') {
        expect(contacts.length).toBeGreaterThanOrEqual(1);
        expect(contacts.length).toBeLessThanOrEqual(4);
        expect(primaries).toBe(1);
      } else {
        expect(contacts.length).toBeLessThanOrEqual(1);
        expect(primaries).toBeLessThanOrEqual(1);
      }
    }
  });

  it('dates every transaction within [cooperationStartOn, asOf] and the last two years', () => {
    const outside = data.transactions.filter((tx) => {
      const start = customersByCode.get(tx.customerCode)?.cooperationStartOn;
      return (
        start === undefined ||
        tx.occurredOn < start ||
        tx.occurredOn > AS_OF ||
        tx.occurredOn <= TWO_YEARS_BEFORE
      );
    });
    expect(outside).toEqual([]);
  });

  it('writes money as two-decimal strings and cost below amount', () => {
    const malformed = data.transactions.filter(
      (tx) =>
        !/^\d+\.\d{2}$/.test(tx.amount) ||
        !/^\d+(\.\d+)?$/.test(tx.quantity) ||
        cents(tx.amount) <= 0 ||
        (tx.cost !== undefined && (!/^\d+\.\d{2}$/.test(tx.cost) || cents(tx.cost) >= cents(tx.amount))),
    );
    expect(malformed).toEqual([]);
    expect(data.transactions.filter((tx) => tx.cost !== undefined).length).toBeGreaterThan(
      data.transactions.length / 2,
    );
  });

  it('gives transactions unique external references', () => {
    const refs = data.transactions.map((t) => t.externalRef);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs[0]).toBe('DEMO-000001');
  });

  it('produces 25,000–40,000 transactions for 2,000 customers', () => {
    expect(data.transactions.length).toBeGreaterThanOrEqual(25_000);
    expect(data.transactions.length).toBeLessThanOrEqual(40_000);
  });

  it('shows seasonality: November outsells August', () => {
    const byMonth = new Array<number>(13).fill(0);
    for (const tx of data.transactions) {
      const month = Number(tx.occurredOn.slice(5, 7));
      byMonth[month] = (byMonth[month] ?? 0) + cents(tx.amount);
    }
    expect(byMonth[11] ?? 0).toBeGreaterThan(byMonth[8] ?? 0);
    expect(byMonth[6] ?? 0).toBeGreaterThan(byMonth[8] ?? 0);
  });

  it('follows a Pareto spread: the top 20% of buying customers bring over 60% of revenue', () => {
    const revenue = [...revenueByCustomer(data).values()].sort((a, b) => b - a);
    const total = revenue.reduce((sum, r) => sum + r, 0);
    const top = revenue.slice(0, Math.ceil(revenue.length * 0.2)).reduce((sum, r) => sum + r, 0);
    expect(top / total).toBeGreaterThan(0.6);
  });

  it('keeps leads without purchases and churned customers quiet for the last six months', () => {
    const revenue = revenueByCustomer(data);
    const lastPurchase = new Map<string, string>();
    for (const tx of data.transactions) {
      const last = lastPurchase.get(tx.customerCode);
      if (last === undefined || tx.occurredOn > last) lastPurchase.set(tx.customerCode, tx.occurredOn);
    }
    const leads = data.customers.filter((c) => c.stage === 'potential' || c.stage === 'intent');
    const churned = data.customers.filter((c) => c.stage === 'churned');
    expect(leads.length).toBeGreaterThan(0);
    expect(churned.length).toBeGreaterThan(0);
    for (const c of leads) expect(revenue.has(c.code ?? '')).toBe(false);
    for (const c of churned) expect((lastPurchase.get(c.code ?? '') ?? '') < '2024-12-30').toBe(true);
    const buyers = data.customers.filter((c) => revenue.has(c.code ?? ''));
    const closedShare = buyers.filter((c) => c.stage === 'closed').length / buyers.length;
    expect(closedShare).toBeGreaterThan(0.7);
  });

  it('generates 2,000 customers well under a few seconds', () => {
    const started = performance.now();
    generateDemoData({ seed: 123, asOf: AS_OF });
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
