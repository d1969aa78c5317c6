/** A Database wrapper that records every statement's SQL, parameters and timing (for breakdowns). */
import type { Database, Queryable } from '../src/db/database.js';

export interface StatementTiming {
  sql: string;
  params: readonly unknown[];
  start: number;
  end: number;
}

export interface Instrumented {
  db: Database;
  /** Statements recorded since the last reset(). */
  readonly log: StatementTiming[];
  reset(): void;
}

export function instrument(inner: Database): Instrumented {
  let log: StatementTiming[] = [];
  const wrap = (target: Queryable): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const start = performance.now();
      const result = await target.query<Row>(sql, params);
      log.push({ sql, params, start, end: performance.now() });
      return result;
    },
    async exec(sql: string) {
      const start = performance.now();
      await target.exec(sql);
      log.push({ sql, params: [], start, end: performance.now() });
    },
  });
  const db: Database = {
    kind: inner.kind,
    location: inner.location,
    ...wrap(inner),
    transaction: (work) => inner.transaction((tx) => work(wrap(tx))),
    close: () => inner.close(),
  };
  return {
    db,
    get log() {
      return log;
    },
    reset() {
      log = [];
    },
  };
}

/**
 * The time each statement itself took. PGlite runs one statement at a time, so a statement that was
 * queued behind another only counts from when that one finished; a server pool runs them in parallel.
 */
export function ownDurations(log: readonly StatementTiming[], serial: boolean): number[] {
  const byEnd = [...log.keys()].sort(
    (a, b) => (log[a] as StatementTiming).end - (log[b] as StatementTiming).end,
  );
  const own = new Array<number>(log.length).fill(0);
  let previousEnd = Number.NEGATIVE_INFINITY;
  for (const index of byEnd) {
    const entry = log[index] as StatementTiming;
    const from = serial ? Math.max(entry.start, previousEnd) : entry.start;
    own[index] = entry.end - from;
    previousEnd = entry.end;
  }
  return own;
}

/** A short label for a statement: its first words, whitespace collapsed. */
export function statementLabel(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 60);
}
