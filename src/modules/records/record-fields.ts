/**
 * What the customer records (communications, feedback, service records, projects) share: points in
 * time, enumerations that accept their Chinese labels, checks that named contacts and users exist,
 * and the keyset cursor of their lists.
 */
import { z } from 'zod';
import type { Queryable } from '../../db/database.js';
import { parseDateTime } from '../../domain/records/date-time.js';
import {
  OPEN_STATUSES,
  type RecordOption,
  type RecordStatus,
  toOptionKey,
} from '../../domain/records/options.js';
import { type FieldIssue, validationError } from '../../shared/app-error.js';

const DATE_TIME_MESSAGE =
  '须为日期时间，例：2024-03-05 14:30（北京时间）或 2024-03-05T14:30:00+08:00 / Must be a date and time, e.g. 2024-03-05 14:30 (China time) or 2024-03-05T14:30:00+08:00';

/** A point in time (see domain/records/date-time.ts), stored and returned as ISO-8601 UTC. */
export const dateTimeSchema = z.string().transform((value, ctx) => {
  const parsed = parseDateTime(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: DATE_TIME_MESSAGE });
    return z.NEVER;
  }
  return parsed;
});

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const optionalDateTime = z.preprocess(blankToUndefined, dateTimeSchema.optional());

/** An enumeration that also takes its Chinese and English labels, with the choices in its message. */
export function recordEnum<const V extends string>(options: readonly (RecordOption & { value: V })[]) {
  const values = options.map((option) => option.value) as [V, ...V[]];
  const choices = options.map((option) => `${option.value}（${option.zh}）`).join('、');
  return z.preprocess(
    (value) => toOptionKey(options, value),
    z.enum(values, {
      error: () => `须为以下之一：${choices} / Must be one of: ${values.join(', ')}`,
    }),
  );
}

/** Trimmed text; blank is refused (`required`) or becomes null. */
export const requiredText = (max: number) => z.string().trim().min(1).max(max);
export const nullableText = (max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
    z.string().trim().max(max).nullable().optional(),
  );

/** A user id, or a numeric string of one (forms and spreadsheets). */
export const idSchema = z.preprocess(
  (value) => (typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value),
  z.number().int().positive(),
);

/** Refuses ids of users that do not exist, naming each offending position (`staffIds.1`). */
export async function assertUsersExist(tx: Queryable, ids: readonly number[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const { rows } = await tx.query<{ id: number }>('SELECT id FROM users WHERE id = ANY($1::bigint[])', [
    Array.from(new Set(ids)),
  ]);
  const known = new Set(rows.map((row) => row.id));
  const issues: FieldIssue[] = [];
  ids.forEach((id, index) => {
    if (!known.has(id)) {
      issues.push({
        field: ids.length === 1 && !field.endsWith('Ids') ? field : `${field}.${index}`,
        message: `用户 ${id} 不存在 / No user with id ${id}`,
      });
    }
  });
  if (issues.length > 0) throw validationError(issues);
}

/** Refuses contact ids that are not contacts of this customer. */
export async function assertContactsOf(
  tx: Queryable,
  customerId: number,
  ids: readonly number[],
  field: string,
): Promise<void> {
  if (ids.length === 0) return;
  const { rows } = await tx.query<{ id: number }>(
    'SELECT id FROM contacts WHERE customer_id = $1 AND id = ANY($2::bigint[])',
    [customerId, Array.from(new Set(ids))],
  );
  const known = new Set(rows.map((row) => row.id));
  const issues: FieldIssue[] = [];
  ids.forEach((id, index) => {
    if (!known.has(id)) {
      issues.push({
        field: `${field}.${index}`,
        message: `联系人 ${id} 不是该客户的联系人 / Contact ${id} is not a contact of this customer`,
      });
    }
  });
  if (issues.length > 0) throw validationError(issues);
}

/** Page size of the record lists: 1–500, default 50. */
export function pageLimit(limit: number | undefined, issues: FieldIssue[], max = 500): number {
  const value = limit ?? 50;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    issues.push({ field: 'limit', message: `须为 1 到 ${max} 的整数 / Must be an integer from 1 to ${max}` });
  }
  return value;
}

/**
 * The keyset cursor of a list newest first: the row's time to the microsecond (as PostgreSQL
 * prints it in UTC) and its id, opaque to callers.
 */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(parts.join('|')).toString('base64url');
}

export function decodeCursor(cursor: string, count: number): string[] | undefined {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  return parts.length === count ? parts : undefined;
}

export const INVALID_CURSOR = { field: 'cursor', message: '分页游标无效 / Invalid cursor' };

/** SQL that prints a timestamptz in UTC to the microsecond: `2024-03-05T06:30:00.123456Z`. */
export const microsecondText = (expression: string) =>
  `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export const MICROSECOND_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Hours between two ISO instants, to two decimals; null while the second is missing. */
export function hoursBetween(from: string, to: string | null): number | null {
  if (to === null) return null;
  return Math.round((Date.parse(to) - Date.parse(from)) / 36_000) / 100;
}

/**
 * When a record counts as resolved: set when its status becomes resolved or closed (now, unless the
 * caller gives the time), kept while it stays so, cleared when it is opened again.
 */
export function resolvedAtFor(
  status: RecordStatus,
  previous: { status: RecordStatus; resolvedAt: string | null } | null,
  given: string | undefined,
  now: Date,
): string | null {
  if (OPEN_STATUSES.includes(status)) return null;
  if (given !== undefined) return given;
  if (previous && !OPEN_STATUSES.includes(previous.status) && previous.resolvedAt) return previous.resolvedAt;
  return now.toISOString();
}
