import { stringify } from 'csv-stringify/sync';
import type { Queryable } from '../../db/database.js';
import { explainDecision, type MetricValues, noticeText } from '../../domain/tiers/explain.js';
import type { Scheme } from '../../domain/tiers/scheme.js';
import { type Bilingual, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { scopeClause } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { getScheme } from './schemes.js';

export const noticeStatuses = ['pending', 'sent', 'cancelled'] as const;
export type NoticeStatus = (typeof noticeStatuses)[number];

export interface TierNotice {
  id: number;
  customerId: number;
  customer: string;
  customerName: string;
  scheme: string;
  date: string;
  from: string | null;
  to: string;
  status: NoticeStatus;
  text: Bilingual;
  createdAt: string;
  sentAt: string | null;
}

export interface NoticeFilter {
  status?: NoticeStatus;
  scheme?: string;
  afterId?: number;
  limit?: number;
}

/** The outbox: notices of tier changes, with their text told from the deciding scheme version. */
export async function listNotices(ctx: AppContext, filter: NoticeFilter = {}): Promise<TierNotice[]> {
  const params: unknown[] = [filter.status ?? null, filter.scheme ?? null, filter.afterId ?? 0];
  const scope = await scopeClause(ctx, 'c', params);
  const { rows } = await ctx.db.query<{
    id: number;
    customerId: number;
    customer: string;
    customerName: string;
    scheme: string;
    version: number;
    date: string;
    from: string | null;
    to: string;
    rule: string | null;
    stepped: boolean;
    metrics: MetricValues;
    status: NoticeStatus;
    createdAt: string;
    sentAt: string | null;
  }>(
    `SELECT n.id, n.customer_id AS "customerId", c.code AS customer, c.name AS "customerName", n.scheme_id AS scheme,
       h.scheme_version AS version, h.effective_on AS date, h.from_tier AS "from", h.to_tier AS "to", h.rule, h.stepped,
       h.metrics, n.status, n.created_at AS "createdAt", n.sent_at AS "sentAt"
     FROM tier_notices n
     JOIN tier_history h ON h.customer_id = n.customer_id AND h.id = n.history_id
     JOIN customers c ON c.id = n.customer_id
     WHERE ($1::text IS NULL OR n.status = $1) AND ($2::text IS NULL OR n.scheme_id = $2) AND n.id > $3 AND ${scope}
     ORDER BY n.id LIMIT ${filter.limit ?? 500}`,
    params,
  );
  const versions = new Map<string, Promise<Scheme>>();
  const schemeAt = (id: string, version: number) => {
    const key = `${id}@${version}`;
    let found = versions.get(key);
    if (!found) {
      found = getScheme(ctx.db, id, version).then((stored) => stored.definition);
      versions.set(key, found);
    }
    return found;
  };
  return Promise.all(
    rows.map(async ({ version, rule, stepped, metrics, ...row }) => {
      const scheme = await schemeAt(row.scheme, version);
      const reason = explainDecision(scheme, { rule, stepped, metrics });
      return {
        ...row,
        text: noticeText(scheme, {
          from: row.from,
          to: row.to,
          reason,
          customer: row.customerName,
          date: row.date,
        }),
      };
    }),
  );
}

/** Every notice matching the filter, as CSV (UTF-8 with BOM, so Excel and WPS open it as Chinese). */
export async function exportNoticesCsv(ctx: AppContext, filter: NoticeFilter = {}): Promise<string> {
  const lines: string[][] = [
    ['id', 'customer', 'name', 'scheme', 'date', 'from', 'to', 'status', 'text_zh', 'text_en'],
  ];
  let afterId = 0;
  for (;;) {
    const page = await listNotices(ctx, { ...filter, afterId, limit: 1000 });
    for (const notice of page) {
      lines.push([
        String(notice.id),
        notice.customer,
        notice.customerName,
        notice.scheme,
        notice.date,
        notice.from ?? '',
        notice.to,
        notice.status,
        notice.text.zh,
        notice.text.en,
      ]);
    }
    if (page.length < 1000) break;
    afterId = (page.at(-1) as TierNotice).id;
  }
  return `\uFEFF${stringify(lines)}`;
}

/** Marks notices as sent (or cancelled), e.g. after they went out through another channel. */
export async function markNotices(
  ctx: AppContext,
  ids: number[],
  status: 'sent' | 'cancelled',
): Promise<number> {
  if (ids.length === 0) throw validationError([{ field: 'ids', message: '请选择通知 / Choose notices' }]);
  return ctx.db.transaction(async (tx: Queryable) => {
    const params: unknown[] = [ids, status, ctx.now().toISOString()];
    const scope = await scopeClause(ctx, 'c', params);
    const { rows } = await tx.query<{ n: number }>(
      `WITH changed AS (
         UPDATE tier_notices n SET status = $2, sent_at = CASE WHEN $2 = 'sent' THEN $3::timestamptz END
         FROM customers c
         WHERE c.id = n.customer_id AND n.id = ANY($1::bigint[]) AND n.status = 'pending' AND ${scope}
         RETURNING 1
       ) SELECT count(*)::int AS n FROM changed`,
      params,
    );
    const count = rows[0]?.n ?? 0;
    await recordAudit(
      tx,
      ctx.actor,
      { action: `tiers.notices.${status}`, entityType: 'tier_notice', details: { ids, count } },
      ctx.now(),
    );
    return count;
  });
}
