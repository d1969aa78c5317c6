/** Empty strings become null so that PATCH clears a field instead of storing "". */
export function blankToNull<T extends Record<string, unknown>>(values: T): { [K in keyof T]: T[K] | null } {
  const out = {} as { [K in keyof T]: T[K] | null };
  for (const key of Object.keys(values) as (keyof T)[]) {
    const value = values[key];
    out[key] = value === undefined || (typeof value === 'string' && value.trim() === '') ? null : value;
  }
  return out;
}

/** Drops empty values, for create bodies where "not given" lets the server apply its default. */
export function omitBlank<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], null> } {
  const out: { [K in keyof T]?: Exclude<T[K], null> } = {};
  for (const key of Object.keys(values) as (keyof T)[]) {
    const value = values[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    out[key] = value as Exclude<T[keyof T], null>;
  }
  return out;
}
