/**
 * A small seeded pseudo-random generator for the benchmark data: the same seed always gives the
 * same data, so runs on different engines and days measure the same rows.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = (seed ^ 0x5bd1e995) >>> 0 || 1;
    for (let i = 0; i < 8; i++) this.next();
  }

  /** A float in [0, 1): xorshift32 followed by a multiply to spread the low bits. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return (Math.imul(x, 0x2545f491) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks from `[item, weight]` pairs; `table` must come from {@link weights}. */
  weighted<T>(table: WeightTable<T>): T {
    const r = this.next() * table.total;
    let low = 0;
    let high = table.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((table.cumulative[mid] as number) > r) high = mid;
      else low = mid + 1;
    }
    return table.items[low] as T;
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }
}

export interface WeightTable<T> {
  items: T[];
  cumulative: number[];
  total: number;
}

export function weights<T>(entries: readonly (readonly [T, number])[]): WeightTable<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of entries) {
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  return { items, cumulative, total };
}
