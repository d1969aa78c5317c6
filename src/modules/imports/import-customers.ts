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
import { columnOf, refreshSearchMaterial } from '../customers/customer.queries.js';
import { createCustomerSchema, customerFieldNames } from '../customers/customer.schemas.js';
import { sealPersonalCustom, sealPersonalFields } from '../customers/personal-data.js';
import { uniqueCustomerFields } from '../settings/unique-fields.js';
import { analyzeAfterImport } from './analyze-after-import.js';
import {
  type BatchContext,
  type ImportOptions,
  type ImportOutcome,
  type ImportReport,
  type MappedRow,
  REPORT_LIMIT,
  runImportFile,
} from './import-run.js';

export { IGNORED_CUSTOMER_COLUMNS as COMPUTED_CUSTOMER_COLUMNS } from '../../domain/imports/column-mapping.js';

interface Candidate {
  source: MappedRow;
  /** Parsed values of the non-empty cells (an empty cell never erases a stored value). */
  fields: Record<string, unknown>;
  custom: Record<string, unknown>;
  /** Keys that identify the customer: the code when the row has one, else phone, e-mail and unique fields. */
  keys: string[];
  /** Phone and e-mail of a row identified by its code: another customer sharing them is only a possible duplicate. */
  soft: string[];
  /** Unique-field keys of a row identified by its code: another customer holding them is a conflict. */
  unique: string[];
}

interface StoredMatch {
  id: number;
  code: string;
  name: string;
  owner: string | null;
  writable: boolean;
  /** Created, or already updated, by this very import: the row repeats an earlier one. */
  fromThisImport: boolean;
}

const STANDARD_FIELDS = new Set<string>(customerFieldNames);

/** Validates one row with the API's schema; only non-empty cells are input. */
function validate(
  row: MappedRow,
  defs: CustomFieldDefinition[],
  keyring: FieldKeyring,
  context: BatchContext,
): Candidate | undefined {
  const input: Record<string, unknown> = {};
  const customInput: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(row.values)) {
    if (value === '') continue;
    if (field.startsWith('custom.')) customInput[field.slice(7)] = value;
    else if (field === 'owner' || STANDARD_FIELDS.has(field)) input[field] = value;
  }
  const owner = input.owner;
  delete input.owner;
  const parsed = createCustomerSchema.safeParse(input);
  const custom = validateCustomValues(defs, customInput, 'update');
  const issues = [...(parsed.success ? [] : issuesFromZod(parsed.error)), ...custom.issues];
  if (!parsed.success || issues.length > 0) {
    for (const issue of issues) context.invalid(row, issue.field, issue.message);
    return undefined;
  }
  const fields: Record<string, unknown> = {};
  for (const name of Object.keys(input)) {
    const value = (parsed.data as Record<string, unknown>)[name];
    if (value !== undefined && value !== null) fields[name] = value;
  }
  if (typeof owner === 'string') fields.owner = owner;
  return {
    source: row,
    fields,
    custom: sealPersonalCustom(keyring, defs, custom.values),
    keys: [],
    soft: [],
    unique: [],
  };
}

/**
 * Identity keys. A row with a code is that code: rows with different codes are different customers,
 * even when they share a phone (a family's landline, a company's switchboard) — that is reported as
 * a possible duplicate. A row without a code is identified by phone, e-mail and the fields the
 * company made unique.
 */
function identityKeys(candidate: Candidate, keyring: FieldKeyring, unique: string[]): void {
  const { fields } = candidate;
  const contact: string[] = [];
  if (typeof fields.phone === 'string') contact.push(`phone:${keyring.blindIndex('phone', fields.phone)}`);
  if (typeof fields.email === 'string') contact.push(`email:${keyring.blindIndex('email', fields.email)}`);
  const uniqueKeys: string[] = [];
  for (const field of unique) {
    const value = field.startsWith('custom.') ? candidate.custom[field.slice(7)] : fields[field];
    if (typeof value === 'string' && value.trim() !== '')
      uniqueKeys.push(`unique:${field}:${value.trim().toLowerCase()}`);
  }
  if (typeof fields.code === 'string') {
    candidate.keys = [`code:${fields.code}`];
    candidate.soft = contact;
    candidate.unique = uniqueKeys;
  } else {
    candidate.keys = [...contact, ...uniqueKeys];
  }
}

/** Replaces owner usernames (or display names) by user ids; an unknown owner makes the row invalid. */
async function resolveOwners(
  tx: Queryable,
  candidates: Candidate[],
  context: BatchContext,
): Promise<Candidate[]> {
  const names = Array.from(
    new Set(candidates.map((c) => c.fields.owner).filter((name): name is string => typeof name === 'string')),
  );
  if (names.length === 0) return candidates;
  const { rows: users } = await tx.query<{ id: number; username: string; display_name: string | null }>(
    'SELECT id, username, display_name FROM users WHERE username = ANY($1::text[]) OR display_name = ANY($1::text[])',
    [names],
  );
  const byName = new Map<string, number[]>();
  for (const user of users) {
    byName.set(user.username, [user.id]);
    if (user.display_name && !users.some((other) => other.username === user.display_name)) {
      byName.set(user.display_name, [...(byName.get(user.display_name) ?? []), user.id]);
    }
  }
  return candidates.filter((candidate) => {
    const owner = candidate.fields.owner;
    delete candidate.fields.owner;
    if (typeof owner !== 'string') return true;
    const ids = byName.get(owner) ?? [];
    if (ids.length !== 1) {
      context.invalid(
        candidate.source,
        'owner',
        ids.length === 0
          ? `用户 ${owner} 不存在 / No user named ${owner}`
          : `有多个用户叫 ${owner}，请写用户名 / Several users are called ${owner}; use the username`,
      );
      return false;
    }
    candidate.fields.ownerId = ids[0];
    return true;
  });
}

/** Stored customers matching the candidates' identity keys (or the same row of an earlier import of this file). */
async function findStored(
  ctx: AppContext,
  context: BatchContext,
  candidates: Candidate[],
  unique: string[],
): Promise<Map<string, StoredMatch>> {
  const found = new Map<string, StoredMatch>();
  if (candidates.length === 0) return found;
  const values = (prefix: string) =>
    Array.from(
      new Set(
        candidates.flatMap((c) =>
          [...c.keys, ...c.soft, ...c.unique]
            .filter((key) => key.startsWith(prefix))
            .map((key) => key.slice(prefix.length)),
        ),
      ),
    );
  const params: unknown[] = [
    values('code:'),
    values('phone:'),
    values('email:'),
    context.previousImports,
    candidates.map((c) => c.source.row),
    context.importId,
  ];
  const uniqueSql = unique.map((field) => {
    params.push(values(`unique:${field}:`));
    const column = field.startsWith('custom.')
      ? `(c.custom ->> '${field.slice(7).replaceAll("'", "''")}')`
      : `c.${columnOf(field)}`;
    return { field, sql: `lower(${column})`, param: `$${params.length}::text[]` };
  });
  const writable = await scopeClause(ctx, 'c', params, 'write');
  const { rows } = await context.tx.query<{
    id: number;
    code: string;
    name: string;
    phone_index: string | null;
    email_index: string | null;
    import_id: number | null;
    import_row: number | null;
    owner: string | null;
    writable: boolean;
    touched: boolean;
    [unique: string]: unknown;
  }>(
    `SELECT c.id, c.code, c.name, c.phone_index, c.email_index, c.import_id, c.import_row, u.username AS owner,
       (${writable}) AS writable,
       EXISTS (SELECT 1 FROM import_updates iu WHERE iu.customer_id = c.id AND iu.import_id = $6) AS touched
       ${uniqueSql.map((u, i) => `, ${u.sql} AS unique_${i}`).join('')}
     FROM customers c LEFT JOIN users u ON u.id = c.owner_id
     WHERE c.code = ANY($1::text[]) OR c.phone_index = ANY($2::text[]) OR c.email_index = ANY($3::text[])
       OR (c.import_id = ANY($4::bigint[]) AND c.import_row = ANY($5::int[]))
       ${uniqueSql.map((u) => `OR ${u.sql} = ANY(${u.param})`).join(' ')}
     ORDER BY c.id`,
    params,
  );
  for (const row of rows) {
    const match: StoredMatch = {
      id: row.id,
      code: row.code,
      name: row.name,
      owner: row.owner,
      writable: row.writable,
      fromThisImport: row.import_id === context.importId || row.touched,
    };
    const set = (key: string) => {
      if (!found.has(key)) found.set(key, match);
    };
    set(`code:${row.code}`);
    if (row.phone_index) set(`phone:${row.phone_index}`);
    if (row.email_index) set(`email:${row.email_index}`);
    if (row.import_id !== null && context.previousImports.includes(row.import_id))
      set(`row:${row.import_row}`);
    uniqueSql.forEach((u, i) => {
      const value = row[`unique_${i}`];
      if (typeof value === 'string') set(`unique:${u.field}:${value}`);
    });
  }
  return found;
}

/** Reports rows whose name matches a stored customer's, or an earlier row's, once suffixes and punctuation are set aside. */
type SimilarTo = ImportReport['possibleDuplicates'][number]['similarTo'][number];

async function reportSimilarNames(
  context: BatchContext,
  creating: Candidate[],
  shared: Map<Candidate, SimilarTo[]>,
): Promise<void> {
  const { report, tx } = context;
  if (creating.length === 0 || report.possibleDuplicates.length >= REPORT_LIMIT) return;
  const names = creating.map((c) => c.fields.name as string);
  const { rows } = await tx.query<{
    i: number;
    key: string;
    code: string | null;
    name: string | null;
    owner: string | null;
    import_id: number | null;
    import_row: number | null;
  }>(
    `WITH k AS (
       SELECT n.i::int AS i, clientele_name_key(n.name) AS key FROM unnest($1::text[]) WITH ORDINALITY AS n(name, i)
     )
     SELECT k.i, k.key, m.code, m.name, m.owner, m.import_id, m.import_row FROM k
     LEFT JOIN LATERAL (
       SELECT c.code, c.name, u.username AS owner, c.import_id, c.import_row FROM customers c
       LEFT JOIN users u ON u.id = c.owner_id
       -- No ORDER BY: sorting by id would walk the primary key and compute the name key of every
       -- customer; without it the expression index finds the few matches directly.
       WHERE c.name_key = k.key LIMIT 5
     ) m ON true
     WHERE k.key <> ''`,
    [names],
  );
  const byIndex = new Map<number, typeof rows>();
  for (const row of rows) byIndex.set(row.i, [...(byIndex.get(row.i) ?? []), row]);
  const earlier = new Map<string, Candidate>();
  creating.forEach((candidate, index) => {
    const matches = byIndex.get(index + 1) ?? [];
    const key = matches[0]?.key;
    const similarTo: SimilarTo[] = [...(shared.get(candidate) ?? [])];
    for (const match of matches) {
      if (match.code === null || similarTo.some((s) => 'code' in s && s.code === match.code)) continue;
      if (match.import_id === context.importId && match.import_row !== null) {
        similarTo.push({ row: match.import_row, name: match.name as string });
      } else similarTo.push({ code: match.code, name: match.name as string, owner: match.owner });
    }
    const first = key ? earlier.get(key) : undefined;
    if (first && !similarTo.some((s) => 'row' in s && s.row === first.source.row)) {
      similarTo.push({ row: first.source.row, name: first.fields.name as string });
    } else if (key && !first) earlier.set(key, candidate);
    if (similarTo.length > 0 && report.possibleDuplicates.length < REPORT_LIMIT) {
      report.possibleDuplicates.push({
        row: candidate.source.row,
        name: candidate.fields.name as string,
        similarTo,
      });
    }
  });
}

/** Fills or overwrites stored customers with the rows' non-empty values; keeps their values before, for undo. */
async function updateCustomers(
  tx: Queryable,
  updates: { id: number; candidate: Candidate }[],
  keyring: FieldKeyring,
  importId: number,
): Promise<void> {
  if (updates.length === 0) return;
  const ids = updates.map((update) => update.id);
  await tx.query(
    `INSERT INTO import_updates (customer_id, import_id, before, version_after)
     SELECT c.id, $2, to_jsonb(c) - 'search_text' - 'search_grams', c.version FROM customers c WHERE c.id = ANY($1::bigint[])
     ON CONFLICT (customer_id, import_id) DO NOTHING`,
    [ids, importId],
  );
  const columns = Array.from(
    new Set(
      updates.flatMap((update) => Object.keys(update.candidate.fields)).filter((name) => name !== 'code'),
    ),
  );
  const indexColumns = ['phone', 'email']
    .filter((name) => columns.includes(name))
    .map((name) => `${name}_index`);
  const records = updates.map(({ id, candidate }) => {
    const fields: Record<string, unknown> = {};
    for (const name of columns) fields[name] = candidate.fields[name] ?? null;
    const indexes = sealPersonalFields(keyring, fields);
    const record: Record<string, unknown> = { id };
    for (const name of columns) record[columnOf(name)] = fields[name];
    for (const column of indexColumns) record[column] = indexes[column] ?? null;
    record.custom = candidate.custom;
    return record;
  });
  const sets = [
    ...columns.map((name) => `${columnOf(name)} = coalesce(r.${columnOf(name)}, c.${columnOf(name)})`),
    ...indexColumns.map((column) => `${column} = coalesce(r.${column}, c.${column})`),
    'custom = c.custom || r.custom',
  ];
  await tx.query(
    `UPDATE customers c SET ${sets.join(', ')}, version = c.version + 1, updated_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS r(id bigint${columns.length > 0 ? `, ${recordsetColumns(columns)}` : ''}${indexColumns
       .map((column) => `, ${column} text`)
       .join('')}, custom jsonb)
     WHERE c.id = r.id`,
    [JSON.stringify(records)],
  );
  await tx.query(
    `UPDATE import_updates iu SET version_after = c.version FROM customers c
     WHERE iu.import_id = $2 AND iu.customer_id = c.id AND c.id = ANY($1::bigint[])`,
    [ids, importId],
  );
  await refreshSearchMaterial(tx, ids);
}

/** Later non-empty values win: what `update` does with a row that repeats an earlier row of the file. */
function mergeInto(target: Candidate, later: Candidate): void {
  Object.assign(target.fields, later.fields);
  Object.assign(target.custom, later.custom);
}

/**
 * Imports customers from an xlsx, CSV or tab-separated file (UTF-8 or GBK), its columns recognised
 * by API name, Chinese or English names, custom-field labels, or a saved mapping. A row is a
 * duplicate when its code, phone or e-mail (or a field the company made unique) matches a stored
 * customer or an earlier row: `onDuplicate` `update` (default) fills and overwrites that customer
 * with the row's non-empty values, `skip` leaves it. Rows whose name resembles a stored customer's
 * are reported as possible duplicates and created. One file is one transaction.
 */
export async function importCustomers(
  ctx: AppContext,
  file: string,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const defs = await listCustomFields(ctx.db);
  const unique = await uniqueCustomerFields(ctx.db);
  const today = localDate(ctx.now());
  const onDuplicate = options.onDuplicate ?? 'update';
  let changed = 0;
  return runImportFile(ctx, file, options, {
    kind: 'customers',
    custom: defs.map((def) => ({ key: def.key, labelZh: def.labelZh, labelEn: def.labelEn })),
    required: ['name'],
    async processBatch(rows, context) {
      const { tx, report } = context;
      const validated = rows
        .map((row) => validate(row, defs, ctx.keyring, context))
        .filter((c): c is Candidate => c !== undefined);
      const owned = await resolveOwners(tx, validated, context);
      const candidates = owned.filter((candidate) => {
        const ownerId = candidate.fields.ownerId as number | undefined;
        if (
          ownerId === undefined ||
          ownerId === ctx.actor.userId ||
          actorCan(ctx.actor, 'customers.transfer')
        )
          return true;
        context.invalid(
          candidate.source,
          'owner',
          '不能把客户分配给他人 / You may not assign customers to someone else',
        );
        return false;
      });
      report.valid += candidates.length;
      for (const candidate of candidates) identityKeys(candidate, ctx.keyring, unique);
      const stored = await findStored(ctx, context, candidates, unique);

      const creating: Candidate[] = [];
      const updates = new Map<number, { id: number; candidate: Candidate }>();
      const inBatch = new Map<string, Candidate>();
      const shared = new Map<Candidate, SimilarTo[]>();
      for (const candidate of candidates) {
        // A row with its own code holding another customer's unique value is a conflict, not a match.
        const code = candidate.fields.code;
        const taken = candidate.unique
          .map((key) => ({ key, stored: stored.get(key), earlier: inBatch.get(key) }))
          .find(
            (hit) =>
              (hit.stored && hit.stored.code !== code) || (hit.earlier && hit.earlier.fields.code !== code),
          );
        if (taken) {
          const field = taken.key.split(':')[1] as string;
          const other = taken.stored
            ? `客户 ${taken.stored.code}${taken.stored.owner ? `（负责人 ${taken.stored.owner}）` : ''} / customer ${taken.stored.code}${taken.stored.owner ? ` (owner ${taken.stored.owner})` : ''}`
            : `第 ${taken.earlier?.source.row} 行 / row ${taken.earlier?.source.row}`;
          context.invalid(
            candidate.source,
            field,
            `须唯一，已被使用：${other} / Must be unique; already used by ${other}`,
          );
          continue;
        }
        // The same phone or e-mail under another code: reported, never merged.
        const sameContact: SimilarTo[] = [];
        for (const key of candidate.soft) {
          const other = stored.get(key);
          if (
            other &&
            other.code !== code &&
            !sameContact.some((s) => 'code' in s && s.code === other.code)
          ) {
            sameContact.push({ code: other.code, name: other.name, owner: other.owner });
          }
          const before = inBatch.get(key);
          if (
            before &&
            before !== candidate &&
            !sameContact.some((s) => 'row' in s && s.row === before.source.row)
          ) {
            sameContact.push({ row: before.source.row, name: before.fields.name as string });
          }
        }
        if (sameContact.length > 0) shared.set(candidate, sameContact);
        const earlier = candidate.keys.map((key) => inBatch.get(key)).find((c) => c !== undefined);
        const matchedKey =
          earlier === undefined
            ? [...candidate.keys, `row:${candidate.source.row}`].find((key) => stored.has(key))
            : undefined;
        const match = matchedKey === undefined ? undefined : stored.get(matchedKey);
        if (earlier) {
          report.duplicates.inFile += 1;
          if (onDuplicate === 'skip') report.skipped += 1;
          else mergeInto(earlier, candidate);
          continue;
        }
        if (match) {
          if (match.fromThisImport) report.duplicates.inFile += 1;
          else report.duplicates.existing += 1;
          if (!match.writable) {
            const [kind, field] = (matchedKey as string).split(':');
            context.invalid(
              candidate.source,
              kind === 'unique' ? (field as string) : kind === 'row' ? 'name' : (kind as string),
              `与${match.owner ? ` ${match.owner} 名下的` : ''}客户 ${match.code} 重复，你无权修改该客户 / Duplicate of customer ${match.code}${match.owner ? ` owned by ${match.owner}` : ''}, which you may not change`,
            );
            continue;
          }
          if (onDuplicate === 'skip') {
            report.skipped += 1;
            continue;
          }
          const pending = updates.get(match.id);
          if (pending) mergeInto(pending.candidate, candidate);
          else updates.set(match.id, { id: match.id, candidate });
          continue;
        }
        for (const key of [...candidate.keys, ...candidate.soft, ...candidate.unique]) {
          if (!inBatch.has(key)) inBatch.set(key, candidate);
        }
        creating.push(candidate);
      }
      await reportSimilarNames(context, creating, shared);
      for (const candidate of creating) candidate.fields.ownerId ??= ctx.actor.userId;
      if (creating.length > 0) {
        const columns = Array.from(new Set(['ownerId', ...creating.flatMap((c) => Object.keys(c.fields))]));
        await bulkInsertCustomers(
          tx,
          creating.map((candidate) => ({
            fields: candidate.fields,
            custom: candidate.custom,
            row: candidate.source.row,
          })),
          columns,
          today,
          ctx.keyring,
          context.importId,
        );
      }
      await updateCustomers(tx, [...updates.values()], ctx.keyring, context.importId);
      report.created += creating.length;
      changed += creating.length + updates.size;
      // Customers this import changed that it did not create (a customer updated twice counts once).
      const counted = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM import_updates iu JOIN customers c ON c.id = iu.customer_id
         WHERE iu.import_id = $1 AND c.import_id IS DISTINCT FROM $1`,
        [context.importId],
      );
      report.updated = counted.rows[0]?.n ?? 0;
    },
    async finish(context) {
      await analyzeAfterImport(context.tx, 'customers', changed);
    },
  });
}
