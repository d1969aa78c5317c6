import { z } from 'zod';
import type { Queryable } from '../../db/database.js';
import { channelOptions, toOptionKey } from '../../domain/records/options.js';
import { type FieldIssue, notFound, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { assertCustomerAccess } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { lockCustomers } from '../customers/customer.queries.js';
import {
  type Communication,
  type CreateCommunicationInput,
  createCommunicationSchema,
  updateCommunicationSchema,
} from './communication.schemas.js';
import {
  assertContactsOf,
  assertUsersExist,
  decodeCursor,
  encodeCursor,
  INVALID_CURSOR,
  MICROSECOND_TIME,
  microsecondText,
  pageLimit,
} from './record-fields.js';

const COMMUNICATION = { zh: '沟通记录', en: 'Communication' };

const SELECT = `SELECT m.id, m.customer_id AS "customerId", m.occurred_at AS "occurredAt", m.channel, m.direction,
  m.content, m.contact_ids AS "contactIds", m.staff_ids AS "staffIds", m.next_step AS "nextStep",
  m.followup_id AS "followupId", m.created_by AS "createdBy", m.created_at AS "createdAt", m.updated_at AS "updatedAt",
  coalesce((SELECT jsonb_agg(jsonb_build_object('id', k.id, 'name', k.name) ORDER BY k.id) FROM contacts k
            WHERE k.customer_id = m.customer_id AND k.id = ANY(m.contact_ids)), '[]'::jsonb) AS contacts,
  coalesce((SELECT jsonb_agg(jsonb_build_object('id', u.id, 'username', u.username, 'displayName', u.display_name)
            ORDER BY u.id) FROM users u WHERE u.id = ANY(m.staff_ids)), '[]'::jsonb) AS staff,
  ${microsecondText('m.occurred_at')} AS "cursorTime"
  FROM communications m`;

type CommunicationRow = Communication & { cursorTime: string };

function present({ cursorTime: _cursor, ...row }: CommunicationRow): Communication {
  return row;
}

async function findCommunication(db: Queryable, customerId: number, id: number): Promise<Communication> {
  const { rows } = await db.query<CommunicationRow>(`${SELECT} WHERE m.customer_id = $1 AND m.id = $2`, [
    customerId,
    id,
  ]);
  if (!rows[0]) throw notFound(COMMUNICATION);
  return present(rows[0]);
}

/**
 * Sets customers.last_contacted_at to their latest communication. Called in the same transaction as
 * every communication write (like the purchase summary): recomputed, not compared, so corrections
 * and deletions stay exact. The customers are locked first, so concurrent writers go in turn.
 */
export async function refreshLastContacted(tx: Queryable, customerIds: readonly number[]): Promise<void> {
  if (customerIds.length === 0) return;
  await lockCustomers(tx, customerIds);
  await tx.query(
    `UPDATE customers c SET last_contacted_at =
       (SELECT max(m.occurred_at) FROM communications m WHERE m.customer_id = c.id)
     WHERE c.id = ANY($1::bigint[])`,
    [Array.from(new Set(customerIds))],
  );
}

/** What the follow-up plans pass besides the fields of the API: the plan this communication completes. */
const recordInputSchema = createCommunicationSchema.extend({
  followupId: z.number().int().positive().optional(),
});
export type RecordCommunicationInput = CreateCommunicationInput & { followupId?: number };

async function assertFollowupOf(tx: Queryable, customerId: number, followupId: number): Promise<void> {
  const { rows } = await tx.query('SELECT 1 FROM followups WHERE customer_id = $1 AND id = $2', [
    customerId,
    followupId,
  ]);
  if (rows.length === 0) {
    throw validationError([
      {
        field: 'followupId',
        message: `跟进计划 ${followupId} 不属于该客户 / Follow-up ${followupId} is not a plan of this customer`,
      },
    ]);
  }
}

/**
 * Records a communication (沟通记录) with a customer and moves its last-contacted time, with the
 * audit entry, in one transaction. Pass `tx` to make it part of a transaction already open (the
 * follow-up plans complete a plan and record its communication together); without it, one is opened.
 *
 * @example await recordCommunication(ctx, 42, { channel: '电话', content: '确认报价', occurredAt: '2024-03-05 14:30' })
 */
export async function recordCommunication(
  ctx: AppContext,
  customerId: number,
  input: RecordCommunicationInput,
  tx?: Queryable,
): Promise<Communication> {
  const fields = parseOrThrow(recordInputSchema, input);
  const work = async (db: Queryable) => {
    await assertCustomerAccess(ctx, db, customerId, 'write');
    await assertContactsOf(db, customerId, fields.contactIds ?? [], 'contactIds');
    await assertUsersExist(db, fields.staffIds ?? [], 'staffIds');
    if (fields.followupId !== undefined) await assertFollowupOf(db, customerId, fields.followupId);
    const now = ctx.now().toISOString();
    const occurredAt = fields.occurredAt ?? now;
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO communications (customer_id, occurred_at, channel, direction, content, contact_ids, staff_ids,
         next_step, followup_id, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::bigint[], $7::bigint[], $8, $9, $10, $11, $11) RETURNING id`,
      [
        customerId,
        occurredAt,
        fields.channel,
        fields.direction ?? 'outbound',
        fields.content,
        fields.contactIds ?? [],
        fields.staffIds ?? [],
        fields.nextStep ?? null,
        fields.followupId ?? null,
        ctx.actor.name,
        now,
      ],
    );
    const id = rows[0]?.id as number;
    await refreshLastContacted(db, [customerId]);
    await recordAudit(
      db,
      ctx.actor,
      {
        action: 'communication.create',
        entityType: 'communication',
        entityId: id,
        customerId,
        details: { occurredAt, channel: fields.channel, followupId: fields.followupId ?? null },
      },
      ctx.now(),
    );
    return findCommunication(db, customerId, id);
  };
  return tx ? work(tx) : ctx.db.transaction(work);
}

const COLUMNS: Record<string, string> = {
  occurredAt: 'occurred_at',
  channel: 'channel',
  direction: 'direction',
  content: 'content',
  contactIds: 'contact_ids',
  staffIds: 'staff_ids',
  nextStep: 'next_step',
};
const CASTS: Record<string, string> = { contact_ids: '::bigint[]', staff_ids: '::bigint[]' };

export async function updateCommunication(
  ctx: AppContext,
  customerId: number,
  id: number,
  input: unknown,
): Promise<Communication> {
  const patch = parseOrThrow(updateCommunicationSchema, input);
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    await findCommunication(tx, customerId, id);
    if (patch.contactIds) await assertContactsOf(tx, customerId, patch.contactIds, 'contactIds');
    if (patch.staffIds) await assertUsersExist(tx, patch.staffIds, 'staffIds');
    const changed = Object.keys(COLUMNS).filter((name) => patch[name as keyof typeof patch] !== undefined);
    if (changed.length > 0) {
      const columns = changed.map((name) => COLUMNS[name] as string);
      await tx.query(
        `UPDATE communications SET ${columns.map((column, i) => `${column} = $${i + 3}${CASTS[column] ?? ''}`).join(', ')},
           updated_at = $${columns.length + 3}
         WHERE customer_id = $1 AND id = $2`,
        [
          customerId,
          id,
          ...changed.map((name) => patch[name as keyof typeof patch] ?? null),
          ctx.now().toISOString(),
        ],
      );
    }
    await refreshLastContacted(tx, [customerId]);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'communication.update',
        entityType: 'communication',
        entityId: id,
        customerId,
        // The content may hold personal data: the trail names the fields changed, not their text.
        details: { fields: changed },
      },
      ctx.now(),
    );
    return findCommunication(tx, customerId, id);
  });
}

export async function deleteCommunication(ctx: AppContext, customerId: number, id: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    await findCommunication(tx, customerId, id);
    await tx.query('DELETE FROM communications WHERE customer_id = $1 AND id = $2', [customerId, id]);
    await refreshLastContacted(tx, [customerId]);
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'communication.delete', entityType: 'communication', entityId: id, customerId, details: {} },
      ctx.now(),
    );
  });
}

export interface CommunicationQuery {
  channel?: string;
  limit?: number;
  cursor?: string;
}

export interface CommunicationPage {
  items: Communication[];
  nextCursor: string | null;
  /** The customer's latest communication (customers.last_contacted_at). */
  lastContactedAt: string | null;
}

/** A customer's communications, newest first, keyset-paginated on (occurred_at, id). */
export async function listCommunications(
  ctx: AppContext,
  customerId: number,
  query: CommunicationQuery = {},
): Promise<CommunicationPage> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  const issues: FieldIssue[] = [];
  const params: unknown[] = [customerId];
  const where = ['m.customer_id = $1'];
  if (query.channel !== undefined) {
    const channel = toOptionKey(channelOptions, query.channel);
    if (!channelOptions.some((option) => option.value === channel)) {
      issues.push({ field: 'channel', message: `未知的沟通方式 / Unknown channel: ${query.channel}` });
    } else {
      params.push(channel);
      where.push(`m.channel = $${params.length}`);
    }
  }
  const limit = pageLimit(query.limit, issues);
  if (query.cursor) {
    const [time, id] = decodeCursor(query.cursor, 2) ?? [];
    if (!MICROSECOND_TIME.test(time ?? '') || !/^\d+$/.test(id ?? '')) issues.push(INVALID_CURSOR);
    else {
      params.push(time, Number(id));
      where.push(`(m.occurred_at, m.id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
  }
  if (issues.length > 0) throw validationError(issues);
  const { rows } = await ctx.db.query<CommunicationRow>(
    `${SELECT} WHERE ${where.join(' AND ')} ORDER BY m.occurred_at DESC, m.id DESC LIMIT ${limit + 1}`,
    params,
  );
  const last = await ctx.db.query<{ at: string | null }>(
    'SELECT last_contacted_at AS at FROM customers WHERE id = $1',
    [customerId],
  );
  const page = rows.slice(0, limit);
  const tail = page.at(-1);
  return {
    items: page.map(present),
    nextCursor: rows.length > limit && tail ? encodeCursor([tail.cursorTime, tail.id]) : null,
    lastContactedAt: last.rows[0]?.at ?? null,
  };
}
