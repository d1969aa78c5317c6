import type { Queryable } from '../../db/database.js';
import {
  feedbackKindOptions,
  OPEN_STATUSES,
  type RecordStatus,
  statusOptions,
  toOptionKey,
} from '../../domain/records/options.js';
import { type FieldIssue, notFound, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { assertCustomerAccess, scopeClause } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import {
  type Complaint,
  complaintSettingsSchema,
  createFeedbackSchema,
  type Feedback,
  updateFeedbackSchema,
} from './feedback.schemas.js';
import {
  assertUsersExist,
  decodeCursor,
  encodeCursor,
  hoursBetween,
  INVALID_CURSOR,
  MICROSECOND_TIME,
  microsecondText,
  pageLimit,
  resolvedAtFor,
} from './record-fields.js';

const FEEDBACK = { zh: '反馈', en: 'Feedback' };
const DUE_HOURS_KEY = 'complaints.due_hours';
export const DEFAULT_COMPLAINT_DUE_HOURS = 48;

const COLUMNS = `f.id, f.customer_id AS "customerId", f.kind, f.rating, f.content, f.status, f.resolution,
  f.received_at AS "receivedAt", f.due_at AS "dueAt", f.resolved_at AS "resolvedAt", f.handler_id AS "handlerId",
  (SELECT u.username FROM users u WHERE u.id = f.handler_id) AS handler, f.created_by AS "createdBy",
  f.created_at AS "createdAt", f.updated_at AS "updatedAt"`;

type FeedbackRow = Omit<Feedback, 'overdue' | 'timeToResolveHours'> & { status: RecordStatus };

function present(row: FeedbackRow, now: Date): Feedback {
  return {
    ...row,
    overdue: isOverdue(row, now),
    timeToResolveHours: hoursBetween(row.receivedAt, row.resolvedAt),
  };
}

/** A complaint is overdue when it is still open (or being handled) after its due time. */
export function isOverdue(row: { kind: string; status: string; dueAt: string | null }, now: Date): boolean {
  return (
    row.kind === 'complaint' &&
    OPEN_STATUSES.includes(row.status as RecordStatus) &&
    row.dueAt !== null &&
    Date.parse(row.dueAt) < now.getTime()
  );
}

async function findFeedback(db: Queryable, customerId: number, id: number): Promise<FeedbackRow> {
  const { rows } = await db.query<FeedbackRow>(
    `SELECT ${COLUMNS} FROM feedback f WHERE f.customer_id = $1 AND f.id = $2`,
    [customerId, id],
  );
  if (!rows[0]) throw notFound(FEEDBACK);
  return rows[0];
}

export async function complaintDueHours(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ value: unknown }>('SELECT value FROM settings WHERE key = $1', [
    DUE_HOURS_KEY,
  ]);
  const value = rows[0]?.value;
  return typeof value === 'number' && Number.isInteger(value) && value > 0
    ? value
    : DEFAULT_COMPLAINT_DUE_HOURS;
}

/** Sets how long a complaint may stay open (settings key `complaints.due_hours`); applies to new complaints. */
export async function setComplaintDueHours(ctx: AppContext, input: unknown): Promise<{ dueHours: number }> {
  const { dueHours } = parseOrThrow(complaintSettingsSchema, input);
  await ctx.db.transaction(async (tx) => {
    const before = await complaintDueHours(tx);
    await tx.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [DUE_HOURS_KEY, JSON.stringify(dueHours)],
    );
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'settings.complaints', details: { before, after: dueHours } },
      ctx.now(),
    );
  });
  return { dueHours };
}

function orderIssues(values: {
  receivedAt: string;
  dueAt: string | null;
  resolvedAt: string | null;
}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (values.dueAt !== null && values.dueAt < values.receivedAt) {
    issues.push({ field: 'dueAt', message: '不能早于收到时间 / Cannot be before the time received' });
  }
  if (values.resolvedAt !== null && values.resolvedAt < values.receivedAt) {
    issues.push({ field: 'resolvedAt', message: '不能早于收到时间 / Cannot be before the time received' });
  }
  return issues;
}

const DUE_ONLY_COMPLAINTS = {
  field: 'dueAt',
  message: '只有投诉有处理期限 / Only complaints have a due time',
};

/** Records feedback (反馈): a review, a suggestion or a complaint; complaints get their due time. */
export async function createFeedback(ctx: AppContext, customerId: number, input: unknown): Promise<Feedback> {
  const fields = parseOrThrow(createFeedbackSchema, input);
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    if (fields.handlerId) await assertUsersExist(tx, [fields.handlerId], 'handlerId');
    const now = ctx.now();
    const receivedAt = fields.receivedAt ?? now.toISOString();
    const status = fields.status ?? 'open';
    if (fields.kind !== 'complaint' && fields.dueAt !== undefined)
      throw validationError([DUE_ONLY_COMPLAINTS]);
    const dueAt =
      fields.kind === 'complaint'
        ? (fields.dueAt ??
          new Date(Date.parse(receivedAt) + (await complaintDueHours(tx)) * 3_600_000).toISOString())
        : null;
    const resolvedAt = resolvedAtFor(status, null, fields.resolvedAt, now);
    const issues = orderIssues({ receivedAt, dueAt, resolvedAt });
    if (issues.length > 0) throw validationError(issues);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO feedback (customer_id, kind, rating, content, status, resolution, received_at, due_at, resolved_at,
         handler_id, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
      [
        customerId,
        fields.kind,
        fields.rating ?? null,
        fields.content,
        status,
        fields.resolution ?? null,
        receivedAt,
        dueAt,
        resolvedAt,
        fields.handlerId ?? null,
        ctx.actor.name,
        now.toISOString(),
      ],
    );
    const id = rows[0]?.id as number;
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'feedback.create',
        entityType: 'feedback',
        entityId: id,
        customerId,
        details: { kind: fields.kind, status, rating: fields.rating ?? null, dueAt },
      },
      now,
    );
    return present(await findFeedback(tx, customerId, id), now);
  });
}

/**
 * Changes feedback: its status moves resolved_at (set when it becomes resolved or closed, cleared
 * when it is opened again); a record that becomes a complaint gets a due time.
 */
export async function updateFeedback(
  ctx: AppContext,
  customerId: number,
  id: number,
  input: unknown,
): Promise<Feedback> {
  const patch = parseOrThrow(updateFeedbackSchema, input);
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const before = await findFeedback(tx, customerId, id);
    if (patch.handlerId) await assertUsersExist(tx, [patch.handlerId], 'handlerId');
    const now = ctx.now();
    const kind = patch.kind ?? before.kind;
    const status = patch.status ?? before.status;
    const receivedAt = patch.receivedAt ?? before.receivedAt;
    if (kind !== 'complaint' && patch.dueAt !== undefined) throw validationError([DUE_ONLY_COMPLAINTS]);
    const dueAt =
      kind !== 'complaint'
        ? null
        : (patch.dueAt ??
          before.dueAt ??
          new Date(Date.parse(receivedAt) + (await complaintDueHours(tx)) * 3_600_000).toISOString());
    const resolvedAt = resolvedAtFor(status, before, patch.resolvedAt, now);
    const issues = orderIssues({ receivedAt, dueAt, resolvedAt });
    if (issues.length > 0) throw validationError(issues);
    const values = {
      kind,
      rating: patch.rating === undefined ? before.rating : patch.rating,
      content: patch.content ?? before.content,
      status,
      resolution: patch.resolution === undefined ? before.resolution : patch.resolution,
      received_at: receivedAt,
      due_at: dueAt,
      resolved_at: resolvedAt,
      handler_id: patch.handlerId === undefined ? before.handlerId : patch.handlerId,
    };
    const columns = Object.keys(values);
    await tx.query(
      `UPDATE feedback SET ${columns.map((column, i) => `${column} = $${i + 3}`).join(', ')},
         updated_at = $${columns.length + 3}
       WHERE customer_id = $1 AND id = $2`,
      [customerId, id, ...Object.values(values), now.toISOString()],
    );
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'feedback.update',
        entityType: 'feedback',
        entityId: id,
        customerId,
        details: {
          fields: Object.keys(patch),
          ...(status !== before.status ? { status: { from: before.status, to: status } } : {}),
        },
      },
      now,
    );
    return present(await findFeedback(tx, customerId, id), now);
  });
}

export async function deleteFeedback(ctx: AppContext, customerId: number, id: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const before = await findFeedback(tx, customerId, id);
    await tx.query('DELETE FROM feedback WHERE customer_id = $1 AND id = $2', [customerId, id]);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'feedback.delete',
        entityType: 'feedback',
        entityId: id,
        customerId,
        details: { kind: before.kind },
      },
      ctx.now(),
    );
  });
}

/** Comma-separated or repeated values of an enumeration parameter, as keys; unknown ones are issues. */
function enumFilter(
  raw: string | string[] | undefined,
  options: readonly { value: string; zh: string; en: string }[],
  field: string,
  issues: FieldIssue[],
): string[] {
  if (raw === undefined) return [];
  const words = (Array.isArray(raw) ? raw : [raw]).flatMap((item) => item.split(/[,，]/)).filter(Boolean);
  const keys: string[] = [];
  for (const word of words) {
    const key = toOptionKey(options, word);
    if (typeof key === 'string' && options.some((option) => option.value === key)) keys.push(key);
    else
      issues.push({
        field,
        message: `未知的值 ${word}，可选：${options.map((o) => o.value).join(', ')} / Unknown value ${word}; one of: ${options.map((o) => o.value).join(', ')}`,
      });
  }
  return keys;
}

export interface FeedbackQuery {
  kind?: string | string[];
  status?: string | string[];
  limit?: number;
  cursor?: string;
}

/** A customer's feedback, newest first (received_at, id). */
export async function listFeedback(
  ctx: AppContext,
  customerId: number,
  query: FeedbackQuery = {},
): Promise<{ items: Feedback[]; nextCursor: string | null }> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  const issues: FieldIssue[] = [];
  const params: unknown[] = [customerId];
  const where = ['f.customer_id = $1'];
  const kinds = enumFilter(query.kind, feedbackKindOptions, 'kind', issues);
  const statuses = enumFilter(query.status, statusOptions, 'status', issues);
  if (kinds.length > 0) {
    params.push(kinds);
    where.push(`f.kind = ANY($${params.length}::text[])`);
  }
  if (statuses.length > 0) {
    params.push(statuses);
    where.push(`f.status = ANY($${params.length}::text[])`);
  }
  const limit = pageLimit(query.limit, issues);
  if (query.cursor) {
    const [time, id] = decodeCursor(query.cursor, 2) ?? [];
    if (!MICROSECOND_TIME.test(time ?? '') || !/^\d+$/.test(id ?? '')) issues.push(INVALID_CURSOR);
    else {
      params.push(time, Number(id));
      where.push(`(f.received_at, f.id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
  }
  if (issues.length > 0) throw validationError(issues);
  const { rows } = await ctx.db.query<FeedbackRow & { cursorTime: string }>(
    `SELECT ${COLUMNS}, ${microsecondText('f.received_at')} AS "cursorTime" FROM feedback f
     WHERE ${where.join(' AND ')} ORDER BY f.received_at DESC, f.id DESC LIMIT ${limit + 1}`,
    params,
  );
  const now = ctx.now();
  const page = rows.slice(0, limit);
  const tail = page.at(-1);
  return {
    items: page.map(({ cursorTime: _cursor, ...row }) => present(row, now)),
    nextCursor: rows.length > limit && tail ? encodeCursor([tail.cursorTime, tail.id]) : null,
  };
}

export interface ComplaintQuery {
  status?: string | string[];
  overdue?: boolean;
  customerId?: number;
  limit?: number;
  cursor?: string;
}

/**
 * Complaints of every customer the actor may see, overdue first, then by due time: the queue of
 * complaints to work on. `overdue=true` keeps only those still open after their due time.
 */
export async function listComplaints(
  ctx: AppContext,
  query: ComplaintQuery = {},
): Promise<{ items: Complaint[]; nextCursor: string | null }> {
  const issues: FieldIssue[] = [];
  const now = ctx.now();
  const params: unknown[] = [now.toISOString()];
  const overdue = `(f.status IN ('open', 'in_progress') AND f.due_at < $1::timestamptz)`;
  const where = ["f.kind = 'complaint'", await scopeClause(ctx, 'c', params)];
  const statuses = enumFilter(query.status, statusOptions, 'status', issues);
  if (statuses.length > 0) {
    params.push(statuses);
    where.push(`f.status = ANY($${params.length}::text[])`);
  }
  if (query.overdue === true) where.push(overdue);
  if (query.overdue === false) where.push(`NOT ${overdue}`);
  if (query.customerId !== undefined) {
    params.push(query.customerId);
    where.push(`f.customer_id = $${params.length}`);
  }
  const limit = pageLimit(query.limit, issues);
  if (query.cursor) {
    const [flag, time, customerId, id] = decodeCursor(query.cursor, 4) ?? [];
    if (
      !/^[01]$/.test(flag ?? '') ||
      !MICROSECOND_TIME.test(time ?? '') ||
      !/^\d+$/.test(customerId ?? '') ||
      !/^\d+$/.test(id ?? '')
    ) {
      issues.push(INVALID_CURSOR);
    } else {
      params.push(flag === '1', time, Number(customerId), Number(id));
      const n = params.length;
      where.push(`(${overdue} < $${n - 3}::boolean OR (${overdue} = $${n - 3}::boolean
        AND (f.due_at, f.customer_id, f.id) > ($${n - 2}::timestamptz, $${n - 1}::bigint, $${n}::bigint)))`);
    }
  }
  if (issues.length > 0) throw validationError(issues);
  const { rows } = await ctx.db.query<
    FeedbackRow & { customerCode: string; customerName: string; cursorTime: string; late: boolean }
  >(
    `SELECT ${COLUMNS}, c.code AS "customerCode", c.name AS "customerName", ${overdue} AS late,
       ${microsecondText('f.due_at')} AS "cursorTime"
     FROM feedback f JOIN customers c ON c.id = f.customer_id
     WHERE ${where.join(' AND ')}
     ORDER BY ${overdue} DESC, f.due_at, f.customer_id, f.id LIMIT ${limit + 1}`,
    params,
  );
  const page = rows.slice(0, limit);
  const tail = page.at(-1);
  return {
    items: page.map(({ cursorTime: _cursor, late: _late, ...row }) => present(row, now) as Complaint),
    nextCursor:
      rows.length > limit && tail
        ? encodeCursor([tail.late ? 1 : 0, tail.cursorTime, tail.customerId, tail.id])
        : null,
  };
}
