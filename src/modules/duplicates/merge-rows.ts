import type { Queryable } from '../../db/database.js';
import { CUSTOMER_OWNED_TABLES, type CustomerOwnedTable } from './customer-owned-tables.js';

/** Key values of rows, one array per row in the order of the table's `key` columns. */
export type RowKeys = unknown[][];

export interface MovedRows {
  /** { table: { removedCustomerId: keys } } */
  moved: Record<string, Record<string, RowKeys>>;
  /** { table: keys } of moved rows whose one-per-customer flag was cleared. */
  demoted: Record<string, RowKeys>;
  /** Rows per table kept in the merge record instead of moved. */
  setAside: Record<string, number>;
}

const keysOf = (entry: CustomerOwnedTable, rows: Record<string, unknown>[]): RowKeys =>
  rows.map((row) => entry.key.map((column) => row[column]));

const keyList = (entry: CustomerOwnedTable, alias = '') =>
  entry.key.map((column) => `${alias}${column}`).join(', ');

/**
 * Appends the rows of `table` (alias `o`) matching `condition` to the merge record's set_aside and
 * deletes them. The row images go from table to record inside the database: exact, still encrypted.
 */
async function setAside(
  tx: Queryable,
  mergeId: number,
  entry: CustomerOwnedTable,
  customerId: number,
  reason: 'conflict' | 'kept',
  condition: string,
  params: unknown[],
): Promise<number> {
  const base = params.length;
  await tx.query(
    `UPDATE customer_merges SET set_aside = set_aside || coalesce((
       SELECT jsonb_agg(jsonb_build_object('table', $${base + 2}::text, 'customerId', $${base + 3}::bigint,
                                           'reason', $${base + 4}::text, 'row', to_jsonb(o)))
       FROM ${entry.table} o WHERE ${condition}), '[]'::jsonb)
     WHERE id = $${base + 1}`,
    [...params, mergeId, entry.table, customerId, reason],
  );
  const deleted = await tx.query(`DELETE FROM ${entry.table} o WHERE ${condition}`, params);
  return deleted.rowCount;
}

/**
 * Moves everything `otherId` owns to `survivorId`, table by table as CUSTOMER_OWNED_TABLES says,
 * adding to `into`. Call once per customer merged away, in order: a later customer's rows then
 * meet the rows already moved as the survivor's.
 */
export async function moveOwnedRows(
  tx: Queryable,
  mergeId: number,
  survivorId: number,
  otherId: number,
  into: MovedRows,
): Promise<void> {
  const other = String(otherId);
  for (const entry of CUSTOMER_OWNED_TABLES) {
    const { table } = entry;
    if (entry.onMerge === 'derived') continue;
    if (entry.onMerge === 'keep') {
      const count = await setAside(tx, mergeId, entry, otherId, 'kept', 'o.customer_id = $1', [otherId]);
      if (count > 0) into.setAside[table] = (into.setAside[table] ?? 0) + count;
      continue;
    }
    if (entry.onMerge === 'cascade') {
      // Recorded before the table they move with moves them (the registry lists them first).
      const { rows } = await tx.query(`SELECT ${keyList(entry)} FROM ${table} WHERE customer_id = $1`, [
        otherId,
      ]);
      if (rows.length > 0) record(into, table, other, keysOf(entry, rows));
      continue;
    }
    for (const { columns, where } of entry.unique ?? []) {
      const same = [
        ...columns.map((column) => `s.${column} = o.${column}`),
        ...(where ? [where.replaceAll('{t}', 's'), where.replaceAll('{t}', 'o')] : []),
      ].join(' AND ');
      const count = await setAside(
        tx,
        mergeId,
        entry,
        otherId,
        'conflict',
        `o.customer_id = $1 AND EXISTS (SELECT 1 FROM ${table} s WHERE s.customer_id = $2 AND ${same})`,
        [otherId, survivorId],
      );
      if (count > 0) into.setAside[table] = (into.setAside[table] ?? 0) + count;
    }
    if (entry.single) {
      const { rows } = await tx.query(
        `UPDATE ${table} o SET ${entry.single} = false
         WHERE o.customer_id = $1 AND o.${entry.single}
           AND EXISTS (SELECT 1 FROM ${table} s WHERE s.customer_id = $2 AND s.${entry.single})
         RETURNING ${keyList(entry, 'o.')}`,
        [otherId, survivorId],
      );
      if (rows.length > 0) into.demoted[table] = [...(into.demoted[table] ?? []), ...keysOf(entry, rows)];
    }
    const { rows } = await tx.query(
      `UPDATE ${table} SET customer_id = $2 WHERE customer_id = $1 RETURNING ${keyList(entry)}`,
      [otherId, survivorId],
    );
    if (rows.length > 0) record(into, table, other, keysOf(entry, rows));
  }
}

function record(into: MovedRows, table: string, customerId: string, keys: RowKeys) {
  into.moved[table] = { ...(into.moved[table] ?? {}), [customerId]: keys };
}

/** `(k1, k2) IN (…)` for the given keys of `entry`, as a condition on alias `t` with one parameter. */
function keyCondition(entry: CustomerOwnedTable, placeholder: string): string {
  return `(${keyList(entry, 't.')}) IN (SELECT ${keyList(entry, 'k.')}
    FROM jsonb_populate_recordset(NULL::${entry.table}, ${placeholder}::jsonb) k)`;
}

const keyObjects = (entry: CustomerOwnedTable, keys: RowKeys) =>
  JSON.stringify(keys.map((values) => Object.fromEntries(entry.key.map((column, i) => [column, values[i]]))));

export interface MovedBack {
  /** Rows moved back per table. */
  movedBack: Record<string, number>;
  /** Rows the merge moved that are gone since (deleted on the survivor), per table. */
  missing: Record<string, number>;
  /** Rows kept in the merge record and put back, per table. */
  restored: Record<string, number>;
  /** Kept rows that could not be put back (what they referred to is gone), per table. */
  notRestored: Record<string, number>;
}

/**
 * The reverse of moveOwnedRows for one merge record: rows go back to the customers they came from
 * (which must exist again), cleared flags are set again where that leaves one per customer, and
 * the rows kept in the record are inserted again.
 */
export async function moveRowsBack(
  tx: Queryable,
  mergeId: number,
  survivorId: number,
  record: { moved: MovedRows['moved']; demoted: MovedRows['demoted'] },
): Promise<MovedBack> {
  const result: MovedBack = { movedBack: {}, missing: {}, restored: {}, notRestored: {} };
  const add = (into: Record<string, number>, table: string, count: number) => {
    if (count > 0) into[table] = (into[table] ?? 0) + count;
  };
  const moves = CUSTOMER_OWNED_TABLES.filter((entry) => entry.onMerge === 'move');
  const cascades = CUSTOMER_OWNED_TABLES.filter((entry) => entry.onMerge === 'cascade');
  for (const entry of [...moves, ...cascades]) {
    for (const [other, keys] of Object.entries(record.moved[entry.table] ?? {})) {
      if (entry.onMerge === 'cascade') {
        const { rows } = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${entry.table} t WHERE t.customer_id = $1 AND ${keyCondition(entry, '$2')}`,
          [Number(other), keyObjects(entry, keys)],
        );
        add(result.movedBack, entry.table, rows[0]?.n ?? 0);
        add(result.missing, entry.table, keys.length - (rows[0]?.n ?? 0));
        continue;
      }
      const moved = await tx.query(
        `UPDATE ${entry.table} t SET customer_id = $2 WHERE t.customer_id = $1 AND ${keyCondition(entry, '$3')}`,
        [survivorId, Number(other), keyObjects(entry, keys)],
      );
      add(result.movedBack, entry.table, moved.rowCount);
      add(result.missing, entry.table, keys.length - moved.rowCount);
    }
    const demoted = record.demoted[entry.table];
    if (entry.single && demoted && demoted.length > 0) {
      await tx.query(
        `UPDATE ${entry.table} t SET ${entry.single} = true
         WHERE ${keyCondition(entry, '$1')}
           AND NOT EXISTS (SELECT 1 FROM ${entry.table} s WHERE s.customer_id = t.customer_id AND s.${entry.single})`,
        [keyObjects(entry, demoted)],
      );
    }
  }
  const { rows: kept } = await tx.query<{ table: string; n: number }>(
    `SELECT e.item->>'table' AS table, count(*)::int AS n
     FROM customer_merges m, jsonb_array_elements(m.set_aside) e(item) WHERE m.id = $1 GROUP BY 1`,
    [mergeId],
  );
  for (const { table, n } of kept) {
    const entry = CUSTOMER_OWNED_TABLES.find((candidate) => candidate.table === table);
    if (!entry) continue;
    const inserted = await insertRowImages(
      tx,
      table,
      `FROM customer_merges m, jsonb_array_elements(m.set_aside) e(item),
            jsonb_populate_record(NULL::${table}, e.item->'row') r
       WHERE m.id = $1 AND e.item->>'table' = $2`,
      `(SELECT e.item->'row' FROM customer_merges m, jsonb_array_elements(m.set_aside) e(item)
        WHERE m.id = $1 AND e.item->>'table' = $2 LIMIT 1)`,
      [mergeId, table],
    );
    add(result.restored, table, inserted);
    add(result.notRestored, table, n - inserted);
  }
  return result;
}

interface ForeignKey {
  onDelete: string;
  refTable: string;
  columns: string[];
  refColumns: string[];
}

/**
 * Inserts row images (jsonb, as to_jsonb wrote them) into `table`. `source` is a FROM … WHERE …
 * clause producing them as `r`; `sample` selects one of the images (its keys name the columns to
 * write: a column added since keeps its default). A reference to a row deleted meanwhile is treated
 * as the foreign key would have treated it: set to NULL, or the row is not inserted. Rows that
 * collide with existing ones are skipped. Returns the rows inserted.
 */
export async function insertRowImages(
  tx: Queryable,
  table: string,
  source: string,
  sample: string,
  params: unknown[],
): Promise<number> {
  const { rows: columnRows } = await tx.query<{ column: string }>(
    `SELECT a.attname AS column FROM pg_attribute a
     WHERE a.attrelid = $${params.length + 1}::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attgenerated = '' AND a.attname IN (SELECT jsonb_object_keys(${sample}))
     ORDER BY a.attnum`,
    [...params, table],
  );
  const columns = columnRows.map((row) => row.column);
  if (columns.length === 0) return 0;
  const { rows: keys } = await tx.query<ForeignKey>(
    `SELECT c.confdeltype AS "onDelete", c.confrelid::regclass::text AS "refTable",
       array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
       array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS "refColumns"
     FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype = 'f'`,
    [table],
  );
  const exists = (key: ForeignKey) =>
    `EXISTS (SELECT 1 FROM ${key.refTable} x WHERE ${key.columns
      .map((column, i) => `x.${key.refColumns[i]} = r.${column}`)
      .join(' AND ')})`;
  const anyNull = (key: ForeignKey) => key.columns.map((column) => `r.${column} IS NULL`).join(' OR ');
  const values = columns.map((column) => {
    const nulling = keys.find(
      (key) => key.onDelete === 'n' && key.columns.length === 1 && key.columns[0] === column,
    );
    return nulling ? `CASE WHEN ${exists(nulling)} THEN r.${column} END` : `r.${column}`;
  });
  const required = keys
    .filter((key) => key.onDelete !== 'n' && key.columns.every((column) => columns.includes(column)))
    .map((key) => `(${anyNull(key)} OR ${exists(key)})`);
  const inserted = await tx.query(
    `INSERT INTO ${table} (${columns.join(', ')}) OVERRIDING SYSTEM VALUE
     SELECT ${values.join(', ')} ${source} ${required.map((condition) => `AND ${condition}`).join(' ')}
     ON CONFLICT DO NOTHING`,
    params,
  );
  return inserted.rowCount;
}
