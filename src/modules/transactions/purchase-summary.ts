import type { Queryable } from '../../db/database.js';
import { lockCustomers } from '../customers/customer.queries.js';

/**
 * Recomputes the purchase summary columns of customers (total spent, order count, first and last
 * purchase) from their transactions. Called in the same transaction as every transaction write, so
 * the summary is never out of step; recomputing (not adding) keeps edits and deletes exact. The
 * customers are locked first, so that concurrent writers recompute one after the other.
 */
export async function refreshPurchaseSummary(tx: Queryable, customerIds: readonly number[]): Promise<void> {
  if (customerIds.length === 0) return;
  await lockCustomers(tx, customerIds);
  await tx.query(
    `UPDATE customers c SET
       total_spent = coalesce(s.total, 0), order_count = coalesce(s.orders, 0),
       first_purchase_on = s.first_on, last_purchase_on = s.last_on
     FROM (
       SELECT ids.id, agg.total, agg.orders, agg.first_on, agg.last_on
       FROM unnest($1::bigint[]) AS ids(id)
       LEFT JOIN (
         SELECT customer_id, sum(amount) AS total, count(*)::int AS orders,
                min(occurred_on) AS first_on, max(occurred_on) AS last_on
         FROM transactions WHERE customer_id = ANY($1::bigint[]) GROUP BY customer_id
       ) agg ON agg.customer_id = ids.id
     ) s
     WHERE c.id = s.id`,
    [Array.from(new Set(customerIds))],
  );
}
