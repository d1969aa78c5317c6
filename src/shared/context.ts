import type { Database } from '../db/database.js';

/** What every use case receives: the database and the clock (time is passed in, never read deep inside). */
export interface AppContext {
  db: Database;
  now: () => Date;
}

/** The calendar date of `date` in China (UTC+8), where our users keep their books. */
export function localDate(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
