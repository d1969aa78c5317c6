import type { Queryable } from '../../db/database.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { refreshSearchMaterial } from '../customers/customer.queries.js';
import { refreshLastContacted } from '../records/communications.js';
import { refreshCustomerCredit } from '../records/overdue-credit.js';
import { refreshPurchaseSummary } from '../transactions/purchase-summary.js';

/**
 * What a merge does with each kind of row that belongs to a customer.
 * - `move`: re-pointed to the survivor; the keys are kept so an unmerge can move them back.
 * - `keep`: belongs to the removed customer only (moving it would make it describe the survivor
 *   wrongly); kept whole in the merge record and put back by an unmerge.
 * - `derived`: rebuilt from other data on demand; deleted with the removed customer.
 * - `cascade`: moved by an ON UPDATE CASCADE foreign key when `with` moves; keys recorded only.
 */
export type MergeHandling = 'move' | 'keep' | 'derived' | 'cascade';

/** Columns unique per customer; `where` (for a partial unique index) names columns as `{t}.column`. */
export interface UniqueColumns {
  columns: readonly string[];
  where?: string;
}

export interface CustomerOwnedTable {
  table: string;
  onMerge: MergeHandling;
  /** Columns that, with customer_id, identify a row (the moved keys are recorded by them). */
  key: readonly string[];
  /**
   * Column sets unique per customer besides the key. A removed customer's row that would collide
   * with the survivor's is not moved: the survivor's stays and the other is kept in the merge record.
   */
  unique?: readonly UniqueColumns[];
  /** A flag at most one row per customer may carry (primary contact): cleared on moved rows that would make a second one. */
  single?: string;
  /** For `cascade`: the table whose move carries these rows along. */
  with?: string;
}

/**
 * EVERY TABLE WITH A customer_id COLUMN (audit_log aside: the trail is never rewritten).
 * A new customer-owned table must be added here, or a merge would silently delete its rows with
 * the customers merged away; `customer-owned-tables.test.ts` compares this list with the database
 * catalog and fails until it is. Order matters: `cascade` tables come before the table they move with.
 */
export const CUSTOMER_OWNED_TABLES: readonly CustomerOwnedTable[] = [
  { table: 'contacts', onMerge: 'move', key: ['id'], single: 'is_primary' },
  {
    table: 'transactions',
    onMerge: 'move',
    key: ['id'],
    // The same order recorded on two duplicates is one order: the survivor's copy stays.
    unique: [{ columns: ['external_ref'], where: '{t}.external_ref IS NOT NULL' }],
  },
  { table: 'consents', onMerge: 'move', key: ['id'] },
  { table: 'customer_collaborators', onMerge: 'move', key: ['user_id'], unique: [{ columns: ['user_id'] }] },
  { table: 'ownership_transfers', onMerge: 'move', key: ['id'] },
  { table: 'tier_assignments', onMerge: 'move', key: ['scheme_id'], unique: [{ columns: ['scheme_id'] }] },
  { table: 'tier_notices', onMerge: 'cascade', key: ['id'], with: 'tier_history' },
  { table: 'tier_history', onMerge: 'move', key: ['id'] },
  { table: 'communications', onMerge: 'move', key: ['id'] },
  { table: 'feedback', onMerge: 'move', key: ['id'] },
  { table: 'service_records', onMerge: 'move', key: ['id'] },
  { table: 'project_instalments', onMerge: 'cascade', key: ['id'], with: 'projects' },
  { table: 'project_payments', onMerge: 'cascade', key: ['id'], with: 'projects' },
  { table: 'projects', onMerge: 'move', key: ['id'] },
  {
    table: 'followups',
    onMerge: 'move',
    key: ['id'],
    // One open cadence plan per customer and scheme: the survivor's own plan stays.
    unique: [{ columns: ['scheme_id'], where: "{t}.status = 'planned' AND {t}.source = 'cadence'" }],
  },
  { table: 'pool_events', onMerge: 'move', key: ['id'] },
  // "Values before this import" of a customer an import updated: they describe the removed
  // customer, and the import's undo must never apply them to the survivor.
  { table: 'import_updates', onMerge: 'keep', key: ['import_id'] },
  { table: 'customer_name_keys', onMerge: 'derived', key: [] },
];

/** Tables with a customer_id that are deliberately not customer-owned rows. */
export const NOT_CUSTOMER_OWNED = ['audit_log'] as const;

/**
 * Customer columns computed from the rows of the tables above, recomputed (in the merge's
 * transaction) for the survivor after a merge and for every customer involved after an unmerge.
 * A new column kept in step with a customer-owned table must be added here too.
 */
export const CUSTOMER_SUMMARIES: readonly {
  columns: string;
  refresh: (tx: Queryable, ctx: AppContext, customerIds: number[]) => Promise<unknown>;
}[] = [
  {
    columns: 'total_spent, order_count, first/last_purchase_on',
    refresh: (tx, _, ids) => refreshPurchaseSummary(tx, ids),
  },
  {
    columns: 'search_text, search_grams, personal_index',
    refresh: (tx, _, ids) => refreshSearchMaterial(tx, ids),
  },
  { columns: 'last_contacted_at', refresh: (tx, _, ids) => refreshLastContacted(tx, ids) },
  {
    columns: 'credit_status from overdue instalments',
    refresh: (tx, ctx, ids) => refreshCustomerCredit(tx, ctx.actor, ids, localDate(ctx.now()), ctx.now()),
  },
];
