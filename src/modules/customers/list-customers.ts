import type { Queryable } from '../../db/database.js';
import {
  type CustomFieldDefinition,
  parseCustomValue,
} from '../../domain/custom-fields/custom-field-values.js';
import { type CustomerEnumName, customerEnums, toEnumKey } from '../../domain/customers/enums.js';
import { parseSearchQuery } from '../../domain/customers/search-material.js';
import { type FieldIssue, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { isCalendarDate, normalizeBooleanInput, normalizeDateInput } from '../../shared/fields.js';
import { customerScopeCondition } from '../access/scope.js';
import { listCustomFields } from '../custom-fields/custom-fields.js';
import { activeConsentCondition, consentPurposes } from '../privacy/consents.js';
import { CUSTOMER_COLUMNS, columnOf } from './customer.queries.js';
import type { Customer } from './customer.schemas.js';
import { presentPersonal } from './personal-data.js';

export type ListParams = Record<string, string | string[] | undefined>;

export interface CustomerPage {
  items: Customer[];
  /** Matching customers, counted up to COUNT_CAP unless `exactTotal` was asked for. */
  total: number;
  /** False when more than COUNT_CAP customers match and `total` is COUNT_CAP ("5,000+"). */
  totalIsExact: boolean;
  nextCursor: string | null;
}

const EQUALITY_FIELDS = [
  'code',
  'type',
  'stage',
  'status',
  'vip',
  'industry',
  'source',
  'companySize',
  'province',
  'city',
  'gender',
  'ageBand',
  'incomeLevel',
  'creditStatus',
  'paymentMethod',
  'communicationChannel',
  'ownerId',
] as const;

/** Date range parameters `<name>From` / `<name>To` and the column they bound. */
const DATE_RANGES: Record<string, { column: string; instant: boolean }> = {
  created: { column: 'created_at', instant: true },
  updated: { column: 'updated_at', instant: true },
  firstContact: { column: 'first_contact_on', instant: false },
  cooperationStart: { column: 'cooperation_start_on', instant: false },
  lastPurchase: { column: 'last_purchase_on', instant: false },
  firstPurchase: { column: 'first_purchase_on', instant: false },
};

const NUMBER_RANGES: Record<string, string> = { totalSpent: 'total_spent', orderCount: 'order_count' };
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Sortable standard fields, with the SQL type their cursor values are cast to. */
const SORTABLE: Record<string, string> = {
  code: 'text',
  name: 'text',
  createdAt: 'timestamptz',
  updatedAt: 'timestamptz',
  totalSpent: 'numeric',
  orderCount: 'integer',
  lastPurchaseOn: 'date',
  firstPurchaseOn: 'date',
  firstContactOn: 'date',
  cooperationStartOn: 'date',
  province: 'text',
  city: 'text',
  industry: 'text',
  stage: 'text',
  status: 'text',
};

/**
 * Sort keys whose column is NOT NULL. Their ORDER BY needs no NULLS LAST and their cursor condition
 * is a row comparison, so a btree index on (column, id) serves both directions and every page,
 * instead of a sort of all matching rows (docs/benchmarks.md).
 */
const NOT_NULL_SORTS = new Set([
  'code',
  'name',
  'createdAt',
  'updatedAt',
  'totalSpent',
  'orderCount',
  'stage',
  'status',
]);

/**
 * Matching customers are counted up to this many; beyond it `total` is this number with
 * `totalIsExact: false` ("5,000+"), unless the caller asks for `exactTotal`. An exact count of a broad
 * search must visit every matching row's heap page (82,000 rows for 王 at 1,000,000 customers) and
 * missed the search latency target on its own; counting at most COUNT_CAP + 1 rows stops early.
 *
 * The same number decides how a page is read — the count's only other use. Up to COUNT_CAP matches,
 * a page is cut from all the matches, sorted: the filters' and search's own indexes find them. Beyond
 * it, walking the sort column's index until the page is full is cheaper. The count decides, not the
 * planner, whose estimate for `LIKE '%…%'` can be off a hundredfold: walking the index for a search
 * that matches almost nothing reads every customer (docs/benchmarks.md).
 */
export const COUNT_CAP = 5000;

/** Every parameter the list accepts besides cf.KEY filters. */
export const KNOWN_PARAMS: ReadonlySet<string> = new Set<string>([
  ...EQUALITY_FIELDS,
  'search',
  'owner',
  'consent',
  'tag',
  'anyTag',
  'sort',
  'limit',
  'cursor',
  'exactTotal',
  ...Object.keys(DATE_RANGES).flatMap((name) => [`${name}From`, `${name}To`]),
  ...Object.keys(NUMBER_RANGES).flatMap((name) => [`${name}Min`, `${name}Max`]),
]);

export const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((item) => item !== '');

/** China local midnight of a calendar date, as an instant: dates the user picks are local dates. */
function localMidnight(date: string, addDays = 0): string {
  const instant = new Date(`${date}T00:00:00+08:00`);
  instant.setUTCDate(instant.getUTCDate() + addDays);
  return instant.toISOString();
}

export class Sql {
  readonly params: unknown[] = [];
  readonly where: string[] = [];
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

export interface SortSpec {
  key: string;
  expression: string;
  type: string;
  descending: boolean;
  notNull: boolean;
}

export function parseSort(
  raw: string | undefined,
  defs: Map<string, CustomFieldDefinition>,
  issues: FieldIssue[],
): SortSpec {
  const text = raw?.trim() || '-createdAt';
  const descending = text.startsWith('-');
  const key = descending ? text.slice(1) : text;
  if (SORTABLE[key]) {
    return {
      key: text,
      expression: `c.${columnOf(key)}`,
      type: SORTABLE[key],
      descending,
      notNull: NOT_NULL_SORTS.has(key),
    };
  }
  if (key.startsWith('cf.')) {
    const def = defs.get(key.slice(3));
    if (def?.personal) {
      issues.push({
        field: 'sort',
        message: '个人信息字段已加密，不能排序 / Personal fields are encrypted and cannot be sorted',
      });
    } else if (def) {
      const numeric = def.type === 'number';
      return {
        key: text,
        expression: numeric ? `(c.custom->>'${def.key}')::numeric` : `(c.custom->>'${def.key}')`,
        type: numeric ? 'numeric' : 'text',
        descending,
        notNull: false,
      };
    }
  }
  issues.push({
    field: 'sort',
    message: `不能按 ${key} 排序 / Cannot sort by ${key} (use ${Object.keys(SORTABLE).join(', ')} or cf.KEY)`,
  });
  return {
    key: '-createdAt',
    expression: 'c.created_at',
    type: 'timestamptz',
    descending: true,
    notNull: true,
  };
}

function encodeCursor(sortKey: string, value: unknown, id: number): string {
  return Buffer.from(JSON.stringify([sortKey, value, id])).toString('base64url');
}

function decodeCursor(cursor: string, sortKey: string): [unknown, number] | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== sortKey) return undefined;
    if (typeof parsed[2] !== 'number' || (parsed[1] !== null && typeof parsed[1] !== 'string'))
      return undefined;
    return [parsed[1], parsed[2]];
  } catch {
    return undefined;
  }
}

function addCustomFilter(
  sql: Sql,
  def: CustomFieldDefinition,
  operator: 'eq' | 'min' | 'max',
  values: string[],
  issues: FieldIssue[],
) {
  const field = `cf.${def.key}${operator === 'eq' ? '' : `.${operator}`}`;
  if (operator !== 'eq') {
    if (def.type !== 'number' && def.type !== 'date') {
      issues.push({
        field,
        message: '只有数字和日期字段支持范围 / Ranges apply to number and date fields only',
      });
      return;
    }
    const value = def.type === 'date' ? normalizeDateInput(values[0]) : values[0];
    const valid = def.type === 'number' ? DECIMAL.test(String(value)) : isCalendarDate(value);
    if (!valid) {
      issues.push({ field, message: '范围值无效 / Invalid range value' });
      return;
    }
    const cast = def.type === 'number' ? 'numeric' : 'date';
    const comparison = operator === 'min' ? '>=' : '<=';
    sql.where.push(`(c.custom->>'${def.key}')::${cast} ${comparison} ${sql.param(value)}::${cast}`);
    return;
  }
  // A value is read as it would be stored (option labels, 是/否, 2024/1/5); a multi-select matches
  // the customers whose list contains it.
  const alternatives: string[] = [];
  for (const value of values) {
    const parsed = parseCustomValue(def, value);
    if (!parsed.ok) {
      issues.push({ field, message: `${def.labelZh}：${parsed.zh} / ${def.labelEn}: ${parsed.en}` });
      return;
    }
    alternatives.push(`c.custom @> ${sql.param(JSON.stringify({ [def.key]: parsed.value }))}::jsonb`);
  }
  sql.where.push(`(${alternatives.join(' OR ')})`);
}

export interface CustomerFilter {
  /** The filters as conditions on customers alias `c`, with their parameters. */
  sql: Sql;
  defs: Map<string, CustomFieldDefinition>;
  /** Unknown or malformed parameters; the caller adds its own and refuses them all at once. */
  issues: FieldIssue[];
}

/**
 * The list's filter and search parameters (not sort or paging) as SQL conditions — one builder for
 * the list and the export, so both select the same customers. `known` names every parameter the
 * caller accepts; any other one (besides cf.KEY) is an issue. Data scope and consent come from
 * addAccessConditions, after the caller has refused the issues.
 */
export async function customerFilterConditions(
  ctx: AppContext,
  params: ListParams,
  known: ReadonlySet<string> = KNOWN_PARAMS,
): Promise<CustomerFilter> {
  const defs = new Map((await listCustomFields(ctx.db)).map((def) => [def.key, def]));
  const issues: FieldIssue[] = [];
  const sql = new Sql();

  for (const [name, raw] of Object.entries(params)) {
    if (raw === undefined || known.has(name)) continue;
    const match = /^cf\.([a-z][a-z0-9_]*)(?:\.(min|max))?$/.exec(name);
    const def = match ? defs.get(match[1] as string) : undefined;
    if (!def) {
      issues.push({ field: name, message: `未知的查询参数 / Unknown parameter "${name}"` });
      continue;
    }
    if (def.personal) {
      issues.push({
        field: name,
        message: '个人信息字段已加密，不能筛选 / Personal fields are encrypted and cannot be filtered',
      });
      continue;
    }
    const values = asList(raw);
    // Like the standard filters, a parameter without a value filters nothing.
    if (values.length > 0)
      addCustomFilter(sql, def, (match?.[2] as 'min' | 'max' | undefined) ?? 'eq', values, issues);
  }

  for (const field of EQUALITY_FIELDS) {
    const values = asList(params[field]);
    if (values.length === 0) continue;
    if (field === 'vip') {
      const flag = normalizeBooleanInput(values[0]);
      if (typeof flag !== 'boolean')
        issues.push({ field, message: '须为 true 或 false / Must be true or false' });
      else sql.where.push(`c.vip = ${sql.param(flag)}`);
      continue;
    }
    if (field === 'ownerId') {
      if (values.some((value) => !/^\d+$/.test(value))) {
        issues.push({ field, message: '须为用户编号 / Must be a user id' });
      } else sql.where.push(`c.owner_id = ANY(${sql.param(values.map(Number))}::bigint[])`);
      continue;
    }
    const enumName = field in customerEnums ? (field as CustomerEnumName) : undefined;
    const keys = enumName ? values.map((value) => String(toEnumKey(enumName, value))) : values;
    sql.where.push(`c.${columnOf(field)} = ANY(${sql.param(keys)}::text[])`);
  }

  const owners = asList(params.owner);
  if (owners.length > 0) {
    sql.where.push(
      `c.owner_id IN (SELECT u.id FROM users u WHERE u.username = ANY(${sql.param(owners)}::text[]))`,
    );
  }

  const allTags = asList(params.tag);
  if (allTags.length > 0) sql.where.push(`c.tags @> ${sql.param(allTags)}::text[]`);
  const anyTags = asList(params.anyTag);
  if (anyTags.length > 0) sql.where.push(`c.tags && ${sql.param(anyTags)}::text[]`);

  for (const [name, range] of Object.entries(DATE_RANGES)) {
    for (const bound of ['From', 'To'] as const) {
      const raw = asList(params[`${name}${bound}`])[0];
      if (raw === undefined) continue;
      const date = normalizeDateInput(raw);
      if (!isCalendarDate(date)) {
        issues.push({ field: `${name}${bound}`, message: '须为日期 YYYY-MM-DD / Must be a date YYYY-MM-DD' });
        continue;
      }
      if (range.instant) {
        const instant = bound === 'From' ? localMidnight(date) : localMidnight(date, 1);
        sql.where.push(
          `c.${range.column} ${bound === 'From' ? '>=' : '<'} ${sql.param(instant)}::timestamptz`,
        );
      } else {
        sql.where.push(`c.${range.column} ${bound === 'From' ? '>=' : '<='} ${sql.param(date)}::date`);
      }
    }
  }

  for (const [name, column] of Object.entries(NUMBER_RANGES)) {
    for (const bound of ['Min', 'Max'] as const) {
      const raw = asList(params[`${name}${bound}`])[0];
      if (raw === undefined) continue;
      if (!DECIMAL.test(raw)) {
        issues.push({ field: `${name}${bound}`, message: '须为数字 / Must be a number' });
        continue;
      }
      sql.where.push(`c.${column} ${bound === 'Min' ? '>=' : '<='} ${sql.param(raw)}::numeric`);
    }
  }

  const search = parseSearchQuery(asList(params.search)[0] ?? '');
  if (search.kind === 'text') sql.where.push(`c.search_text LIKE ${sql.param(search.pattern)}`);
  if (search.kind === 'grams') sql.where.push(`c.search_grams @> ARRAY[${sql.param(search.gram)}::text]`);
  if (search.kind === 'phone' || search.kind === 'email') {
    const index = ctx.keyring.blindIndex(search.kind, search.kind === 'phone' ? search.e164 : search.email);
    sql.where.push(`c.personal_index @> ARRAY[${sql.param(index)}::text]`);
  }
  return { sql, defs, issues };
}

/**
 * Adds the consent filter and the actor's data scope to `sql`. Marketing works only with customers
 * who agreed to marketing (PIPL); others may ask for a consent purpose with `consent`.
 */
export async function addAccessConditions(ctx: AppContext, params: ListParams, sql: Sql): Promise<void> {
  const consent = ctx.actor.role === 'marketing' ? 'marketing' : asList(params.consent)[0];
  if (consent !== undefined) {
    if (!(consentPurposes as readonly string[]).includes(consent)) {
      throw validationError([
        {
          field: 'consent',
          message: `须为 ${consentPurposes.join(' / ')} / Must be one of ${consentPurposes.join(', ')}`,
        },
      ]);
    }
    sql.where.push(activeConsentCondition('c', sql.param(consent)));
  }
  // The data scope, in the same WHERE as the filters: the count and every page respect it.
  const scope = await customerScopeCondition(ctx, 'c', (value) => sql.param(value));
  if (scope) sql.where.push(scope);
}

/**
 * Lists customers with filters, search, sort and keyset pagination (see docs/api.md).
 * Unknown or malformed parameters are refused with the parameter named, never ignored.
 */
export async function listCustomers(ctx: AppContext, params: ListParams): Promise<CustomerPage> {
  const { sql, defs, issues } = await customerFilterConditions(ctx, params);

  const limitText = asList(params.limit)[0];
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    issues.push({ field: 'limit', message: '须为 1 到 500 的整数 / Must be an integer from 1 to 500' });
  }
  const sort = parseSort(asList(params.sort)[0], defs, issues);
  const cursorText = asList(params.cursor)[0];
  const cursor = cursorText ? decodeCursor(cursorText, sort.key) : undefined;
  const exactText = asList(params.exactTotal)[0];
  const exactTotal = exactText === undefined ? false : normalizeBooleanInput(exactText);
  if (typeof exactTotal !== 'boolean') {
    issues.push({ field: 'exactTotal', message: '须为 true 或 false / Must be true or false' });
  }
  if (cursorText && !cursor) {
    issues.push({
      field: 'cursor',
      message: '分页游标无效或与排序不符 / Invalid cursor, or made for another sort',
    });
  }
  if (issues.length > 0) throw validationError(issues);
  await addAccessConditions(ctx, params, sql);
  const filters = [...sql.where];
  const countParams = [...sql.params];
  if (cursor) sql.where.push(keysetCondition(sql, sort, cursor[0], cursor[1]));
  const direction = sort.descending ? 'DESC' : 'ASC';
  // The count comes first: it decides how the page is read (see COUNT_CAP). Capped, it reads at
  // most COUNT_CAP + 1 matches; either way more than COUNT_CAP means "walk the sort index".
  const count = await countQuery(
    ctx.db,
    exactTotal === true
      ? `SELECT count(*)::int AS total FROM customers c ${where(filters)}`
      : `SELECT count(*)::int AS total FROM (SELECT 1 FROM customers c ${where(filters)} LIMIT ${COUNT_CAP + 1}) t`,
    countParams,
  );
  const total = exactTotal === true ? count : Math.min(count, COUNT_CAP);
  const totalIsExact = exactTotal === true || count <= COUNT_CAP;
  if (count === 0) return { items: [], total: 0, totalIsExact: true, nextCursor: null };
  const source =
    count <= COUNT_CAP
      ? `(SELECT * FROM customers c ${where(sql.where)} OFFSET 0) c`
      : `customers c ${where(sql.where)}`;
  // The sort value goes into the cursor as PostgreSQL's own text: exact to the microsecond for
  // timestamps and to the last digit for numbers, and cast back to its type by keysetCondition.
  const pageSql = `SELECT ${CUSTOMER_COLUMNS}, (${sort.expression})::text AS "_sortValue"
    FROM ${source}
    ORDER BY ${sort.expression} ${direction}${sort.notNull ? '' : ' NULLS LAST'}, c.id ${direction}
    LIMIT ${limit + 1}`;
  const page = await ctx.db.query<Customer & { _sortValue: unknown }>(pageSql, sql.params);
  const rows = page.rows.slice(0, limit);
  const last = rows.at(-1);
  const nextCursor =
    page.rows.length > limit && last ? encodeCursor(sort.key, last._sortValue, last.id) : null;
  return {
    // Lists always show personal fields masked; full values are one audited reveal away.
    items: rows.map(({ _sortValue, ...customer }) => presentPersonal(ctx, customer, 'masked')),
    total,
    totalIsExact,
    nextCursor,
  };
}

async function countQuery(db: Queryable, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ total: number }>(sql, params);
  return rows[0]?.total ?? 0;
}

function where(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** Rows strictly after (value, id) in `ORDER BY expr dir NULLS LAST, id dir`. */
export function keysetCondition(sql: Sql, sort: SortSpec, value: unknown, id: number): string {
  const idParam = sql.param(id);
  const after = sort.descending ? '<' : '>';
  if (value === null) return `(${sort.expression} IS NULL AND c.id ${after} ${idParam})`;
  const valueParam = `${sql.param(value)}::${sort.type}`;
  if (sort.notNull) return `(${sort.expression}, c.id) ${after} (${valueParam}, ${idParam})`;
  return `(${sort.expression} ${after} ${valueParam} OR (${sort.expression} = ${valueParam} AND c.id ${after} ${idParam}) OR ${sort.expression} IS NULL)`;
}
