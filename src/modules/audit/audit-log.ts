import type { Queryable } from '../../db/database.js';
import { type AuditContent, chainHash, GENESIS_HASH, verifyChain } from '../../domain/audit/hash-chain.js';
import type { Actor } from '../access/actor.js';

export interface AuditInput {
  action: string;
  entityType?: string;
  entityId?: string | number;
  customerId?: number | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one entry to the audit trail inside the caller's transaction, so the entry exists exactly
 * when the change does. The head row is locked until commit: entries form one chain, no forks.
 */
export async function recordAudit(
  tx: Queryable,
  actor: Actor,
  input: AuditInput,
  at = new Date(),
): Promise<void> {
  const { rows } = await tx.query<{ last_id: number; last_hash: string }>(
    'SELECT last_id, last_hash FROM audit_head FOR UPDATE',
  );
  const head = rows[0] ?? { last_id: 0, last_hash: GENESIS_HASH };
  const content: AuditContent = {
    id: head.last_id + 1,
    at: at.toISOString(),
    actorType: actor.type,
    actor: actor.name,
    action: input.action,
    entityType: input.entityType ?? null,
    entityId: input.entityId === undefined ? null : String(input.entityId),
    customerId: input.customerId ?? null,
    details: input.details ?? {},
  };
  const hash = chainHash(head.last_hash, content);
  await tx.query(
    `INSERT INTO audit_log (id, at, actor_type, actor, action, entity_type, entity_id, customer_id, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      content.id,
      content.at,
      content.actorType,
      content.actor,
      content.action,
      content.entityType,
      content.entityId,
      content.customerId,
      JSON.stringify(content.details),
      head.last_hash,
      hash,
    ],
  );
  await tx.query('UPDATE audit_head SET last_id = $1, last_hash = $2', [content.id, hash]);
}

export interface AuditEntry extends AuditContent {
  prevHash: string;
  hash: string;
}

const SELECT = `SELECT id, at, actor_type AS "actorType", actor, action, entity_type AS "entityType",
  entity_id AS "entityId", customer_id AS "customerId", details, prev_hash AS "prevHash", hash FROM audit_log`;

export interface AuditFilter {
  action?: string;
  actor?: string;
  customerId?: number;
  from?: string;
  to?: string;
  beforeId?: number;
  limit?: number;
}

/** Newest first, filtered; paginated by id. */
export async function listAudit(
  db: Queryable,
  filter: AuditFilter,
): Promise<{ items: AuditEntry[]; nextBeforeId: number | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.action) add('action LIKE ?', `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.actor) add('actor = ?', filter.actor);
  if (filter.customerId !== undefined) add('customer_id = ?', filter.customerId);
  if (filter.from) add('at >= ?::timestamptz', `${filter.from}T00:00:00+08:00`);
  if (filter.to) add("at < ?::timestamptz + interval '1 day'", `${filter.to}T00:00:00+08:00`);
  if (filter.beforeId !== undefined) add('id < ?', filter.beforeId);
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const { rows } = await db.query<AuditEntry>(
    `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit + 1}`,
    params,
  );
  const items = rows.slice(0, limit);
  return { items, nextBeforeId: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  firstBadId: number | null;
  problem: string | null;
}

/** Re-computes the whole chain in pages; any edited, inserted or removed entry breaks it. */
export async function verifyAuditLog(db: Queryable): Promise<AuditVerification> {
  let previous = GENESIS_HASH;
  let lastId = 0;
  let count = 0;
  for (;;) {
    const { rows } = await db.query<AuditEntry>(`${SELECT} WHERE id > $1 ORDER BY id LIMIT 5000`, [lastId]);
    if (rows.length === 0) break;
    for (const [index, row] of rows.entries()) {
      if (row.id !== lastId + index + 1)
        return { ok: false, entries: count, firstBadId: row.id, problem: 'missing_entry' };
    }
    const problem = verifyChain(rows, previous);
    if (problem) return { ok: false, entries: count, firstBadId: problem.id, problem: problem.problem };
    count += rows.length;
    previous = rows.at(-1)?.hash ?? previous;
    lastId = rows.at(-1)?.id ?? lastId;
  }
  const head = await db.query<{ last_id: number; last_hash: string }>(
    'SELECT last_id, last_hash FROM audit_head',
  );
  if (head.rows[0] && (head.rows[0].last_id !== lastId || head.rows[0].last_hash !== previous)) {
    return { ok: false, entries: count, firstBadId: lastId + 1, problem: 'missing_tail' };
  }
  return { ok: true, entries: count, firstBadId: null, problem: null };
}
