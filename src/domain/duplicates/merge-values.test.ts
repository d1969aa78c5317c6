import { describe, expect, it } from 'vitest';
import { chooseMergedValues } from './merge-values.js';

const survivor = { id: 1, values: { phone: 'p1', email: null, city: '', tags: ['a'], vip: false } };
const others = [
  { id: 2, values: { phone: 'p2', email: null, city: '上海', tags: ['b', 'a'], vip: true } },
  { id: 3, values: { phone: null, email: 'e3', city: '北京', tags: [], vip: false } },
];
const fields = ['phone', 'email', 'city', 'tags', 'vip'];

describe('chooseMergedValues', () => {
  it("keeps the survivor's non-empty values and fills the empty ones from the others, in order", () => {
    const result = chooseMergedValues(fields, survivor, others, {}, new Set(['tags']));
    expect(result.values).toEqual({ phone: 'p1', email: 'e3', city: '上海', tags: ['a', 'b'], vip: false });
    expect(result.changed).toEqual(['email', 'city', 'tags']);
    expect(result.taken).toEqual({ email: 3, city: 2 });
  });

  it('takes a field from the customer named for it, even an empty value', () => {
    const result = chooseMergedValues(
      fields,
      survivor,
      others,
      { phone: 3, vip: 2, tags: 3 },
      new Set(['tags']),
    );
    expect(result.values).toMatchObject({ phone: null, vip: true, tags: [] });
    expect(result.taken).toMatchObject({ phone: 3, vip: 2, tags: 3 });
  });

  it('changes nothing when the survivor is chosen', () => {
    const result = chooseMergedValues(['phone'], survivor, others, { phone: 1 });
    expect(result).toEqual({ values: { phone: 'p1' }, changed: [], taken: {} });
  });

  it('refuses a customer that is not part of the merge', () => {
    expect(() => chooseMergedValues(['phone'], survivor, others, { phone: 9 })).toThrow();
  });
});
