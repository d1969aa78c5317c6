/** One customer's stored values, by field name (`phone`, `custom.level`, …). */
export interface MergeSource {
  id: number;
  values: Readonly<Record<string, unknown>>;
}

export function isEmptyValue(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export interface MergedValues {
  /** The survivor's value of every field after the merge. */
  values: Record<string, unknown>;
  /** Fields whose value is no longer the survivor's own. */
  changed: string[];
  /** Of those, the ones whose value is another customer's, with that customer (unions are not). */
  taken: Record<string, number>;
}

/**
 * Chooses the survivor's value of each field: the customer named in `take` for that field, else
 * the survivor's own value if it has one, else the first non-empty value among `others` (in the
 * order given). Fields in `unionFields` (tags) collect the values of all, the survivor's first,
 * unless `take` names one customer.
 *
 * @example chooseMergedValues(['phone'], { id: 1, values: { phone: null } }, [{ id: 2, values: { phone: 'x' } }])
 * // { values: { phone: 'x' }, taken: { phone: 2 } }
 */
export function chooseMergedValues(
  fields: readonly string[],
  survivor: MergeSource,
  others: readonly MergeSource[],
  take: Readonly<Record<string, number>> = {},
  unionFields: ReadonlySet<string> = new Set(),
): MergedValues {
  const values: Record<string, unknown> = {};
  const changed: string[] = [];
  const taken: Record<string, number> = {};
  const everyone = [survivor, ...others];
  for (const field of fields) {
    const own = survivor.values[field];
    const chosenId = take[field];
    if (chosenId !== undefined) {
      const source = everyone.find((customer) => customer.id === chosenId);
      if (!source) throw new Error(`take.${field}: customer ${chosenId} is not part of the merge`);
      values[field] = source.values[field] ?? null;
    } else if (unionFields.has(field)) {
      const all = everyone.flatMap((customer) => (customer.values[field] as unknown[] | null) ?? []);
      values[field] = Array.from(new Set(all));
    } else if (!isEmptyValue(own)) {
      values[field] = own;
    } else {
      values[field] = others.find((customer) => !isEmptyValue(customer.values[field]))?.values[field] ?? own;
    }
    if (sameValue(values[field], own)) continue;
    changed.push(field);
    const from = chosenId ?? others.find((customer) => sameValue(customer.values[field], values[field]))?.id;
    if (from !== undefined) taken[field] = from;
  }
  return { values, changed, taken };
}
