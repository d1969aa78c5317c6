import { describe, expect, it } from 'vitest';
import { findPreset } from './presets.js';
import { parseScheme } from './scheme.js';

const abc = findPreset('abc');

describe('follow-up cadences in a tier scheme', () => {
  it('gives the abc preset: A a visit every month, B a call and C an e-mail every quarter', () => {
    const parsed = parseScheme(abc);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const cadences = parsed.scheme.cadences ?? {};
    expect(
      Object.fromEntries(
        Object.entries(cadences).map(([tier, c]) => [tier, [c.everyMonths, c.everyDays, c.method]]),
      ),
    ).toEqual({ A: [1, undefined, 'visit'], B: [3, undefined, 'phone'], C: [3, undefined, 'email'] });
  });

  it('is optional, and the other presets have none', () => {
    for (const name of ['monthly-spend', 'ecommerce-membership', 'hotel']) {
      const parsed = parseScheme(findPreset(name));
      expect(parsed.ok && parsed.scheme.cadences).toBeUndefined();
    }
  });

  it('refuses an unknown tier, both or neither interval, a bad method or number, naming the path', () => {
    const parsed = parseScheme({
      ...abc,
      cadences: {
        Z: { everyDays: 10, method: 'visit' },
        A: { everyMonths: 1, everyDays: 30, method: 'visit' },
        B: { method: 'phone' },
        C: { everyMonths: 0, method: 'fax', recycleAfterDays: -1 },
      },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((issue) => issue.field).sort()).toEqual([
      'cadences.C.everyMonths',
      'cadences.C.method',
      'cadences.C.recycleAfterDays',
    ]);
    const second = parseScheme({
      ...abc,
      cadences: {
        Z: { everyDays: 10, method: 'visit' },
        A: { everyMonths: 1, everyDays: 30, method: 'visit' },
        B: { method: 'phone', recycleAfterDays: 45, content: { zh: '电话', en: 'Call' } },
      },
    });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.issues.map((issue) => issue.field)).toEqual(['cadences.Z', 'cadences.A', 'cadences.B']);
    for (const issue of second.issues) expect(issue.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/);
  });
});
