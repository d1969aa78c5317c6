import { describe, expect, it } from 'vitest';
import { groupMatches } from './groups.js';

describe('groupMatches', () => {
  it('joins customers linked by a chain of matches into one group', () => {
    const groups = groupMatches([
      { kind: 'phone', customers: [1, 2] },
      { kind: 'email', customers: [2, 3] },
      { kind: 'same_name', customers: [7, 8] },
    ]);
    expect(groups).toEqual([
      {
        level: 'duplicate',
        customers: [1, 2, 3],
        matches: [
          { kind: 'phone', customers: [1, 2] },
          { kind: 'email', customers: [2, 3] },
        ],
      },
      { level: 'possible', customers: [7, 8], matches: [{ kind: 'same_name', customers: [7, 8] }] },
    ]);
  });

  it('is a possible duplicate when a name alone brings a member in', () => {
    const [group] = groupMatches([
      { kind: 'phone', customers: [1, 2] },
      { kind: 'same_pinyin', customers: [2, 3], key: 'xingchen' },
    ]);
    expect(group).toMatchObject({ level: 'possible', customers: [1, 2, 3] });
  });

  it('orders duplicates first, then larger groups, then by lowest id', () => {
    const groups = groupMatches([
      { kind: 'same_name', customers: [10, 11, 12] },
      { kind: 'same_name', customers: [3, 4] },
      { kind: 'email', customers: [20, 21] },
    ]);
    expect(groups.map((group) => group.customers[0])).toEqual([20, 10, 3]);
  });
});
