import { z } from 'zod';
import { notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { dateSchema } from '../../shared/fields.js';
import { parseOrThrow } from '../../shared/validation.js';
import { assertCustomerAccess } from '../access/scope.js';
import { requireUserByUsername } from '../access/users.js';
import { recordAudit } from '../audit/audit-log.js';

export interface Collaborator {
  userId: number;
  username: string;
  access: 'read' | 'write';
  until: string | null;
}

export const collaboratorInputSchema = z.object({
  access: z.enum(['read', 'write']),
  until: dateSchema.nullable().optional().describe('Last day of access (YYYY-MM-DD); none = no end'),
});

export async function listCollaborators(ctx: AppContext, customerId: number): Promise<Collaborator[]> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  const { rows } = await ctx.db.query<Collaborator>(
    `SELECT k.user_id AS "userId", u.username, k.access, k.until FROM customer_collaborators k
     JOIN users u ON u.id = k.user_id WHERE k.customer_id = $1 ORDER BY u.username`,
    [customerId],
  );
  return rows;
}

/** Gives a colleague (协作人) read-only or read-write access to one customer, optionally until a date. */
export async function setCollaborator(
  ctx: AppContext,
  customerId: number,
  username: string,
  input: unknown,
): Promise<Collaborator[]> {
  const { access, until } = parseOrThrow(collaboratorInputSchema, input);
  await ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const user = await requireUserByUsername(tx, username);
    await tx.query(
      `INSERT INTO customer_collaborators (customer_id, user_id, access, until) VALUES ($1, $2, $3, $4)
       ON CONFLICT (customer_id, user_id) DO UPDATE SET access = excluded.access, until = excluded.until`,
      [customerId, user.id, access, until ?? null],
    );
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'customer.collaborator_set',
        entityType: 'customer',
        entityId: customerId,
        customerId,
        details: { username, access, until: until ?? null },
      },
      ctx.now(),
    );
  });
  return listCollaborators(ctx, customerId);
}

export async function removeCollaborator(
  ctx: AppContext,
  customerId: number,
  username: string,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const user = await requireUserByUsername(tx, username);
    const result = await tx.query(
      'DELETE FROM customer_collaborators WHERE customer_id = $1 AND user_id = $2',
      [customerId, user.id],
    );
    if (result.rowCount === 0) throw notFound({ zh: '协作人', en: 'Collaborator' });
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'customer.collaborator_remove',
        entityType: 'customer',
        entityId: customerId,
        customerId,
        details: { username },
      },
      ctx.now(),
    );
  });
}
