/** What two or more customers were found to share. */
export type MatchKind = 'phone' | 'email' | 'same_name' | 'same_pinyin' | 'similar_name';

/** Shared phone or e-mail: the same person or company. Names alone only make a possible duplicate. */
export const CONTACT_DATA_MATCHES: ReadonlySet<MatchKind> = new Set(['phone', 'email']);

export interface Match {
  kind: MatchKind;
  /** Customer ids that share it (two or more). */
  customers: number[];
  /** Of those, the ones that share it through one of their contacts rather than their own field. */
  viaContact?: number[];
  /** The normalised name or its pinyin, for name matches. */
  key?: string;
  /** Edits between the two names of a similar_name match. */
  distance?: number;
}

export type DuplicateLevel = 'duplicate' | 'possible';

export interface DuplicateGroup {
  /** `duplicate` when shared phones and e-mails alone connect every member. */
  level: DuplicateLevel;
  /** Customer ids, ascending. */
  customers: number[];
  matches: Match[];
}

class UnionFind {
  private readonly parent = new Map<number, number>();
  find(x: number): number {
    let root = this.parent.get(x) ?? x;
    if (root === x) return x;
    root = this.find(root);
    this.parent.set(x, root);
    return root;
  }
  union(a: number, b: number) {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
}

/**
 * Joins matches into groups: customers linked by any chain of matches are one group (A shares a
 * phone with B, B an e-mail with C). Duplicates come first, then larger groups, then by lowest id.
 *
 * @example groupMatches([{ kind: 'phone', customers: [1, 2] }, { kind: 'same_name', customers: [2, 3] }])
 * // [{ level: 'possible', customers: [1, 2, 3], matches: […both] }]
 */
export function groupMatches(matches: readonly Match[]): DuplicateGroup[] {
  const all = new UnionFind();
  const strong = new UnionFind();
  for (const match of matches) {
    const [first, ...rest] = match.customers;
    if (first === undefined) continue;
    for (const other of rest) {
      all.union(first, other);
      if (CONTACT_DATA_MATCHES.has(match.kind)) strong.union(first, other);
    }
  }
  const groups = new Map<number, { customers: Set<number>; matches: Match[] }>();
  for (const match of matches) {
    const first = match.customers[0];
    if (first === undefined || match.customers.length < 2) continue;
    const root = all.find(first);
    let group = groups.get(root);
    if (!group) {
      group = { customers: new Set(), matches: [] };
      groups.set(root, group);
    }
    for (const id of match.customers) group.customers.add(id);
    group.matches.push(match);
  }
  return Array.from(groups.values())
    .map(({ customers, matches }): DuplicateGroup => {
      const ids = Array.from(customers).sort((a, b) => a - b);
      const root = strong.find(ids[0] as number);
      const level = ids.every((id) => strong.find(id) === root) ? 'duplicate' : 'possible';
      return { level, customers: ids, matches };
    })
    .sort(
      (a, b) =>
        (a.level === b.level ? 0 : a.level === 'duplicate' ? -1 : 1) ||
        b.customers.length - a.customers.length ||
        (a.customers[0] as number) - (b.customers[0] as number),
    );
}
