import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/test-context.js';
import { CUSTOMER_OWNED_TABLES, NOT_CUSTOMER_OWNED } from './customer-owned-tables.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

interface UniqueIndex {
  table: string;
  name: string;
  columns: string[];
  partial: boolean;
}

describe('the registry of customer-owned tables', () => {
  it('names every table with a customer_id column (so a merge cannot forget one)', async () => {
    const { rows } = await t.db.query<{ table: string }>(
      `SELECT c.table_name AS table FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND c.column_name = 'customer_id' AND t.table_type = 'BASE TABLE'
       ORDER BY 1`,
    );
    const inCatalog = rows
      .map((row) => row.table)
      .filter((table) => !(NOT_CUSTOMER_OWNED as readonly string[]).includes(table));
    const registered = CUSTOMER_OWNED_TABLES.map((entry) => entry.table).sort();
    // A failure here means a migration added (or dropped) a customer-owned table: add it to
    // CUSTOMER_OWNED_TABLES with what a merge must do with its rows.
    expect(registered).toEqual(inCatalog);
  });

  it('declares every uniqueness a moved row could break, and only real key columns', async () => {
    const { rows } = await t.db.query<UniqueIndex>(
      `SELECT t.relname AS table, i.relname AS name, x.indpred IS NOT NULL AS partial,
         array(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o) AS columns
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       WHERE x.indisunique AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1::text[])`,
      [CUSTOMER_OWNED_TABLES.map((entry) => entry.table)],
    );
    const { rows: identities } = await t.db.query<{ table: string; column: string }>(
      `SELECT table_name AS table, column_name AS column FROM information_schema.columns
       WHERE table_schema = current_schema() AND is_identity = 'YES'`,
    );
    for (const entry of CUSTOMER_OWNED_TABLES) {
      const { rows: columns } = await t.db.query<{ column: string }>(
        `SELECT column_name AS column FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1`,
        [entry.table],
      );
      const names = columns.map((row) => row.column);
      const uniqueColumns = (entry.unique ?? []).flatMap((unique) => unique.columns);
      for (const column of [...entry.key, ...uniqueColumns, ...(entry.single ? [entry.single] : [])])
        expect(names, `${entry.table}.${column}`).toContain(column);
      if (entry.onMerge !== 'move') continue;
      const identity = new Set(
        identities.filter((row) => row.table === entry.table).map((row) => row.column),
      );
      for (const index of rows.filter((row) => row.table === entry.table)) {
        const rest = index.columns.filter((column) => column !== 'customer_id');
        // Unique through an identity column: moving the row to another customer cannot collide.
        if (rest.some((column) => identity.has(column))) continue;
        if (rest.length === 0 && index.partial) {
          expect(entry.single, `${index.name}: declare the flag as 'single'`).toBeDefined();
          continue;
        }
        const declared = (entry.unique ?? []).find(
          (unique) => [...unique.columns].sort().join(',') === [...rest].sort().join(','),
        );
        expect(declared, `${index.name}: declare (${rest.join(', ')}) in 'unique'`).toBeDefined();
        // A partial unique index needs its condition, or rows outside it would be set aside too.
        expect(Boolean(declared?.where), `${index.name}: declare its WHERE in 'unique'`).toBe(index.partial);
      }
    }
  });
});
