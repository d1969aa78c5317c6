/** Calendar arithmetic on `YYYY-MM-DD` dates, exact and time-zone free (UTC noon never shifts a day). */

const DAY_MS = 86_400_000;

function parse(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return format(new Date(parse(date).getTime() + days * DAY_MS));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / DAY_MS);
}

export function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `date` moved by `months` calendar months, the day clamped to the month's end (Mar 31 − 1 → Feb 28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(d, lastDayOfMonth(year, month));
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isLastDayOfMonth(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return d === lastDayOfMonth(y, m);
}

export interface DateRange {
  from: string;
  to: string;
}

/** The `k`th latest complete calendar month at `asOf` (k = 1: the latest whose last day ≤ asOf). */
export function completeMonth(asOf: string, k: number): DateRange {
  const [y, m] = asOf.split('-').map(Number) as [number, number];
  const latest = isLastDayOfMonth(asOf) ? 0 : -1;
  const index = y * 12 + (m - 1) + latest - (k - 1);
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const mm = String(month).padStart(2, '0');
  return {
    from: `${year}-${mm}-01`,
    to: `${year}-${mm}-${String(lastDayOfMonth(year, month)).padStart(2, '0')}`,
  };
}

/** Month label `YYYY-MM` of a date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export type Cadence = 'monthly' | 'quarterly' | 'half-yearly' | 'yearly';

const CADENCE_MONTHS: Record<Cadence, number> = { monthly: 1, quarterly: 3, 'half-yearly': 6, yearly: 12 };

/**
 * The cadence period that contains `date`: its key (2026-10, 2026-Q4, 2026-H2, 2026) and its last day.
 */
export function periodOf(date: string, cadence: Cadence): { key: string; end: string } {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const size = CADENCE_MONTHS[cadence];
  const index = Math.floor((m - 1) / size);
  const endMonth = (index + 1) * size;
  const end = `${y}-${String(endMonth).padStart(2, '0')}-${String(lastDayOfMonth(y, endMonth)).padStart(2, '0')}`;
  const key =
    cadence === 'monthly'
      ? `${y}-${String(m).padStart(2, '0')}`
      : cadence === 'quarterly'
        ? `${y}-Q${index + 1}`
        : cadence === 'half-yearly'
          ? `${y}-H${index + 1}`
          : `${y}`;
  return { key, end };
}

/** The latest period that ended before `today` (a period is reviewed the day after its last day). */
export function lastCompletePeriod(today: string, cadence: Cadence): { key: string; end: string } {
  const current = periodOf(today, cadence);
  const start = addMonths(`${current.end.slice(0, 7)}-01`, 1 - CADENCE_MONTHS[cadence]);
  return periodOf(addDays(start, -1), cadence);
}

/** The period after the one ending on `end`. */
export function nextPeriod(end: string, cadence: Cadence): { key: string; end: string } {
  return periodOf(addDays(end, 1), cadence);
}

/** Period ends from `from` to `to` inclusive, every `every` (the backtest grid): month or quarter ends. */
export function periodEnds(from: string, to: string, every: 'month' | 'quarter'): string[] {
  const cadence: Cadence = every === 'month' ? 'monthly' : 'quarterly';
  const ends: string[] = [];
  let period = periodOf(from, cadence);
  if (period.end < from) period = nextPeriod(period.end, cadence);
  while (period.end <= to) {
    ends.push(period.end);
    period = nextPeriod(period.end, cadence);
  }
  return ends;
}
