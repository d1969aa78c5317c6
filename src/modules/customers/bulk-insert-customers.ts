import type { Queryable } from '../../db/database.js';
import { buildSearchMaterial } from '../../domain/customers/search-material.js';
import type { FieldKeyring } from '../../domain/security/field-crypto.js';
import { reserveCustomerCodes } from '../settings/customer-number.js';
import { columnOf, NOT_NULL_DEFAULTS } from './customer.queries.js';
import type { CustomerFieldName } from './customer.schemas.js';
import { sealPersonalFields } from './personal-data.js';

/** SQL types of the customers columns, for jsonb_to_recordset. */
const COLUMN_TYPES: Partial<Record<CustomerFieldName, string>> = {
  vip: 'boolean',
  birthYear: 'integer',
  ownerId: 'bigint',
  firstContactOn: 'date',
  cooperationStartOn: 'date',
  tags: 'text[]',
};

export function recordsetColumns(names: string[]): string {
  return names
    .map((name) => `${columnOf(name)} ${COLUMN_TYPES[name as CustomerFieldName] ?? 'text'}`)
    .join(', ');
}

/**
 * Inserts validated customers in one statement. Rows without a code get the next numbers of the
 * numbering rule. `columns` are the standard fields present in the input. An import passes its id,
 * and each row its spreadsheet row number, so the customers can be traced back (and undone).
 */
export async function bulkInsertCustomers(
  tx: Queryable,
  rows: readonly { fields: Record<string, unknown>; custom: Record<string, unknown>; row?: number }[],
  columns: readonly string[],
  today: string,
  keyring: FieldKeyring,
  importId: number | null = null,
): Promise<void> {
  const codes = await reserveCustomerCodes(tx, today, rows.filter((row) => row.fields.code == null).length);
  let next = 0;
  const records = rows.map((row) => {
    const search = buildSearchMaterial(row.fields as { name: string });
    const fields: Record<string, unknown> = {};
    for (const name of columns) fields[name] = row.fields[name] ?? null;
    const indexes = sealPersonalFields(keyring, fields);
    const record: Record<string, unknown> = {};
    for (const name of columns) record[columnOf(name)] = fields[name];
    record.code = row.fields.code ?? codes[next++];
    record.tags = row.fields.tags ?? [];
    record.custom = row.custom;
    record.search_text = search.text;
    record.search_grams = search.grams;
    record.phone_index = indexes.phone_index ?? null;
    record.email_index = indexes.email_index ?? null;
    record.personal_index = [indexes.phone_index, indexes.email_index].filter(Boolean);
    record.import_id = importId;
    record.import_row = row.row ?? null;
    return record;
  });
  const names = Array.from(new Set([...columns, 'code', 'tags']));
  await tx.query(
    `INSERT INTO customers (${names.map(columnOf).join(', ')}, custom, search_text, search_grams,
                            phone_index, email_index, personal_index, import_id, import_row)
     SELECT ${names.map((name) => (NOT_NULL_DEFAULTS[name] ? `coalesce(${columnOf(name)}, ${NOT_NULL_DEFAULTS[name]})` : columnOf(name))).join(', ')},
       custom, search_text, search_grams, phone_index, email_index, personal_index, import_id, import_row
     FROM jsonb_to_recordset($1::jsonb) AS r(${recordsetColumns(names)}, custom jsonb, search_text text, search_grams text[],
                                             phone_index text, email_index text, personal_index text[],
                                             import_id bigint, import_row integer)`,
    [JSON.stringify(records)],
  );
}
