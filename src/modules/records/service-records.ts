import type { Queryable } from '../../db/database.js';
import { type RecordStatus, statusOptions, toOptionKey } from '../../domain/records/options.js';
import { type FieldIssue, notFound, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { assertCustomerAccess } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
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
import {
  createServiceRecordSchema,
  type ServiceRecord,
  updateServiceRecordSchema,
} from './service-record.schemas.js';

const SERVICE_RECORD = { zh: '服务记录', en: 'Service record' };

const COLUMNS = `s.id, s.customer_id AS "customerId", s.request, s.category, s.status, s.resolution,
  s.opened_at AS "openedAt", s.resolved_at AS "resolvedAt", s.handler_id AS "handlerId",
  (SELECT u.username FROM users u WHERE u.id = s.handler_id) AS handler, s.created_by AS "createdBy",
  s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

type ServiceRow = Omit<ServiceRecord, 'timeToResolveHours'> & { status: RecordStatus };

const present = (row: ServiceRow): ServiceRecord => ({
  ...row,
  timeToResolveHours: hoursBetween(row.openedAt, row.resolvedAt),
});

async function findServiceRecord(db: Queryable, customerId: number, id: number): Promise<ServiceRow> {
  const { rows } = await db.query<ServiceRow>(
    `SELECT ${COLUMNS} FROM service_records s WHERE s.customer_id = $1 AND s.id = $2`,
    [customerId, id],
  );
  if (!rows[0]) throw notFound(SERVICE_RECORD);
  return rows[0];
}

function resolvedBeforeOpened(openedAt: string, resolvedAt: string | null): FieldIssue[] {
  return resolvedAt !== null && resolvedAt < openedAt
    ? [{ field: 'resolvedAt', message: '不能早于受理时间 / Cannot be before the time opened' }]
    : [];
}

/** Records a service request (服务记录); resolved_at follows its status. */
export async function createServiceRecord(
  ctx: AppContext,
  customerId: number,
  input: unknown,
): Promise<ServiceRecord> {
  const fields = parseOrThrow(createServiceRecordSchema, input);
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    if (fields.handlerId) await assertUsersExist(tx, [fields.handlerId], 'handlerId');
    const now = ctx.now();
    const openedAt = fields.openedAt ?? now.toISOString();
    const status = fields.status ?? 'open';
    const resolvedAt = resolvedAtFor(status, null, fields.resolvedAt, now);
    const issues = resolvedBeforeOpened(openedAt, resolvedAt);
    if (issues.length > 0) throw validationError(issues);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO service_records (customer_id, request, category, status, resolution, opened_at, resolved_at,
         handler_id, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
      [
        customerId,
        fields.request,
        fields.category ?? null,
        status,
        fields.resolution ?? null,
        openedAt,
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
        action: 'service_record.create',
        entityType: 'service_record',
        entityId: id,
        customerId,
        details: { category: fields.category ?? null, status },
      },
      now,
    );
    return present(await findServiceRecord(tx, customerId, id));
  });
}

export async function updateServiceRecord(
  ctx: AppContext,
  customerId: number,
  id: number,
  input: unknown,
): Promise<ServiceRecord> {
  const patch = parseOrThrow(updateServiceRecordSchema, input);
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const before = await findServiceRecord(tx, customerId, id);
    if (patch.handlerId) await assertUsersExist(tx, [patch.handlerId], 'handlerId');
    const now = ctx.now();
    const status = patch.status ?? before.status;
    const openedAt = patch.openedAt ?? before.openedAt;
    const resolvedAt = resolvedAtFor(status, before, patch.resolvedAt, now);
    const issues = resolvedBeforeOpened(openedAt, resolvedAt);
    if (issues.length > 0) throw validationError(issues);
    const values = {
      request: patch.request ?? before.request,
      category: patch.category === undefined ? before.category : patch.category,
      status,
      resolution: patch.resolution === undefined ? before.resolution : patch.resolution,
      opened_at: openedAt,
      resolved_at: resolvedAt,
      handler_id: patch.handlerId === undefined ? before.handlerId : patch.handlerId,
    };
    const columns = Object.keys(values);
    await tx.query(
      `UPDATE service_records SET ${columns.map((column, i) => `${column} = $${i + 3}`).join(', ')},
         updated_at = $${columns.length + 3}
       WHERE customer_id = $1 AND id = $2`,
      [customerId, id, ...Object.values(values), now.toISOString()],
    );
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'service_record.update',
        entityType: 'service_record',
        entityId: id,
        customerId,
        details: {
          fields: Object.keys(patch),
          ...(status !== before.status ? { status: { from: before.status, to: status } } : {}),
        },
      },
      now,
    );
    return present(await findServiceRecord(tx, customerId, id));
  });
}

export async function deleteServiceRecord(ctx: AppContext, customerId: number, id: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    await findServiceRecord(tx, customerId, id);
    await tx.query('DELETE FROM service_records WHERE customer_id = $1 AND id = $2', [customerId, id]);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'service_record.delete',
        entityType: 'service_record',
        entityId: id,
        customerId,
        details: {},
      },
      ctx.now(),
    );
  });
}

export interface ServiceRecordQuery {
  status?: string;
  category?: string;
  limit?: number;
  cursor?: string;
}

/** A customer's service records, newest first (opened_at, id). */
export async function listServiceRecords(
  ctx: AppContext,
  customerId: number,
  query: ServiceRecordQuery = {},
): Promise<{ items: ServiceRecord[]; nextCursor: string | null }> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  const issues: FieldIssue[] = [];
  const params: unknown[] = [customerId];
  const where = ['s.customer_id = $1'];
  if (query.status !== undefined) {
    const status = toOptionKey(statusOptions, query.status);
    if (!statusOptions.some((option) => option.value === status)) {
      issues.push({ field: 'status', message: `未知的状态 / Unknown status: ${query.status}` });
    } else {
      params.push(status);
      where.push(`s.status = $${params.length}`);
    }
  }
  if (query.category) {
    params.push(query.category);
    where.push(`s.category = $${params.length}`);
  }
  const limit = pageLimit(query.limit, issues);
  if (query.cursor) {
    const [time, id] = decodeCursor(query.cursor, 2) ?? [];
    if (!MICROSECOND_TIME.test(time ?? '') || !/^\d+$/.test(id ?? '')) issues.push(INVALID_CURSOR);
    else {
      params.push(time, Number(id));
      where.push(`(s.opened_at, s.id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
  }
  if (issues.length > 0) throw validationError(issues);
  const { rows } = await ctx.db.query<ServiceRow & { cursorTime: string }>(
    `SELECT ${COLUMNS}, ${microsecondText('s.opened_at')} AS "cursorTime" FROM service_records s
     WHERE ${where.join(' AND ')} ORDER BY s.opened_at DESC, s.id DESC LIMIT ${limit + 1}`,
    params,
  );
  const page = rows.slice(0, limit);
  const tail = page.at(-1);
  return {
    items: page.map(({ cursorTime: _cursor, ...row }) => present(row)),
    nextCursor: rows.length > limit && tail ? encodeCursor([tail.cursorTime, tail.id]) : null,
  };
}
