import { AppError, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { actorCan } from '../access/actor.js';
import { assertCustomerAccess, visibilityOf } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { recordOwnershipTransfer } from '../customers/transfer-customer.js';

export interface Released {
  customerId: number;
  customer: string;
  previousOwner: string | null;
  reason: string;
  at: string;
}

/**
 * 释放: the owner (or a manager or admin of their scope) puts a customer back into the pool with a
 * reason. History, pool event and audit in one transaction; open plans of the previous owner wait
 * without an owner for whoever takes the customer next. Locked customers must be unlocked first.
 */
export async function releaseCustomer(ctx: AppContext, customerId: number, input: { reason: string }) {
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason || reason.length > 500) {
    throw validationError([
      { field: 'reason', message: '须填写原因（最多500字） / Give a reason (at most 500 characters)' },
    ]);
  }
  await visibilityOf(ctx);
  return ctx.db.transaction(async (tx): Promise<Released> => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const { rows } = await tx.query<{
      code: string;
      owner_id: number | null;
      pool_locked: boolean;
      owner: string | null;
    }>(
      `SELECT c.code, c.owner_id, c.pool_locked, u.username AS owner
       FROM customers c LEFT JOIN users u ON u.id = c.owner_id WHERE c.id = $1 FOR UPDATE OF c`,
      [customerId],
    );
    const customer = rows[0] as {
      code: string;
      owner_id: number | null;
      pool_locked: boolean;
      owner: string | null;
    };
    if (customer.owner_id === null) {
      throw new AppError('VERSION_CONFLICT', {
        zh: '该客户已在公海中',
        en: 'This customer is already in the pool',
      });
    }
    if (customer.owner_id !== ctx.actor.userId && !actorCan(ctx.actor, 'customers.transfer')) {
      throw new AppError('FORBIDDEN', {
        zh: '只有负责人或经理可以把客户释放到公海',
        en: 'Only the owner or a manager can release a customer to the pool',
      });
    }
    if (customer.pool_locked) {
      throw new AppError('FORBIDDEN', {
        zh: '该客户已锁定，请先解锁再释放',
        en: 'This customer is locked: unlock it before releasing it',
      });
    }
    const at = ctx.now().toISOString();
    await tx.query(
      'UPDATE customers SET owner_id = NULL, version = version + 1, updated_at = $2 WHERE id = $1',
      [customerId, at],
    );
    await recordOwnershipTransfer(tx, ctx, customerId, customer.owner_id, null, reason);
    await tx.query(
      `INSERT INTO pool_events (customer_id, kind, user_id, reason, actor, at) VALUES ($1, 'release', $2, $3, $4, $5)`,
      [customerId, customer.owner_id, reason, ctx.actor.name, at],
    );
    await tx.query(
      `UPDATE followups SET owner_id = NULL, updated_at = $3 WHERE customer_id = $1 AND status = 'planned' AND owner_id = $2`,
      [customerId, customer.owner_id, at],
    );
    return { customerId, customer: customer.code, previousOwner: customer.owner, reason, at };
  });
}

/**
 * 锁定 / 解锁: a locked customer never returns to the pool by recycling (e.g. a key account in a
 * long sales cycle). Managers and admins, for customers in their scope.
 */
export async function setPoolLock(
  ctx: AppContext,
  customerId: number,
  locked: boolean,
  reason: string | null = null,
): Promise<{ customerId: number; customer: string; locked: boolean }> {
  await visibilityOf(ctx);
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const { rows } = await tx.query<{ code: string; pool_locked: boolean }>(
      'SELECT code, pool_locked FROM customers WHERE id = $1 FOR UPDATE',
      [customerId],
    );
    const customer = rows[0] as { code: string; pool_locked: boolean };
    if (customer.pool_locked !== locked) {
      await tx.query('UPDATE customers SET pool_locked = $2, updated_at = $3 WHERE id = $1', [
        customerId,
        locked,
        ctx.now().toISOString(),
      ]);
      await recordAudit(
        tx,
        ctx.actor,
        {
          action: locked ? 'pool.lock' : 'pool.unlock',
          entityType: 'customer',
          entityId: customerId,
          customerId,
          details: { reason },
        },
        ctx.now(),
      );
    }
    return { customerId, customer: customer.code, locked };
  });
}
