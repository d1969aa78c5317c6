/**
 * Levenshtein distance between two strings, counted in characters (code points, so one Chinese
 * character is one edit), giving up as soon as it must exceed `limit`: it then returns `limit + 1`.
 * Two rows of the dynamic programme, and only the diagonal band of width 2·limit+1 is filled.
 *
 * @example editDistance('上海星辰科技', '上海星辰技', 2) // 1
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  if (x.length === 0 || y.length === 0) return Math.max(x.length, y.length);
  const over = Number.isFinite(limit) ? limit + 1 : Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  let current = new Array<number>(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    const from = Number.isFinite(limit) ? Math.max(1, i - limit) : 1;
    const to = Number.isFinite(limit) ? Math.min(y.length, i + limit) : y.length;
    current.fill(over);
    current[0] = i;
    let best = from === 1 ? i : over;
    for (let j = from; j <= to; j++) {
      const substitution = (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1);
      const deletion = (previous[j] as number) + 1;
      const insertion = (current[j - 1] as number) + 1;
      const value = Math.min(substitution, deletion, insertion, over);
      current[j] = value;
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[y.length] as number, over);
}
