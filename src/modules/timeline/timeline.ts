/**
 * One customer's history in one feed (时间线): transactions, communications, feedback, service
 * records, project events (created, instalment due, payment received), tier changes and follow-up
 * plans, newest first.
 *
 * Why it stays fast for a customer with tens of thousands of events: each source is read by its own
 * subquery along an index on (customer_id, time, id), starting below the cursor and stopping after
 * one page plus one row; UNION ALL of those few rows is then sorted and cut to the page. The work per
 * page is (number of sources) × (page size) rows, whatever the customer's history holds.
 *
 * Dates (transactions, instalments, payments, tier changes) stand at the start of their day in
 * China. Ties in time are broken by kind, then id, so the order — and the cursor — is total.
 */
import type { Queryable } from '../../db/database.js';
import { describeItem, type TimelineKind, timelineKinds } from '../../domain/timeline/describe.js';
import { type Bilingual, type FieldIssue, validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { assertCustomerAccess } from '../access/scope.js';
import {
  decodeCursor,
  encodeCursor,
  INVALID_CURSOR,
  MICROSECOND_TIME,
  microsecondText,
} from '../records/record-fields.js';

export interface TimelineItem {
  kind: TimelineKind;
  id: number;
  /** ISO-8601 UTC; for dated records, the start of the day in China. */
  at: string;
  title: Bilingual;
  /** The record's own words (content, request, notes …), or null. */
  summary: string | null;
  data: Record<string, unknown>;
}

export interface TimelinePage {
  items: TimelineItem[];
  nextCursor: string | null;
}

export interface TimelineQuery {
  /** Only these kinds: an array, or one string separated by commas. */
  kinds?: string | string[];
  limit?: number;
  cursor?: string;
}

export const TIMELINE_MAX_LIMIT = 200;

interface Source {
  kind: TimelineKind;
  from: string;
  /** The time the index orders by, on alias `a`. */
  time: string;
  /** A calendar date rather than a point in time. */
  date: boolean;
  summary: string;
  data: string;
}

const iso = (expression: string) =>
  `to_char((${expression}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const projectName = `(SELECT p.name FROM projects p WHERE p.customer_id = a.customer_id AND p.id = a.project_id)`;

const SOURCES: readonly Source[] = [
  {
    kind: 'transaction',
    from: 'transactions a',
    time: 'a.occurred_on',
    date: true,
    summary: `nullif(concat_ws(' · ', a.product, a.category, a.notes), '')`,
    data: `jsonb_build_object('occurredOn', a.occurred_on::text, 'amount', a.amount::text, 'quantity', a.quantity::text,
      'product', a.product, 'category', a.category, 'channel', a.channel, 'externalRef', a.external_ref, 'notes', a.notes)`,
  },
  {
    kind: 'communication',
    from: 'communications a',
    time: 'a.occurred_at',
    date: false,
    summary: 'a.content',
    data: `jsonb_build_object('occurredAt', ${iso('a.occurred_at')}, 'channel', a.channel, 'direction', a.direction,
      'nextStep', a.next_step, 'contactIds', to_jsonb(a.contact_ids), 'staffIds', to_jsonb(a.staff_ids),
      'followupId', a.followup_id, 'createdBy', a.created_by)`,
  },
  {
    kind: 'feedback',
    from: 'feedback a',
    time: 'a.received_at',
    date: false,
    summary: 'a.content',
    data: `jsonb_build_object('kind', a.kind, 'rating', a.rating, 'status', a.status, 'receivedAt', ${iso('a.received_at')},
      'dueAt', ${iso('a.due_at')}, 'resolvedAt', ${iso('a.resolved_at')}, 'resolution', a.resolution,
      'handlerId', a.handler_id)`,
  },
  {
    kind: 'service',
    from: 'service_records a',
    time: 'a.opened_at',
    date: false,
    summary: 'a.request',
    data: `jsonb_build_object('category', a.category, 'status', a.status, 'openedAt', ${iso('a.opened_at')},
      'resolvedAt', ${iso('a.resolved_at')}, 'resolution', a.resolution, 'handlerId', a.handler_id)`,
  },
  {
    kind: 'project',
    from: 'projects a',
    time: 'a.created_at',
    date: false,
    summary: `nullif(concat_ws(' · ', a.type, a.outcome), '')`,
    data: `jsonb_build_object('name', a.name, 'type', a.type, 'status', a.status, 'contractAmount', a.contract_amount::text,
      'startsOn', a.starts_on::text, 'endsOn', a.ends_on::text, 'customerFeedback', a.customer_feedback)`,
  },
  {
    kind: 'instalment',
    from: 'project_instalments a',
    time: 'a.due_on',
    date: true,
    summary: 'a.label',
    data: `jsonb_build_object('projectId', a.project_id, 'projectName', ${projectName}, 'dueOn', a.due_on::text,
      'amount', a.amount::text, 'label', a.label)`,
  },
  {
    kind: 'payment',
    from: 'project_payments a',
    time: 'a.received_on',
    date: true,
    summary: 'a.notes',
    data: `jsonb_build_object('projectId', a.project_id, 'projectName', ${projectName}, 'receivedOn', a.received_on::text,
      'amount', a.amount::text, 'notes', a.notes)`,
  },
  {
    kind: 'tier',
    from: 'tier_history a',
    time: 'a.effective_on',
    date: true,
    summary: 'coalesce(a.note, a.rule)',
    data: `jsonb_build_object('scheme', a.scheme_id, 'schemeVersion', a.scheme_version, 'effectiveOn', a.effective_on::text,
      'from', a.from_tier, 'to', a.to_tier, 'kind', a.kind, 'rule', a.rule, 'note', a.note, 'actor', a.actor)`,
  },
  {
    kind: 'followup',
    from: 'followups a',
    // Must match the expression index followups_customer_time_idx (migration 0007).
    time: 'coalesce(a.completed_at, a.due_at)',
    date: false,
    summary: 'coalesce(a.outcome, a.content, a.goal)',
    data: `jsonb_build_object('status', a.status, 'method', a.method, 'dueAt', ${iso('a.due_at')},
      'completedAt', ${iso('a.completed_at')}, 'content', a.content, 'goal', a.goal, 'expectedResult', a.expected_result,
      'outcome', a.outcome, 'ownerId', a.owner_id, 'source', a.source, 'scheme', a.scheme_id, 'tier', a.tier,
      'communicationId', a.communication_id)`,
  },
];

interface Cursor {
  /** The last item's time to the microsecond, UTC. */
  at: string;
  kind: TimelineKind;
  id: number;
}

/** The start of a China calendar day as a timestamptz, for dated sources. */
const dayStart = (expression: string) =>
  `((${expression})::timestamp AT TIME ZONE 'UTC' - interval '8 hours')`;

/**
 * The condition "comes after the cursor in the feed" for one source, on its indexed time column
 * (so the index scan starts right there). The feed is ordered by (time, kind, id) descending.
 */
function afterCursor(source: Source, cursor: Cursor, param: (value: unknown) => string): string {
  const { kind } = source;
  const relation = kind < cursor.kind ? 'below-kind' : kind > cursor.kind ? 'above-kind' : 'same-kind';
  if (!source.date) {
    const at = `${param(cursor.at)}::timestamptz`;
    if (relation === 'below-kind') return `${source.time} <= ${at}`;
    if (relation === 'above-kind') return `${source.time} < ${at}`;
    return `(${source.time}, a.id) < (${at}, ${param(cursor.id)}::bigint)`;
  }
  // A dated row stands at midnight (China) of its day: compare days, and the day itself only when
  // the cursor is exactly that midnight.
  const millis = Date.parse(`${cursor.at.slice(0, 23)}Z`);
  const day = localDate(new Date(millis));
  const exact = cursor.at.endsWith('000Z') && (millis + 8 * 3_600_000) % 86_400_000 === 0;
  const d = `${param(day)}::date`;
  if (!exact || relation === 'below-kind') return `${source.time} <= ${d}`;
  if (relation === 'above-kind') return `${source.time} < ${d}`;
  return `(${source.time}, a.id) < (${d}, ${param(cursor.id)}::bigint)`;
}

function parseKinds(raw: string | string[] | undefined, issues: FieldIssue[]): TimelineKind[] {
  if (raw === undefined) return [...timelineKinds];
  const words = (Array.isArray(raw) ? raw : [raw])
    .flatMap((item) => item.split(/[,，\s]+/))
    .map((word) => word.trim())
    .filter(Boolean);
  const unknown = words.filter((word) => !(timelineKinds as readonly string[]).includes(word));
  if (unknown.length > 0 || words.length === 0) {
    issues.push({
      field: 'kinds',
      message: `未知的类型 ${unknown.join(', ')}，可选：${timelineKinds.join(', ')} / Unknown kind ${unknown.join(', ')}; one of: ${timelineKinds.join(', ')}`,
    });
  }
  return timelineKinds.filter((kind) => words.includes(kind));
}

function parseCursor(raw: string, issues: FieldIssue[]): Cursor | undefined {
  const [at, kind, id] = decodeCursor(raw, 3) ?? [];
  if (
    !MICROSECOND_TIME.test(at ?? '') ||
    !(timelineKinds as readonly string[]).includes(kind ?? '') ||
    !/^\d{1,18}$/.test(id ?? '')
  ) {
    issues.push(INVALID_CURSOR);
    return undefined;
  }
  return { at: at as string, kind: kind as TimelineKind, id: Number(id) };
}

interface Row {
  kind: TimelineKind;
  id: number;
  atKey: string;
  summary: string | null;
  data: Record<string, unknown>;
}

/** The SQL of one page (exported for the benchmark's EXPLAIN). */
export function timelineSql(
  customerId: number,
  kinds: readonly TimelineKind[],
  limit: number,
  cursor?: Cursor,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [customerId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const parts = SOURCES.filter((source) => kinds.includes(source.kind)).map((source) => {
    const at = source.date ? dayStart(source.time) : source.time;
    const where = [`a.customer_id = $1`, ...(cursor ? [afterCursor(source, cursor, param)] : [])];
    return `(SELECT '${source.kind}'::text AS kind, a.id, ${at} AS at, ${source.summary} AS summary, ${source.data} AS data
      FROM ${source.from} WHERE ${where.join(' AND ')}
      ORDER BY ${source.time} DESC, a.id DESC LIMIT ${limit + 1})`;
  });
  const sql = `SELECT t.kind, t.id, ${microsecondText('t.at')} AS "atKey", t.summary, t.data
    FROM (${parts.join('\n UNION ALL ')}) t
    ORDER BY t.at DESC, t.kind COLLATE "C" DESC, t.id DESC LIMIT ${limit + 1}`;
  return { sql, params };
}

/**
 * A page of a customer's timeline, newest first, within the actor's data scope (other people's
 * customers answer 404).
 *
 * @example await customerTimeline(ctx, 42, { kinds: 'communication,transaction', limit: 20 })
 */
export async function customerTimeline(
  ctx: AppContext,
  customerId: number,
  query: TimelineQuery = {},
  db: Queryable = ctx.db,
): Promise<TimelinePage> {
  const issues: FieldIssue[] = [];
  const kinds = parseKinds(query.kinds, issues);
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > TIMELINE_MAX_LIMIT) {
    issues.push({
      field: 'limit',
      message: `须为 1 到 ${TIMELINE_MAX_LIMIT} 的整数 / Must be an integer from 1 to ${TIMELINE_MAX_LIMIT}`,
    });
  }
  const cursor = query.cursor ? parseCursor(query.cursor, issues) : undefined;
  if (issues.length > 0) throw validationError(issues);
  await assertCustomerAccess(ctx, db, customerId, 'read');
  const { sql, params } = timelineSql(customerId, kinds, limit, cursor);
  const { rows } = await db.query<Row>(sql, params);
  const now = ctx.now();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      kind: row.kind,
      id: row.id,
      at: `${row.atKey.slice(0, 23)}Z`,
      title: describeItem(row.kind, row.data, now),
      summary: row.summary,
      data: row.data,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor([last.atKey, last.kind, last.id]) : null,
  };
}
