import type { Queryable } from '../../db/database.js';

/**
 * Refreshes the planner statistics of a table after an import changed a good part of it, by the
 * rule autovacuum uses on a server (50 rows plus 10% of the table). PGlite runs no autovacuum, so
 * without this a table filled by imports keeps the statistics of its empty self, and the planner
 * picks slow plans for broad searches (docs/benchmarks.md). Runs inside the import's transaction.
 */
export async function analyzeAfterImport(
  tx: Queryable,
  table: 'customers' | 'transactions' | 'communications',
  changedRows: number,
): Promise<void> {
  const { rows } = await tx.query<{ tuples: number }>(
    'SELECT reltuples::float8 AS tuples FROM pg_class WHERE oid = $1::regclass',
    [table],
  );
  // reltuples is -1 for a table never analyzed.
  const known = Math.max(0, rows[0]?.tuples ?? 0);
  if (changedRows >= 50 + 0.1 * known) await tx.exec(`ANALYZE ${table}`);
}
