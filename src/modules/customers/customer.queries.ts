import type { Queryable } from '../../db/database.js';
import { buildSearchMaterial } from '../../domain/customers/search-material.js';
import type { FieldKeyring } from '../../domain/security/field-crypto.js';
import { validationError } from '../../shared/app-error.js';
import { type Customer, type CustomerFieldName, customerFieldNames } from './customer.schemas.js';
import { sealPersonalFields } from './personal-data.js';

export function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The select list that turns a customers row (alias `c`) into the API shape. */
export const CUSTOMER_COLUMNS = [
  ['c.id', 'id'],
  ...customerFieldNames.map((name) => [`c.${columnOf(name)}`, name]),
  ['(SELECT u.username FROM users u WHERE u.id = c.owner_id)', 'owner'],
  ['c.custom', 'custom'],
  ['c.total_spent', 'totalSpent'],
  ['c.order_count', 'orderCount'],
  ['CASE WHEN c.order_count > 0 THEN round(c.total_spent / c.order_count, 2)::text END', 'averageOrderValue'],
  ['c.first_purchase_on', 'firstPurchaseOn'],
  ['c.last_purchase_on', 'lastPurchaseOn'],
  ['c.created_at', 'createdAt'],
  ['c.updated_at', 'updatedAt'],
  ['c.version', 'version'],
]
  .map(([expression, alias]) => `${expression} AS "${alias}"`)
  .join(', ');

export async function findCustomerById(db: Queryable, id: number): Promise<Customer | undefined> {
  const { rows } = await db.query<Customer>(`SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.id = $1`, [
    id,
  ]);
  return rows[0];
}

export async function findCustomerByCode(db: Queryable, code: string): Promise<Customer | undefined> {
  const { rows } = await db.query<Customer>(`SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.code = $1`, [
    code,
  ]);
  return rows[0];
}

/** Standard fields that are never empty, with the value a new customer gets when none is given. */
export const NOT_NULL_DEFAULTS: Record<string, string> = {
  type: "'individual'",
  stage: "'potential'",
  status: "'active'",
  vip: 'false',
};

/** Column names and values for an INSERT or UPDATE of the given standard fields. */
export function fieldAssignments(
  fields: Partial<Record<CustomerFieldName, unknown>>,
  keyring: FieldKeyring,
): {
  columns: string[];
  values: unknown[];
} {
  const sealed: Record<string, unknown> = { ...fields };
  const indexes = sealPersonalFields(keyring, sealed);
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const name of customerFieldNames) {
    const value = sealed[name];
    // Blank means "keep the default" for the columns that always have a value.
    if (value === undefined || (value === null && name in NOT_NULL_DEFAULTS)) continue;
    columns.push(columnOf(name));
    values.push(value);
  }
  for (const [column, value] of Object.entries(indexes)) {
    columns.push(column);
    values.push(value);
  }
  return { columns, values };
}

/**
 * Locks customer rows until the transaction ends (in id order, so two writers cannot deadlock) and
 * returns the ids that exist. Whatever is derived from a customer's contacts or transactions is
 * recomputed after this lock: on PostgreSQL the next statement then sees every change committed by
 * a writer that held it, instead of overwriting that writer's result with an older view.
 * `NO KEY UPDATE` does not conflict with the key-share locks that inserting a contact or a
 * transaction takes on its customer.
 */
export async function lockCustomers(db: Queryable, customerIds: readonly number[]): Promise<number[]> {
  if (customerIds.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    'SELECT id FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE',
    [Array.from(new Set(customerIds))],
  );
  return rows.map((row) => row.id);
}

/** Rebuilds the search columns of customers from their names, phones, e-mails and contacts. */
export async function refreshSearchMaterial(db: Queryable, customerIds: readonly number[]): Promise<void> {
  if (customerIds.length === 0) return;
  await lockCustomers(db, customerIds);
  const { rows } = await db.query<{
    id: number;
    name: string;
    company: string | null;
    contacts: { name: string }[] | null;
  }>(
    `SELECT c.id, c.name, c.company,
       (SELECT json_agg(json_build_object('name', k.name)) FROM contacts k WHERE k.customer_id = c.id) AS contacts
     FROM customers c WHERE c.id = ANY($1::bigint[])`,
    [customerIds],
  );
  if (rows.length === 0) return;
  const materials = rows.map((row) => ({
    id: row.id,
    ...buildSearchMaterial({ ...row, contacts: row.contacts ?? [] }),
  }));
  await db.query(
    `UPDATE customers c SET search_text = m.text, search_grams = m.grams, ${PERSONAL_INDEX_SQL}
     FROM jsonb_to_recordset($1::jsonb) AS m(id bigint, text text, grams text[])
     WHERE c.id = m.id`,
    [JSON.stringify(materials)],
  );
}

/**
 * The blind indexes the search box finds a customer by: its own phone and e-mail and those of
 * its contacts. Recomputed with the search material; needs no decryption.
 */
export const PERSONAL_INDEX_SQL = `personal_index = array_remove(ARRAY[c.phone_index, c.email_index], NULL) ||
  coalesce((SELECT array_agg(x) FROM contacts k CROSS JOIN LATERAL unnest(ARRAY[k.phone_index, k.email_index]) AS x
            WHERE k.customer_id = c.id AND x IS NOT NULL), '{}')`;

/**
 * Turns an `owner` username into `ownerId` (in place); an unknown username is a field error.
 * `owner: null` clears the owner.
 */
export async function resolveOwner(
  db: Queryable,
  fields: { owner?: string | null; ownerId?: number | null },
): Promise<void> {
  if (fields.owner === undefined) return;
  if (fields.owner === null) {
    fields.ownerId = null;
  } else {
    const { rows } = await db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [
      fields.owner,
    ]);
    if (!rows[0]) {
      throw validationError([
        { field: 'owner', message: `用户 ${fields.owner} 不存在 / No user named ${fields.owner}` },
      ]);
    }
    fields.ownerId = rows[0].id;
  }
  delete fields.owner;
}
