import type { Queryable } from '../../db/database.js';
import {
  type CustomFieldDefinition,
  validateCustomValues,
} from '../../domain/custom-fields/custom-field-values.js';
import type { FieldKeyring } from '../../domain/security/field-crypto.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { issuesFromZod } from '../../shared/validation.js';
import { actorCan } from '../access/actor.js';
import { scopeClause } from '../access/scope.js';
import { listCustomFields } from '../custom-fields/custom-fields.js';
import { bulkInsertCustomers, recordsetColumns } from '../customers/bulk-insert-customers.js';
import { columnOf, NOT_NULL_DEFAULTS, refreshSearchMaterial } from '../customers/customer.queries.js';
import { createCustomerSchema, customerFieldNames } from '../customers/customer.schemas.js';
import { sealPersonalCustom, sealPersonalFields } from '../customers/personal-data.js';
import { analyzeAfterImport } from './analyze-after-import.js';
import {
  type CsvRow,
  headerError,
  type ImportOptions,
  type ImportReport,
  readCsvBatches,
  runImport,
} from './csv-rows.js';

/** Columns an export writes that an import reads past: they are computed, not entered. */
export const COMPUTED_CUSTOMER_COLUMNS = [
  'id',
  'totalSpent',
  'orderCount',
  'averageOrderValue',
  'firstPurchaseOn',
  'lastPurchaseOn',
  'createdAt',
  'updatedAt',
  'version',
];

interface ValidRow {
  row: number;
  fields: Record<string, unknown>;
  custom: Record<string, unknown>;
  removedCustom: string[];
}

function checkCustomerHeader(header: string[], defs: Map<string, CustomFieldDefinition>) {
  const known = new Set<string>([...customerFieldNames, 'owner', ...COMPUTED_CUSTOMER_COLUMNS]);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) problems.push(`重复的列 / duplicate column "${name}"`);
    seen.add(name);
    const customKey = /^(?:custom|cf)\.(.+)$/.exec(name)?.[1];
    if (customKey ? !defs.has(customKey) : !known.has(name))
      problems.push(`未知的列 / unknown column "${name}"`);
  }
  if (!header.includes('name')) problems.push('缺少必需的列 name / required column "name" is missing');
  if (problems.length > 0) {
    throw headerError(problems, [...customerFieldNames, ...[...defs.keys()].map((key) => `custom.${key}`)]);
  }
}

/** Validates one CSV row with the same schema as the API; blank cells mean "no value". */
function validateRow(
  row: CsvRow,
  defs: CustomFieldDefinition[],
  report: ImportReport,
  keyring: FieldKeyring,
): ValidRow | undefined {
  const fields: Record<string, unknown> = {};
  const customInput: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row.values)) {
    const customKey = /^(?:custom|cf)\.(.+)$/.exec(name)?.[1];
    if (customKey) customInput[customKey] = value;
    else if (!COMPUTED_CUSTOMER_COLUMNS.includes(name)) fields[name] = value;
  }
  if (fields.code === '') delete fields.code;
  const parsed = createCustomerSchema.safeParse(fields);
  const custom = validateCustomValues(defs, customInput, 'update');
  const issues = [...(parsed.success ? [] : issuesFromZod(parsed.error)), ...custom.issues];
  if (!parsed.success || issues.length > 0) {
    for (const issue of issues)
      report.invalid.push({ row: row.row, field: issue.field, message: issue.message });
    return undefined;
  }
  const present: Record<string, unknown> = {};
  for (const name of Object.keys(fields)) {
    const value = (parsed.data as Record<string, unknown>)[name];
    present[name] = value === undefined ? null : value;
  }
  return {
    row: row.row,
    fields: present,
    custom: sealPersonalCustom(keyring, defs, custom.values),
    removedCustom: custom.removed,
  };
}

/**
 * Keeps the matches the actor may change. A row whose code belongs to a customer outside the
 * actor's scope is invalid (the code is taken); a phone, e-mail or name match outside the scope is
 * dropped, so the row creates a customer instead of revealing or touching someone else's.
 */
async function restrictToWritable(
  ctx: AppContext,
  tx: Queryable,
  matched: Map<ValidRow, number>,
  report: ImportReport,
): Promise<Map<ValidRow, number>> {
  if (matched.size === 0) return matched;
  const params: unknown[] = [Array.from(new Set(matched.values()))];
  const scope = await scopeClause(ctx, 'c', params, 'write');
  const { rows } = await tx.query<{ id: number }>(
    `SELECT c.id FROM customers c WHERE c.id = ANY($1::bigint[]) AND ${scope}`,
    params,
  );
  const writable = new Set(rows.map((row) => row.id));
  const kept = new Map<ValidRow, number>();
  for (const [row, id] of matched) {
    if (writable.has(id)) kept.set(row, id);
    else if (typeof row.fields.code === 'string') {
      report.invalid.push({
        row: row.row,
        field: 'code',
        message: `编号 ${row.fields.code} 已被使用，且你无权修改该客户 / Code ${row.fields.code} is taken by a customer you may not change`,
      });
    }
  }
  return kept;
}

/** Replaces `owner` usernames by user ids; a row naming an unknown user is invalid. */
async function resolveOwners(tx: Queryable, rows: ValidRow[], report: ImportReport): Promise<ValidRow[]> {
  const names = Array.from(
    new Set(rows.map((row) => row.fields.owner).filter((name): name is string => typeof name === 'string')),
  );
  if (names.length === 0 && !rows.some((row) => 'owner' in row.fields)) return rows;
  const { rows: users } = await tx.query<{ id: number; username: string }>(
    'SELECT id, username FROM users WHERE username = ANY($1::text[])',
    [names],
  );
  const idOf = new Map(users.map((user) => [user.username, user.id]));
  return rows.filter((row) => {
    if (!('owner' in row.fields)) return true;
    const owner = row.fields.owner as string | null;
    delete row.fields.owner;
    if (owner === null) {
      row.fields.ownerId ??= null;
      return true;
    }
    const id = idOf.get(owner);
    if (id === undefined) {
      report.invalid.push({
        row: row.row,
        field: 'owner',
        message: `用户 ${owner} 不存在 / No user named ${owner}`,
      });
      return false;
    }
    row.fields.ownerId = id;
    return true;
  });
}

async function updateRows(
  tx: Queryable,
  rows: ValidRow[],
  columns: string[],
  ids: Map<ValidRow, number>,
  keyring: FieldKeyring,
) {
  // A row matched by its code keeps that code; a row matched by phone or e-mail has none to set.
  const settable = columns.filter((name) => name !== 'code');
  const indexColumns = ['phone', 'email']
    .filter((name) => settable.includes(name))
    .map((name) => `${name}_index`);
  const records = rows.map((row) => {
    const fields: Record<string, unknown> = {};
    for (const name of settable) fields[name] = row.fields[name] ?? null;
    const indexes = sealPersonalFields(keyring, fields);
    const record: Record<string, unknown> = { id: ids.get(row) };
    for (const name of settable) record[columnOf(name)] = fields[name];
    for (const column of indexColumns) record[column] = indexes[column] ?? null;
    if ('tags' in record && record.tags === null) record.tags = [];
    record.custom = row.custom;
    record.removed_custom = row.removedCustom;
    return record;
  });
  const sets = [
    ...settable.map((name) =>
      NOT_NULL_DEFAULTS[name]
        ? `${columnOf(name)} = coalesce(r.${columnOf(name)}, c.${columnOf(name)})`
        : `${columnOf(name)} = r.${columnOf(name)}`,
    ),
    ...indexColumns.map((column) => `${column} = r.${column}`),
  ];
  await tx.query(
    `UPDATE customers c SET ${[...sets, 'custom = (c.custom || r.custom) - r.removed_custom'].join(', ')},
       version = c.version + 1, updated_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, ${[recordsetColumns(settable), ...indexColumns.map((column) => `${column} text`)].join(', ')},
       custom jsonb, removed_custom text[])
     WHERE c.id = r.id`,
    [JSON.stringify(records)],
  );
  await refreshSearchMaterial(
    tx,
    records.map((record) => record.id as number),
  );
}

/**
 * Finds the existing customer each row stands for: by `code` when the row has one; otherwise by
 * phone, then e-mail, then exact name — each only when exactly one customer matches — so that
 * importing the same file again updates instead of duplicating.
 */
async function matchExisting(
  tx: Queryable,
  rows: ValidRow[],
  keyring: FieldKeyring,
): Promise<Map<ValidRow, number>> {
  const matched = new Map<ValidRow, number>();
  const codes = rows.map((row) => row.fields.code).filter((code): code is string => typeof code === 'string');
  if (codes.length > 0) {
    const found = await tx.query<{ id: number; code: string }>(
      'SELECT id, code FROM customers WHERE code = ANY($1::text[])',
      [codes],
    );
    const byCode = new Map(found.rows.map((row) => [row.code, row.id]));
    for (const row of rows) {
      const id = byCode.get(row.fields.code as string);
      if (id !== undefined) matched.set(row, id);
    }
  }
  const codeless = rows.filter((row) => typeof row.fields.code !== 'string');
  if (codeless.length === 0) return matched;
  // Phones and e-mails are compared by blind index: the stored values are encrypted.
  const lookup = (row: ValidRow, key: string): string | undefined => {
    const value = row.fields[key];
    if (typeof value !== 'string') return undefined;
    return key === 'name' ? value : keyring.blindIndex(key, value);
  };
  const values = (key: string) =>
    Array.from(new Set(codeless.map((row) => lookup(row, key)).filter((v): v is string => v !== undefined)));
  const { rows: candidates } = await tx.query<{
    id: number;
    name: string;
    phone: string | null;
    email: string | null;
  }>(
    `SELECT id, name, phone_index AS phone, email_index AS email FROM customers
     WHERE phone_index = ANY($1::text[]) OR email_index = ANY($2::text[]) OR name = ANY($3::text[])`,
    [values('phone'), values('email'), values('name')],
  );
  const index = (key: 'name' | 'phone' | 'email') => {
    const map = new Map<string, number[]>();
    for (const candidate of candidates) {
      const value = candidate[key];
      if (value) map.set(value, [...(map.get(value) ?? []), candidate.id]);
    }
    return map;
  };
  const byPhone = index('phone');
  const byEmail = index('email');
  const byName = index('name');
  for (const row of codeless) {
    const phone = lookup(row, 'phone');
    const email = lookup(row, 'email');
    const keys: [Map<string, number[]>, string | null | undefined][] =
      phone || email
        ? [
            [byPhone, phone],
            [byEmail, email],
          ]
        : [[byName, row.fields.name as string]];
    for (const [map, value] of keys) {
      const ids = value ? map.get(value) : undefined;
      if (ids?.length === 1) {
        matched.set(row, ids[0] as number);
        break;
      }
    }
  }
  return matched;
}

/**
 * Imports customers from a CSV file with canonical headers (API field names, `custom.KEY` for
 * custom fields). A row whose `code` exists updates that customer, and so does a row without a code
 * that matches exactly one customer by phone, e-mail or (lacking both) name; other rows create customers.
 * The whole file is one transaction: if any row is invalid nothing is written, unless
 * `skipInvalid` is set, in which case the valid rows are written and the invalid ones reported.
 */
export async function importCustomers(
  ctx: AppContext,
  file: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const defsList = await listCustomFields(ctx.db);
  const defs = new Map(defsList.map((def) => [def.key, def]));
  const today = localDate(ctx.now());
  const seenCodes = new Map<string, number>();
  let columns: string[] = [];
  return runImport(
    ctx,
    'customers',
    file,
    options,
    async (tx, report) => {
      const batches = readCsvBatches(file, options.batchSize ?? 2000, (header) => {
        checkCustomerHeader(header, defs);
        columns = header.filter((name) => (customerFieldNames as string[]).includes(name));
        if (header.includes('owner') && !columns.includes('ownerId')) columns.push('ownerId');
      });
      for await (const batch of batches) {
        report.rows += batch.length;
        const valid: ValidRow[] = [];
        for (const row of batch) {
          const checked = validateRow(row, defsList, report, ctx.keyring);
          if (!checked) continue;
          const code = checked.fields.code as string | null | undefined;
          if (code) {
            const first = seenCodes.get(code);
            if (first !== undefined) {
              report.invalid.push({
                row: row.row,
                field: 'code',
                message: `编号 ${code} 在第 ${first} 行已出现 / Code ${code} already appears in row ${first}`,
              });
              continue;
            }
            seenCodes.set(code, row.row);
          }
          valid.push(checked);
        }
        const owned = await resolveOwners(tx, valid, report);
        // Once a row is invalid and the file will be rolled back, keep validating but stop writing.
        if (report.invalid.length > 0 && !options.skipInvalid) continue;
        let permitted = owned.filter((row) => {
          const ownerId = row.fields.ownerId as number | null | undefined;
          if (ownerId === undefined || ownerId === null || ownerId === ctx.actor.userId) return true;
          if (actorCan(ctx.actor, 'customers.transfer')) return true;
          report.invalid.push({
            row: row.row,
            field: 'owner',
            message: '不能把客户分配给他人 / You may not assign customers to someone else',
          });
          return false;
        });
        const before = report.invalid.length;
        const ids = await restrictToWritable(
          ctx,
          tx,
          await matchExisting(tx, permitted, ctx.keyring),
          report,
        );
        if (report.invalid.length > 0 && !options.skipInvalid) continue;
        const refused = new Set(report.invalid.slice(before).map((issue) => issue.row));
        permitted = permitted.filter((row) => !refused.has(row.row));
        for (const row of permitted) {
          if (!ids.has(row) && (row.fields.ownerId === undefined || row.fields.ownerId === null)) {
            row.fields.ownerId = ctx.actor.userId;
          }
        }
        const toUpdate = permitted.filter((row) => ids.has(row));
        const toInsert = permitted.filter((row) => !ids.has(row));
        if (toInsert.length > 0)
          await bulkInsertCustomers(
            tx,
            toInsert,
            Array.from(new Set([...columns, 'ownerId'])),
            today,
            ctx.keyring,
          );
        if (toUpdate.length > 0) await updateRows(tx, toUpdate, columns, ids, ctx.keyring);
        report.created += toInsert.length;
        report.updated += toUpdate.length;
      }
    },
    async (tx, report) => {
      await analyzeAfterImport(tx, 'customers', report.created + report.updated);
    },
  );
}
