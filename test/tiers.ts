import type { Queryable } from '../src/db/database.js';
import { createScheme } from '../src/modules/tiers/schemes.js';
import type { AppContext } from '../src/shared/context.js';

export interface Purchase {
  on: string;
  amount: string | number;
  quantity?: string | number;
}

/**
 * Customers with the given purchases, written straight into the tables (created long before any
 * as-of date used in tests, so every review sees them). Returns code → id.
 */
export async function seedCustomers(
  db: Queryable,
  customers: Record<string, Purchase[]>,
  createdAt = '2015-01-01T00:00:00+08:00',
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const [code, purchases] of Object.entries(customers)) {
    const { rows } = await db.query<{ id: number }>(
      'INSERT INTO customers (code, name, created_at) VALUES ($1, $2, $3) RETURNING id',
      [code, `客户${code}`, createdAt],
    );
    const id = (rows[0] as { id: number }).id;
    ids.set(code, id);
    await addPurchases(db, id, purchases);
  }
  return ids;
}

export async function addPurchases(db: Queryable, customerId: number, purchases: Purchase[]): Promise<void> {
  if (purchases.length === 0) return;
  await db.query(
    `INSERT INTO transactions (customer_id, occurred_on, amount, quantity)
     SELECT $1, d, a, q FROM unnest($2::date[], $3::numeric[], $4::numeric[]) AS x(d, a, q)`,
    [
      customerId,
      purchases.map((p) => p.on),
      purchases.map((p) => String(p.amount)),
      purchases.map((p) => String(p.quantity ?? 1)),
    ],
  );
}

export async function clearCustomers(db: Queryable): Promise<void> {
  await db.query('DELETE FROM tier_notices');
  await db.query('DELETE FROM tier_history');
  await db.query('DELETE FROM tier_assignments');
  await db.query('DELETE FROM tier_reviews');
  await db.query('DELETE FROM transactions');
  await db.query('DELETE FROM customers');
}

export async function addPreset(ctx: AppContext, preset: string, id?: string): Promise<void> {
  await createScheme(ctx, { preset, id });
}

export async function tiersOf(db: Queryable, schemeId: string): Promise<Record<string, string>> {
  const { rows } = await db.query<{ code: string; tier: string }>(
    `SELECT c.code, a.tier FROM tier_assignments a JOIN customers c ON c.id = a.customer_id
     WHERE a.scheme_id = $1 ORDER BY c.code`,
    [schemeId],
  );
  return Object.fromEntries(rows.map((row) => [row.code, row.tier]));
}
