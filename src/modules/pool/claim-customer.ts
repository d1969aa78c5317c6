/**
 * Taking a customer out of the pool (公海): a rep claims one (领取) within the daily claim limit and
 * their holding limit (库容), not within the no-reclaim period after it left them; a manager or
 * admin assigns one (分配) to a user of their scope, within that user's holding limit. Either way
 * the customer gets its owner, history (ownership_transfers), a pool event and an audit entry, its
 * open follow-ups move to the new owner and its cadence follow-ups are planned — in one transaction.
 *
 * Concurrency: the customer row is locked and must still have no owner, so of two reps claiming the
 * same customer at once exactly one wins (the other gets 409); the claimer's user row is locked
 * too, so one rep's parallel claims cannot overrun the limits.
 */

import type { Queryable } from '../../db/database.js';
import { startOfLocalDay } from '../../domain/followups/local-time.js';
import { AppError, validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { visibilityOf } from '../access/scope.js';
import { recordOwnershipTransfer } from '../customers/transfer-customer.js';
import { planCustomerFollowups } from '../followups/plan-followups.js';
import { getPoolSettings } from './pool-settings.js';

export interface PoolMove {
  customerId: number;
  customer: string;
  name: string;
  owner: string;
  at: string;
}

const NOT_IN_POOL = {
  zh: '该客户已不在公海中（可能刚被他人领取）',
  en: 'This customer is no longer in the pool (someone may have just claimed it)',
};

async function lockPoolCustomer(tx: Queryable, customerId: number) {
  const { rows } = await tx.query<{ id: number; code: string; name: string; owner_id: number | null }>(
    'SELECT id, code, name, owner_id FROM customers WHERE id = $1 AND erased_at IS NULL FOR UPDATE',
    [customerId],
  );
  const customer = rows[0];
  if (!customer) throw new AppError('NOT_FOUND', { zh: '客户不存在', en: 'Customer not found' });
  if (customer.owner_id !== null) throw new AppError('VERSION_CONFLICT', NOT_IN_POOL);
  return customer;
}

async function checkHoldingLimit(tx: Queryable, userId: number, limit: number | null, self: boolean) {
  if (limit === null) return;
  const { rows } = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM customers WHERE owner_id = $1',
    [userId],
  );
  const held = rows[0]?.n ?? 0;
  if (held >= limit) {
    throw new AppError(
      'FORBIDDEN',
      self
        ? {
            zh: `你已有 ${held} 个客户，达到库容上限 ${limit}`,
            en: `You own ${held} customers, the holding limit is ${limit}`,
          }
        : {
            zh: `该用户已有 ${held} 个客户，达到库容上限 ${limit}`,
            en: `This user owns ${held} customers, the holding limit is ${limit}`,
          },
      { holdingLimit: limit, held },
    );
  }
}

async function giveOwner(
  tx: Queryable,
  ctx: AppContext,
  customer: { id: number; code: string; name: string },
  owner: { id: number; username: string },
  kind: 'claim' | 'assign',
): Promise<PoolMove> {
  const at = ctx.now().toISOString();
  await tx.query('UPDATE customers SET owner_id = $2, version = version + 1, updated_at = $3 WHERE id = $1', [
    customer.id,
    owner.id,
    at,
  ]);
  const reason =
    kind === 'claim' ? '从公海领取 / Claimed from the pool' : '从公海分配 / Assigned from the pool';
  await recordOwnershipTransfer(tx, ctx, customer.id, null, owner.id, reason);
  await tx.query(
    `INSERT INTO pool_events (customer_id, kind, user_id, reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [customer.id, kind, owner.id, reason, ctx.actor.name, at],
  );
  // Plans left without an owner when the customer entered the pool are the new owner's now.
  await tx.query(
    `UPDATE followups SET owner_id = $2, updated_at = $3 WHERE customer_id = $1 AND status = 'planned' AND owner_id IS NULL`,
    [customer.id, owner.id, at],
  );
  await planCustomerFollowups(tx, ctx, customer.id);
  return { customerId: customer.id, customer: customer.code, name: customer.name, owner: owner.username, at };
}

/** 领取: the caller takes a customer from the pool. */
export async function claimCustomer(ctx: AppContext, customerId: number): Promise<PoolMove> {
  const me = ctx.actor.userId;
  if (me === null) {
    throw new AppError('FORBIDDEN', {
      zh: '只有用户本人可以领取客户',
      en: 'Only a user (not an integration without one) can claim customers',
    });
  }
  const settings = await getPoolSettings(ctx.db);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const user = await tx.query<{ id: number; username: string }>(
      'SELECT id, username FROM users WHERE id = $1 FOR UPDATE',
      [me],
    );
    const customer = await lockPoolCustomer(tx, customerId);
    if (settings.noReclaimDays > 0) {
      const left = await tx.query<{ user_id: number | null; at: string }>(
        `SELECT user_id, at FROM pool_events WHERE customer_id = $1 AND kind IN ('recycle', 'release')
         ORDER BY at DESC, id DESC LIMIT 1`,
        [customerId],
      );
      const last = left.rows[0];
      if (last && last.user_id === me) {
        const until = new Date(new Date(last.at).getTime() + settings.noReclaimDays * 86_400_000);
        if (until > now) {
          const date = localDate(until);
          throw new AppError(
            'FORBIDDEN',
            {
              zh: `该客户刚从你名下回到公海，${date} 之后才能再次领取`,
              en: `This customer left you for the pool recently: you can claim it again after ${date}`,
            },
            { noReclaimDays: settings.noReclaimDays, until: until.toISOString() },
          );
        }
      }
    }
    const claimed = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pool_events WHERE user_id = $1 AND kind = 'claim' AND at >= $2`,
      [me, startOfLocalDay(localDate(now)).toISOString()],
    );
    const today = claimed.rows[0]?.n ?? 0;
    if (today >= settings.dailyClaimLimit) {
      throw new AppError(
        'FORBIDDEN',
        {
          zh: `今天已领取 ${today} 个客户，达到每日上限 ${settings.dailyClaimLimit}`,
          en: `You have claimed ${today} customers today, the daily limit is ${settings.dailyClaimLimit}`,
        },
        { dailyClaimLimit: settings.dailyClaimLimit, claimedToday: today },
      );
    }
    await checkHoldingLimit(tx, me, settings.holdingLimit, true);
    return giveOwner(tx, ctx, customer, user.rows[0] as { id: number; username: string }, 'claim');
  });
}

/** 分配: a manager (to a member of their team) or an admin gives a pool customer to a user. */
export async function assignPoolCustomer(
  ctx: AppContext,
  customerId: number,
  userId: number,
): Promise<PoolMove> {
  const settings = await getPoolSettings(ctx.db);
  const visibility = await visibilityOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const target = await tx.query<{ id: number; username: string }>(
      'SELECT id, username FROM users WHERE id = $1 AND NOT disabled FOR UPDATE',
      [userId],
    );
    const user = target.rows[0];
    if (!user)
      throw validationError([{ field: 'userId', message: `用户 ${userId} 不存在 / No user ${userId}` }]);
    if (!visibility.all && !visibility.owners.includes(userId)) {
      throw validationError([
        {
          field: 'userId',
          message: '只能分配给你团队的成员 / You can assign only to members of your team',
        },
      ]);
    }
    const customer = await lockPoolCustomer(tx, customerId);
    await checkHoldingLimit(tx, userId, settings.holdingLimit, userId === ctx.actor.userId);
    return giveOwner(tx, ctx, customer, user, 'assign');
  });
}
