import type { Queryable } from '../../db/database.js';
import { notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { assertCustomerAccess } from '../access/scope.js';
import { requireUserByUsername } from '../access/users.js';
import { recordAudit } from '../audit/audit-log.js';
import { moveOpenFollowups } from '../followups/followups.js';
import { findCustomerByCode, findCustomerById } from './customer.queries.js';
import type { Customer } from './customer.schemas.js';
import { presentPersonal } from './personal-data.js';
import { CUSTOMER } from './update-customer.js';

/** Writes the history row and the audit entry of an ownership change (转移), inside the caller's transaction. */
export async function recordOwnershipTransfer(
  tx: Queryable,
  ctx: AppContext,
  customerId: number,
  from: number | null,
  to: number | null,
  reason: string | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO ownership_transfers (customer_id, from_user_id, to_user_id, actor, reason, at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [customerId, from, to, ctx.actor.name, reason, ctx.now().toISOString()],
  );
  const names = await tx.query<{ id: number; username: string }>(
    'SELECT id, username FROM users WHERE id = ANY($1::bigint[])',
    [[from, to].filter((id) => id !== null)],
  );
  const nameOf = (id: number | null) => names.rows.find((row) => row.id === id)?.username ?? null;
  await recordAudit(
    tx,
    ctx.actor,
    {
      action: 'customer.transfer',
      entityType: 'customer',
      entityId: customerId,
      customerId,
      details: { from: nameOf(from), to: nameOf(to), reason },
    },
    ctx.now(),
  );
}

/**
 * Transfers a customer to another owner, with history. The customer's contacts and transactions
 * belong to the customer and move with it.
 */
export async function transferCustomer(
  ctx: AppContext,
  code: string,
  toUsername: string,
  reason: string | null = null,
): Promise<Customer> {
  return ctx.db.transaction(async (tx) => {
    const customer = await findCustomerByCode(tx, code);
    if (!customer) throw notFound(CUSTOMER);
    await assertCustomerAccess(ctx, tx, customer.id, 'write');
    const target = await requireUserByUsername(tx, toUsername);
    if (customer.ownerId === target.id) return presentPersonal(ctx, customer);
    await tx.query(
      'UPDATE customers SET owner_id = $2, version = version + 1, updated_at = $3 WHERE id = $1',
      [customer.id, target.id, ctx.now().toISOString()],
    );
    await recordOwnershipTransfer(tx, ctx, customer.id, customer.ownerId, target.id, reason);
    await moveOpenFollowups(tx, ctx, customer.id, customer.ownerId, target.id);
    return presentPersonal(ctx, (await findCustomerById(tx, customer.id)) as Customer);
  });
}

export interface OwnershipTransfer {
  at: string;
  from: string | null;
  to: string | null;
  actor: string;
  reason: string | null;
}

export async function ownershipHistory(ctx: AppContext, customerId: number): Promise<OwnershipTransfer[]> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  const { rows } = await ctx.db.query<OwnershipTransfer>(
    `SELECT t.at, f.username AS "from", o.username AS "to", t.actor, t.reason
     FROM ownership_transfers t LEFT JOIN users f ON f.id = t.from_user_id LEFT JOIN users o ON o.id = t.to_user_id
     WHERE t.customer_id = $1 ORDER BY t.at, t.id`,
    [customerId],
  );
  return rows;
}
