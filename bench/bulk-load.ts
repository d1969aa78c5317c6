/**
 * Grows the customer table to a given size without the CSV path: generated customers go in through
 * the application's own bulkInsertCustomers() (which computes search_text / search_grams with
 * buildSearchMaterial, exactly as an import does), 5,000 rows a statement, 50,000 a transaction.
 */
import type { Database } from '../src/db/database.js';
import { bulkInsertCustomers } from '../src/modules/customers/bulk-insert-customers.js';
import { localDate } from '../src/shared/context.js';
import { benchKeyring } from './context.js';
import { CUSTOMER_CSV_COLUMNS, generateCustomer } from './data.js';
import { ensureBenchUsers } from './users.js';

const ROWS_PER_STATEMENT = 5000;
const STATEMENTS_PER_TRANSACTION = 10;

export async function countCustomers(db: Database): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  return rows[0]?.n ?? 0;
}

/** Adds generated customers number `from` … `to - 1`; returns rows per second. */
export async function bulkLoadCustomers(
  db: Database,
  seed: number,
  from: number,
  to: number,
  progress: (done: number, total: number) => void,
): Promise<number> {
  const started = performance.now();
  const today = localDate(new Date());
  const ownerIds = await ensureBenchUsers(db);
  // The stored form names the owner by id, as the import makes of the CSV's `owner` username.
  const columns = [...CUSTOMER_CSV_COLUMNS.filter((name) => name !== 'owner'), 'ownerId'];
  let next = from;
  while (next < to) {
    await db.transaction(async (tx) => {
      for (let s = 0; s < STATEMENTS_PER_TRANSACTION && next < to; s++) {
        const end = Math.min(to, next + ROWS_PER_STATEMENT);
        const rows = [];
        for (let i = next; i < end; i++) {
          const { owner, ...fields } = generateCustomer(seed, i).fields;
          rows.push({ fields: { ...fields, ownerId: ownerIds.get(owner as string) ?? null }, custom: {} });
        }
        await bulkInsertCustomers(tx, rows, columns, today, benchKeyring);
        next = end;
      }
    });
    progress(next - from, to - from);
  }
  return ((to - from) / (performance.now() - started)) * 1000;
}
