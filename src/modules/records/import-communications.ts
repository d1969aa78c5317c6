import type { Queryable } from '../../db/database.js';
import type { AppContext } from '../../shared/context.js';
import { issuesFromZod } from '../../shared/validation.js';
import { scopeClause } from '../access/scope.js';
import { analyzeAfterImport } from '../imports/analyze-after-import.js';
import {
  type BatchContext,
  type ImportOptions,
  type ImportOutcome,
  type MappedRow,
  runImportFile,
} from '../imports/import-run.js';
import { createCommunicationSchema } from './communication.schemas.js';
import { refreshLastContacted } from './communications.js';

/** File field → API field of a communication. */
const FIELDS: Record<string, string> = {
  time: 'occurredAt',
  channel: 'channel',
  content: 'content',
  next_step: 'nextStep',
  direction: 'direction',
};
const API_TO_FILE = Object.fromEntries(Object.entries(FIELDS).map(([file, api]) => [api, file]));

interface ValidCommunication {
  source: MappedRow;
  customerId: number;
  customerCode: string;
  occurredAt: string;
  channel: string;
  direction: string;
  content: string;
  nextStep: string | null;
}

function validate(row: MappedRow, context: BatchContext): Omit<ValidCommunication, 'customerId'> | undefined {
  const input: Record<string, string> = {};
  for (const [field, api] of Object.entries(FIELDS)) {
    const value = row.values[field];
    if (value !== undefined && value !== '') input[api] = value;
  }
  const customerCode = (row.values.customer_code ?? '').trim();
  let ok = true;
  if (!customerCode) {
    context.invalid(row, 'customer_code', '不能为空 / Required');
    ok = false;
  }
  if (input.occurredAt === undefined) {
    context.invalid(row, 'time', '不能为空 / Required');
    ok = false;
  }
  const parsed = createCommunicationSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of issuesFromZod(parsed.error)) {
      if (issue.field === 'occurredAt' && input.occurredAt === undefined) continue;
      context.invalid(row, API_TO_FILE[issue.field] ?? issue.field, issue.message);
    }
  }
  if (!ok || !parsed.success) return undefined;
  const value = parsed.data;
  return {
    source: row,
    customerCode,
    occurredAt: value.occurredAt as string,
    channel: value.channel,
    direction: value.direction ?? 'outbound',
    content: value.content,
    nextStep: value.nextStep ?? null,
  };
}

const naturalKey = (row: { customerId: number; occurredAt: string; channel: string; content: string }) =>
  `${row.customerId}\u0000${row.occurredAt}\u0000${row.channel}\u0000${row.content}`;

async function insertCommunications(
  tx: Queryable,
  ctx: AppContext,
  rows: ValidCommunication[],
  importId: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO communications (customer_id, occurred_at, channel, direction, content, next_step, import_row,
       import_id, created_by, created_at, updated_at)
     SELECT *, $8::bigint, $9, $10::timestamptz, $10::timestamptz
     FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])`,
    [
      rows.map((row) => row.customerId),
      rows.map((row) => row.occurredAt),
      rows.map((row) => row.channel),
      rows.map((row) => row.direction),
      rows.map((row) => row.content),
      rows.map((row) => row.nextStep),
      rows.map((row) => row.source.row),
      importId,
      ctx.actor.name,
      ctx.now().toISOString(),
    ],
  );
}

async function updateCommunications(
  tx: Queryable,
  ctx: AppContext,
  rows: { id: number; customerId: number; row: ValidCommunication }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE communications m SET occurred_at = r.occurred_at, channel = r.channel, direction = r.direction,
       content = r.content, next_step = coalesce(r.next_step, m.next_step), updated_at = $8::timestamptz
     FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[])
       AS r(customer_id, id, occurred_at, channel, direction, content, next_step)
     WHERE m.customer_id = r.customer_id AND m.id = r.id`,
    [
      rows.map((r) => r.customerId),
      rows.map((r) => r.id),
      rows.map((r) => r.row.occurredAt),
      rows.map((r) => r.row.channel),
      rows.map((r) => r.row.direction),
      rows.map((r) => r.row.content),
      rows.map((r) => r.row.nextStep),
      ctx.now().toISOString(),
    ],
  );
}

/**
 * Imports communications (customer code, time, channel, content, and optionally next step and
 * direction) from xlsx, CSV or tab-separated files. Channels may be written in Chinese (电话, 邮件,
 * 拜访, 微信, 会议, 短信, 其他); a time without offset is China time. A row that repeats a recorded
 * communication (same customer, time, channel and content) — or that is the same row of the same file
 * imported before — is a duplicate: updated (default) or skipped. Last-contacted times are
 * recomputed once, at the end. One file is one transaction; the report is the other kinds' report.
 */
export async function importCommunications(
  ctx: AppContext,
  file: string,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const customerIds = new Map<string, number>();
  const touched = new Set<number>();
  const onDuplicate = options.onDuplicate ?? 'update';
  return runImportFile(ctx, file, options, {
    kind: 'communications',
    custom: [],
    required: ['customer_code', 'time', 'channel', 'content'],
    async processBatch(rows, context) {
      const { tx, report } = context;
      const valid = rows.map((row) => validate(row, context)).filter((row) => row !== undefined);
      const unknownCodes = Array.from(new Set(valid.map((row) => row.customerCode))).filter(
        (code) => !customerIds.has(code),
      );
      if (unknownCodes.length > 0) {
        // Only customers the actor may change: others read as unknown, revealing nothing.
        const params: unknown[] = [unknownCodes];
        const scope = await scopeClause(ctx, 'c', params, 'write');
        const found = await tx.query<{ id: number; code: string }>(
          `SELECT c.id, c.code FROM customers c WHERE c.code = ANY($1::text[]) AND ${scope}`,
          params,
        );
        for (const row of found.rows) customerIds.set(row.code, row.id);
      }
      const resolved: ValidCommunication[] = [];
      for (const row of valid) {
        const customerId = customerIds.get(row.customerCode);
        if (customerId === undefined) {
          context.invalid(
            row.source,
            'customer_code',
            `客户编号 ${row.customerCode} 不存在 / No customer with code ${row.customerCode}`,
          );
          continue;
        }
        resolved.push({ ...row, customerId });
      }
      report.valid += resolved.length;
      if (resolved.length === 0) return;
      // Recorded communications with the same key, or from the same row of this file imported before.
      const { rows: stored } = await tx.query<{
        customerId: number;
        id: number;
        occurredAt: string;
        channel: string;
        content: string;
        importId: number | null;
        importRow: number | null;
      }>(
        `SELECT m.customer_id AS "customerId", m.id, m.occurred_at AS "occurredAt", m.channel, m.content,
           m.import_id AS "importId", m.import_row AS "importRow"
         FROM communications m
         WHERE (m.customer_id, m.occurred_at, m.channel, m.content) IN
               (SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[]))
            OR (m.import_id = ANY($5::bigint[]) AND m.import_row = ANY($6::int[]))`,
        [
          resolved.map((r) => r.customerId),
          resolved.map((r) => r.occurredAt),
          resolved.map((r) => r.channel),
          resolved.map((r) => r.content),
          context.previousImports,
          resolved.map((r) => r.source.row),
        ],
      );
      const byKey = new Map(stored.map((row) => [naturalKey(row), row]));
      const byRow = new Map(
        stored
          .filter((row) => row.importId !== null && context.previousImports.includes(row.importId))
          .map((row) => [row.importRow, row]),
      );
      const creating: ValidCommunication[] = [];
      const updating = new Map<string, { id: number; customerId: number; row: ValidCommunication }>();
      const inBatch = new Map<string, ValidCommunication>();
      for (const row of resolved) {
        const key = naturalKey(row);
        const earlier = inBatch.get(key);
        if (earlier) {
          report.duplicates.inFile += 1;
          if (onDuplicate === 'skip') report.skipped += 1;
          else Object.assign(earlier, { ...row, source: earlier.source });
          continue;
        }
        const match = byKey.get(key) ?? byRow.get(row.source.row);
        if (match) {
          if (match.importId === context.importId) report.duplicates.inFile += 1;
          else report.duplicates.existing += 1;
          if (onDuplicate === 'skip') report.skipped += 1;
          else
            updating.set(`${match.customerId}:${match.id}`, {
              id: match.id,
              customerId: match.customerId,
              row,
            });
          continue;
        }
        inBatch.set(key, row);
        creating.push(row);
      }
      if (creating.length > 0) await insertCommunications(tx, ctx, creating, context.importId);
      await updateCommunications(tx, ctx, [...updating.values()]);
      report.created += creating.length;
      report.updated += updating.size;
      for (const row of [...creating, ...[...updating.values()].map((u) => u.row)])
        touched.add(row.customerId);
    },
    async finish(context) {
      await refreshLastContacted(context.tx, Array.from(touched));
      await analyzeAfterImport(context.tx, 'communications', context.report.created + context.report.updated);
    },
  });
}
