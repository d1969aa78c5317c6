import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { AppContext } from '../../shared/context.js';
import { scopeClause } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { listCustomFields } from '../custom-fields/custom-fields.js';
import { CUSTOMER_COLUMNS } from '../customers/customer.queries.js';
import { type Customer, customerFieldNames } from '../customers/customer.schemas.js';
import { disclosureFor, presentPersonal } from '../customers/personal-data.js';
import { activeConsentCondition, type ConsentPurpose } from '../privacy/consents.js';
import { COMPUTED_CUSTOMER_COLUMNS } from './import-customers.js';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Writes every customer as CSV with the canonical headers that `import customers` reads back
 * (computed columns such as totalSpent are included for reading and ignored on import).
 * Streams in keyset pages, so memory stays flat for any number of customers.
 * A UTF-8 BOM is written by default so that Excel shows Chinese correctly.
 */
export async function exportCustomersCsv(
  ctx: AppContext,
  out: Writable,
  options: { bom?: boolean; pageSize?: number; purpose?: ConsentPurpose } = {},
): Promise<number> {
  const defs = await listCustomFields(ctx.db);
  const header = [
    // The owner by username: what a person reads in a spreadsheet and what import accepts.
    ...customerFieldNames.map((name) => (name === 'ownerId' ? 'owner' : name)),
    ...defs.map((def) => `custom.${def.key}`),
    ...COMPUTED_CUSTOMER_COLUMNS,
  ];
  const csv = stringify({ bom: options.bom ?? true, header: true, columns: header });
  // The caller owns `out` (it may be stdout, which must not be ended).
  csv.pipe(out, { end: false });
  let lastId = 0;
  let count = 0;
  const pageSize = options.pageSize ?? 1000;
  // Personal fields in full only for actors allowed to view them; the export itself is audited.
  const disclosure = disclosureFor(ctx);
  const scopeParams: unknown[] = [0];
  let scope = await scopeClause(ctx, 'c', scopeParams);
  // Exports for marketing hold only customers with an active marketing consent.
  const purpose = ctx.actor.role === 'marketing' ? 'marketing' : options.purpose;
  if (purpose) {
    scopeParams.push(purpose);
    scope = `${scope} AND ${activeConsentCondition('c', `$${scopeParams.length}`)}`;
  }
  for (;;) {
    scopeParams[0] = lastId;
    const { rows } = await ctx.db.query<Customer>(
      `SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.id > $1 AND ${scope} ORDER BY c.id LIMIT ${pageSize}`,
      scopeParams,
    );
    for (const stored of rows) {
      const customer = presentPersonal(ctx, stored, disclosure);
      const record = header.map((name) => {
        const customKey = name.startsWith('custom.') ? name.slice(7) : undefined;
        return cell(customKey ? customer.custom[customKey] : customer[name as keyof Customer]);
      });
      if (!csv.write(record)) await once(csv, 'drain');
    }
    count += rows.length;
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) break;
    lastId = last.id;
  }
  csv.end();
  await finished(csv);
  await ctx.db.transaction((tx) =>
    recordAudit(
      tx,
      ctx.actor,
      {
        action: 'customers.export',
        details: { count, format: 'csv', personal: disclosure, purpose: purpose ?? null },
      },
      ctx.now(),
    ),
  );
  return count;
}
